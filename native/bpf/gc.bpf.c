// SPDX-License-Identifier: GPL-2.0
/* Go GC cycle starts: a uprobe on runtime.gcStart, attached per binary by the
 * collector at a file offset resolved from .gopclntab. gcStart runs a few times
 * per GC cycle at most, so the trap cost is negligible. */
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
	/* Go register ABI: the gcTrigger struct's fields in RAX, RBX, RCX. */
	e->trigger_kind = ctx->ax;
	e->trigger_now = (__s64)ctx->bx;
	e->trigger_n = ctx->cx;
	e->cookie = bpf_get_attach_cookie(ctx);
	bpf_ringbuf_submit(e, 0);
	return 0;
}
