/* Sizes and offsets of every wire struct, so a test can prove that the Java
 * decoder (io.gopherlens.probe.RecordLayout) reads what the BPF side writes. */
#include <stddef.h>
#include "gl_loader.h"
#include "gc.h"
#include "proc.h"
#include "tcp.h"

#define F(s, f) #s "." #f "=%zu;"

#include <stdio.h>

const char *gl_layout_description(void)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf),
		 "gl_event_header.sizeof=%zu;" F(gl_event_header, kind) F(gl_event_header, size)
		 F(gl_event_header, pid) F(gl_event_header, tid) F(gl_event_header, ts_ns)
		 "gl_proc_exec.sizeof=%zu;" F(gl_proc_exec, ppid) F(gl_proc_exec, comm)
		 F(gl_proc_exec, filename)
		 "gl_proc_exit.sizeof=%zu;" F(gl_proc_exit, ppid) F(gl_proc_exit, exit_code)
		 F(gl_proc_exit, comm)
		 "gl_tcp_state.sizeof=%zu;" F(gl_tcp_state, skaddr) F(gl_tcp_state, saddr)
		 F(gl_tcp_state, daddr) F(gl_tcp_state, sport) F(gl_tcp_state, dport)
		 F(gl_tcp_state, family) F(gl_tcp_state, oldstate) F(gl_tcp_state, newstate)
		 F(gl_tcp_state, pid_source) F(gl_tcp_state, comm)
		 "gl_gc_start.sizeof=%zu;" F(gl_gc_start, trigger_kind) F(gl_gc_start, trigger_now)
		 F(gl_gc_start, trigger_n) F(gl_gc_start, cookie),
		 sizeof(struct gl_event_header), offsetof(struct gl_event_header, kind),
		 offsetof(struct gl_event_header, size), offsetof(struct gl_event_header, pid),
		 offsetof(struct gl_event_header, tid), offsetof(struct gl_event_header, ts_ns),
		 sizeof(struct gl_proc_exec), offsetof(struct gl_proc_exec, ppid),
		 offsetof(struct gl_proc_exec, comm), offsetof(struct gl_proc_exec, filename),
		 sizeof(struct gl_proc_exit), offsetof(struct gl_proc_exit, ppid),
		 offsetof(struct gl_proc_exit, exit_code), offsetof(struct gl_proc_exit, comm),
		 sizeof(struct gl_tcp_state), offsetof(struct gl_tcp_state, skaddr),
		 offsetof(struct gl_tcp_state, saddr), offsetof(struct gl_tcp_state, daddr),
		 offsetof(struct gl_tcp_state, sport), offsetof(struct gl_tcp_state, dport),
		 offsetof(struct gl_tcp_state, family), offsetof(struct gl_tcp_state, oldstate),
		 offsetof(struct gl_tcp_state, newstate), offsetof(struct gl_tcp_state, pid_source),
		 offsetof(struct gl_tcp_state, comm),
		 sizeof(struct gl_gc_start), offsetof(struct gl_gc_start, trigger_kind),
		 offsetof(struct gl_gc_start, trigger_now), offsetof(struct gl_gc_start, trigger_n),
		 offsetof(struct gl_gc_start, cookie));
	return buf;
}
