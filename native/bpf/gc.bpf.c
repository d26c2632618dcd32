// SPDX-License-Identifier: GPL-2.0
/* Go GC cycles and stop-the-world pauses: uprobes on runtime functions that run a few times
 * per GC cycle (see gc.h and ProbeCatalog), attached per binary by the collector at file
 * offsets resolved from .gopclntab. */
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

/* Before Go 1.22, gcStart passes startCycle the nanotime() it also takes as the start of the
 * sweep termination pause (work.pauseStart), a little before stopTheWorldWithSema is entered:
 * from here the pause is Go's own window. */
static __always_inline void start_sweep_termination(__s64 pause_start)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct pending_pause *p = bpf_map_lookup_elem(&pending_pauses, &tgid);

	if (!p)
		return;
	p->marker = GL_GC_MARKER_SWEEP_TERMINATION;
	if (pause_start > 0 && pause_start <= p->stop_ns)
		p->stop_ns = pause_start;
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

static __always_inline void submit_pause(__u64 cookie, __s64 start, __s64 end, __u8 reason, __u8 marker)
{
	struct gl_gc_pause *e = bpf_ringbuf_reserve(&gc_events, sizeof(*e), 0);

	if (!e) {
		gl_count_drop(&gc_drops, GL_DROP_RINGBUF_FULL);
		return;
	}
	gl_fill_header(&e->hdr, GL_EVENT_GC_PAUSE, sizeof(*e));
	e->hdr.ts_ns = end;
	e->stop_ns = start;
	e->duration_ns = end - start;
	e->cookie = cookie;
	e->reason = reason;
	e->marker = marker;
	__builtin_memset(e->_pad, 0, sizeof(e->_pad));
	gl_submit_lazy(&gc_events, e);
}

/* Before Go 1.22: the pause gc_stw_stop opened ends at `end`. */
static __always_inline int end_pause(struct pt_regs *ctx, __s64 end)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct pending_pause *p = bpf_map_lookup_elem(&pending_pauses, &tgid);

	if (!p)
		return 0;
	if (end >= p->stop_ns)
		submit_pause(bpf_get_attach_cookie(ctx), p->stop_ns, end, p->reason, p->marker);
	bpf_map_delete_elem(&pending_pauses, &tgid);
	return 0;
}

/* At the entry of startTheWorldWithSema: where its RETs cannot be found. */
SEC("uprobe")
int gc_stw_start(struct pt_regs *ctx)
{
	return end_pause(ctx, (__s64)bpf_ktime_get_ns());
}

/* On each RET of startTheWorldWithSema: AX is the nanotime() it returns, which ends Go's own
 * window of every pause but mark termination's before Go 1.22 (that one ends inside
 * gcMarkTermination, before the clean-up this window includes). */
SEC("uprobe")
int gc_stw_start_ret(struct pt_regs *ctx)
{
	return end_pause(ctx, (__s64)ctx->ax);
}

/* Go >= 1.22, a uprobe on each RET of startTheWorldWithSema: AX holds the nanotime() that
 * ends Go's own pause window, and the frame just popped still holds the worldStop argument
 * at the offsets the cookie gives. One trap per pause, and the pause Go itself accounts. */
SEC("uprobe")
int gc_stw_ret(struct pt_regs *ctx)
{
	__u64 cookie = bpf_get_attach_cookie(ctx);
	__u64 sp = ctx->sp;
	__s64 end = (__s64)ctx->ax;
	__s64 start;
	__u8 reason;

	if (bpf_probe_read_user(&start, sizeof(start), (void *)(sp - GL_GC_COOKIE_START_SLOT(cookie))) ||
	    bpf_probe_read_user(&reason, sizeof(reason), (void *)(sp - GL_GC_COOKIE_REASON_SLOT(cookie))))
		return 0;
	/* Defence in depth: the collector verified that nothing else writes these slots. */
	if (start <= 0 || start > end || end - start > 60LL * 1000000000)
		return 0;
	submit_pause(cookie, start, end, reason, GL_GC_MARKER_NONE);
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
	start_sweep_termination(mark_start);
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
