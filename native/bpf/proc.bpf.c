// SPDX-License-Identifier: GPL-2.0
/* Process exec and exit, from the scheduler tracepoints. Rare events: every one
 * goes to user space so the collector can discover and forget Go processes. */
#include "gl_common.bpf.h"
#include "proc.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} proc_events SEC(".maps");

GL_DEFINE_DROPS(proc_drops);

static __always_inline int emit_exec(struct task_struct *task, const char *filename)
{
	struct gl_proc_exec *e = bpf_ringbuf_reserve(&proc_events, sizeof(*e), 0);

	if (!e) {
		gl_count_drop(&proc_drops, GL_DROP_RINGBUF_FULL);
		return 0;
	}
	gl_fill_header(&e->hdr, GL_EVENT_PROC_EXEC, sizeof(*e));
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->_pad = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_probe_read_kernel_str(e->filename, sizeof(e->filename), filename);
	gl_submit_lazy(&proc_events, e);
	return 0;
}

static __always_inline int emit_exit(struct task_struct *task)
{
	struct gl_proc_exit *e;
	__u64 pid_tgid = bpf_get_current_pid_tgid();

	/* The tracepoint fires per thread; only the group leader's exit ends the process. */
	if ((__u32)pid_tgid != (__u32)(pid_tgid >> 32))
		return 0;
	e = bpf_ringbuf_reserve(&proc_events, sizeof(*e), 0);
	if (!e) {
		gl_count_drop(&proc_drops, GL_DROP_RINGBUF_FULL);
		return 0;
	}
	gl_fill_header(&e->hdr, GL_EVENT_PROC_EXIT, sizeof(*e));
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->exit_code = BPF_CORE_READ(task, exit_code);
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	gl_submit_lazy(&proc_events, e);
	return 0;
}

/* tp_btf twins need no tracefs; the classic twins are the loader's fallback. */
SEC("tp_btf/sched_process_exec")
int BPF_PROG(proc_exec_btf, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	return emit_exec(p, BPF_CORE_READ(bprm, filename));
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(proc_exit_btf, struct task_struct *p)
{
	return emit_exit(p);
}

SEC("tracepoint/sched/sched_process_exec")
int proc_exec_tp(struct trace_event_raw_sched_process_exec *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
	unsigned int off = ctx->__data_loc_filename & 0xFFFF;

	return emit_exec(task, (const char *)ctx + off);
}

SEC("tracepoint/sched/sched_process_exit")
int proc_exit_tp(void *ctx)
{
	return emit_exit((struct task_struct *)bpf_get_current_task_btf());
}
