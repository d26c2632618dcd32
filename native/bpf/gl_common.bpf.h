/* Helpers shared by every gopherlens BPF program. */
#ifndef GL_COMMON_BPF_H
#define GL_COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "gl_event.h"

/* Each program's map of lost records, indexed by enum gl_drop_reason. The loader
 * sums the per-CPU slots and Java exposes them as a counter. */
#define GL_DEFINE_DROPS(name)                          \
	struct {                                        \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); \
		__uint(max_entries, GL_DROP_REASONS);   \
		__type(key, __u32);                      \
		__type(value, __u64);                    \
	} name SEC(".maps")

static __always_inline void gl_count_drop(void *drops, __u32 reason)
{
	__u64 *count = bpf_map_lookup_elem(drops, &reason);

	if (count)
		*count += 1;
}

static __always_inline void gl_fill_header(struct gl_event_header *hdr, __u16 kind, __u16 size)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();

	hdr->kind = kind;
	hdr->size = size;
	hdr->pid = pid_tgid >> 32;
	hdr->tid = (__u32)pid_tgid;
	hdr->_pad = 0;
	hdr->ts_ns = bpf_ktime_get_ns();
}

/* Submits a frequent record without waking the poller, unless the buffer is filling up:
 * a wakeup per record costs the collector a context switch per record and the probed program
 * an irq_work (on these VMs a map growth took 16 us with it, 2.8 us without), while the
 * poller drains on its timeout anyway (latency <= its poll timeout). */
#define GL_WAKEUP_BYTES (64 * 1024)

static __always_inline __u64 gl_lazy_wakeup(void *ringbuf)
{
	return bpf_ringbuf_query(ringbuf, BPF_RB_AVAIL_DATA) > GL_WAKEUP_BYTES ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

static __always_inline void gl_submit_lazy(void *ringbuf, void *record)
{
	bpf_ringbuf_submit(record, gl_lazy_wakeup(ringbuf));
}

/* gl_submit_lazy for a record built outside the ring buffer (bpf_ringbuf_output copies it). */
static __always_inline long gl_output_lazy(void *ringbuf, void *record, __u64 size)
{
	return bpf_ringbuf_output(ringbuf, record, size, gl_lazy_wakeup(ringbuf));
}

#endif
