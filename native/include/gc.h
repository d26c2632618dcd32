/* Go GC records (gc.bpf.c). Must match io.gopherlens.probe.RecordLayout. */
#ifndef GL_GC_H
#define GL_GC_H
#include "gl_event.h"

/* A GC cycle started. The uprobe sits on runtime.(*gcControllerState).startCycle, which
 * gcStart calls exactly once per cycle it really starts (gcStart itself is also entered by
 * triggers that turn out stale after sweeping: 36 calls for 32 cycles in our test).
 * Go 1.19-1.27: startCycle(c *gcControllerState, markStartTime int64, procs int,
 * trigger gcTrigger{kind; now int64; n uint32}) takes RAX, RBX, RCX, RDI, RSI, R8 under
 * Go's register ABI on amd64. */
struct gl_gc_start {
	struct gl_event_header hdr;
	__u64 trigger_kind;   /* 0 heap, 1 time, 2 cycle (runtime.GC) */
	__s64 trigger_now;
	__u64 trigger_n;      /* for runtime.GC: the cycle number being started */
	__u64 cookie;         /* set per attachment by the loader: which binary this came from */
	__u64 controller;     /* &runtime.gcController, even in stripped binaries */
	__s64 mark_start_ns;  /* runtime nanotime(): CLOCK_MONOTONIC, like hdr.ts_ns */
	__s64 procs;          /* GOMAXPROCS for this cycle */
};

#endif
