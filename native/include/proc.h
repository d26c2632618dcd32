/* Process lifecycle records (proc.bpf.c). Must match io.gopherlens.probe.RecordLayout. */
#ifndef GL_PROC_H
#define GL_PROC_H
#include "gl_event.h"

#define GL_FILENAME_LEN 256

struct gl_proc_exec {
	struct gl_event_header hdr;
	__u32 ppid;
	__u32 _pad;
	char comm[GL_COMM_LEN];
	char filename[GL_FILENAME_LEN]; /* as passed to execve, may be relative */
};

struct gl_proc_exit {
	struct gl_event_header hdr;
	__u32 ppid;
	__s32 exit_code; /* raw wait status: code << 8 | signal */
	char comm[GL_COMM_LEN];
};

#endif
