/* log2 histogram slots without a count-leading-zeros instruction (BPF has none). */
#ifndef GL_BITS_BPF_H
#define GL_BITS_BPF_H

static __always_inline __u32 gl_log2_u32(__u32 v)
{
	__u32 r, shift;

	r = (v > 0xFFFF) << 4;
	v >>= r;
	shift = (v > 0xFF) << 3;
	v >>= shift;
	r |= shift;
	shift = (v > 0xF) << 2;
	v >>= shift;
	r |= shift;
	shift = (v > 0x3) << 1;
	v >>= shift;
	r |= shift;
	r |= (v >> 1);
	return r;
}

static __always_inline __u32 gl_log2_u64(__u64 v)
{
	__u32 hi = v >> 32;

	return hi ? gl_log2_u32(hi) + 32 : gl_log2_u32((__u32)v);
}

/* Slot 0 holds 0; slot i holds [2^(i-1), 2^i); the last slot is open-ended. */
static __always_inline __u32 gl_hist_slot(__u64 v, __u32 slots)
{
	__u32 slot = v ? gl_log2_u64(v) + 1 : 0;

	return slot < slots ? slot : slots - 1;
}

#endif
