/* TCP state-change records (tcp.bpf.c). Must match io.gopherlens.probe.RecordLayout. */
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

#endif
