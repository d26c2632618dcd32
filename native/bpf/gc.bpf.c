// SPDX-License-Identifier: GPL-2.0
/* Go GC cycle starts: a uprobe on runtime.(*gcControllerState).startCycle (see gc.h),
 * attached per binary by the collector at a file offset resolved from .gopclntab.
 * It runs once per GC cycle, so the trap cost is negligible. */
#include "gl_common.bpf.h"
#include "gc.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} gc_events SEC(".maps");

GL_DEFINE_DROPS(gc_drops);

struct pending_pause {
	__s64 stop_ns;
	__u8 reason;
	__u8 marker;
};

/* The world is stopped at most once at a time per process: one slot per tgid. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct pending_pause);
} pending_pauses SEC(".maps");

/* Last markStartTime reported per process. The uprobe sits on the prologue's stack-check
 * branch; when the goroutine's stack must grow, morestack re-runs the function from its
 * entry and the probe fires twice for one call, with the same markStartTime argument. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __s64);
} last_cycle_start SEC(".maps");

static __always_inline void mark_pending(__u8 marker)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct pending_pause *p = bpf_map_lookup_elem(&pending_pauses, &tgid);

	if (p)
		p->marker = marker;
}

SEC("uprobe")
int gc_stw_stop(struct pt_regs *ctx)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct pending_pause p = {
		.stop_ns = bpf_ktime_get_ns(),
		.reason = (bpf_get_attach_cookie(ctx) & GL_GC_COOKIE_STW_REASON) ? (__u8)ctx->ax : GL_GC_REASON_UNKNOWN,
		.marker = GL_GC_MARKER_NONE,
	};

	if (bpf_map_update_elem(&pending_pauses, &tgid, &p, BPF_ANY))
		gl_count_drop(&gc_drops, GL_DROP_MAP_FULL);
	return 0;
}

SEC("uprobe")
int gc_mark_termination(struct pt_regs *ctx)
{
	mark_pending(GL_GC_MARKER_MARK_TERMINATION);
	return 0;
}

SEC("uprobe")
int gc_stw_start(struct pt_regs *ctx)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct pending_pause *p = bpf_map_lookup_elem(&pending_pauses, &tgid);
	struct gl_gc_pause *e;
	__u64 now = bpf_ktime_get_ns();

	if (!p)
		return 0;
	e = bpf_ringbuf_reserve(&gc_events, sizeof(*e), 0);
	if (!e) {
		gl_count_drop(&gc_drops, GL_DROP_RINGBUF_FULL);
		bpf_map_delete_elem(&pending_pauses, &tgid);
		return 0;
	}
	gl_fill_header(&e->hdr, GL_EVENT_GC_PAUSE, sizeof(*e));
	e->hdr.ts_ns = now;
	e->stop_ns = p->stop_ns;
	e->duration_ns = now - p->stop_ns;
	e->cookie = bpf_get_attach_cookie(ctx);
	e->reason = p->reason;
	e->marker = p->marker;
	__builtin_memset(e->_pad, 0, sizeof(e->_pad));
	gl_submit_lazy(&gc_events, e);
	bpf_map_delete_elem(&pending_pauses, &tgid);
	return 0;
}

SEC("uprobe")
int gc_start(struct pt_regs *ctx)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	__s64 mark_start = (__s64)ctx->bx;
	__s64 *last = bpf_map_lookup_elem(&last_cycle_start, &tgid);
	struct gl_gc_start *e;

	if (last && *last == mark_start)
		return 0; /* the same call, re-run after a stack growth */
	bpf_map_update_elem(&last_cycle_start, &tgid, &mark_start, BPF_ANY);
	mark_pending(GL_GC_MARKER_SWEEP_TERMINATION);
	e = bpf_ringbuf_reserve(&gc_events, sizeof(*e), 0);
	if (!e) {
		gl_count_drop(&gc_drops, GL_DROP_RINGBUF_FULL);
		return 0;
	}
	gl_fill_header(&e->hdr, GL_EVENT_GC_START, sizeof(*e));
	e->controller = ctx->ax;
	e->mark_start_ns = (__s64)ctx->bx;
	e->procs = (__s64)ctx->cx;
	e->trigger_kind = ctx->di;
	e->trigger_now = (__s64)ctx->si;
	e->trigger_n = (__u32)ctx->r8;
	e->cookie = bpf_get_attach_cookie(ctx);
	gl_submit_lazy(&gc_events, e);
	return 0;
}
