/* Go map growth records (maps.bpf.c). Must match io.gopherlens.probe.RecordLayout.
 *
 * Only large maps reach the probes, so small maps cost nothing:
 * - classic maps (Go <= 1.23, 1.24 with GOEXPERIMENT=noswissmap): a uprobe on
 *   runtime.(*mcache).allocLarge sees only allocations > 32 KiB; a bucket array is one of them
 *   from about B=8 on. The frame-pointer chain tells whether runtime.hashGrow (or
 *   runtime.makemap, for a large hint) asked for it, and that frame's stack slot holds the *hmap.
 * - Swiss maps (Go >= 1.24): tables never exceed 1024 slots; only a map beyond that splits a
 *   table, through internal/runtime/maps.(*Map).installTableSplit(m, old, left, right); the
 *   uprobe sits in its branch that doubles the directory, so it fires once per doubling. */
#ifndef GL_MAPS_H
#define GL_MAPS_H
#include "gl_event.h"

#define GL_MAP_STACK_DEPTH 16

enum gl_map_impl {
	GL_MAP_IMPL_CLASSIC = 1,
	GL_MAP_IMPL_SWISS = 2,
};

/* Which runtime path grew the map. */
enum gl_map_site {
	GL_MAP_SITE_CLASSIC_GROW = 1, /* hashGrow allocated a bucket array (doubling, or same size) */
	GL_MAP_SITE_CLASSIC_MAKE = 2, /* makemap with a large hint allocated the first array */
	GL_MAP_SITE_SWISS_SPLIT = 3,  /* a full 1024-slot table split in two and doubled the directory */
};

/* One growth of a large map; only growths whose map owns >= maps.min_bytes are sent. */
struct gl_map_grow {
	struct gl_event_header hdr;
	__u64 map;          /* *runtime.hmap (classic) or *internal/runtime/maps.Map (Swiss) */
	__u64 cookie;       /* the uprobe cookie: which binary (GoProcessTracker.binaryId) */
	__u64 owned_bytes;  /* classic: bytes of the new bucket array (exact);
			     * Swiss: entries * GroupSize / 8, a lower bound of the tables' bytes */
	__u64 entries;      /* live entries when the growth started (hmap.count, Map.used) */
	__u64 capacity;     /* classic: buckets after the growth (1 << B);
			     * Swiss: directory entries after the split (Map.dirLen, doubled) */
	__u64 load_bias;    /* runtime minus link-time address (0 unless PIE): for symbolizing stack[] */
	__u8 impl;          /* enum gl_map_impl */
	__u8 site;          /* enum gl_map_site */
	__u8 log2_capacity; /* classic: B after the growth; Swiss: globalDepth after the split */
	__u8 stack_depth;   /* valid entries of stack[] */
	__u32 _pad;
	/* Return addresses (runtime addresses), innermost first, from the frame-pointer chain:
	 * stack[0] is in the probed function's caller. */
	__u64 stack[GL_MAP_STACK_DEPTH];
};

/* A runtime function whose frame is recognised on the stack, and the stack slot to read in it. */
struct gl_maps_frame {
	__u64 lo;      /* [lo, hi): link-time addresses of the function */
	__u64 hi;
	__s32 slot;    /* offset of the value from the function's frame pointer (its saved-BP slot) */
	__u8 site;     /* enum gl_map_site when this frame names the map; 0 for a type slot (Swiss) */
	__u8 _pad[3];
};

/* Per-binary settings, written by the collector into the `maps_binaries` BPF map under the
 * uprobe cookie before it attaches. Must match io.gopherlens.goproc.MapProbes. */
struct gl_maps_binary {
	__u64 probe_va;  /* link-time address of the uprobe: load bias = ip at the probe - probe_va */
	/* classic: runtime.hashGrow (h in its first spill slot after t) and runtime.makemap;
	 * Swiss: (*table).split and (*table).rehash (split inlined), whose typ argument sits in its
	 * spill slot: the caller of installTableSplit. */
	struct gl_maps_frame frames[2];
	__u8 impl;            /* enum gl_map_impl */
	__u8 off_count;       /* hmap.count / Map.used [8] */
	__u8 off_flags;       /* classic: hmap.flags [1] */
	__u8 off_b;           /* classic: hmap.B [1] */
	__u8 off_dir_len;     /* Swiss: Map.dirLen [8] */
	__u8 off_global_depth; /* Swiss: Map.globalDepth [1] */
	__u8 _pad;
	__u8 off_group_size;  /* Swiss: MapType.GroupSize [8] */
};

/* Indexes into the per-CPU `maps_stats` array: what the probes saw (bench: probe hit rate). */
enum gl_maps_stat {
	GL_MAPS_STAT_HITS = 0,          /* every uprobe hit */
	GL_MAPS_STAT_SMALL = 1,         /* below maps.min_bytes */
	GL_MAPS_STAT_NOT_MAP = 2,       /* a large allocation that no map growth asked for */
	GL_MAPS_STAT_UNKNOWN_BINARY = 3, /* no settings under the cookie (detached meanwhile) */
	GL_MAPS_STAT_UNREADABLE = 4,    /* the map or stack could not be read */
	GL_MAPS_STAT_EMITTED = 5,       /* records sent */
	GL_MAPS_STATS = 6,
};

/* runtime/map.go: hashGrow sets this hmap flag before makeBucketArray when B stays the same. */
#define GL_HMAP_SAME_SIZE_GROW 8
/* internal/runtime/maps: slots per group. */
#define GL_SWISS_GROUP_SLOTS 8

#endif
