/* Opens, loads and attaches the gopherlens BPF programs and drains their ring
 * buffers into caller-provided batches. One cleanup path: gl_probe_close(). */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "gl_loader.h"
#include "gl_event.h"
#include "gc.skel.h"
#include "maps.skel.h"
#include "proc.skel.h"
#include "tcp.skel.h"

/* Sentinel returned by the ring buffer callback when the batch is full: the
 * record that triggered it was already copied, so stopping loses nothing. */
#define GL_BATCH_FULL 1000000

struct gl_probe {
	struct proc_bpf *proc;
	struct tcp_bpf *tcp;
	struct gc_bpf *gc;
	struct maps_bpf *maps;
	struct ring_buffer *rb;
	bool use_tp_btf;

	pthread_mutex_t links_lock;
	struct bpf_link *links[GL_MAX_LINKS];
	struct bpf_link *tracepoint_links[8];
	struct bpf_link *tcp_iter_link;
	int n_tracepoint_links;

	/* Current poll batch. */
	unsigned char *batch;
	size_t batch_cap;
	size_t batch_len;
	uint64_t loader_drops;
};

static __thread char last_error[512];

const char *gl_last_error(void)
{
	return last_error;
}

static int fail(int err, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
	va_end(ap);
	n = strlen(last_error);
	snprintf(last_error + n, sizeof(last_error) - n, ": %s (errno %d)", strerror(err < 0 ? -err : err),
		 err < 0 ? -err : err);
	return err < 0 ? err : -err;
}

/* libbpf explains most failures in its warnings; keep the last one for the
 * exception message and forward everything when GOPHERLENS_DEBUG_LIBBPF is set. */
static __thread char libbpf_last_warning[256];
static bool libbpf_debug;

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (libbpf_debug) {
		va_list copy;

		va_copy(copy, args);
		vfprintf(stderr, fmt, copy);
		va_end(copy);
	}
	if (level == LIBBPF_WARN) {
		vsnprintf(libbpf_last_warning, sizeof(libbpf_last_warning), fmt, args);
		libbpf_last_warning[strcspn(libbpf_last_warning, "\n")] = '\0';
	}
	return 0;
}

static int fail_libbpf(int err, const char *what)
{
	if (libbpf_last_warning[0])
		return fail(err, "failed to %s (libbpf: %s)", what, libbpf_last_warning);
	return fail(err, "failed to %s", what);
}

static bool kernel_has_btf_tracepoint(const char *name)
{
	return libbpf_find_vmlinux_btf_id(name, BPF_TRACE_RAW_TP) > 0;
}

static int ensure_tracefs(void)
{
	struct stat st;

	if (stat("/sys/kernel/tracing/events", &st) == 0 || stat("/sys/kernel/debug/tracing/events", &st) == 0)
		return 0;
	if (mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL))
		return fail(-errno, "failed to mount tracefs on /sys/kernel/tracing (classic tracepoints need it)");
	return 0;
}

/* Each tracepoint program has a tp_btf twin (no tracefs needed) and a classic
 * one; load exactly one of each pair. */
static void choose_twin(struct bpf_program *btf, struct bpf_program *classic, bool use_btf)
{
	bpf_program__set_autoload(btf, use_btf);
	bpf_program__set_autoload(classic, !use_btf);
}

static int ring_sample(void *ctx, void *data, size_t len)
{
	struct gl_probe *p = ctx;
	const struct gl_event_header *hdr = data;
	size_t aligned = (len + 7) & ~(size_t)7;

	if (len < sizeof(*hdr) || hdr->size != len || len > GL_MAX_RECORD_SIZE) {
		p->loader_drops++;
		return 0;
	}
	memcpy(p->batch + p->batch_len, data, len);
	memset(p->batch + p->batch_len + len, 0, aligned - len);
	p->batch_len += aligned;
	return p->batch_cap - p->batch_len < GL_MAX_RECORD_SIZE ? -GL_BATCH_FULL : 0;
}

static int add_ring(struct gl_probe *p, struct bpf_map *map)
{
	if (!p->rb) {
		p->rb = ring_buffer__new(bpf_map__fd(map), ring_sample, p, NULL);
		if (!p->rb)
			return fail_libbpf(-errno, "create ring buffer");
		return 0;
	}
	if (ring_buffer__add(p->rb, bpf_map__fd(map), ring_sample, p))
		return fail_libbpf(-errno, "add ring buffer");
	return 0;
}

int gl_probe_open(const struct gl_probe_opts *opts, struct gl_probe **out)
{
	struct gl_probe *p;
	int err;

	libbpf_debug = getenv("GOPHERLENS_DEBUG_LIBBPF") != NULL;
	libbpf_set_print(libbpf_print);
	libbpf_last_warning[0] = '\0';
	if (access("/sys/kernel/btf/vmlinux", R_OK))
		return fail(-errno, "kernel BTF /sys/kernel/btf/vmlinux is not readable: gopherlens needs a kernel built with CONFIG_DEBUG_INFO_BTF=y");

	p = calloc(1, sizeof(*p));
	if (!p)
		return fail(-ENOMEM, "failed to allocate probe");
	pthread_mutex_init(&p->links_lock, NULL);
	p->use_tp_btf = !(opts->flags & GL_OPEN_FORCE_CLASSIC) &&
			kernel_has_btf_tracepoint("inet_sock_set_state") &&
			kernel_has_btf_tracepoint("sched_process_exec");
	if (!p->use_tp_btf && (opts->flags & (GL_OPEN_PROC | GL_OPEN_TCP))) {
		err = ensure_tracefs();
		if (err)
			goto cleanup;
	}

	if (opts->flags & GL_OPEN_PROC) {
		p->proc = proc_bpf__open();
		if (!p->proc) {
			err = fail_libbpf(-errno, "open BPF program proc");
			goto cleanup;
		}
		choose_twin(p->proc->progs.proc_exec_btf, p->proc->progs.proc_exec_tp, p->use_tp_btf);
		choose_twin(p->proc->progs.proc_exit_btf, p->proc->progs.proc_exit_tp, p->use_tp_btf);
		if ((err = proc_bpf__load(p->proc))) {
			err = fail_libbpf(err, "load BPF program proc");
			goto cleanup;
		}
		if ((err = add_ring(p, p->proc->maps.proc_events)))
			goto cleanup;
	}
	if (opts->flags & GL_OPEN_TCP) {
		p->tcp = tcp_bpf__open();
		if (!p->tcp) {
			err = fail_libbpf(-errno, "open BPF program tcp");
			goto cleanup;
		}
		choose_twin(p->tcp->progs.tcp_set_state_btf, p->tcp->progs.tcp_set_state_tp, p->use_tp_btf);
		p->tcp->rodata->emit_state_events = opts->flags & GL_OPEN_TCP_STATE_EVENTS;
		p->tcp->rodata->emit_close_events = opts->flags & GL_OPEN_TCP_CLOSE_EVENTS;
		if ((err = tcp_bpf__load(p->tcp))) {
			err = fail_libbpf(err, "load BPF program tcp");
			goto cleanup;
		}
		if ((err = add_ring(p, p->tcp->maps.tcp_events)))
			goto cleanup;
	}
	if (opts->flags & GL_OPEN_GC) {
		p->gc = gc_bpf__open_and_load();
		if (!p->gc) {
			err = fail_libbpf(-errno, "load BPF program gc");
			goto cleanup;
		}
		if ((err = add_ring(p, p->gc->maps.gc_events)))
			goto cleanup;
		/* Map growth probes are uprobes attached per Go binary too, next to the GC ones. */
		p->maps = maps_bpf__open();
		if (!p->maps) {
			err = fail_libbpf(-errno, "open BPF program maps");
			goto cleanup;
		}
		if (opts->maps_min_bytes)
			p->maps->rodata->min_bytes = opts->maps_min_bytes;
		if ((err = maps_bpf__load(p->maps))) {
			err = fail_libbpf(err, "load BPF program maps");
			goto cleanup;
		}
		if ((err = add_ring(p, p->maps->maps.maps_events)))
			goto cleanup;
	}
	*out = p;
	return 0;

cleanup:
	gl_probe_close(p);
	return err;
}

const char *gl_probe_tracepoint_flavor(const struct gl_probe *p)
{
	return p->use_tp_btf ? "tp_btf" : "tracepoint";
}

static int attach_one(struct gl_probe *p, struct bpf_program *prog)
{
	struct bpf_link *link;

	if (!prog || !bpf_program__autoload(prog))
		return 0;
	if (p->n_tracepoint_links >= (int)(sizeof(p->tracepoint_links) / sizeof(p->tracepoint_links[0])))
		return fail(-E2BIG, "too many tracepoint links");
	link = bpf_program__attach(prog);
	if (!link)
		return fail_libbpf(-errno, "attach tracepoint program");
	p->tracepoint_links[p->n_tracepoint_links++] = link;
	return 0;
}

int gl_probe_attach_tracepoints(struct gl_probe *p)
{
	int err = 0;

	if (p->n_tracepoint_links)
		return 0;
	if (p->proc) {
		if ((err = attach_one(p, p->proc->progs.proc_exec_btf)) ||
		    (err = attach_one(p, p->proc->progs.proc_exec_tp)) ||
		    (err = attach_one(p, p->proc->progs.proc_exit_btf)) ||
		    (err = attach_one(p, p->proc->progs.proc_exit_tp)))
			return err;
	}
	if (p->tcp) {
		if ((err = attach_one(p, p->tcp->progs.tcp_set_state_btf)) ||
		    (err = attach_one(p, p->tcp->progs.tcp_set_state_tp)))
			return err;
	}
	return 0;
}

static struct bpf_program *find_program(struct gl_probe *p, const char *name)
{
	struct bpf_object *objs[] = { p->gc ? p->gc->obj : NULL, p->maps ? p->maps->obj : NULL,
				      p->proc ? p->proc->obj : NULL, p->tcp ? p->tcp->obj : NULL };

	for (size_t i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
		struct bpf_program *prog = objs[i] ? bpf_object__find_program_by_name(objs[i], name) : NULL;

		if (prog)
			return prog;
	}
	return NULL;
}

static struct bpf_map *find_map(struct gl_probe *p, const char *name)
{
	struct bpf_object *objs[] = { p->gc ? p->gc->obj : NULL, p->maps ? p->maps->obj : NULL,
				      p->proc ? p->proc->obj : NULL, p->tcp ? p->tcp->obj : NULL };

	for (size_t i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
		struct bpf_map *map = objs[i] ? bpf_object__find_map_by_name(objs[i], name) : NULL;

		if (map)
			return map;
	}
	return NULL;
}

long gl_probe_attach_uprobe(struct gl_probe *p, const char *program, const char *path,
			    size_t file_offset, pid_t pid, uint64_t cookie)
{
	LIBBPF_OPTS(bpf_uprobe_opts, opts, .bpf_cookie = cookie);
	struct bpf_program *prog = find_program(p, program);
	struct bpf_link *link;
	long id = -1;

	if (!prog)
		return fail(-ENOENT, "no BPF program named %s is loaded", program);
	libbpf_last_warning[0] = '\0';
	link = bpf_program__attach_uprobe_opts(prog, pid, path, file_offset, &opts);
	if (!link) {
		char what[384];

		snprintf(what, sizeof(what), "attach uprobe %s at %s+0x%zx (pid %d)", program, path, file_offset, pid);
		return fail_libbpf(-errno, what);
	}
	pthread_mutex_lock(&p->links_lock);
	for (long i = 0; i < GL_MAX_LINKS; i++) {
		if (!p->links[i]) {
			p->links[i] = link;
			id = i;
			break;
		}
	}
	pthread_mutex_unlock(&p->links_lock);
	if (id < 0) {
		bpf_link__destroy(link);
		return fail(-ENOSPC, "all %d uprobe link slots are in use", GL_MAX_LINKS);
	}
	return id;
}

int gl_probe_detach(struct gl_probe *p, long link_id)
{
	struct bpf_link *link = NULL;

	if (link_id < 0 || link_id >= GL_MAX_LINKS)
		return fail(-EINVAL, "no link %ld", link_id);
	pthread_mutex_lock(&p->links_lock);
	link = p->links[link_id];
	p->links[link_id] = NULL;
	pthread_mutex_unlock(&p->links_lock);
	if (!link)
		return fail(-ENOENT, "link %ld is not attached", link_id);
	bpf_link__destroy(link);
	return 0;
}

long gl_probe_poll(struct gl_probe *p, void *buf, size_t cap, int timeout_ms)
{
	int n;

	if (!p->rb)
		return 0;
	if (cap < GL_MAX_RECORD_SIZE)
		return fail(-EINVAL, "poll buffer of %zu bytes is smaller than one record (%d)", cap, GL_MAX_RECORD_SIZE);
	p->batch = buf;
	p->batch_cap = cap;
	p->batch_len = 0;
	n = ring_buffer__poll(p->rb, timeout_ms);
	/* Frequent records are submitted without a wakeup (gl_submit_lazy), so epoll may report
	 * nothing although data is waiting: consume every ring after the wait. */
	if (n >= 0)
		n = ring_buffer__consume(p->rb);
	p->batch = NULL;
	if (n < 0 && n != -GL_BATCH_FULL && n != -EINTR)
		return fail(n, "failed to poll ring buffers");
	return (long)p->batch_len;
}

int gl_probe_map_info(struct gl_probe *p, const char *name, uint32_t info[3])
{
	struct bpf_map *map = find_map(p, name);
	int ncpus;

	if (!map)
		return fail(-ENOENT, "no BPF map named %s is loaded", name);
	info[0] = bpf_map__key_size(map);
	info[1] = bpf_map__value_size(map);
	info[2] = bpf_map__max_entries(map);
	switch (bpf_map__type(map)) {
	case BPF_MAP_TYPE_PERCPU_ARRAY:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
		ncpus = libbpf_num_possible_cpus();
		if (ncpus < 0)
			return fail(ncpus, "failed to count possible CPUs");
		info[1] = ((info[1] + 7) & ~7u) * (uint32_t)ncpus;
		break;
	default:
		break;
	}
	return 0;
}

long gl_probe_map_read(struct gl_probe *p, const char *name, void *buf, size_t cap)
{
	struct bpf_map *map = find_map(p, name);
	uint32_t info[3];
	unsigned char key[256], next[256];
	unsigned char *out = buf;
	size_t pair;
	long count = 0;
	int err, fd;

	if ((err = gl_probe_map_info(p, name, info)))
		return err;
	if (info[0] > sizeof(key))
		return fail(-E2BIG, "map %s has %u-byte keys", name, info[0]);
	pair = (size_t)info[0] + info[1];
	fd = bpf_map__fd(map);
	err = bpf_map_get_next_key(fd, NULL, next);
	while (!err) {
		if ((size_t)count * pair + pair > cap)
			return fail(-ENOSPC, "buffer too small for map %s", name);
		/* A key deleted between get_next_key and lookup is simply skipped. */
		if (!bpf_map_lookup_elem(fd, next, out + count * pair + info[0])) {
			memcpy(out + count * pair, next, info[0]);
			count++;
		}
		memcpy(key, next, info[0]);
		err = bpf_map_get_next_key(fd, key, next);
	}
	if (err && errno != ENOENT)
		return fail(-errno, "failed to iterate map %s", name);
	return count;
}

int gl_probe_map_reset(struct gl_probe *p, const char *name)
{
	struct bpf_map *map = find_map(p, name);
	uint32_t info[3];
	unsigned char key[256];
	void *zero;
	int err, fd;

	if ((err = gl_probe_map_info(p, name, info)))
		return err;
	if (info[0] > sizeof(key))
		return fail(-E2BIG, "map %s has %u-byte keys", name, info[0]);
	fd = bpf_map__fd(map);
	if (bpf_map__type(map) == BPF_MAP_TYPE_ARRAY || bpf_map__type(map) == BPF_MAP_TYPE_PERCPU_ARRAY) {
		/* Array slots cannot be deleted: zero them. */
		zero = calloc(1, info[1]);
		if (!zero)
			return fail(-ENOMEM, "failed to allocate zero value for %s", name);
		for (uint32_t i = 0; i < info[2]; i++) {
			if (bpf_map_update_elem(fd, &i, zero, BPF_ANY)) {
				err = fail(-errno, "failed to reset map %s", name);
				break;
			}
		}
		free(zero);
		return err;
	}
	while (!bpf_map_get_next_key(fd, NULL, key))
		if (bpf_map_delete_elem(fd, key) && errno != ENOENT)
			return fail(-errno, "failed to reset map %s", name);
	return 0;
}

long gl_probe_map_drain(struct gl_probe *p, const char *name, void *buf, size_t cap)
{
	struct bpf_map *map = find_map(p, name);
	uint32_t info[3], count;
	unsigned char *keys, *values, *out = buf;
	size_t pair;
	__u64 batch = 0;
	long total = 0;
	int err, fd;
	bool first = true;

	if ((err = gl_probe_map_info(p, name, info)))
		return err;
	pair = (size_t)info[0] + info[1];
	if (pair == 0 || cap < pair)
		return fail(-ENOSPC, "buffer too small for one entry of map %s", name);
	fd = bpf_map__fd(map);
	/* The batch API wants keys and values in separate arrays. */
	keys = malloc((cap / pair) * info[0]);
	values = malloc((cap / pair) * info[1]);
	if (!keys || !values) {
		free(keys);
		free(values);
		return fail(-ENOMEM, "failed to allocate drain buffers for %s", name);
	}
	for (;;) {
		LIBBPF_OPTS(bpf_map_batch_opts, opts);
		uint32_t room = (uint32_t)(cap / pair - total);

		if (room == 0)
			break;
		count = room;
		err = bpf_map_lookup_and_delete_batch(fd, first ? NULL : &batch, &batch, keys, values, &count, &opts);
		first = false;
		for (uint32_t i = 0; i < count; i++) {
			memcpy(out + (total + i) * pair, keys + (size_t)i * info[0], info[0]);
			memcpy(out + (total + i) * pair + info[0], values + (size_t)i * info[1], info[1]);
		}
		total += count;
		if (err) {
			err = -errno;
			break;
		}
	}
	free(keys);
	free(values);
	if (err && err != -ENOENT)
		return fail(err, "failed to drain map %s", name);
	return total;
}

int gl_probe_map_update(struct gl_probe *p, const char *name, const void *key, size_t key_size,
			const void *value, size_t value_size)
{
	struct bpf_map *map = find_map(p, name);

	if (!map)
		return fail(-ENOENT, "no BPF map named %s is loaded", name);
	if (bpf_map__update_elem(map, key, key_size, value, value_size, BPF_ANY))
		return fail(-errno, "failed to update map %s (key %zu bytes, value %zu bytes)", name, key_size,
			    value_size);
	return 0;
}

int gl_probe_map_delete(struct gl_probe *p, const char *name, const void *key, size_t key_size)
{
	struct bpf_map *map = find_map(p, name);

	if (!map)
		return fail(-ENOENT, "no BPF map named %s is loaded", name);
	if (bpf_map__delete_elem(map, key, key_size, 0) && errno != ENOENT)
		return fail(-errno, "failed to delete from map %s", name);
	return 0;
}

int gl_probe_sample_tcp(struct gl_probe *p)
{
	char sink[256];
	int fd;
	ssize_t n;

	if (!p->tcp)
		return fail(-ENOENT, "the TCP program is not loaded");
	if (!p->tcp_iter_link) {
		p->tcp_iter_link = bpf_program__attach_iter(p->tcp->progs.tcp_flow_sample, NULL);
		if (!p->tcp_iter_link)
			return fail_libbpf(-errno, "attach TCP socket iterator");
	}
	fd = bpf_iter_create(bpf_link__fd(p->tcp_iter_link));
	if (fd < 0)
		return fail(-errno, "failed to create TCP socket iterator");
	/* The program writes nothing; reading runs it over every socket. */
	while ((n = read(fd, sink, sizeof(sink))) > 0)
		;
	close(fd);
	if (n < 0)
		return fail(-errno, "failed to run TCP socket iterator");
	return 0;
}

uint64_t gl_probe_loader_drops(const struct gl_probe *p)
{
	return p->loader_drops;
}

void gl_probe_close(struct gl_probe *p)
{
	if (!p)
		return;
	for (int i = 0; i < GL_MAX_LINKS; i++)
		bpf_link__destroy(p->links[i]);
	for (int i = 0; i < p->n_tracepoint_links; i++)
		bpf_link__destroy(p->tracepoint_links[i]);
	bpf_link__destroy(p->tcp_iter_link);
	ring_buffer__free(p->rb);
	gc_bpf__destroy(p->gc);
	maps_bpf__destroy(p->maps);
	tcp_bpf__destroy(p->tcp);
	proc_bpf__destroy(p->proc);
	pthread_mutex_destroy(&p->links_lock);
	free(p);
}
