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

/* Bit of the uprobe cookie set by the collector when stopTheWorldWithSema takes a
 * stwReason in AL (Go >= 1.21); the rest of the cookie names the binary. */
#define GL_GC_COOKIE_STW_REASON 0x1ULL

/* What marked a pause as part of a GC cycle when the runtime passes no reason (Go < 1.21):
 * the GC function seen between stop and start of the world. */
enum gl_gc_marker {
	GL_GC_MARKER_NONE = 0,
	GL_GC_MARKER_SWEEP_TERMINATION = 1, /* startCycle ran inside the pause */
	GL_GC_MARKER_MARK_TERMINATION = 2,  /* gcMarkTermination ran inside the pause */
};

#define GL_GC_REASON_UNKNOWN 0xff

/* One stop-the-world pause, from entry of runtime.stopTheWorldWithSema to entry of
 * runtime.startTheWorldWithSema (Go's own measure ends a few µs later, after procresize). */
struct gl_gc_pause {
	struct gl_event_header hdr;
	__s64 stop_ns;       /* CLOCK_MONOTONIC at stopTheWorldWithSema */
	__u64 duration_ns;
	__u64 cookie;
	__u8 reason;         /* runtime.stwReason (1 mark term, 2 sweep term) or GL_GC_REASON_UNKNOWN */
	__u8 marker;         /* enum gl_gc_marker */
	__u8 _pad[6];
};

#endif
