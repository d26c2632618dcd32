/* Sizes and offsets of every wire struct, so a test can prove that the Java
 * decoder (io.gopherlens.probe.RecordLayout) reads what the BPF side writes. */
#include <stddef.h>
#include "gl_loader.h"
#include "gc.h"
#include "maps.h"
#include "proc.h"
#include "tcp.h"

#define F(s, f) #s "." #f "=%zu;"

#include <stdio.h>

const char *gl_layout_description(void)
{
	static char buf[8192];

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
		 F(gl_gc_start, trigger_n) F(gl_gc_start, cookie) F(gl_gc_start, controller)
		 F(gl_gc_start, mark_start_ns) F(gl_gc_start, procs)
		 "gl_gc_pause.sizeof=%zu;" F(gl_gc_pause, stop_ns) F(gl_gc_pause, duration_ns) F(gl_gc_pause, cookie)
		 F(gl_gc_pause, reason) F(gl_gc_pause, marker)
		 "gl_tcp_close.sizeof=%zu;" F(gl_tcp_close, saddr) F(gl_tcp_close, daddr) F(gl_tcp_close, sport)
		 F(gl_tcp_close, dport) F(gl_tcp_close, family) F(gl_tcp_close, direction)
		 F(gl_tcp_close, srtt_us) F(gl_tcp_close, retransmits) F(gl_tcp_close, duration_us)
		 F(gl_tcp_close, bytes_sent) F(gl_tcp_close, bytes_received) F(gl_tcp_close, comm)
		 "gl_tcp_connect_failed.sizeof=%zu;" F(gl_tcp_connect_failed, daddr) F(gl_tcp_connect_failed, dport)
		 F(gl_tcp_connect_failed, family) F(gl_tcp_connect_failed, reason) F(gl_tcp_connect_failed, sk_err)
		 F(gl_tcp_connect_failed, elapsed_us) F(gl_tcp_connect_failed, comm)
		 "gl_flow_key.sizeof=%zu;" F(gl_flow_key, pid) F(gl_flow_key, port) F(gl_flow_key, family)
		 F(gl_flow_key, direction) F(gl_flow_key, peer_addr)
		 "gl_flow_stats.sizeof=%zu;" F(gl_flow_stats, connects) F(gl_flow_stats, connect_us_sum)
		 F(gl_flow_stats, rtt_samples) F(gl_flow_stats, rtt_us_sum) F(gl_flow_stats, retransmits)
		 F(gl_flow_stats, bytes_sent) F(gl_flow_stats, bytes_received) F(gl_flow_stats, closed)
		 F(gl_flow_stats, duration_us_sum) F(gl_flow_stats, failed) F(gl_flow_stats, connect_hist)
		 F(gl_flow_stats, rtt_hist) F(gl_flow_stats, comm)
		 "gl_map_grow.sizeof=%zu;" F(gl_map_grow, map) F(gl_map_grow, cookie) F(gl_map_grow, owned_bytes)
		 F(gl_map_grow, entries) F(gl_map_grow, capacity) F(gl_map_grow, load_bias) F(gl_map_grow, impl)
		 F(gl_map_grow, site) F(gl_map_grow, log2_capacity) F(gl_map_grow, stack_depth) F(gl_map_grow, stack)
		 "gl_maps_frame.sizeof=%zu;" F(gl_maps_frame, lo) F(gl_maps_frame, hi) F(gl_maps_frame, slot)
		 F(gl_maps_frame, site)
		 "gl_maps_binary.sizeof=%zu;" F(gl_maps_binary, probe_va) F(gl_maps_binary, frames)
		 F(gl_maps_binary, impl) F(gl_maps_binary, off_count) F(gl_maps_binary, off_flags) F(gl_maps_binary, off_b)
		 F(gl_maps_binary, off_dir_len) F(gl_maps_binary, off_global_depth) F(gl_maps_binary, off_group_size),
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
		 offsetof(struct gl_gc_start, cookie), offsetof(struct gl_gc_start, controller),
		 offsetof(struct gl_gc_start, mark_start_ns), offsetof(struct gl_gc_start, procs),
		 sizeof(struct gl_gc_pause), offsetof(struct gl_gc_pause, stop_ns),
		 offsetof(struct gl_gc_pause, duration_ns), offsetof(struct gl_gc_pause, cookie),
		 offsetof(struct gl_gc_pause, reason), offsetof(struct gl_gc_pause, marker),
		 sizeof(struct gl_tcp_close), offsetof(struct gl_tcp_close, saddr), offsetof(struct gl_tcp_close, daddr),
		 offsetof(struct gl_tcp_close, sport), offsetof(struct gl_tcp_close, dport),
		 offsetof(struct gl_tcp_close, family), offsetof(struct gl_tcp_close, direction),
		 offsetof(struct gl_tcp_close, srtt_us), offsetof(struct gl_tcp_close, retransmits),
		 offsetof(struct gl_tcp_close, duration_us), offsetof(struct gl_tcp_close, bytes_sent),
		 offsetof(struct gl_tcp_close, bytes_received), offsetof(struct gl_tcp_close, comm),
		 sizeof(struct gl_tcp_connect_failed), offsetof(struct gl_tcp_connect_failed, daddr),
		 offsetof(struct gl_tcp_connect_failed, dport), offsetof(struct gl_tcp_connect_failed, family),
		 offsetof(struct gl_tcp_connect_failed, reason), offsetof(struct gl_tcp_connect_failed, sk_err),
		 offsetof(struct gl_tcp_connect_failed, elapsed_us), offsetof(struct gl_tcp_connect_failed, comm),
		 sizeof(struct gl_flow_key), offsetof(struct gl_flow_key, pid), offsetof(struct gl_flow_key, port),
		 offsetof(struct gl_flow_key, family), offsetof(struct gl_flow_key, direction),
		 offsetof(struct gl_flow_key, peer_addr),
		 sizeof(struct gl_flow_stats), offsetof(struct gl_flow_stats, connects),
		 offsetof(struct gl_flow_stats, connect_us_sum), offsetof(struct gl_flow_stats, rtt_samples),
		 offsetof(struct gl_flow_stats, rtt_us_sum), offsetof(struct gl_flow_stats, retransmits),
		 offsetof(struct gl_flow_stats, bytes_sent), offsetof(struct gl_flow_stats, bytes_received),
		 offsetof(struct gl_flow_stats, closed), offsetof(struct gl_flow_stats, duration_us_sum),
		 offsetof(struct gl_flow_stats, failed), offsetof(struct gl_flow_stats, connect_hist),
		 offsetof(struct gl_flow_stats, rtt_hist), offsetof(struct gl_flow_stats, comm),
		 sizeof(struct gl_map_grow), offsetof(struct gl_map_grow, map), offsetof(struct gl_map_grow, cookie),
		 offsetof(struct gl_map_grow, owned_bytes), offsetof(struct gl_map_grow, entries),
		 offsetof(struct gl_map_grow, capacity), offsetof(struct gl_map_grow, load_bias),
		 offsetof(struct gl_map_grow, impl), offsetof(struct gl_map_grow, site),
		 offsetof(struct gl_map_grow, log2_capacity), offsetof(struct gl_map_grow, stack_depth),
		 offsetof(struct gl_map_grow, stack),
		 sizeof(struct gl_maps_frame), offsetof(struct gl_maps_frame, lo), offsetof(struct gl_maps_frame, hi),
		 offsetof(struct gl_maps_frame, slot), offsetof(struct gl_maps_frame, site),
		 sizeof(struct gl_maps_binary), offsetof(struct gl_maps_binary, probe_va),
		 offsetof(struct gl_maps_binary, frames), offsetof(struct gl_maps_binary, impl),
		 offsetof(struct gl_maps_binary, off_count), offsetof(struct gl_maps_binary, off_flags),
		 offsetof(struct gl_maps_binary, off_b), offsetof(struct gl_maps_binary, off_dir_len),
		 offsetof(struct gl_maps_binary, off_global_depth), offsetof(struct gl_maps_binary, off_group_size));
	return buf;
}
