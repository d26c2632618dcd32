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

SEC("uprobe")
int gc_start(struct pt_regs *ctx)
{
	struct gl_gc_start *e = bpf_ringbuf_reserve(&gc_events, sizeof(*e), 0);

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
	bpf_ringbuf_submit(e, 0);
	return 0;
}
