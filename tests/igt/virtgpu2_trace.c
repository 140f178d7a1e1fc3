// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtgpu2's tracepoints (issue 15): each subtest enables the virtgpu2
 * events in tracefs, does one thing, and checks that the events it must
 * raise are there with the right fields: the timeline a sync_file reports,
 * the command type, the host resource id RESOURCE_INFO gives. A driver
 * without the events (the in-tree one) skips.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <linux/sync_file.h>

#include "vgt.h"
#include "vgt_vgem.h"
#include "vgt_virtgpu.h"

#define TRACEFS "/sys/kernel/tracing"
#define EVENTS TRACEFS "/events/virtgpu2"
#define TRACE_MAX (1 << 20)

#define CMD_SUBMIT_3D 0x207
#define RESP_OK_NODATA 0x1100
#define HDR_FLAG_FENCE 1u

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_TRUNC);

	vgt_assert_f(fd >= 0, "cannot open %s: %s\n", path, strerror(errno));
	vgt_assert_f(write(fd, text, strlen(text)) == (ssize_t)strlen(text),
		     "cannot write %s: %s\n", path, strerror(errno));
	close(fd);
}

/* Mount tracefs if needed, skip without the events, then trace afresh. */
static void trace_start(void)
{
	struct stat st;

	if (stat(TRACEFS "/trace", &st))
		mount("nodev", TRACEFS, "tracefs", 0, NULL);
	vgt_require_f(!stat(TRACEFS "/trace", &st), "no tracefs at %s\n", TRACEFS);
	vgt_require_f(!stat(EVENTS, &st),
		      "the driver has no virtgpu2 tracepoints (%s)\n", EVENTS);
	write_file(EVENTS "/enable", "0");
	write_file(TRACEFS "/trace", "");
	write_file(EVENTS "/enable", "1");
}

/* The trace so far, NUL-terminated; the caller frees it. */
static char *trace_read(void)
{
	char *buf = malloc(TRACE_MAX + 1);
	size_t len = 0;
	ssize_t n;
	int fd = open(TRACEFS "/trace", O_RDONLY);

	vgt_assert(buf && fd >= 0);
	while (len < TRACE_MAX && (n = read(fd, buf + len, TRACE_MAX - len)) > 0)
		len += n;
	buf[len] = '\0';
	close(fd);
	return buf;
}

static void trace_stop(void)
{
	write_file(EVENTS "/enable", "0");
}

/*
 * The first line of @trace from @event whose fields include every
 * "name=value" of @want (space-separated), or NULL.
 */
static const char *find_event(const char *trace, const char *event, const char *want)
{
	char tag[64], field[128];
	const char *line, *end, *w, *hit;
	size_t n;

	snprintf(tag, sizeof(tag), " %s: ", event);
	for (line = trace; (line = strstr(line, tag)); line = end) {
		end = strchr(line, '\n');
		end = end ? end : line + strlen(line);
		for (w = want; *w; w += n + (w[n] == ' ')) {
			n = strcspn(w, " ");
			snprintf(field, sizeof(field), " %.*s ", (int)n, w);
			/* Fields end with a space, or with the line. */
			hit = strstr(line, field);
			if (!hit || hit > end) {
				snprintf(field, sizeof(field), " %.*s\n", (int)n, w);
				hit = strstr(line, field);
				if (!hit || hit + strlen(field) - 1 != end)
					break;
			}
		}
		if (!*w)
			return line;
	}
	return NULL;
}

/* The value of @name= in the event line @line, as a number. */
static unsigned long long field_value(const char *line, const char *name)
{
	char key[64];
	const char *p;

	snprintf(key, sizeof(key), " %s=", name);
	p = strstr(line, key);
	vgt_assert_f(p, "no %s in: %.200s\n", name, line);
	return strtoull(p + strlen(key), NULL, 0);
}

/* The line of @event with @want in @trace; fails the subtest, showing it, if none. */
static const char *expect_event(const char *trace, const char *event, const char *want)
{
	const char *line = find_event(trace, event, want);

	if (!line) {
		vgt_info("trace:\n%.4000s\n", trace);
		vgt_fail("no %s event with %s\n", event, want);
	}
	return line;
}

/*
 * The timeline a sync_file's single fence is on, as the driver names it;
 * only while it has not signalled: then the core names it
 * "signaled-timeline".
 */
static void fence_timeline(int fence_fd, char *name, size_t size)
{
	struct sync_fence_info fi = { 0 };
	struct sync_file_info info = {
		.num_fences = 1,
		.sync_fence_info = (uintptr_t)&fi,
	};

	vgt_assert_ok(vgt_ioctl(fence_fd, SYNC_IOC_FILE_INFO, &info));
	vgt_assert_eq(info.num_fences, 1);
	snprintf(name, size, "%s", fi.obj_name);
}

static int open_virgl(void)
{
	int fd = vgt_open_render();

	vgt_require_3d(fd);
	return fd;
}

/*
 * A fenced submission: the SUBMIT_3D is queued with the fence flag and
 * answered OK; its fence is emitted and signalled with one seqno, on the
 * timeline of the command's context (the driver names a context's
 * timeline ctx<id>), which is the sync_file's if it was read in time.
 */
static void test_submit_fence(void)
{
	char timeline[32], want[128], named[32];
	const char *emitted, *queued;
	int fd = open_virgl();
	s32 fence = -1;
	char *trace;

	trace_start();
	vgt_assert_ok(vgt_submit_nops(fd, VIRTGPU_EXECBUF_FENCE_FD_OUT, 2, &fence));
	fence_timeline(fence, named, sizeof(named));
	vgt_assert(vgt_sync_file_wait(fence, 10000));
	trace = trace_read();
	trace_stop();

	snprintf(want, sizeof(want), "type=0x%x flags=0x%x", CMD_SUBMIT_3D, HDR_FLAG_FENCE);
	queued = expect_event(trace, "virtgpu2_cmd_queued", want);
	snprintf(timeline, sizeof(timeline), "ctx%llu", field_value(queued, "ctx"));
	if (strcmp(named, "signaled-timeline"))
		vgt_assert_f(!strcmp(named, timeline),
			     "the sync_file's timeline is %s, the command's context's %s\n",
			     named, timeline);
	snprintf(want, sizeof(want), "timeline=%s", timeline);
	emitted = expect_event(trace, "virtgpu2_fence_emitted", want);
	snprintf(want, sizeof(want), "timeline=%s seqno=%llu error=0", timeline,
		 field_value(emitted, "seqno"));
	expect_event(trace, "virtgpu2_fence_signalled", want);
	snprintf(want, sizeof(want), "type=0x%x ctx=%llu resp=0x%x status=0", CMD_SUBMIT_3D,
		 field_value(queued, "ctx"), RESP_OK_NODATA);
	expect_event(trace, "virtgpu2_cmd_answered", want);
	free(trace);
	close(fence);
	close(fd);
}

/*
 * A submission behind a foreign fence that has not signalled is parked,
 * with one dependency, and released once the fence signals.
 */
static void test_job_parked(void)
{
	char timeline[32], want[128];
	struct vgt_vgem_fence f;
	const char *parked;
	int fd = open_virgl();
	s32 fence;
	char *trace;

	vgt_vgem_fence_create(&f);
	trace_start();
	fence = f.sync_file;
	vgt_assert_ok(vgt_submit_nops(fd, VIRTGPU_EXECBUF_FENCE_FD_IN |
				      VIRTGPU_EXECBUF_FENCE_FD_OUT, 2, &fence));
	vgt_assert_eq(vgt_sync_file_status(fence), 0);	/* held back */
	fence_timeline(fence, timeline, sizeof(timeline));
	vgt_vgem_fence_signal(&f);
	vgt_assert(vgt_sync_file_wait(fence, 10000));
	trace = trace_read();
	trace_stop();

	snprintf(want, sizeof(want), "timeline=%s deps=1", timeline);
	parked = expect_event(trace, "virtgpu2_job_parked", want);
	snprintf(want, sizeof(want), "timeline=%s seqno=%llu", timeline,
		 field_value(parked, "seqno"));
	expect_event(trace, "virtgpu2_job_released", want);
	free(trace);
	close(fence);
	close(f.sync_file);
	vgt_vgem_fence_destroy(&f);
	close(fd);
}

/* Wait up to @ms for @event with @want, reading the trace again. */
static char *wait_event_in_trace(const char *event, const char *want, int ms)
{
	struct timespec pause = { 0, 20 * 1000 * 1000 };
	char *trace;

	for (;;) {
		trace = trace_read();
		if (find_event(trace, event, want) || ms <= 0)
			return trace;
		free(trace);
		nanosleep(&pause, NULL);
		ms -= 20;
	}
}

/*
 * A host-visible blob: its range of the window is mapped with its host
 * resource id, and given back once the blob is closed.
 */
static void test_hostmem_map(void)
{
	struct drm_virtgpu_resource_create_blob rc = {
		.blob_mem = VIRTGPU_BLOB_MEM_HOST3D,
		.blob_flags = VIRTGPU_BLOB_FLAG_USE_MAPPABLE,
		.size = 65536,
	};
	struct drm_virtgpu_resource_info info;
	int fd = vgt_open_render();
	char want[64];
	char *trace;
	u64 offset;
	void *p;

	vgt_require_f(vgt_param(fd, VIRTGPU_PARAM_RESOURCE_BLOB) &&
		      vgt_param(fd, VIRTGPU_PARAM_HOST_VISIBLE),
		      "the device has no host-visible blobs\n");
	vgt_require_capset(fd, VIRTGPU_DRM_CAPSET_VENUS);
	vgt_init_context(fd, VIRTGPU_DRM_CAPSET_VENUS, 64, 0);
	trace_start();
	vgt_assert_ok(vgt_ioctl(fd, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB, &rc));
	vgt_assert_ok(vgt_resource_info(fd, rc.bo_handle, &info));
	vgt_assert_ok(vgt_map_offset(fd, rc.bo_handle, &offset));
	p = mmap(NULL, rc.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
	vgt_assert(p != MAP_FAILED);
	munmap(p, rc.size);
	vgt_assert_ok(vgt_gem_close(fd, rc.bo_handle));

	snprintf(want, sizeof(want), "resource=%u size=0x%llx", info.res_handle,
		 (unsigned long long)rc.size);
	/* The range goes back when the object is released, maybe a bit later. */
	trace = wait_event_in_trace("virtgpu2_hostmem_unmap", want, 3000);
	trace_stop();
	expect_event(trace, "virtgpu2_hostmem_map", want);
	expect_event(trace, "virtgpu2_hostmem_unmap", want);
	free(trace);
	close(fd);
}

static const struct vgt_subtest tests[] = {
	VGT_SUBTEST("submit-fence", test_submit_fence,
		    "a fenced submission: fence emitted and signalled, command queued and answered"),
	VGT_SUBTEST("job-parked", test_job_parked,
		    "a submission behind a foreign fence is parked, then released"),
	VGT_SUBTEST("hostmem-map", test_hostmem_map,
		    "a host-visible blob's window range is mapped, then given back"),
};

VGT_MAIN(tests)
