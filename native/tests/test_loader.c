/* Loads the real BPF programs into this kernel (needs root), drives real events
 * (an exec of /bin/true, a loopback TCP connection) and checks they come back
 * through gl_probe_poll with the right pids, ports and states. */
#define _GNU_SOURCE
#include <sched.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gl_loader.h"
#include "proc.h"
#include "tcp.h"

extern char **environ;

#define CHECK(cond, ...)                                                        \
	do {                                                                    \
		if (!(cond)) {                                                  \
			fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__);                           \
			fprintf(stderr, "\n");                                  \
			return 1;                                               \
		}                                                               \
	} while (0)

static int loopback_connection(unsigned short *port)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(addr);
	int srv = socket(AF_INET, SOCK_STREAM, 0), cli, conn;

	if (srv < 0 || bind(srv, (struct sockaddr *)&addr, sizeof(addr)) || listen(srv, 1) ||
	    getsockname(srv, (struct sockaddr *)&addr, &len))
		return -1;
	*port = ntohs(addr.sin_port);
	cli = socket(AF_INET, SOCK_STREAM, 0);
	if (cli < 0 || connect(cli, (struct sockaddr *)&addr, sizeof(addr)))
		return -1;
	conn = accept(srv, NULL, NULL);
	if (conn < 0)
		return -1;
	{
		char data[1000] = { 0 }, in[1000];
		size_t got = 0;
		ssize_t r;

		if (write(cli, data, sizeof(data)) != (ssize_t)sizeof(data))
			return -1;
		while (got < sizeof(in) && (r = read(conn, in, sizeof(in) - got)) > 0)
			got += r;
	}
	close(cli);
	close(conn);
	close(srv);
	return 0;
}

/* The closed connection must show up in the flow aggregates of both directions with
 * exactly the payload the test wrote. */
static int check_flows(struct gl_probe *p, pid_t self, unsigned short port)
{
	static unsigned char buf[1 << 20];
	size_t pair = sizeof(struct gl_flow_key) + sizeof(struct gl_flow_stats);
	int client = 0, server = 0;
	long n;

	CHECK(gl_probe_sample_tcp(p) == 0, "%s", gl_last_error());
	n = gl_probe_map_drain(p, "flows", buf, sizeof(buf));
	CHECK(n > 0, "drain: %ld %s", n, gl_last_error());
	for (long i = 0; i < n; i++) {
		const struct gl_flow_key *k = (const void *)(buf + i * pair);
		const struct gl_flow_stats *v = (const void *)(buf + i * pair + sizeof(*k));

		if (k->pid != (unsigned)self)
			continue;
		if (getenv("GL_TEST_DEBUG"))
			fprintf(stderr, "flow dir %u port %u connects %llu closed %llu bytes %llu/%llu\n", k->direction, k->port,
				(unsigned long long)v->connects, (unsigned long long)v->closed,
				(unsigned long long)v->bytes_sent, (unsigned long long)v->bytes_received);
		if (k->direction == GL_FLOW_CLIENT && k->port == port) {
			CHECK(v->connects == 1 && v->closed == 1, "client connects %llu closed %llu",
			      (unsigned long long)v->connects, (unsigned long long)v->closed);
			CHECK(v->bytes_sent == 1000 && v->bytes_received == 0, "client bytes %llu/%llu",
			      (unsigned long long)v->bytes_sent, (unsigned long long)v->bytes_received);
			client = 1;
		}
		if (k->direction == GL_FLOW_SERVER && k->port == port) {
			CHECK(v->bytes_received == 1000 && v->bytes_sent == 0, "server bytes %llu/%llu",
			      (unsigned long long)v->bytes_sent, (unsigned long long)v->bytes_received);
			server = 1;
		}
	}
	CHECK(client && server, "client flow %d server flow %d", client, server);
	CHECK(gl_probe_map_drain(p, "flows", buf, sizeof(buf)) >= 0, "second drain");
	return 0;
}

static int run(bool classic)
{
	struct gl_probe_opts opts = { .flags = GL_OPEN_PROC | GL_OPEN_TCP | GL_OPEN_GC | GL_OPEN_TCP_STATE_EVENTS |
						       (classic ? GL_OPEN_FORCE_CLASSIC : 0) };
	struct gl_probe *p = NULL;
	static unsigned char buf[1 << 16];
	char *argv[] = { "/bin/true", NULL };
	pid_t child, self = getpid();
	unsigned short port = 0;
	int err, status, saw_exec = 0, saw_exit = 0, saw_syn_sent = 0, saw_established = 0;
	long n, id;

	err = gl_probe_open(&opts, &p);
	CHECK(err == 0, "%s", gl_last_error());
	err = gl_probe_attach_tracepoints(p);
	CHECK(err == 0, "%s", gl_last_error());

	id = gl_probe_attach_uprobe(p, "gc_start", "/nonexistent/binary", 0x1000, -1, 0);
	CHECK(id < 0 && strstr(gl_last_error(), "/nonexistent/binary"), "got %ld: %s", id, gl_last_error());

	CHECK(posix_spawn(&child, "/bin/true", NULL, NULL, argv, environ) == 0, "spawn");
	CHECK(waitpid(child, &status, 0) == child, "wait");
	CHECK(loopback_connection(&port) == 0, "loopback connection: %s", strerror(errno));

	for (int round = 0; round < 20 && !(saw_exec && saw_exit && saw_syn_sent && saw_established); round++) {
		n = gl_probe_poll(p, buf, sizeof(buf), 100);
		CHECK(n >= 0, "%s", gl_last_error());
		for (long off = 0; off < n;) {
			const struct gl_event_header *hdr = (const void *)(buf + off);

			if (hdr->kind == GL_EVENT_PROC_EXEC && hdr->pid == (unsigned)child) {
				const struct gl_proc_exec *e = (const void *)hdr;
				CHECK(strcmp(e->filename, "/bin/true") == 0, "filename %s", e->filename);
				CHECK(e->ppid == (unsigned)self, "ppid %u", e->ppid);
				saw_exec = 1;
			} else if (hdr->kind == GL_EVENT_PROC_EXIT && hdr->pid == (unsigned)child) {
				saw_exit = 1;
			} else if (hdr->kind == GL_EVENT_TCP_STATE) {
				const struct gl_tcp_state *e = (const void *)hdr;

				if (e->dport == port && e->pid_source == GL_PID_FROM_OWNER && hdr->pid == (unsigned)self) {
					saw_syn_sent |= e->newstate == 2;
					saw_established |= e->oldstate == 2 && e->newstate == 1;
				}
			}
			off += (hdr->size + 7) & ~7;
		}
	}
	CHECK(saw_exec, "no exec event for pid %d", child);
	CHECK(saw_exit, "no exit event for pid %d", child);
	CHECK(saw_syn_sent, "no SYN_SENT for port %u by pid %d", port, self);
	CHECK(saw_established, "no SYN_SENT->ESTABLISHED for port %u", port);
	CHECK(gl_probe_loader_drops(p) == 0, "loader dropped records");
	CHECK(check_flows(p, self, port) == 0, "flows");
	printf("test_loader: tracepoints via %s\n", gl_probe_tracepoint_flavor(p));
	CHECK(strcmp(gl_probe_tracepoint_flavor(p), classic ? "tracepoint" : "tp_btf") == 0, "flavor");
	gl_probe_close(p);
	return 0;
}

/* tp_btf programs and the socket iterator must not need tracefs: run once in a private
 * mount namespace where tracefs is unmounted (the host's mount stays untouched). */
static int run_without_tracefs(void)
{
	pid_t child;
	int status;

	fflush(stdout); /* or the child repeats what the parent buffered */
	child = fork();
	if (child == 0) {
		if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
			perror("private mount namespace");
			_exit(1);
		}
		umount2("/sys/kernel/tracing", MNT_DETACH);
		umount2("/sys/kernel/debug/tracing", MNT_DETACH);
		if (access("/sys/kernel/tracing/events", F_OK) == 0) {
			fprintf(stderr, "tracefs still mounted\n");
			_exit(1);
		}
		status = run(false);
		fflush(stdout);
		_exit(status);
	}
	if (waitpid(child, &status, 0) != child || !WIFEXITED(status))
		return 1;
	return WEXITSTATUS(status) ? 1 : 0;
}

int main(void)
{
	int failed = run(false) + run(true) + run_without_tracefs();

	printf("test_loader: %d passed, %d failed\n", 3 - failed, failed);
	return failed ? 1 : 0;
}
