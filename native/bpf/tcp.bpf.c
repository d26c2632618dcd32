// SPDX-License-Identifier: GPL-2.0
/* TCP state changes from sock:inet_sock_set_state. The task that owns a socket is
 * only current when it calls connect()/listen()/close(); later transitions run in
 * softirq context, so the owner is remembered per socket (the tcplife pattern). */
#include "gl_common.bpf.h"
#include "tcp.h"

char LICENSE[] SEC("license") = "GPL";

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define GL_TCP_CLOSE 7
#define GL_TCP_SYN_SENT 2
#define GL_TCP_LISTEN 10

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1024 * 1024);
} tcp_events SEC(".maps");

GL_DEFINE_DROPS(tcp_drops);

struct sock_owner {
	__u32 pid;
	__u32 tid;
	char comm[GL_COMM_LEN];
};

/* Bounded: LRU evicts the oldest sockets' owners instead of failing the update. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, struct sock_owner);
} sock_owners SEC(".maps");

static __always_inline int handle_set_state(const struct sock *sk, int oldstate, int newstate)
{
	__u64 skaddr = (__u64)sk;
	struct gl_tcp_state *e;
	struct sock_owner *owner;
	__u16 family;

	if (BPF_CORE_READ(sk, sk_protocol) != IPPROTO_TCP)
		return 0;
	family = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (family != AF_INET && family != AF_INET6)
		return 0;

	/* Process context: remember who opened the socket. */
	if (newstate == GL_TCP_SYN_SENT || newstate == GL_TCP_LISTEN) {
		struct sock_owner o = {};
		__u64 pid_tgid = bpf_get_current_pid_tgid();

		o.pid = pid_tgid >> 32;
		o.tid = (__u32)pid_tgid;
		bpf_get_current_comm(o.comm, sizeof(o.comm));
		if (bpf_map_update_elem(&sock_owners, &skaddr, &o, BPF_ANY))
			gl_count_drop(&tcp_drops, GL_DROP_MAP_FULL);
	}

	e = bpf_ringbuf_reserve(&tcp_events, sizeof(*e), 0);
	if (!e) {
		gl_count_drop(&tcp_drops, GL_DROP_RINGBUF_FULL);
		goto out;
	}
	gl_fill_header(&e->hdr, GL_EVENT_TCP_STATE, sizeof(*e));
	owner = bpf_map_lookup_elem(&sock_owners, &skaddr);
	if (owner) {
		e->hdr.pid = owner->pid;
		e->hdr.tid = owner->tid;
		__builtin_memcpy(e->comm, owner->comm, sizeof(e->comm));
		e->pid_source = GL_PID_FROM_OWNER;
	} else {
		bpf_get_current_comm(e->comm, sizeof(e->comm));
		e->pid_source = GL_PID_FROM_CONTEXT;
	}
	e->skaddr = skaddr;
	e->family = family;
	e->oldstate = oldstate;
	e->newstate = newstate;
	__builtin_memset(e->_pad, 0, sizeof(e->_pad));
	__builtin_memset(e->saddr, 0, sizeof(e->saddr));
	__builtin_memset(e->daddr, 0, sizeof(e->daddr));
	e->sport = BPF_CORE_READ(sk, __sk_common.skc_num);
	e->dport = __builtin_bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (family == AF_INET) {
		BPF_CORE_READ_INTO(e->saddr, sk, __sk_common.skc_rcv_saddr);
		BPF_CORE_READ_INTO(e->daddr, sk, __sk_common.skc_daddr);
	} else {
		BPF_CORE_READ_INTO(e->saddr, sk, __sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8);
		BPF_CORE_READ_INTO(e->daddr, sk, __sk_common.skc_v6_daddr.in6_u.u6_addr8);
	}
	bpf_ringbuf_submit(e, 0);
out:
	if (newstate == GL_TCP_CLOSE)
		bpf_map_delete_elem(&sock_owners, &skaddr);
	return 0;
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(tcp_set_state_btf, const struct sock *sk, int oldstate, int newstate)
{
	return handle_set_state(sk, oldstate, newstate);
}

SEC("tracepoint/sock/inet_sock_set_state")
int tcp_set_state_tp(struct trace_event_raw_inet_sock_set_state *ctx)
{
	if (ctx->protocol != IPPROTO_TCP)
		return 0;
	return handle_set_state((const struct sock *)ctx->skaddr, ctx->oldstate, ctx->newstate);
}
