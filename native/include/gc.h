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

/* The uprobe cookie: the binary's id in the high 32 bits, facts about the binary that the
 * collector worked out for the BPF side in the low 32 (GoProcessTracker.cookieFlags).
 * STW_REASON: stopTheWorldWithSema takes a stwReason in AL (Go >= 1.21). The slots: where
 * startTheWorldWithSema keeps worldStop.startedStopping and .reason, in bytes below the stack
 * pointer at its RET (WorldStopSlots; 0 when not known). */
#define GL_GC_COOKIE_STW_REASON 0x1ULL
#define GL_GC_COOKIE_REASON_SLOT(cookie) (((cookie) >> 8) & 0xfff)
#define GL_GC_COOKIE_START_SLOT(cookie) (((cookie) >> 20) & 0xfff)

/* What marked a pause as part of a GC cycle when the runtime passes no reason (Go < 1.21):
 * the GC function seen between stop and start of the world. */
enum gl_gc_marker {
	GL_GC_MARKER_NONE = 0,
	GL_GC_MARKER_SWEEP_TERMINATION = 1, /* startCycle ran inside the pause */
	GL_GC_MARKER_MARK_TERMINATION = 2,  /* gcMarkTermination ran inside the pause */
};

#define GL_GC_REASON_UNKNOWN 0xff

/* One stop-the-world pause. Go 1.22+: exactly Go's own window, from worldStop.startedStopping
 * to the nanotime() startTheWorldWithSema returns, seen by one uprobe on its RET (gc_stw_ret).
 * Before, or where that frame is not the known one: from the entry of stopTheWorldWithSema
 * (for sweep termination, Go's own start, passed to startCycle) to that same nanotime(), on
 * the RET (gc_stw_start_ret; two traps). */
struct gl_gc_pause {
	struct gl_event_header hdr;
	__s64 stop_ns;       /* CLOCK_MONOTONIC at stopTheWorldWithSema (Go's nanotime: the same clock) */
	__u64 duration_ns;
	__u64 cookie;
	__u8 reason;         /* runtime.stwReason (1 mark term, 2 sweep term) or GL_GC_REASON_UNKNOWN */
	__u8 marker;         /* enum gl_gc_marker */
	__u8 _pad[6];
};

#endif
