/* TCP records and flow aggregates (tcp.bpf.c). Must match io.gopherlens.probe.RecordLayout
 * and io.gopherlens.netflow.FlowLayout. */
#ifndef GL_TCP_H
#define GL_TCP_H
#include "gl_event.h"

/* Where hdr.pid came from: the task that opened the socket (remembered at
 * connect/listen), or whatever task was current when the state changed (softirq
 * context can be another process). */
enum gl_pid_source {
	GL_PID_FROM_OWNER = 0,
	GL_PID_FROM_CONTEXT = 1,
};

struct gl_tcp_state {
	struct gl_event_header hdr;
	__u64 skaddr;     /* kernel socket address: identity of the flow while it lives */
	__u8 saddr[16];   /* IPv4 in the first 4 bytes */
	__u8 daddr[16];
	__u16 sport;      /* host byte order */
	__u16 dport;
	__u16 family;     /* AF_INET or AF_INET6 */
	__u8 oldstate;    /* TCP_ESTABLISHED = 1 ... TCP_NEW_SYN_RECV = 12 */
	__u8 newstate;
	__u8 pid_source;  /* enum gl_pid_source */
	__u8 _pad[7];
	char comm[GL_COMM_LEN];
};

enum gl_flow_direction {
	GL_FLOW_CLIENT = 0, /* this process connected */
	GL_FLOW_SERVER = 1, /* this process accepted */
};

enum gl_connect_failure {
	GL_CONNECT_REFUSED = 0,
	GL_CONNECT_RESET = 1,
	GL_CONNECT_TIMEOUT = 2,
	GL_CONNECT_OTHER = 3, /* closed before established without a kernel error */
	GL_CONNECT_FAILURES = 4,
};

/* log2 buckets of microseconds: slot 0 is [0,1), slot i is [2^(i-1), 2^i), the last
 * slot is open-ended (>= 2^25 us, about 34 s). */
#define GL_HIST_SLOTS 27

/* Per (process, peer, port, direction) aggregate, drained by the collector each interval.
 * The port is the peer's for clients and the local (listening) one for servers: a server's
 * peers connect from ephemeral ports, which would make every connection a flow of its own. */
struct gl_flow_key {
	__u32 pid;
	__u16 port;        /* host byte order; see above */
	__u16 family;
	__u8 direction;    /* enum gl_flow_direction */
	__u8 _pad[7];
	__u8 peer_addr[16];
};

struct gl_flow_stats {
	__u64 connects;         /* handshakes completed */
	__u64 connect_us_sum;
	__u64 rtt_samples;      /* smoothed RTT read once per socket per interval */
	__u64 rtt_us_sum;
	__u64 retransmits;      /* segments retransmitted, tail-loss probes included */
	__u64 bytes_sent;       /* acknowledged payload bytes */
	__u64 bytes_received;
	__u64 closed;
	__u64 duration_us_sum;  /* of closed connections, from handshake start */
	__u64 failed[GL_CONNECT_FAILURES];
	__u32 connect_hist[GL_HIST_SLOTS];
	__u32 rtt_hist[GL_HIST_SLOTS];
	char comm[GL_COMM_LEN];
};

/* One finished connection (the tcplife record), sent only when enabled. */
struct gl_tcp_close {
	struct gl_event_header hdr;
	__u8 saddr[16];
	__u8 daddr[16];
	__u16 sport;
	__u16 dport;
	__u16 family;
	__u8 direction;
	__u8 _pad;
	__u32 srtt_us;
	__u32 retransmits;
	__u64 duration_us;
	__u64 bytes_sent;
	__u64 bytes_received;
	char comm[GL_COMM_LEN];
};

/* A connect() that never reached ESTABLISHED. */
struct gl_tcp_connect_failed {
	struct gl_event_header hdr;
	__u8 daddr[16];
	__u16 dport;
	__u16 family;
	__u32 reason;     /* enum gl_connect_failure */
	__s32 sk_err;
	__u32 _pad;
	__u64 elapsed_us; /* from SYN_SENT */
	char comm[GL_COMM_LEN];
};

#endif
