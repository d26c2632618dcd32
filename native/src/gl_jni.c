/* JNI bridge for io.gopherlens.probe.NativeProbe: a thin translation of the
 * gl_loader C API. Failures become io.gopherlens.probe.ProbeException(message, errno). */
#include <errno.h>
#include <jni.h>
#include <stdint.h>
#include <string.h>

#include "gl_loader.h"

#define EXPORT __attribute__((visibility("default")))
#define FN(name) Java_io_gopherlens_probe_NativeProbe_##name

static void throw_probe(JNIEnv *env, int err)
{
	jclass cls = (*env)->FindClass(env, "io/gopherlens/probe/ProbeException");
	jmethodID ctor;
	jstring msg;
	jobject ex;

	if (!cls)
		return;
	ctor = (*env)->GetMethodID(env, cls, "<init>", "(Ljava/lang/String;I)V");
	msg = (*env)->NewStringUTF(env, gl_last_error());
	if (!ctor || !msg)
		return;
	ex = (*env)->NewObject(env, cls, ctor, msg, err < 0 ? -err : err);
	if (ex)
		(*env)->Throw(env, ex);
}

static struct gl_probe *probe(jlong handle)
{
	return (struct gl_probe *)(intptr_t)handle;
}

EXPORT JNIEXPORT jlong JNICALL FN(nativeOpen)(JNIEnv *env, jclass cls, jint flags, jlong maps_min_bytes)
{
	struct gl_probe_opts opts = { .flags = (unsigned int)flags, .maps_min_bytes = (uint64_t)maps_min_bytes };
	struct gl_probe *p = NULL;
	int err = gl_probe_open(&opts, &p);

	if (err) {
		throw_probe(env, err);
		return 0;
	}
	return (jlong)(intptr_t)p;
}

EXPORT JNIEXPORT jstring JNICALL FN(nativeAttachTracepoints)(JNIEnv *env, jclass cls, jlong h)
{
	int err = gl_probe_attach_tracepoints(probe(h));

	if (err) {
		throw_probe(env, err);
		return NULL;
	}
	return (*env)->NewStringUTF(env, gl_probe_tracepoint_flavor(probe(h)));
}

EXPORT JNIEXPORT jlong JNICALL FN(nativeAttachUprobe)(JNIEnv *env, jclass cls, jlong h, jstring program,
						   jstring path, jlong offset, jint pid, jlong cookie)
{
	const char *prog = (*env)->GetStringUTFChars(env, program, NULL);
	const char *file = prog ? (*env)->GetStringUTFChars(env, path, NULL) : NULL;
	long id = -ENOMEM;

	if (prog && file)
		id = gl_probe_attach_uprobe(probe(h), prog, file, (size_t)offset, pid, (uint64_t)cookie);
	if (file)
		(*env)->ReleaseStringUTFChars(env, path, file);
	if (prog)
		(*env)->ReleaseStringUTFChars(env, program, prog);
	if (id < 0 && !(*env)->ExceptionCheck(env))
		throw_probe(env, (int)id);
	return id;
}

EXPORT JNIEXPORT void JNICALL FN(nativeDetach)(JNIEnv *env, jclass cls, jlong h, jlong link)
{
	int err = gl_probe_detach(probe(h), link);

	if (err)
		throw_probe(env, err);
}

EXPORT JNIEXPORT jint JNICALL FN(nativePoll)(JNIEnv *env, jclass cls, jlong h, jobject buffer, jint timeout_ms)
{
	void *buf = (*env)->GetDirectBufferAddress(env, buffer);
	jlong cap = (*env)->GetDirectBufferCapacity(env, buffer);
	long n;

	if (!buf || cap <= 0) {
		jclass iae = (*env)->FindClass(env, "java/lang/IllegalArgumentException");
		if (iae)
			(*env)->ThrowNew(env, iae, "poll needs a direct ByteBuffer");
		return -1;
	}
	n = gl_probe_poll(probe(h), buf, (size_t)cap, timeout_ms);
	if (n < 0) {
		throw_probe(env, (int)n);
		return -1;
	}
	return (jint)n;
}

EXPORT JNIEXPORT jintArray JNICALL FN(nativeMapInfo)(JNIEnv *env, jclass cls, jlong h, jstring map)
{
	const char *name = (*env)->GetStringUTFChars(env, map, NULL);
	uint32_t info[3];
	jint out[3];
	jintArray arr;
	int err;

	if (!name)
		return NULL;
	err = gl_probe_map_info(probe(h), name, info);
	(*env)->ReleaseStringUTFChars(env, map, name);
	if (err) {
		throw_probe(env, err);
		return NULL;
	}
	for (int i = 0; i < 3; i++)
		out[i] = (jint)info[i];
	arr = (*env)->NewIntArray(env, 3);
	if (arr)
		(*env)->SetIntArrayRegion(env, arr, 0, 3, out);
	return arr;
}

/* Copies (key, value) pairs of a named map into a direct buffer with read or drain. */
static jint map_pairs(JNIEnv *env, jlong h, jstring map, jobject buffer,
		      long (*op)(struct gl_probe *, const char *, void *, size_t))
{
	const char *name = (*env)->GetStringUTFChars(env, map, NULL);
	void *buf = (*env)->GetDirectBufferAddress(env, buffer);
	jlong cap = (*env)->GetDirectBufferCapacity(env, buffer);
	long n;

	if (!name)
		return -1;
	n = buf ? op(probe(h), name, buf, (size_t)cap) : -EINVAL;
	(*env)->ReleaseStringUTFChars(env, map, name);
	if (n < 0) {
		throw_probe(env, (int)n);
		return -1;
	}
	return (jint)n;
}

EXPORT JNIEXPORT jint JNICALL FN(nativeMapRead)(JNIEnv *env, jclass cls, jlong h, jstring map, jobject buffer)
{
	return map_pairs(env, h, map, buffer, gl_probe_map_read);
}

EXPORT JNIEXPORT jint JNICALL FN(nativeMapDrain)(JNIEnv *env, jclass cls, jlong h, jstring map, jobject buffer)
{
	return map_pairs(env, h, map, buffer, gl_probe_map_drain);
}

/* Key and value come as direct buffers: position 0, limit = size. */
EXPORT JNIEXPORT void JNICALL FN(nativeMapUpdate)(JNIEnv *env, jclass cls, jlong h, jstring map, jobject key,
						 jint key_size, jobject value, jint value_size)
{
	const char *name = (*env)->GetStringUTFChars(env, map, NULL);
	void *k = (*env)->GetDirectBufferAddress(env, key);
	void *v = (*env)->GetDirectBufferAddress(env, value);
	int err;

	if (!name)
		return;
	err = k && v ? gl_probe_map_update(probe(h), name, k, (size_t)key_size, v, (size_t)value_size) : -EINVAL;
	(*env)->ReleaseStringUTFChars(env, map, name);
	if (err)
		throw_probe(env, err);
}

EXPORT JNIEXPORT void JNICALL FN(nativeMapDelete)(JNIEnv *env, jclass cls, jlong h, jstring map, jobject key,
						 jint key_size)
{
	const char *name = (*env)->GetStringUTFChars(env, map, NULL);
	void *k = (*env)->GetDirectBufferAddress(env, key);
	int err;

	if (!name)
		return;
	err = k ? gl_probe_map_delete(probe(h), name, k, (size_t)key_size) : -EINVAL;
	(*env)->ReleaseStringUTFChars(env, map, name);
	if (err)
		throw_probe(env, err);
}

EXPORT JNIEXPORT void JNICALL FN(nativeSampleTcp)(JNIEnv *env, jclass cls, jlong h)
{
	int err = gl_probe_sample_tcp(probe(h));

	if (err)
		throw_probe(env, err);
}

EXPORT JNIEXPORT void JNICALL FN(nativeMapReset)(JNIEnv *env, jclass cls, jlong h, jstring map)
{
	const char *name = (*env)->GetStringUTFChars(env, map, NULL);
	int err;

	if (!name)
		return;
	err = gl_probe_map_reset(probe(h), name);
	(*env)->ReleaseStringUTFChars(env, map, name);
	if (err)
		throw_probe(env, err);
}

EXPORT JNIEXPORT jlong JNICALL FN(nativeLoaderDrops)(JNIEnv *env, jclass cls, jlong h)
{
	return (jlong)gl_probe_loader_drops(probe(h));
}

EXPORT JNIEXPORT void JNICALL FN(nativeClose)(JNIEnv *env, jclass cls, jlong h)
{
	gl_probe_close(probe(h));
}

EXPORT JNIEXPORT jstring JNICALL FN(nativeLayout)(JNIEnv *env, jclass cls)
{
	return (*env)->NewStringUTF(env, gl_layout_description());
}
