// SPDX-License-Identifier: GPL-2.0
/* Growth of large Go maps (see maps.h), attached per binary by the collector at file offsets
 * resolved from .gopclntab, with the binary's settings in `maps_binaries` under the cookie.
 * Small maps never reach these probes: classic bucket arrays below 32 KiB are not large
 * allocations, and Swiss tables below 1024 slots never split. */
#include "gl_common.bpf.h"
#include "maps.h"

char LICENSE[] SEC("license") = "GPL";

/* Growths below this many owned bytes are counted, not sent. Set by the loader (maps.min_bytes). */
const volatile __u64 min_bytes = 64 * 1024;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} maps_events SEC(".maps");

GL_DEFINE_DROPS(maps_drops);

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, GL_MAPS_STATS);
	__type(key, __u32);
	__type(value, __u64);
} maps_stats SEC(".maps");

/* One entry per attached binary (GoProcessTracker keeps at most a few thousand). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64);
	__type(value, struct gl_maps_binary);
} maps_binaries SEC(".maps");

/* The record is built here, not on the 512-byte BPF stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct gl_map_grow);
} maps_scratch SEC(".maps");

static __always_inline void count(__u32 stat)
{
	__u64 *n = bpf_map_lookup_elem(&maps_stats, &stat);

	if (n)
		*n += 1;
}

/* Go keeps frame pointers on amd64: each frame's [fp] is the caller's frame pointer and
 * [fp+8] the return address into the caller. At a probe on a function's first instructions
 * (before it pushes BP), [SP] is the return address and BP already the caller's frame pointer;
 * a probe after the prologue (own_frame) starts from the function's own frame.
 * fps[i] is the frame pointer of the function containing stack[i]. */
static __always_inline __u8 walk_stack(struct pt_regs *ctx, struct gl_map_grow *e, __u64 *fps, bool own_frame)
{
	__u64 fp = ctx->bp;
	__u64 frame[2];
	__u8 n = 0;

	if (own_frame) {
		if (bpf_probe_read_user(frame, sizeof(frame), (void *)fp))
			return 0;
		e->stack[0] = frame[1];
		fp = frame[0];
	} else if (bpf_probe_read_user(&e->stack[0], sizeof(e->stack[0]), (void *)ctx->sp)) {
		return 0;
	}
	fps[0] = fp;
	n = 1;
	for (int i = 1; i < GL_MAP_STACK_DEPTH; i++) {
		if (!fp || bpf_probe_read_user(frame, sizeof(frame), (void *)fp) || !frame[1])
			break;
		e->stack[i] = frame[1];
		fps[i] = frame[0];
		fp = frame[0];
		n = i + 1;
	}
	return n;
}

static __always_inline bool in_frame(const struct gl_maps_frame *f, __u64 link_pc)
{
	return f->lo && link_pc >= f->lo && link_pc < f->hi;
}

static __always_inline struct gl_map_grow *start_record(struct pt_regs *ctx, struct gl_maps_binary **cfg)
{
	__u64 cookie = bpf_get_attach_cookie(ctx);
	__u32 zero = 0;
	struct gl_map_grow *e;

	*cfg = bpf_map_lookup_elem(&maps_binaries, &cookie);
	if (!*cfg) {
		count(GL_MAPS_STAT_UNKNOWN_BINARY);
		return NULL;
	}
	e = bpf_map_lookup_elem(&maps_scratch, &zero);
	if (!e)
		return NULL;
	gl_fill_header(&e->hdr, GL_EVENT_MAP_GROW, sizeof(*e));
	e->cookie = cookie;
	/* The uprobe handler sees ip reset to the probed instruction (kernel uprobes handle_swbp),
	 * on every kernel, unlike bpf_get_func_ip for uprobes (6.6+). */
	e->load_bias = PT_REGS_IP(ctx) - (*cfg)->probe_va;
	e->_pad = 0;
	return e;
}

static __always_inline void submit(struct gl_map_grow *e)
{
	if (gl_output_lazy(&maps_events, e, sizeof(*e))) {
		gl_count_drop(&maps_drops, GL_DROP_RINGBUF_FULL);
		return;
	}
	count(GL_MAPS_STAT_EMITTED);
}

/* runtime.(*mcache).allocLarge(c *mcache, size uintptr, noscan bool): every allocation
 * > 32 KiB, Go 1.19-1.27. A bucket array is one when hashGrow or makemap is on the stack. */
SEC("uprobe")
int maps_classic_alloc(struct pt_regs *ctx)
{
	struct gl_maps_binary *cfg;
	struct gl_map_grow *e;
	__u64 fps[GL_MAP_STACK_DEPTH] = {};
	__u64 size = ctx->bx;
	__u64 h = 0;
	__u8 b = 0, flags = 0;

	count(GL_MAPS_STAT_HITS);
	if (size < min_bytes) {
		count(GL_MAPS_STAT_SMALL);
		return 0;
	}
	e = start_record(ctx, &cfg);
	if (!e)
		return 0;
	e->stack_depth = walk_stack(ctx, e, fps, false);
	e->site = 0;
	for (int i = 0; i < GL_MAP_STACK_DEPTH; i++) {
		__u64 link_pc;

		if (i >= e->stack_depth)
			break;
		link_pc = e->stack[i] - e->load_bias;
		for (int f = 0; f < 2; f++) {
			if (in_frame(&cfg->frames[f], link_pc)) {
				e->site = cfg->frames[f].site;
				if (bpf_probe_read_user(&h, sizeof(h), (void *)(fps[i] + cfg->frames[f].slot)))
					h = 0;
				break;
			}
		}
		if (e->site)
			break;
	}
	if (!e->site) {
		count(GL_MAPS_STAT_NOT_MAP);
		return 0;
	}
	if (!h || bpf_probe_read_user(&e->entries, sizeof(e->entries), (void *)(h + cfg->off_count)) ||
	    bpf_probe_read_user(&flags, sizeof(flags), (void *)(h + cfg->off_flags)) ||
	    bpf_probe_read_user(&b, sizeof(b), (void *)(h + cfg->off_b))) {
		count(GL_MAPS_STAT_UNREADABLE);
		return 0;
	}
	/* hashGrow commits h.B only after the allocation: the new B is one more unless it marked a
	 * same-size growth; makemap has already stored the B it allocates for. */
	if (e->site == GL_MAP_SITE_CLASSIC_GROW && !(flags & GL_HMAP_SAME_SIZE_GROW))
		b++;
	e->map = h;
	e->impl = GL_MAP_IMPL_CLASSIC;
	e->log2_capacity = b;
	e->capacity = b < 64 ? 1ULL << b : 0;
	e->owned_bytes = size;
	submit(e);
	return 0;
}

/* internal/runtime/maps.(*Map).installTableSplit(m *Map, old, left, right *table), Go 1.24+,
 * at the first instruction of its `if old.localDepth == m.globalDepth` body: a split that
 * doubles the directory (found by MapProbes from the machine code; m and old still in AX and
 * BX, the frame already set up). The caller, (*table).split (or rehash where split is
 * inlined), keeps typ *MapType in its spill slot, which gives GroupSize. */
SEC("uprobe")
int maps_swiss_split(struct pt_regs *ctx)
{
	struct gl_maps_binary *cfg;
	struct gl_map_grow *e;
	__u64 fps[GL_MAP_STACK_DEPTH] = {};
	__u64 m = ctx->ax;
	__u64 typ = 0, group_size = 0, dir_len = 0;
	__u8 global_depth = 0;
	int type_frame = -1;

	count(GL_MAPS_STAT_HITS);
	e = start_record(ctx, &cfg);
	if (!e)
		return 0;
	e->stack_depth = walk_stack(ctx, e, fps, true);
	for (int f = 0; f < 2; f++) {
		if (e->stack_depth && in_frame(&cfg->frames[f], e->stack[0] - e->load_bias)) {
			type_frame = f;
			break;
		}
	}
	if (type_frame < 0) {
		count(GL_MAPS_STAT_NOT_MAP);
		return 0;
	}
	if (bpf_probe_read_user(&typ, sizeof(typ), (void *)(fps[0] + cfg->frames[type_frame & 1].slot)) ||
	    bpf_probe_read_user(&group_size, sizeof(group_size), (void *)(typ + cfg->off_group_size)) ||
	    bpf_probe_read_user(&e->entries, sizeof(e->entries), (void *)(m + cfg->off_count)) ||
	    bpf_probe_read_user(&dir_len, sizeof(dir_len), (void *)(m + cfg->off_dir_len)) ||
	    bpf_probe_read_user(&global_depth, sizeof(global_depth), (void *)(m + cfg->off_global_depth))) {
		count(GL_MAPS_STAT_UNREADABLE);
		return 0;
	}
	/* Every entry takes one slot: GroupSize / 8 bytes with its control byte. */
	e->owned_bytes = e->entries * (group_size / GL_SWISS_GROUP_SLOTS);
	if (e->owned_bytes < min_bytes) {
		count(GL_MAPS_STAT_SMALL);
		return 0;
	}
	e->map = m;
	e->impl = GL_MAP_IMPL_SWISS;
	e->site = GL_MAP_SITE_SWISS_SPLIT;
	e->log2_capacity = global_depth + 1;
	e->capacity = dir_len * 2;
	submit(e);
	return 0;
}
