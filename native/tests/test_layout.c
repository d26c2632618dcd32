/* The wire structs keep the sizes and alignments that the BPF side, the loader
 * and the Java decoder all assume (the Java side is checked by RecordLayoutTest). */
#include <assert.h>
#include <stddef.h>
#include <stdio.h>
#include "gc.h"
#include "maps.h"
#include "proc.h"
#include "tcp.h"
#include "gl_loader.h"

#define CHECK(cond)                                                     \
	do {                                                            \
		if (!(cond)) {                                          \
			fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			return 1;                                       \
		}                                                       \
	} while (0)

int main(void)
{
	CHECK(sizeof(struct gl_event_header) == 24);
	CHECK(offsetof(struct gl_event_header, ts_ns) == 16);
	/* Every record is a multiple of 8 so the loader's 8-byte alignment adds no holes. */
	CHECK(sizeof(struct gl_proc_exec) % 8 == 0);
	CHECK(sizeof(struct gl_proc_exit) % 8 == 0);
	CHECK(sizeof(struct gl_tcp_state) % 8 == 0);
	CHECK(sizeof(struct gl_gc_start) % 8 == 0);
	CHECK(sizeof(struct gl_map_grow) % 8 == 0);
	CHECK(sizeof(struct gl_map_grow) <= GL_MAX_RECORD_SIZE);
	CHECK(sizeof(struct gl_maps_binary) % 8 == 0);
	CHECK(sizeof(struct gl_proc_exec) <= GL_MAX_RECORD_SIZE);
	CHECK(sizeof(struct gl_tcp_state) <= GL_MAX_RECORD_SIZE);
	/* The header's size field must be able to carry any record's size. */
	CHECK(GL_MAX_RECORD_SIZE < 65536);
	printf("test_layout: 1 passed, 0 failed\n");
	return 0;
}
