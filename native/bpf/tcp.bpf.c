// SPDX-License-Identifier: GPL-2.0
/* TCP flows from sock:inet_sock_set_state plus a socket iterator: connect latency,
 * smoothed RTT, retransmits, bytes and durations aggregated in the kernel per
 * (process, peer, direction); the ring buffer carries only state changes (optional),
 * failed connects and (optional) per-connection close records.
 *
 * The task that owns a socket is only current when it calls connect()/listen()/close();
 * later transitions run in softirq context, so the owner is remembered per socket (the
 * tcplife pattern) and, for accepted sockets, per listening port. No per-packet hook:
 * bytes, RTT and retransmits are read from tcp_sock by the iterator each interval and
 * once more when the socket closes.
 *
 * The tracepoint fires ten times per connection (five transitions per side), so its cost
 * is what a connect/close loop pays: transitions the aggregates do not need return before
 * reading anything, the tp_btf twin reads fields with plain loads, and each socket costs
 * four operations on the socket and listener tables plus a flow lookup at ESTABLISHED and
 * one at CLOSE. */
#include "gl_common.bpf.h"
#include "gl_bits.bpf.h"
#include "tcp.h"

char LICENSE[] SEC("license") = "GPL";

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6
#define ECONNRESET 104
#define ETIMEDOUT 110
#define ECONNREFUSED 111
#define GL_TCP_ESTABLISHED 1
#define GL_TCP_SYN_SENT 2
#define GL_TCP_SYN_RECV 3
#define GL_TCP_CLOSE 7
#define GL_TCP_LISTEN 10

const volatile bool emit_state_events = true;
const volatile bool emit_close_events = false;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1024 * 1024);
} tcp_events SEC(".maps");

GL_DEFINE_DROPS(tcp_drops);

struct owner {
	__u32 pid;
	__u32 tid;
	char comm[GL_COMM_LEN];
};

struct sock_state {
	struct gl_flow_key key; /* fixed when the socket is first seen: the kernel clears the
				 * local port before the socket's last transition */
	struct owner owner;
	__u64 start_ns;         /* handshake start */
	__u64 sent_base;        /* payload counters when the handshake completed */
	__u64 received_base;
	__u64 sent_seen;        /* payload counters already added to the flow */
	__u64 received_seen;
	__u32 retrans_seen;
	__u8 established;
};

/* Bounded: LRU evicts the oldest sockets instead of failing the update. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, struct sock_state);
} sock_states SEC(".maps");

/* Owner of each listening port: accepted sockets are born in softirq context. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, struct owner);
} listeners SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct gl_flow_key);
	__type(value, struct gl_flow_stats);
} flows SEC(".maps");

/* Where flows go when `flows` is full: one aggregate under an all-zero key (pid 0),
 * drained like `flows`, so nothing is lost and the collector can count it. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, struct gl_flow_key);
	__type(value, struct gl_flow_stats);
} flow_overflow SEC(".maps");

/* Always zero: the initial value of new flows (too big for the BPF stack). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct gl_flow_stats);
} zero_stats SEC(".maps");

/* Reads ptr->field. tp_btf and iterator programs (btf) get BTF-typed pointers, whose fields
 * are plain loads; the classic tracepoint gets a bare address, so each field costs a
 * bpf_probe_read_kernel call. `btf` is a constant: the other branch compiles away. */
#define GL_READ(btf, ptr, field)                                              \
	({                                                                    \
		typeof((ptr)->field) __val;                                   \
		if (btf)                                                      \
			__val = (ptr)->field;                                 \
		else                                                          \
			bpf_core_read(&__val, sizeof(__val), &(ptr)->field);  \
		__val;                                                        \
	})

static __always_inline void current_owner(struct owner *o)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();

	o->pid = pid_tgid >> 32;
	o->tid = (__u32)pid_tgid;
	bpf_get_current_comm(o->comm, sizeof(o->comm));
}

/* Addresses go into 16-byte arrays, IPv4 in the first 4 bytes. Typed locals keep the
 * read sizes right (an array parameter would decay to a 1-byte pointer). */
static __always_inline void read_peer(struct sock *sk, __u16 family, __u8 addr[16], const bool btf)
{
	if (family == AF_INET) {
		__be32 a4 = GL_READ(btf, sk, __sk_common.skc_daddr);

		__builtin_memcpy(addr, &a4, sizeof(a4));
	} else {
		struct in6_addr a6 = GL_READ(btf, sk, __sk_common.skc_v6_daddr);

		__builtin_memcpy(addr, &a6, sizeof(a6));
	}
}

static __always_inline void read_local(struct sock *sk, __u16 family, __u8 addr[16], const bool btf)
{
	if (family == AF_INET) {
		__be32 a4 = GL_READ(btf, sk, __sk_common.skc_rcv_saddr);

		__builtin_memcpy(addr, &a4, sizeof(a4));
	} else {
		struct in6_addr a6 = GL_READ(btf, sk, __sk_common.skc_v6_rcv_saddr);

		__builtin_memcpy(addr, &a6, sizeof(a6));
	}
}

/* The socket's flow: its owner, its peer, and the peer's port (clients) or the local
 * listening port (servers). */
static __always_inline void flow_key_of(struct sock *sk, __u16 family, __u8 direction, __u32 pid,
					struct gl_flow_key *key, const bool btf)
{
	__builtin_memset(key, 0, sizeof(*key));
	key->pid = pid;
	key->direction = direction;
	key->family = family;
	key->port = direction == GL_FLOW_SERVER ? GL_READ(btf, sk, __sk_common.skc_num)
						: __builtin_bswap16(GL_READ(btf, sk, __sk_common.skc_dport));
	read_peer(sk, family, key->peer_addr, btf);
}

static __always_inline struct gl_flow_stats *flow_of(struct sock_state *st)
{
	struct gl_flow_stats *stats, *zero;
	struct gl_flow_key overflow = {};
	__u32 idx = 0;
	bool inserted;

	stats = bpf_map_lookup_elem(&flows, &st->key);
	if (stats)
		return stats;
	zero = bpf_map_lookup_elem(&zero_stats, &idx);
	if (!zero)
		return NULL;
	/* NOEXIST fails harmlessly when another CPU inserted the key first. */
	inserted = bpf_map_update_elem(&flows, &st->key, zero, BPF_NOEXIST) == 0;
	stats = bpf_map_lookup_elem(&flows, &st->key);
	if (stats) {
		if (inserted)
			__builtin_memcpy(stats->comm, st->owner.comm, sizeof(stats->comm));
		return stats;
	}
	gl_count_drop(&tcp_drops, GL_DROP_MAP_FULL);
	bpf_map_update_elem(&flow_overflow, &overflow, zero, BPF_NOEXIST);
	return bpf_map_lookup_elem(&flow_overflow, &overflow);
}

static __always_inline void add_hist(__u32 *hist, __u64 us)
{
	__u32 slot = gl_hist_slot(us, GL_HIST_SLOTS);

	if (slot < GL_HIST_SLOTS)
		__sync_fetch_and_add(&hist[slot], 1);
}

#define RCV_SHUTDOWN 1
#define SEND_SHUTDOWN 2

/* Payload bytes only, exact under loss: bytes_acked is the acknowledged sequence space, which
 * counts each byte once however often it was sent, but also our FIN once it is acked (the
 * SYN is excluded by the snapshot taken at ESTABLISHED). bytes_received likewise counts the
 * peer's FIN. (bytes_sent - bytes_retrans overcounts under loss: measured 4.8 MB for 4 MB.) */
static __always_inline __u64 payload_sent(struct tcp_sock *tp, __u8 shutdown, const bool btf)
{
	__u64 acked = GL_READ(btf, tp, bytes_acked);
	bool fin_acked = (shutdown & SEND_SHUTDOWN) && GL_READ(btf, tp, snd_una) == GL_READ(btf, tp, write_seq);

	return acked > 0 ? acked - fin_acked : 0;
}

static __always_inline __u64 payload_received(struct tcp_sock *tp, __u8 shutdown, const bool btf)
{
	__u64 received = GL_READ(btf, tp, bytes_received);
	__u8 fin = shutdown & RCV_SHUTDOWN;

	return received > 0 ? received - fin : 0;
}

static __always_inline void snapshot_counters(struct tcp_sock *tp, struct sock_state *st, const bool btf)
{
	__u8 shutdown = GL_READ(btf, tp, inet_conn.icsk_inet.sk.sk_shutdown);

	st->sent_seen = payload_sent(tp, shutdown, btf);
	st->received_seen = payload_received(tp, shutdown, btf);
	st->retrans_seen = GL_READ(btf, tp, total_retrans);
}

/* Adds what tcp_sock counted since the last look to the flow. */
static __always_inline void add_counters(struct tcp_sock *tp, struct sock_state *st, struct gl_flow_stats *flow,
					 const bool btf)
{
	__u8 shutdown = GL_READ(btf, tp, inet_conn.icsk_inet.sk.sk_shutdown);
	__u64 sent = payload_sent(tp, shutdown, btf);
	__u64 received = payload_received(tp, shutdown, btf);
	__u32 retrans = GL_READ(btf, tp, total_retrans);

	if (sent > st->sent_seen)
		__sync_fetch_and_add(&flow->bytes_sent, sent - st->sent_seen);
	if (received > st->received_seen)
		__sync_fetch_and_add(&flow->bytes_received, received - st->received_seen);
	if (retrans > st->retrans_seen)
		__sync_fetch_and_add(&flow->retransmits, retrans - st->retrans_seen);
	st->sent_seen = sent;
	st->received_seen = received;
	st->retrans_seen = retrans;
}

static __always_inline void emit_state(struct sock *sk, __u16 family, int oldstate, int newstate,
				       const struct sock_state *st, const bool btf)
{
	struct gl_tcp_state *e = bpf_ringbuf_reserve(&tcp_events, sizeof(*e), 0);

	if (!e) {
		gl_count_drop(&tcp_drops, GL_DROP_RINGBUF_FULL);
		return;
	}
	gl_fill_header(&e->hdr, GL_EVENT_TCP_STATE, sizeof(*e));
	if (st) {
		e->hdr.pid = st->owner.pid;
		e->hdr.tid = st->owner.tid;
		__builtin_memcpy(e->comm, st->owner.comm, sizeof(e->comm));
		e->pid_source = GL_PID_FROM_OWNER;
	} else {
		bpf_get_current_comm(e->comm, sizeof(e->comm));
		e->pid_source = GL_PID_FROM_CONTEXT;
	}
	e->skaddr = (__u64)sk;
	e->family = family;
	e->oldstate = oldstate;
	e->newstate = newstate;
	__builtin_memset(e->_pad, 0, sizeof(e->_pad));
	__builtin_memset(e->saddr, 0, sizeof(e->saddr));
	__builtin_memset(e->daddr, 0, sizeof(e->daddr));
	e->sport = GL_READ(btf, sk, __sk_common.skc_num);
	e->dport = __builtin_bswap16(GL_READ(btf, sk, __sk_common.skc_dport));
	read_local(sk, family, e->saddr, btf);
	read_peer(sk, family, e->daddr, btf);
	gl_submit_lazy(&tcp_events, e);
}

static __always_inline __u32 failure_reason(int sk_err)
{
	switch (sk_err) {
	case ECONNREFUSED:
		return GL_CONNECT_REFUSED;
	case ECONNRESET:
		return GL_CONNECT_RESET;
	case ETIMEDOUT:
		return GL_CONNECT_TIMEOUT;
	default:
		return GL_CONNECT_OTHER;
	}
}

static __always_inline void connect_failed(struct sock *sk, struct sock_state *st, __u64 now, const bool btf)
{
	struct gl_flow_stats *flow = flow_of(st);
	int sk_err = GL_READ(btf, sk, sk_err);
	__u32 reason = failure_reason(sk_err);
	struct gl_tcp_connect_failed *e;

	if (flow && reason < GL_CONNECT_FAILURES)
		__sync_fetch_and_add(&flow->failed[reason], 1);
	e = bpf_ringbuf_reserve(&tcp_events, sizeof(*e), 0);
	if (!e) {
		gl_count_drop(&tcp_drops, GL_DROP_RINGBUF_FULL);
		return;
	}
	gl_fill_header(&e->hdr, GL_EVENT_TCP_CONNECT_FAILED, sizeof(*e));
	e->hdr.pid = st->owner.pid;
	e->hdr.tid = st->owner.tid;
	__builtin_memcpy(e->comm, st->owner.comm, sizeof(e->comm));
	__builtin_memcpy(e->daddr, st->key.peer_addr, sizeof(e->daddr));
	e->dport = st->key.port;
	e->family = st->key.family;
	e->reason = reason;
	e->sk_err = sk_err;
	e->_pad = 0;
	e->elapsed_us = (now - st->start_ns) / 1000;
	gl_submit_lazy(&tcp_events, e);
}

static __always_inline void connection_closed(struct sock *sk, struct tcp_sock *tp, struct sock_state *st,
					      __u64 now, const bool btf)
{
	struct gl_flow_stats *flow = flow_of(st);
	__u64 duration_us = (now - st->start_ns) / 1000;
	__u16 family = st->key.family;
	struct gl_tcp_close *e;

	if (flow) {
		add_counters(tp, st, flow, btf);
		__sync_fetch_and_add(&flow->closed, 1);
		__sync_fetch_and_add(&flow->duration_us_sum, duration_us);
	}
	if (!emit_close_events)
		return;
	e = bpf_ringbuf_reserve(&tcp_events, sizeof(*e), 0);
	if (!e) {
		gl_count_drop(&tcp_drops, GL_DROP_RINGBUF_FULL);
		return;
	}
	gl_fill_header(&e->hdr, GL_EVENT_TCP_CLOSE, sizeof(*e));
	e->hdr.pid = st->owner.pid;
	e->hdr.tid = st->owner.tid;
	__builtin_memcpy(e->comm, st->owner.comm, sizeof(e->comm));
	__builtin_memset(e->saddr, 0, sizeof(e->saddr));
	__builtin_memset(e->daddr, 0, sizeof(e->daddr));
	read_local(sk, family, e->saddr, btf);
	read_peer(sk, family, e->daddr, btf);
	e->sport = GL_READ(btf, sk, __sk_common.skc_num);
	e->dport = __builtin_bswap16(GL_READ(btf, sk, __sk_common.skc_dport));
	e->family = family;
	e->direction = st->key.direction;
	e->_pad = 0;
	e->srtt_us = GL_READ(btf, tp, srtt_us) >> 3;
	e->retransmits = st->retrans_seen;
	e->duration_us = duration_us;
	e->bytes_sent = st->sent_seen - st->sent_base;
	e->bytes_received = st->received_seen - st->received_base;
	gl_submit_lazy(&tcp_events, e);
}

static __always_inline void established(struct tcp_sock *tp, int oldstate, struct sock_state *st, __u64 now,
					const bool btf)
{
	struct gl_flow_stats *flow;
	__u64 connect_us;

	if (oldstate == GL_TCP_SYN_SENT) {
		connect_us = (now - st->start_ns) / 1000;
	} else {
		/* Accepted: the kernel has just measured SYN-ACK to ACK into srtt. */
		connect_us = GL_READ(btf, tp, srtt_us) >> 3;
		st->start_ns = now - connect_us * 1000;
	}
	st->established = 1;
	snapshot_counters(tp, st, btf);
	st->sent_base = st->sent_seen;
	st->received_base = st->received_seen;
	flow = flow_of(st);
	if (!flow)
		return;
	__sync_fetch_and_add(&flow->connects, 1);
	__sync_fetch_and_add(&flow->connect_us_sum, connect_us);
	add_hist(flow->connect_hist, connect_us);
}

/* Transitions the aggregates need; the others (SYN_RECV, FIN_WAIT*, CLOSE_WAIT, LAST_ACK,
 * CLOSING) only matter to per-transition records. */
static __always_inline bool aggregated(int newstate)
{
	return newstate == GL_TCP_SYN_SENT || newstate == GL_TCP_ESTABLISHED || newstate == GL_TCP_CLOSE ||
	       newstate == GL_TCP_LISTEN;
}

/* Hash operations dominate what is left of the cost: a new socket's state is built on the
 * stack and stored once, not updated and then looked up. */
static __always_inline void remember(struct sock *sk, const struct sock_state *st)
{
	__u64 skaddr = (__u64)sk;

	if (bpf_map_update_elem(&sock_states, &skaddr, st, BPF_ANY))
		gl_count_drop(&tcp_drops, GL_DROP_MAP_FULL);
}

/* connect(): process context, the owner is current. */
static __always_inline void connecting(struct sock *sk, __u16 family, int oldstate, __u64 now, const bool btf)
{
	struct sock_state fresh = {};

	current_owner(&fresh.owner);
	flow_key_of(sk, family, GL_FLOW_CLIENT, fresh.owner.pid, &fresh.key, btf);
	fresh.start_ns = now;
	if (emit_state_events)
		emit_state(sk, family, oldstate, GL_TCP_SYN_SENT, &fresh, btf);
	remember(sk, &fresh);
}

/* Accepted sockets are born in softirq context: their owner is the listener's. */
static __always_inline void accepted(struct sock *sk, struct tcp_sock *tp, __u16 family, __u64 now, const bool btf)
{
	struct sock_state fresh = {};
	__u32 port = GL_READ(btf, sk, __sk_common.skc_num);
	struct owner *o = bpf_map_lookup_elem(&listeners, &port);

	if (o)
		fresh.owner = *o;
	flow_key_of(sk, family, GL_FLOW_SERVER, fresh.owner.pid, &fresh.key, btf);
	if (emit_state_events)
		emit_state(sk, family, GL_TCP_SYN_RECV, GL_TCP_ESTABLISHED, &fresh, btf);
	established(tp, GL_TCP_SYN_RECV, &fresh, now, btf);
	remember(sk, &fresh);
}

static __always_inline void listening(struct sock *sk, __u16 family, int oldstate, const bool btf)
{
	struct owner o;
	__u32 port = GL_READ(btf, sk, __sk_common.skc_num);

	if (emit_state_events)
		emit_state(sk, family, oldstate, GL_TCP_LISTEN, NULL, btf);
	current_owner(&o);
	if (bpf_map_update_elem(&listeners, &port, &o, BPF_ANY))
		gl_count_drop(&tcp_drops, GL_DROP_MAP_FULL);
}

static __always_inline int handle_set_state(struct sock *sk, int oldstate, int newstate, const bool btf)
{
	__u64 skaddr = (__u64)sk, now;
	struct sock_state *st;
	struct tcp_sock *tp;
	__u16 family;

	if (!emit_state_events && !aggregated(newstate))
		return 0;
	if (GL_READ(btf, sk, sk_protocol) != IPPROTO_TCP)
		return 0;
	family = GL_READ(btf, sk, __sk_common.skc_family);
	if (family != AF_INET && family != AF_INET6)
		return 0;
	/* tcp_sock fields lie beyond struct sock: a BTF pointer must be converted to reach them. */
	tp = btf ? bpf_skc_to_tcp_sock(sk) : (struct tcp_sock *)sk;
	if (!tp)
		return 0;
	now = bpf_ktime_get_ns();

	if (newstate == GL_TCP_SYN_SENT) {
		connecting(sk, family, oldstate, now, btf);
		return 0;
	}
	if (newstate == GL_TCP_ESTABLISHED && oldstate == GL_TCP_SYN_RECV) {
		accepted(sk, tp, family, now, btf);
		return 0;
	}
	if (newstate == GL_TCP_LISTEN) {
		listening(sk, family, oldstate, btf);
		return 0;
	}
	st = bpf_map_lookup_elem(&sock_states, &skaddr);
	if (emit_state_events)
		emit_state(sk, family, oldstate, newstate, st, btf);
	if (!st) {
		if (newstate == GL_TCP_CLOSE && oldstate == GL_TCP_LISTEN) {
			__u32 port = GL_READ(btf, sk, __sk_common.skc_num);

			bpf_map_delete_elem(&listeners, &port);
		}
		return 0;
	}
	if (newstate == GL_TCP_ESTABLISHED) {
		established(tp, oldstate, st, now, btf);
	} else if (newstate == GL_TCP_CLOSE) {
		if (st->established)
			connection_closed(sk, tp, st, now, btf);
		else if (oldstate == GL_TCP_SYN_SENT)
			connect_failed(sk, st, now, btf);
		bpf_map_delete_elem(&sock_states, &skaddr);
	}
	return 0;
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(tcp_set_state_btf, struct sock *sk, int oldstate, int newstate)
{
	return handle_set_state(sk, oldstate, newstate, true);
}

SEC("tracepoint/sock/inet_sock_set_state")
int tcp_set_state_tp(struct trace_event_raw_inet_sock_set_state *ctx)
{
	if (ctx->protocol != IPPROTO_TCP)
		return 0;
	return handle_set_state((struct sock *)ctx->skaddr, ctx->oldstate, ctx->newstate, false);
}

/* Run by the collector once per interval (a read of the iterator): samples each live
 * socket's smoothed RTT and adds its new bytes and retransmits to its flow. Writes
 * nothing to the seq_file. Sees the sockets of the reader's network namespace. */
SEC("iter/tcp")
int tcp_flow_sample(struct bpf_iter__tcp *ctx)
{
	struct sock_common *skc = ctx->sk_common;
	struct gl_flow_stats *flow;
	struct sock_state *st;
	struct tcp_sock *tp;
	__u64 skaddr;
	__u32 srtt_us;

	if (!skc)
		return 0;
	tp = bpf_skc_to_tcp_sock(skc);
	if (!tp)
		return 0;
	skaddr = (__u64)tp;
	st = bpf_map_lookup_elem(&sock_states, &skaddr);
	if (!st || !st->established)
		return 0;
	flow = flow_of(st);
	if (!flow)
		return 0;
	add_counters(tp, st, flow, true);
	srtt_us = tp->srtt_us >> 3;
	__sync_fetch_and_add(&flow->rtt_samples, 1);
	__sync_fetch_and_add(&flow->rtt_us_sum, srtt_us);
	add_hist(flow->rtt_hist, srtt_us);
	return 0;
}
