/* Wire contract shared by the BPF programs, the loader and the Java decoder
 * (io.gopherlens.probe.RecordLayout). Every record starts with this header.
 * Fixed width, explicitly padded: any change here must be mirrored in Java,
 * and RecordLayoutTest fails until it is. No kernel types in this file. */
#ifndef GL_EVENT_H
#define GL_EVENT_H

#ifdef __bpf__
/* vmlinux.h already provides __u8.. __u64 for BPF programs. */
#else
#include <linux/types.h>
#endif

#define GL_COMM_LEN 16

enum gl_event_kind {
	GL_EVENT_PROC_EXEC = 1,
	GL_EVENT_PROC_EXIT = 2,
	GL_EVENT_TCP_STATE = 3,
	GL_EVENT_GC_START = 4,
	GL_EVENT_TCP_CLOSE = 5,
	GL_EVENT_TCP_CONNECT_FAILED = 6,
	GL_EVENT_GC_PAUSE = 7,
	GL_EVENT_MAP_GROW = 8,
};

struct gl_event_header {
	__u16 kind;   /* enum gl_event_kind */
	__u16 size;   /* sizeof the whole record */
	__u32 pid;    /* tgid, as user space calls it */
	__u32 tid;
	__u32 _pad;
	__u64 ts_ns;  /* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
};

/* Indexes into each program's per-CPU `drops` array: why a record was lost. */
enum gl_drop_reason {
	GL_DROP_RINGBUF_FULL = 0,
	GL_DROP_MAP_FULL = 1,
	GL_DROP_REASONS = 2,
};

#endif
