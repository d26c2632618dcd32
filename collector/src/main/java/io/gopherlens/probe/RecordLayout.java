package io.gopherlens.probe;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Offsets of the wire records, mirrored from native/include/{gl_event,proc,tcp,gc,maps}.h. Must
 * match those headers; RecordLayoutTest compares every value with the native library's
 * offsetof() table.
 */
public final class RecordLayout {
  private RecordLayout() {}

  static final int KIND_PROC_EXEC = 1;
  static final int KIND_PROC_EXIT = 2;
  static final int KIND_TCP_STATE = 3;
  static final int KIND_GC_START = 4;
  static final int KIND_TCP_CLOSE = 5;
  static final int KIND_TCP_CONNECT_FAILED = 6;
  static final int KIND_GC_PAUSE = 7;
  static final int KIND_MAP_GROW = 8;

  static final int COMM_LEN = 16;
  static final int FILENAME_LEN = 256;

  // struct gl_event_header
  static final int HEADER_SIZE = 24;
  static final int HEADER_KIND = 0;
  static final int HEADER_RECORD_SIZE = 2;
  static final int HEADER_PID = 4;
  static final int HEADER_TID = 8;
  static final int HEADER_TS_NS = 16;

  // struct gl_proc_exec
  static final int EXEC_SIZE = 304;
  static final int EXEC_PPID = 24;
  static final int EXEC_COMM = 32;
  static final int EXEC_FILENAME = 48;

  // struct gl_proc_exit
  static final int EXIT_SIZE = 48;
  static final int EXIT_PPID = 24;
  static final int EXIT_CODE = 28;
  static final int EXIT_COMM = 32;

  // struct gl_tcp_state
  static final int TCP_SIZE = 96;
  static final int TCP_SKADDR = 24;
  static final int TCP_SADDR = 32;
  static final int TCP_DADDR = 48;
  static final int TCP_SPORT = 64;
  static final int TCP_DPORT = 66;
  static final int TCP_FAMILY = 68;
  static final int TCP_OLDSTATE = 70;
  static final int TCP_NEWSTATE = 71;
  static final int TCP_PID_SOURCE = 72;
  static final int TCP_COMM = 80;

  // struct gl_gc_start
  static final int GC_START_SIZE = 80;
  static final int GC_START_TRIGGER_KIND = 24;
  static final int GC_START_TRIGGER_NOW = 32;
  static final int GC_START_TRIGGER_N = 40;
  static final int GC_START_COOKIE = 48;
  static final int GC_START_CONTROLLER = 56;
  static final int GC_START_MARK_START_NS = 64;
  static final int GC_START_PROCS = 72;

  // struct gl_gc_pause
  static final int GC_PAUSE_SIZE = 56;
  static final int GC_PAUSE_STOP_NS = 24;
  static final int GC_PAUSE_DURATION_NS = 32;
  static final int GC_PAUSE_COOKIE = 40;
  static final int GC_PAUSE_REASON = 48;
  static final int GC_PAUSE_MARKER = 49;

  // struct gl_tcp_close
  static final int CLOSE_SIZE = 112;
  static final int CLOSE_SADDR = 24;
  static final int CLOSE_DADDR = 40;
  static final int CLOSE_SPORT = 56;
  static final int CLOSE_DPORT = 58;
  static final int CLOSE_FAMILY = 60;
  static final int CLOSE_DIRECTION = 62;
  static final int CLOSE_SRTT_US = 64;
  static final int CLOSE_RETRANSMITS = 68;
  static final int CLOSE_DURATION_US = 72;
  static final int CLOSE_BYTES_SENT = 80;
  static final int CLOSE_BYTES_RECEIVED = 88;
  static final int CLOSE_COMM = 96;

  // struct gl_tcp_connect_failed
  static final int FAILED_SIZE = 80;
  static final int FAILED_DADDR = 24;
  static final int FAILED_DPORT = 40;
  static final int FAILED_FAMILY = 42;
  static final int FAILED_REASON = 44;
  static final int FAILED_SK_ERR = 48;
  static final int FAILED_ELAPSED_US = 56;
  static final int FAILED_COMM = 64;

  // struct gl_flow_key
  public static final int FLOW_KEY_SIZE = 32;
  public static final int FLOW_KEY_PID = 0;
  public static final int FLOW_KEY_PORT = 4;
  public static final int FLOW_KEY_FAMILY = 6;
  public static final int FLOW_KEY_DIRECTION = 8;
  public static final int FLOW_KEY_PEER_ADDR = 16;

  // struct gl_flow_stats
  public static final int FLOW_STATS_SIZE = 336;
  public static final int FLOW_CONNECTS = 0;
  public static final int FLOW_CONNECT_US_SUM = 8;
  public static final int FLOW_RTT_SAMPLES = 16;
  public static final int FLOW_RTT_US_SUM = 24;
  public static final int FLOW_RETRANSMITS = 32;
  public static final int FLOW_BYTES_SENT = 40;
  public static final int FLOW_BYTES_RECEIVED = 48;
  public static final int FLOW_CLOSED = 56;
  public static final int FLOW_DURATION_US_SUM = 64;
  public static final int FLOW_FAILED = 72;
  public static final int FLOW_CONNECT_HIST = 104;
  public static final int FLOW_RTT_HIST = 212;
  public static final int FLOW_COMM = 320;
  /** log2 microsecond buckets per histogram (GL_HIST_SLOTS). */
  public static final int FLOW_HIST_SLOTS = 27;
  /** enum gl_connect_failure: refused, reset, timeout, other. */
  public static final int FLOW_FAILURE_REASONS = 4;

  // struct gl_map_grow
  static final int MAP_GROW_SIZE = 208;
  static final int MAP_GROW_MAP = 24;
  static final int MAP_GROW_COOKIE = 32;
  static final int MAP_GROW_OWNED_BYTES = 40;
  static final int MAP_GROW_ENTRIES = 48;
  static final int MAP_GROW_CAPACITY = 56;
  static final int MAP_GROW_LOAD_BIAS = 64;
  static final int MAP_GROW_IMPL = 72;
  static final int MAP_GROW_SITE = 73;
  static final int MAP_GROW_LOG2_CAPACITY = 74;
  static final int MAP_GROW_STACK_DEPTH = 75;
  static final int MAP_GROW_STACK = 80;
  /** GL_MAP_STACK_DEPTH */
  static final int MAP_STACK_DEPTH = 16;

  // struct gl_maps_frame (inside gl_maps_binary, written by goproc.MapProbes)
  public static final int MAPS_FRAME_SIZE = 24;
  public static final int MAPS_FRAME_LO = 0;
  public static final int MAPS_FRAME_HI = 8;
  public static final int MAPS_FRAME_SLOT = 16;
  public static final int MAPS_FRAME_SITE = 20;

  // struct gl_maps_binary: the value of the maps_binaries BPF map, keyed by the u64 cookie
  public static final int MAPS_BINARY_SIZE = 64;
  public static final int MAPS_BINARY_PROBE_VA = 0;
  public static final int MAPS_BINARY_FRAMES = 8;
  public static final int MAPS_BINARY_IMPL = 56;
  public static final int MAPS_BINARY_OFF_COUNT = 57;
  public static final int MAPS_BINARY_OFF_FLAGS = 58;
  public static final int MAPS_BINARY_OFF_B = 59;
  public static final int MAPS_BINARY_OFF_DIR_LEN = 60;
  public static final int MAPS_BINARY_OFF_GLOBAL_DEPTH = 61;
  public static final int MAPS_BINARY_OFF_GROUP_SIZE = 63;

  /** The same "struct.field" keys the native layout description uses. */
  static Map<String, Integer> describe() {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put("gl_event_header.sizeof", HEADER_SIZE);
    m.put("gl_event_header.kind", HEADER_KIND);
    m.put("gl_event_header.size", HEADER_RECORD_SIZE);
    m.put("gl_event_header.pid", HEADER_PID);
    m.put("gl_event_header.tid", HEADER_TID);
    m.put("gl_event_header.ts_ns", HEADER_TS_NS);
    m.put("gl_proc_exec.sizeof", EXEC_SIZE);
    m.put("gl_proc_exec.ppid", EXEC_PPID);
    m.put("gl_proc_exec.comm", EXEC_COMM);
    m.put("gl_proc_exec.filename", EXEC_FILENAME);
    m.put("gl_proc_exit.sizeof", EXIT_SIZE);
    m.put("gl_proc_exit.ppid", EXIT_PPID);
    m.put("gl_proc_exit.exit_code", EXIT_CODE);
    m.put("gl_proc_exit.comm", EXIT_COMM);
    m.put("gl_tcp_state.sizeof", TCP_SIZE);
    m.put("gl_tcp_state.skaddr", TCP_SKADDR);
    m.put("gl_tcp_state.saddr", TCP_SADDR);
    m.put("gl_tcp_state.daddr", TCP_DADDR);
    m.put("gl_tcp_state.sport", TCP_SPORT);
    m.put("gl_tcp_state.dport", TCP_DPORT);
    m.put("gl_tcp_state.family", TCP_FAMILY);
    m.put("gl_tcp_state.oldstate", TCP_OLDSTATE);
    m.put("gl_tcp_state.newstate", TCP_NEWSTATE);
    m.put("gl_tcp_state.pid_source", TCP_PID_SOURCE);
    m.put("gl_tcp_state.comm", TCP_COMM);
    m.put("gl_gc_start.sizeof", GC_START_SIZE);
    m.put("gl_gc_start.trigger_kind", GC_START_TRIGGER_KIND);
    m.put("gl_gc_start.trigger_now", GC_START_TRIGGER_NOW);
    m.put("gl_gc_start.trigger_n", GC_START_TRIGGER_N);
    m.put("gl_gc_start.cookie", GC_START_COOKIE);
    m.put("gl_gc_start.controller", GC_START_CONTROLLER);
    m.put("gl_gc_start.mark_start_ns", GC_START_MARK_START_NS);
    m.put("gl_gc_start.procs", GC_START_PROCS);
    m.put("gl_gc_pause.sizeof", GC_PAUSE_SIZE);
    m.put("gl_gc_pause.stop_ns", GC_PAUSE_STOP_NS);
    m.put("gl_gc_pause.duration_ns", GC_PAUSE_DURATION_NS);
    m.put("gl_gc_pause.cookie", GC_PAUSE_COOKIE);
    m.put("gl_gc_pause.reason", GC_PAUSE_REASON);
    m.put("gl_gc_pause.marker", GC_PAUSE_MARKER);
    m.put("gl_tcp_close.sizeof", CLOSE_SIZE);
    m.put("gl_tcp_close.saddr", CLOSE_SADDR);
    m.put("gl_tcp_close.daddr", CLOSE_DADDR);
    m.put("gl_tcp_close.sport", CLOSE_SPORT);
    m.put("gl_tcp_close.dport", CLOSE_DPORT);
    m.put("gl_tcp_close.family", CLOSE_FAMILY);
    m.put("gl_tcp_close.direction", CLOSE_DIRECTION);
    m.put("gl_tcp_close.srtt_us", CLOSE_SRTT_US);
    m.put("gl_tcp_close.retransmits", CLOSE_RETRANSMITS);
    m.put("gl_tcp_close.duration_us", CLOSE_DURATION_US);
    m.put("gl_tcp_close.bytes_sent", CLOSE_BYTES_SENT);
    m.put("gl_tcp_close.bytes_received", CLOSE_BYTES_RECEIVED);
    m.put("gl_tcp_close.comm", CLOSE_COMM);
    m.put("gl_tcp_connect_failed.sizeof", FAILED_SIZE);
    m.put("gl_tcp_connect_failed.daddr", FAILED_DADDR);
    m.put("gl_tcp_connect_failed.dport", FAILED_DPORT);
    m.put("gl_tcp_connect_failed.family", FAILED_FAMILY);
    m.put("gl_tcp_connect_failed.reason", FAILED_REASON);
    m.put("gl_tcp_connect_failed.sk_err", FAILED_SK_ERR);
    m.put("gl_tcp_connect_failed.elapsed_us", FAILED_ELAPSED_US);
    m.put("gl_tcp_connect_failed.comm", FAILED_COMM);
    m.put("gl_flow_key.sizeof", FLOW_KEY_SIZE);
    m.put("gl_flow_key.pid", FLOW_KEY_PID);
    m.put("gl_flow_key.port", FLOW_KEY_PORT);
    m.put("gl_flow_key.family", FLOW_KEY_FAMILY);
    m.put("gl_flow_key.direction", FLOW_KEY_DIRECTION);
    m.put("gl_flow_key.peer_addr", FLOW_KEY_PEER_ADDR);
    m.put("gl_flow_stats.sizeof", FLOW_STATS_SIZE);
    m.put("gl_flow_stats.connects", FLOW_CONNECTS);
    m.put("gl_flow_stats.connect_us_sum", FLOW_CONNECT_US_SUM);
    m.put("gl_flow_stats.rtt_samples", FLOW_RTT_SAMPLES);
    m.put("gl_flow_stats.rtt_us_sum", FLOW_RTT_US_SUM);
    m.put("gl_flow_stats.retransmits", FLOW_RETRANSMITS);
    m.put("gl_flow_stats.bytes_sent", FLOW_BYTES_SENT);
    m.put("gl_flow_stats.bytes_received", FLOW_BYTES_RECEIVED);
    m.put("gl_flow_stats.closed", FLOW_CLOSED);
    m.put("gl_flow_stats.duration_us_sum", FLOW_DURATION_US_SUM);
    m.put("gl_flow_stats.failed", FLOW_FAILED);
    m.put("gl_flow_stats.connect_hist", FLOW_CONNECT_HIST);
    m.put("gl_flow_stats.rtt_hist", FLOW_RTT_HIST);
    m.put("gl_flow_stats.comm", FLOW_COMM);
    m.put("gl_map_grow.sizeof", MAP_GROW_SIZE);
    m.put("gl_map_grow.map", MAP_GROW_MAP);
    m.put("gl_map_grow.cookie", MAP_GROW_COOKIE);
    m.put("gl_map_grow.owned_bytes", MAP_GROW_OWNED_BYTES);
    m.put("gl_map_grow.entries", MAP_GROW_ENTRIES);
    m.put("gl_map_grow.capacity", MAP_GROW_CAPACITY);
    m.put("gl_map_grow.load_bias", MAP_GROW_LOAD_BIAS);
    m.put("gl_map_grow.impl", MAP_GROW_IMPL);
    m.put("gl_map_grow.site", MAP_GROW_SITE);
    m.put("gl_map_grow.log2_capacity", MAP_GROW_LOG2_CAPACITY);
    m.put("gl_map_grow.stack_depth", MAP_GROW_STACK_DEPTH);
    m.put("gl_map_grow.stack", MAP_GROW_STACK);
    m.put("gl_maps_frame.sizeof", MAPS_FRAME_SIZE);
    m.put("gl_maps_frame.lo", MAPS_FRAME_LO);
    m.put("gl_maps_frame.hi", MAPS_FRAME_HI);
    m.put("gl_maps_frame.slot", MAPS_FRAME_SLOT);
    m.put("gl_maps_frame.site", MAPS_FRAME_SITE);
    m.put("gl_maps_binary.sizeof", MAPS_BINARY_SIZE);
    m.put("gl_maps_binary.probe_va", MAPS_BINARY_PROBE_VA);
    m.put("gl_maps_binary.frames", MAPS_BINARY_FRAMES);
    m.put("gl_maps_binary.impl", MAPS_BINARY_IMPL);
    m.put("gl_maps_binary.off_count", MAPS_BINARY_OFF_COUNT);
    m.put("gl_maps_binary.off_flags", MAPS_BINARY_OFF_FLAGS);
    m.put("gl_maps_binary.off_b", MAPS_BINARY_OFF_B);
    m.put("gl_maps_binary.off_dir_len", MAPS_BINARY_OFF_DIR_LEN);
    m.put("gl_maps_binary.off_global_depth", MAPS_BINARY_OFF_GLOBAL_DEPTH);
    m.put("gl_maps_binary.off_group_size", MAPS_BINARY_OFF_GROUP_SIZE);
    return m;
  }
}
