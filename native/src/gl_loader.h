/* C API over the gopherlens BPF skeletons: used by the JNI bridge and the C tests.
 * Every call returns 0 (or a non-negative count/id) on success and -errno on
 * failure; gl_last_error() then says what failed in one line. */
#ifndef GL_LOADER_H
#define GL_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct gl_probe;

/* Bits of the flags word the JNI bridge passes (io.gopherlens.probe.NativeProbe.Options). */
enum gl_probe_flag {
	GL_OPEN_PROC = 1 << 0,             /* process exec/exit */
	GL_OPEN_TCP = 1 << 1,              /* TCP flows */
	GL_OPEN_GC = 1 << 2,               /* Go GC and map growth uprobe programs (attached later, per binary) */
	GL_OPEN_TCP_STATE_EVENTS = 1 << 3, /* a ring-buffer record per TCP state change */
	GL_OPEN_TCP_CLOSE_EVENTS = 1 << 4, /* a ring-buffer record per closed connection */
	GL_OPEN_FORCE_CLASSIC = 1 << 5,    /* skip tp_btf even where the kernel has it */
};

struct gl_probe_opts {
	unsigned int flags; /* enum gl_probe_flag */
	uint64_t maps_min_bytes; /* map growths below this are not reported; 0 keeps the default (64 KiB) */
};

/* Largest record any program emits; poll() stops a batch when less space remains. */
#define GL_MAX_RECORD_SIZE 512
#define GL_MAX_LINKS 4096

int gl_probe_open(const struct gl_probe_opts *opts, struct gl_probe **out);
int gl_probe_attach_tracepoints(struct gl_probe *p);
/* Which twin of each tracepoint program was loaded: "tp_btf" or "tracepoint". */
const char *gl_probe_tracepoint_flavor(const struct gl_probe *p);
/* Returns a link id >= 0. pid -1 means every process that maps the file. */
long gl_probe_attach_uprobe(struct gl_probe *p, const char *program, const char *path,
			    size_t file_offset, pid_t pid, uint64_t cookie);
int gl_probe_detach(struct gl_probe *p, long link_id);
/* Copies whole records, each 8-byte aligned, into buf; returns bytes written. */
long gl_probe_poll(struct gl_probe *p, void *buf, size_t cap, int timeout_ms);
/* Key size, value size (all CPUs for per-CPU maps), max entries. */
int gl_probe_map_info(struct gl_probe *p, const char *map, uint32_t info[3]);
/* Writes (key, value) pairs back to back; returns how many pairs. */
long gl_probe_map_read(struct gl_probe *p, const char *map, void *buf, size_t cap);
int gl_probe_map_reset(struct gl_probe *p, const char *map);
/* Moves every (key, value) pair of a hash map into buf, deleting each atomically; returns
 * how many pairs. Entries that do not fit stay in the map for the next call. */
long gl_probe_map_drain(struct gl_probe *p, const char *map, void *buf, size_t cap);
/* Inserts or replaces one entry; sizes must be the map's key and value sizes. */
int gl_probe_map_update(struct gl_probe *p, const char *map, const void *key, size_t key_size,
			const void *value, size_t value_size);
/* Deletes one entry; a missing entry is not an error. */
int gl_probe_map_delete(struct gl_probe *p, const char *map, const void *key, size_t key_size);
/* Runs the TCP socket iterator once in the caller's network namespace. */
int gl_probe_sample_tcp(struct gl_probe *p);
/* Records the loader itself could not hand over (malformed sizes). */
uint64_t gl_probe_loader_drops(const struct gl_probe *p);
void gl_probe_close(struct gl_probe *p);

const char *gl_last_error(void);
/* "struct.field=offset;..." for every wire struct: checked against Java. */
const char *gl_layout_description(void);

#endif
