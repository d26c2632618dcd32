/* Go GC records (gc.bpf.c). Must match io.gopherlens.probe.RecordLayout. */
#ifndef GL_GC_H
#define GL_GC_H
#include "gl_event.h"

/* runtime.gcStart(trigger gcTrigger): gcTrigger{kind gcTriggerKind; now int64; n uint32}
 * arrives in RAX, RBX, RCX under Go's register ABI (Go >= 1.17 on amd64). */
struct gl_gc_start {
	struct gl_event_header hdr;
	__u64 trigger_kind; /* 0 heap, 1 time, 2 cycle (runtime.GC) */
	__s64 trigger_now;
	__u64 trigger_n;
	__u64 cookie;       /* set per attachment by the loader: which binary this came from */
};

#endif
