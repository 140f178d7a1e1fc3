// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtgpu2_execbuf: EXECBUFFER with fences and syncobjs, and CONTEXT_INIT.
 *
 * Every submission here is a run of virgl no-op words (see
 * VGT_VIRGL_CMD() in lib/vgt_virtgpu.h), or nothing at all: the host does
 * no work, so what is tested is the kernel's handling of the submission and
 * of its fence.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>

#include "vgt_vgem.h"
#include "vgt_virtgpu.h"

#define FENCE_TIMEOUT_MS 10000
#define SYNCOBJ_STRIDE sizeof(struct drm_virtgpu_execbuffer_syncobj)

static s64 deadline_ns(int ms)
{
	return vgt_now_ns() + (u64)ms * 1000000;
}

static int open_3d(void)
{
	int fd = vgt_open_render();

	vgt_require_3d(fd);
	return fd;
}

static void check_fence_signals(int fence_fd)
{
	vgt_assert(fence_fd >= 0);
	vgt_assert_f(vgt_sync_file_wait(fence_fd, FENCE_TIMEOUT_MS),
		     "fence fd %d did not signal in %d ms\n", fence_fd,
		     FENCE_TIMEOUT_MS);
	vgt_assert_eq(vgt_sync_file_status(fence_fd), 1);
}

/* A submission of no-op words and one of nothing; both are accepted. */
static void test_nop(void)
{
	int fd = open_3d();
	s32 fence = 12345;

	vgt_assert_ok(vgt_submit_nops(fd, 0, 4, NULL));
	vgt_assert_ok(vgt_submit_nops(fd, 0, 64, NULL));
	vgt_assert_ok(vgt_submit_nops(fd, 0, 1, &fence));
	/* Recorded, not asserted: what fence_fd holds without FENCE_FD_OUT. */
	vgt_info("fence_fd after a submission without FENCE_FD_OUT: %d\n",
		 fence);
	close(fd);
}

/* Venus submits empty streams just to get a fence; that must work. */
static void test_empty(void)
{
	int fd = open_3d();
	s32 fence = -1;

	vgt_assert_ok(vgt_submit_nops(fd, 0, 0, NULL));
	vgt_assert_ok(vgt_submit_nops(fd, VIRTGPU_EXECBUF_FENCE_FD_OUT, 0,
				      &fence));
	check_fence_signals(fence);
	close(fence);
	close(fd);
}

/*
 * A stream whose size is not a whole number of words. Streams are opaque to
 * the driver, so it is passed on as Linux does, and its fence signals.
 */
static void test_unaligned_size(void)
{
	u32 cmds[2] = { VGT_VIRGL_CMD(VGT_VIRGL_CCMD_NOP, 0, 0), 0 };
	struct drm_virtgpu_execbuffer eb = {
		.flags = VIRTGPU_EXECBUF_FENCE_FD_OUT,
		.size = 6,
		.command = (uintptr_t)cmds,
		.fence_fd = -1,
	};
	int fd = open_3d();

	vgt_assert_ok(vgt_execbuf(fd, &eb));
	check_fence_signals(eb.fence_fd);
	close(eb.fence_fd);
	close(fd);
}

static void test_fence_out(void)
{
	int fd = open_3d();
	s32 fence = -1;
	int flags;

	vgt_assert_ok(vgt_submit_nops(fd, VIRTGPU_EXECBUF_FENCE_FD_OUT, 4,
				      &fence));
	vgt_assert_gte(fence, 0);
	flags = fcntl(fence, F_GETFD);
	vgt_assert(flags >= 0 && (flags & FD_CLOEXEC));
	check_fence_signals(fence);
	close(fence);
	close(fd);
}

/*
 * Fences of one file without rings share a timeline: once the last one has
 * signalled, all earlier ones have too.
 */
static void test_fence_out_order(void)
{
	int fd = open_3d();
	s32 fences[32];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(fences); i++) {
		fences[i] = -1;
		vgt_assert_ok(vgt_submit_nops(fd, VIRTGPU_EXECBUF_FENCE_FD_OUT,
					      2, &fences[i]));
	}
	check_fence_signals(fences[ARRAY_SIZE(fences) - 1]);
	for (i = 0; i < ARRAY_SIZE(fences); i++) {
		vgt_assert_f(vgt_sync_file_wait(fences[i], 0),
			     "fence %zu not signalled after the last one\n", i);
		close(fences[i]);
	}
	close(fd);
}

static void test_fence_in_signalled(void)
{
	int fd = open_3d();
	s32 f1 = -1, f2;

	vgt_assert_ok(vgt_submit_nops(fd, VIRTGPU_EXECBUF_FENCE_FD_OUT, 4, &f1));
	check_fence_signals(f1);
	f2 = f1;
	vgt_assert_ok(vgt_submit_nops(fd, VIRTGPU_EXECBUF_FENCE_FD_IN |
				      VIRTGPU_EXECBUF_FENCE_FD_OUT, 4, &f2));
	vgt_assert_neq(f2, f1);
	check_fence_signals(f2);
	/* The input fd still belongs to the caller. */
	vgt_assert_eq(vgt_sync_file_status(f1), 1);
	close(f1);
	close(f2);
	close(fd);
}

/* An input fence from another file (another fence context). */
static void test_fence_in_other_file(void)
{
	int fd = open_3d(), fd2 = open_3d();
	s32 f1 = -1, f2;

	vgt_assert_ok(vgt_submit_nops(fd2, VIRTGPU_EXECBUF_FENCE_FD_OUT, 4,
				      &f1));
	f2 = f1;
	vgt_assert_ok(vgt_submit_nops(fd, VIRTGPU_EXECBUF_FENCE_FD_IN |
				      VIRTGPU_EXECBUF_FENCE_FD_OUT, 4, &f2));
	check_fence_signals(f2);
	vgt_assert_eq(vgt_sync_file_status(f1), 1);
	close(f1);
	close(f2);
	close(fd2);
	close(fd);
}

static void test_fence_in_invalid(void)
{
	int fd = open_3d();
	s32 f;

	f = -1;
	vgt_assert_errno(vgt_submit_nops(fd, VIRTGPU_EXECBUF_FENCE_FD_IN, 1,
					 &f), EINVAL);
	f = fd;		/* a file, but not a sync_file */
	vgt_assert_errno(vgt_submit_nops(fd, VIRTGPU_EXECBUF_FENCE_FD_IN, 1,
					 &f), EINVAL);
	f = 1000;	/* not an open fd */
	vgt_assert_errno(vgt_submit_nops(fd, VIRTGPU_EXECBUF_FENCE_FD_IN, 1,
					 &f), EINVAL);
	close(fd);
}

static void test_unknown_flags(void)
{
	static const u32 bad[] = { 0x8, 0x10, 0x80000000, ~0u };
	int fd = open_3d();
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		vgt_assert_errno(vgt_submit_nops(fd, bad[i], 1, NULL), EINVAL);
	close(fd);
}

static int submit_with_bos(int fd, const u32 *handles, u32 count,
			   s32 *fence)
{
	u32 cmds[4] = { 0 };
	struct drm_virtgpu_execbuffer eb = {
		.flags = fence ? VIRTGPU_EXECBUF_FENCE_FD_OUT : 0,
		.size = sizeof(cmds),
		.command = (uintptr_t)cmds,
		.bo_handles = (uintptr_t)handles,
		.num_bo_handles = count,
		.fence_fd = -1,
	};
	int ret = vgt_execbuf(fd, &eb);

	if (!ret && fence)
		*fence = eb.fence_fd;
	return ret;
}

static void test_bad_bo_handle(void)
{
	int fd = open_3d();
	u32 handles[2];

	handles[0] = vgt_create_buffer(fd, 4096, NULL);
	handles[1] = 0xdead;
	vgt_assert_errno(submit_with_bos(fd, &handles[1], 1, NULL), ENOENT);
	vgt_assert_errno(submit_with_bos(fd, handles, 2, NULL), ENOENT);
	handles[1] = 0;
	vgt_assert_errno(submit_with_bos(fd, handles, 2, NULL), ENOENT);
	vgt_assert_ok(submit_with_bos(fd, handles, 1, NULL));
	close(fd);
}

/* The listed objects carry the submission's fence. */
static void test_bo_handles_fenced(void)
{
	int fd = open_3d();
	u32 bo[2];
	s32 fence = -1;

	bo[0] = vgt_create_buffer(fd, 4096, NULL);
	bo[1] = vgt_create_texture_2d(fd, 16, 16, NULL);
	vgt_assert_ok(submit_with_bos(fd, bo, 2, &fence));
	vgt_assert_ok(vgt_wait_bo(fd, bo[0], 0));
	vgt_assert_ok(vgt_wait_bo(fd, bo[1], 0));
	/* WAIT returned, so the submission must be complete. */
	vgt_assert(vgt_sync_file_wait(fence, 0));
	close(fence);
	close(fd);
}

static void test_bad_bo_pointer(void)
{
	int fd = open_3d();

	vgt_assert_errno(submit_with_bos(fd, NULL, 1, NULL), EFAULT);
	vgt_assert_errno(submit_with_bos(fd, (u32 *)(uintptr_t)0x10, 4, NULL),
			 EFAULT);
	close(fd);
}

static void test_bad_command_pointer(void)
{
	struct drm_virtgpu_execbuffer eb = { .size = 16, .fence_fd = -1 };
	int fd = open_3d();
	void *gone;

	eb.command = 0;
	vgt_assert_errno(vgt_execbuf(fd, &eb), EFAULT);
	eb.command = 0x10;
	vgt_assert_errno(vgt_execbuf(fd, &eb), EFAULT);
	gone = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	vgt_assert(gone != MAP_FAILED);
	munmap(gone, 4096);
	eb.command = (uintptr_t)gone;
	vgt_assert_errno(vgt_execbuf(fd, &eb), EFAULT);
	close(fd);
}

static int submit_ring(int fd, u32 ring, u32 flags, s32 *fence)
{
	u32 cmds[2] = { 0 };
	struct drm_virtgpu_execbuffer eb = {
		.flags = VIRTGPU_EXECBUF_RING_IDX | flags,
		.size = sizeof(cmds),
		.command = (uintptr_t)cmds,
		.ring_idx = ring,
		.fence_fd = -1,
	};
	int ret = vgt_execbuf(fd, &eb);

	if (!ret && fence)
		*fence = eb.fence_fd;
	return ret;
}

static void test_ring_idx_no_context(void)
{
	int fd = open_3d();

	vgt_assert_errno(submit_ring(fd, 0, 0, NULL), EINVAL);
	/* A default context (made implicitly here) has no rings either. */
	vgt_assert_ok(vgt_submit_nops(fd, 0, 1, NULL));
	vgt_assert_errno(submit_ring(fd, 0, 0, NULL), EINVAL);
	close(fd);
}

static void test_ring_idx_out_of_range(void)
{
	int fd = vgt_open_render();

	vgt_require_capset(fd, VIRTGPU_DRM_CAPSET_VIRGL);
	vgt_init_context(fd, VIRTGPU_DRM_CAPSET_VIRGL, 2, 0);
	vgt_assert_errno(submit_ring(fd, 2, 0, NULL), EINVAL);
	vgt_assert_errno(submit_ring(fd, 64, 0, NULL), EINVAL);
	vgt_assert_errno(submit_ring(fd, ~0u, 0, NULL), EINVAL);
	close(fd);
}

/* virgl contexts only take fences on ring 0. */
static void test_ring_idx_fence(void)
{
	int fd = vgt_open_render();
	s32 fence = -1;

	vgt_require_capset(fd, VIRTGPU_DRM_CAPSET_VIRGL);
	vgt_init_context(fd, VIRTGPU_DRM_CAPSET_VIRGL, 1, 0);
	vgt_assert_ok(submit_ring(fd, 0, VIRTGPU_EXECBUF_FENCE_FD_OUT, &fence));
	check_fence_signals(fence);
	close(fence);
	close(fd);
}

static void read_fence_event(int fd)
{
	struct drm_event ev;

	vgt_assert_f(vgt_fd_ready(fd, FENCE_TIMEOUT_MS),
		     "no event on the DRM fd in %d ms\n", FENCE_TIMEOUT_MS);
	vgt_assert_eq(read(fd, &ev, sizeof(ev)), sizeof(ev));
	vgt_assert_eq(ev.type, VIRTGPU_EVENT_FENCE_SIGNALED);
	vgt_assert_eq(ev.length, sizeof(ev));
}

/* Submissions on a polled ring queue one event each on the DRM file. */
static void test_ring_event(void)
{
	int fd = vgt_open_render();

	vgt_require_capset(fd, VIRTGPU_DRM_CAPSET_VIRGL);
	vgt_init_context(fd, VIRTGPU_DRM_CAPSET_VIRGL, 1, 0x1);
	vgt_assert(!vgt_fd_ready(fd, 0));
	vgt_assert_ok(submit_ring(fd, 0, 0, NULL));
	read_fence_event(fd);
	vgt_assert_ok(submit_ring(fd, 0, 0, NULL));
	vgt_assert_ok(submit_ring(fd, 0, 0, NULL));
	read_fence_event(fd);
	read_fence_event(fd);
	vgt_assert(!vgt_fd_ready(fd, 200));
	close(fd);
}

/* Without a poll mask (or without RING_IDX) no event is queued. */
static void test_no_event_unpolled(void)
{
	int fd = vgt_open_render(), fd2;
	s32 fence = -1;

	vgt_require_capset(fd, VIRTGPU_DRM_CAPSET_VIRGL);
	vgt_init_context(fd, VIRTGPU_DRM_CAPSET_VIRGL, 1, 0);
	vgt_assert_ok(submit_ring(fd, 0, VIRTGPU_EXECBUF_FENCE_FD_OUT, &fence));
	check_fence_signals(fence);
	close(fence);
	vgt_assert(!vgt_fd_ready(fd, 200));

	fd2 = vgt_open_render();
	vgt_init_context(fd2, VIRTGPU_DRM_CAPSET_VIRGL, 1, 0x1);
	fence = -1;
	vgt_assert_ok(vgt_submit_nops(fd2, VIRTGPU_EXECBUF_FENCE_FD_OUT, 2,
				      &fence));
	check_fence_signals(fence);
	close(fence);
	vgt_assert(!vgt_fd_ready(fd2, 200));
	close(fd2);
	close(fd);
}

/* Syncobjs. */

static void require_syncobj(int fd, bool timeline)
{
	u64 cap = 0;

	vgt_require_f(!drmGetCap(fd, DRM_CAP_SYNCOBJ, &cap) && cap,
		      "the driver has no syncobj support\n");
	if (timeline)
		vgt_require_f(!drmGetCap(fd, DRM_CAP_SYNCOBJ_TIMELINE, &cap) &&
			      cap, "the driver has no timeline syncobjs\n");
}

static u32 syncobj_create(int fd, u32 flags)
{
	u32 h = 0;

	vgt_assert_ok(drmSyncobjCreate(fd, flags, &h));
	return h;
}

struct sync_args {
	const void *in;
	u32 num_in;
	const void *out;
	u32 num_out;
	u32 stride;
};

static int submit_syncobjs(int fd, const struct sync_args *a)
{
	u32 cmds[2] = { 0 };
	struct drm_virtgpu_execbuffer eb = {
		.size = sizeof(cmds),
		.command = (uintptr_t)cmds,
		.fence_fd = -1,
		.syncobj_stride = a->stride,
		.num_in_syncobjs = a->num_in,
		.num_out_syncobjs = a->num_out,
		.in_syncobjs = (uintptr_t)a->in,
		.out_syncobjs = (uintptr_t)a->out,
	};

	return vgt_execbuf(fd, &eb);
}

static int syncobj_wait(int fd, u32 h, u32 flags)
{
	return drmSyncobjWait(fd, &h, 1, deadline_ns(FENCE_TIMEOUT_MS), flags,
			      NULL);
}

static int timeline_wait(int fd, u32 h, u64 point, u32 flags)
{
	return drmSyncobjTimelineWait(fd, &h, &point, 1,
				      deadline_ns(FENCE_TIMEOUT_MS), flags,
				      NULL);
}

static void test_syncobj_out_binary(void)
{
	struct drm_virtgpu_execbuffer_syncobj out = { 0 };
	struct sync_args a = { .out = &out, .num_out = 1,
			       .stride = SYNCOBJ_STRIDE };
	int fd = open_3d();

	require_syncobj(fd, false);
	out.handle = syncobj_create(fd, 0);
	vgt_assert_ok(submit_syncobjs(fd, &a));
	vgt_assert_ok(syncobj_wait(fd, out.handle, 0));
	/* The fence is replaced by each submission. */
	vgt_assert_ok(submit_syncobjs(fd, &a));
	vgt_assert_ok(syncobj_wait(fd, out.handle, 0));
	close(fd);
}

static void test_syncobj_out_timeline(void)
{
	struct drm_virtgpu_execbuffer_syncobj out = { .point = 5 };
	struct sync_args a = { .out = &out, .num_out = 1,
			       .stride = SYNCOBJ_STRIDE };
	int fd = open_3d();
	u64 point = 0;

	require_syncobj(fd, true);
	out.handle = syncobj_create(fd, 0);
	vgt_assert_ok(submit_syncobjs(fd, &a));
	vgt_assert_ok(timeline_wait(fd, out.handle, 5, 0));
	vgt_assert_ok(drmSyncobjQuery(fd, &out.handle, &point, 1));
	vgt_assert_eq(point, 5);
	out.point = 9;
	vgt_assert_ok(submit_syncobjs(fd, &a));
	vgt_assert_ok(timeline_wait(fd, out.handle, 9, 0));
	vgt_assert_ok(drmSyncobjQuery(fd, &out.handle, &point, 1));
	vgt_assert_eq(point, 9);
	close(fd);
}

/*
 * The kernel walks the arrays with syncobj_stride: a larger stride (a newer
 * caller's larger entries) and a smaller one (handle and flags only, the
 * point then being 0) both work.
 */
static void test_syncobj_stride(void)
{
	struct {
		struct drm_virtgpu_execbuffer_syncobj s;
		u64 extra;
	} big[2] = { 0 };
	struct {
		u32 handle;
		u32 flags;
	} small[2] = { 0 };
	struct sync_args a = { .num_out = 2 };
	int fd = open_3d();
	int i;

	require_syncobj(fd, false);
	for (i = 0; i < 2; i++) {
		big[i].s.handle = syncobj_create(fd, 0);
		big[i].extra = ~0ull;
		small[i].handle = syncobj_create(fd, 0);
	}
	a.out = big;
	a.stride = sizeof(big[0]);
	vgt_assert_ok(submit_syncobjs(fd, &a));
	a.out = small;
	a.stride = sizeof(small[0]);
	vgt_assert_ok(submit_syncobjs(fd, &a));
	for (i = 0; i < 2; i++) {
		vgt_assert_ok(syncobj_wait(fd, big[i].s.handle, 0));
		vgt_assert_ok(syncobj_wait(fd, small[i].handle, 0));
	}
	close(fd);
}

static void test_syncobj_in_signalled(void)
{
	struct drm_virtgpu_execbuffer_syncobj in = { 0 };
	struct sync_args a = { .in = &in, .num_in = 1,
			       .stride = SYNCOBJ_STRIDE };
	int fd = open_3d();

	require_syncobj(fd, false);
	in.handle = syncobj_create(fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	vgt_assert_ok(submit_syncobjs(fd, &a));
	/* Without RESET the fence stays. */
	vgt_assert_ok(syncobj_wait(fd, in.handle, 0));

	/* With RESET the syncobj is left without a fence. */
	in.flags = VIRTGPU_EXECBUF_SYNCOBJ_RESET;
	vgt_assert_ok(submit_syncobjs(fd, &a));
	vgt_assert_errno(drmSyncobjWait(fd, &in.handle, 1, 0, 0, NULL),
			 EINVAL);
	close(fd);
}

static void test_syncobj_in_timeline(void)
{
	struct drm_virtgpu_execbuffer_syncobj in = { .point = 3 };
	struct sync_args a = { .in = &in, .num_in = 1,
			       .stride = SYNCOBJ_STRIDE };
	int fd = open_3d();
	u64 point = 3;

	require_syncobj(fd, true);
	in.handle = syncobj_create(fd, 0);
	vgt_assert_ok(drmSyncobjTimelineSignal(fd, &in.handle, &point, 1));
	vgt_assert_ok(submit_syncobjs(fd, &a));
	in.point = 2;	/* an earlier point is signalled as well */
	vgt_assert_ok(submit_syncobjs(fd, &a));
	close(fd);
}

/* Chain: the out syncobj of one submission is the in syncobj of the next. */
static void test_syncobj_chain(void)
{
	struct drm_virtgpu_execbuffer_syncobj s[2] = { 0 };
	struct sync_args first = { .out = &s[0], .num_out = 1,
				   .stride = SYNCOBJ_STRIDE };
	struct sync_args next = { .in = &s[0], .num_in = 1, .out = &s[1],
				  .num_out = 1, .stride = SYNCOBJ_STRIDE };
	int fd = open_3d();

	require_syncobj(fd, false);
	s[0].handle = syncobj_create(fd, 0);
	s[1].handle = syncobj_create(fd, 0);
	vgt_assert_ok(submit_syncobjs(fd, &first));
	vgt_assert_ok(submit_syncobjs(fd, &next));
	vgt_assert_ok(syncobj_wait(fd, s[1].handle, 0));
	vgt_assert_ok(syncobj_wait(fd, s[0].handle, 0));
	close(fd);
}

/*
 * Waiting for a syncobj that has no fence yet (a binary one never
 * signalled, a timeline point not yet added) fails with -EINVAL in Linux:
 * EXECBUFFER has no wait-for-submit mode.
 */
static void test_syncobj_in_no_fence(void)
{
	struct drm_virtgpu_execbuffer_syncobj in = { 0 };
	struct sync_args a = { .in = &in, .num_in = 1,
			       .stride = SYNCOBJ_STRIDE };
	int fd = open_3d();
	u64 timeline = 0, point = 3;

	require_syncobj(fd, false);
	in.handle = syncobj_create(fd, 0);
	vgt_assert_errno(submit_syncobjs(fd, &a), EINVAL);

	if (!drmGetCap(fd, DRM_CAP_SYNCOBJ_TIMELINE, &timeline) && timeline) {
		vgt_assert_ok(drmSyncobjTimelineSignal(fd, &in.handle, &point,
						       1));
		in.point = 4;
		vgt_assert_errno(submit_syncobjs(fd, &a), EINVAL);
	}
	close(fd);
}

/*
 * Unknown handles: Linux answers -ENOENT for a wait entry (from the syncobj
 * lookup) and -EINVAL for a signal entry. No caller can act on the
 * difference, so -ENOENT is accepted for signal entries too.
 */
static void test_syncobj_bad_handle(void)
{
	struct drm_virtgpu_execbuffer_syncobj s = { .handle = 0xdead };
	struct sync_args in = { .in = &s, .num_in = 1,
				.stride = SYNCOBJ_STRIDE };
	struct sync_args out = { .out = &s, .num_out = 1,
				 .stride = SYNCOBJ_STRIDE };
	int fd = open_3d();

	require_syncobj(fd, false);
	vgt_assert_errno(submit_syncobjs(fd, &in), ENOENT);
	vgt_assert_errno2(submit_syncobjs(fd, &out), EINVAL, ENOENT);
	s.handle = 0;
	vgt_assert_errno(submit_syncobjs(fd, &in), ENOENT);
	vgt_assert_errno2(submit_syncobjs(fd, &out), EINVAL, ENOENT);
	close(fd);
}

/* Unknown wait flags and any signal flag are refused. */
static void test_syncobj_bad_flags(void)
{
	struct drm_virtgpu_execbuffer_syncobj s = { 0 };
	struct sync_args in = { .in = &s, .num_in = 1,
				.stride = SYNCOBJ_STRIDE };
	struct sync_args out = { .out = &s, .num_out = 1,
				 .stride = SYNCOBJ_STRIDE };
	int fd = open_3d();

	require_syncobj(fd, false);
	s.handle = syncobj_create(fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	s.flags = 0x2;
	vgt_assert_errno(submit_syncobjs(fd, &in), EINVAL);
	s.flags = 0x80000000;
	vgt_assert_errno(submit_syncobjs(fd, &in), EINVAL);
	s.flags = VIRTGPU_EXECBUF_SYNCOBJ_RESET;
	vgt_assert_errno(submit_syncobjs(fd, &out), EINVAL);
	s.flags = 0;
	vgt_assert_ok(submit_syncobjs(fd, &out));
	close(fd);
}

/*
 * A zero stride reads no bytes of the entries: the handle is then 0, which
 * is never valid. Linux fails signal entries with -EINVAL and wait entries
 * with -ENOENT; either errno is accepted for those.
 */
static void test_syncobj_stride_zero(void)
{
	struct drm_virtgpu_execbuffer_syncobj s = { 0 };
	struct sync_args in = { .in = &s, .num_in = 1 };
	struct sync_args out = { .out = &s, .num_out = 1 };
	int fd = open_3d();

	require_syncobj(fd, false);
	s.handle = syncobj_create(fd, DRM_SYNCOBJ_CREATE_SIGNALED);
	vgt_assert_errno2(submit_syncobjs(fd, &in), EINVAL, ENOENT);
	vgt_assert_errno(submit_syncobjs(fd, &out), EINVAL);
	close(fd);
}

static void test_syncobj_bad_pointer(void)
{
	struct sync_args in = { .in = (void *)(uintptr_t)0x10, .num_in = 1,
				.stride = SYNCOBJ_STRIDE };
	struct sync_args out = { .out = NULL, .num_out = 2,
				 .stride = SYNCOBJ_STRIDE };
	int fd = open_3d();

	require_syncobj(fd, false);
	vgt_assert_errno(submit_syncobjs(fd, &in), EFAULT);
	vgt_assert_errno(submit_syncobjs(fd, &out), EFAULT);
	close(fd);
}

/*
 * Pending input fences. Linux waits for foreign input fences on the CPU
 * inside EXECBUFFER, so the ioctl blocks until the fence signals. The
 * better behaviour is to return at once and hold the submission back; the
 * output fence must then stay unsignalled until the input fence signals.
 */

struct blocked_submit {
	int fd;
	struct drm_virtgpu_execbuffer eb;
	u32 cmds[2];
	int ret;
	atomic_bool done;
};

static void *blocked_submit_thread(void *arg)
{
	struct blocked_submit *b = arg;

	b->ret = vgt_execbuf(b->fd, &b->eb);
	atomic_store(&b->done, true);
	return NULL;
}

static bool wait_done(struct blocked_submit *b, int ms)
{
	u64 end = deadline_ns(ms);

	while (!atomic_load(&b->done) && vgt_now_ns() < end)
		usleep(5000);
	return atomic_load(&b->done);
}

static void check_nonblocking(struct blocked_submit *b,
			      struct vgt_vgem_fence *f)
{
	pthread_t thread;
	bool returned;

	b->eb.size = sizeof(b->cmds);
	b->eb.command = (uintptr_t)b->cmds;
	b->eb.flags |= VIRTGPU_EXECBUF_FENCE_FD_OUT;
	atomic_init(&b->done, false);
	vgt_assert_eq(pthread_create(&thread, NULL, blocked_submit_thread, b),
		      0);
	returned = wait_done(b, 2000);
	if (!returned) {
		vgt_vgem_fence_signal(f);
		pthread_join(thread, NULL);
		vgt_fail("EXECBUFFER blocked on a pending input fence; it "
			 "returned %d only after the fence was signalled\n",
			 b->ret);
	}
	pthread_join(thread, NULL);
	vgt_assert_ok(b->ret);

	/* Held back: the output fence waits for the input fence. */
	vgt_assert_f(!vgt_sync_file_wait(b->eb.fence_fd, 300),
		     "the output fence signalled before the input fence\n");
	vgt_vgem_fence_signal(f);
	check_fence_signals(b->eb.fence_fd);
	close(b->eb.fence_fd);
}

static void test_in_fence_nonblocking(void)
{
	struct blocked_submit b = { .fd = open_3d() };
	struct vgt_vgem_fence f;

	vgt_vgem_fence_create(&f);
	b.eb.flags = VIRTGPU_EXECBUF_FENCE_FD_IN;
	b.eb.fence_fd = f.sync_file;
	check_nonblocking(&b, &f);
	close(f.sync_file);
	vgt_vgem_fence_destroy(&f);
	close(b.fd);
}

static void test_in_syncobj_nonblocking(void)
{
	struct blocked_submit b = { .fd = open_3d() };
	struct drm_virtgpu_execbuffer_syncobj in = { 0 };
	struct vgt_vgem_fence f;

	require_syncobj(b.fd, false);
	vgt_vgem_fence_create(&f);
	in.handle = syncobj_create(b.fd, 0);
	vgt_assert_ok(drmSyncobjImportSyncFile(b.fd, in.handle, f.sync_file));
	b.eb.fence_fd = -1;
	b.eb.syncobj_stride = SYNCOBJ_STRIDE;
	b.eb.num_in_syncobjs = 1;
	b.eb.in_syncobjs = (uintptr_t)&in;
	check_nonblocking(&b, &f);
	close(f.sync_file);
	vgt_vgem_fence_destroy(&f);
	close(b.fd);
}

/* A foreign fence that has already signalled is no obstacle. */
static void test_in_fence_foreign_signalled(void)
{
	struct vgt_vgem_fence f;
	int fd = open_3d();
	s32 fence;

	vgt_vgem_fence_create(&f);
	vgt_vgem_fence_signal(&f);
	vgt_assert_eq(vgt_sync_file_status(f.sync_file), 1);
	fence = f.sync_file;
	vgt_assert_ok(vgt_submit_nops(fd, VIRTGPU_EXECBUF_FENCE_FD_IN |
				      VIRTGPU_EXECBUF_FENCE_FD_OUT, 2, &fence));
	check_fence_signals(fence);
	close(fence);
	close(f.sync_file);
	vgt_vgem_fence_destroy(&f);
	close(fd);
}

/* CONTEXT_INIT. */

static int init_one(int fd, u64 param, u64 value)
{
	struct drm_virtgpu_context_set_param p = { param, value };

	return vgt_context_init(fd, &p, 1);
}

static void test_context_init_virgl(void)
{
	int fd = vgt_open_render();
	s32 fence = -1;

	vgt_require_capset(fd, VIRTGPU_DRM_CAPSET_VIRGL);
	vgt_assert_ok(init_one(fd, VIRTGPU_CONTEXT_PARAM_CAPSET_ID,
			       VIRTGPU_DRM_CAPSET_VIRGL));
	vgt_assert_ok(vgt_submit_nops(fd, VIRTGPU_EXECBUF_FENCE_FD_OUT, 4,
				      &fence));
	check_fence_signals(fence);
	close(fence);
	close(fd);
}

/* The context Venus asks for, and an empty submission on its ring 0. */
static void test_context_init_venus(void)
{
	int fd = vgt_open_render();
	s32 fence = -1;
	struct drm_virtgpu_execbuffer eb = {
		.flags = VIRTGPU_EXECBUF_RING_IDX | VIRTGPU_EXECBUF_FENCE_FD_OUT,
		.fence_fd = -1,
	};

	vgt_require_capset(fd, VIRTGPU_DRM_CAPSET_VENUS);
	vgt_init_context(fd, VIRTGPU_DRM_CAPSET_VENUS, 64, 0);
	vgt_assert_ok(vgt_execbuf(fd, &eb));
	fence = eb.fence_fd;
	check_fence_signals(fence);
	close(fence);
	close(fd);
}

static void test_context_init_no_params(void)
{
	int fd = vgt_open_render();

	vgt_require_context_init(fd);
	vgt_assert_ok(vgt_context_init(fd, NULL, 0));
	vgt_assert_errno(vgt_context_init(fd, NULL, 0), EEXIST);
	vgt_assert_ok(vgt_submit_nops(fd, 0, 2, NULL));
	close(fd);
}

static void test_context_init_twice(void)
{
	int fd = vgt_open_render();

	vgt_require_capset(fd, VIRTGPU_DRM_CAPSET_VIRGL);
	vgt_assert_ok(init_one(fd, VIRTGPU_CONTEXT_PARAM_CAPSET_ID,
			       VIRTGPU_DRM_CAPSET_VIRGL));
	vgt_assert_errno(init_one(fd, VIRTGPU_CONTEXT_PARAM_CAPSET_ID,
				  VIRTGPU_DRM_CAPSET_VIRGL), EEXIST);
	vgt_assert_errno(init_one(fd, VIRTGPU_CONTEXT_PARAM_NUM_RINGS, 1),
			 EEXIST);
	close(fd);
}

/* Other ioctls create the context implicitly; after that init is late. */
static void test_context_init_after_execbuf(void)
{
	int fd = vgt_open_render();

	vgt_require_capset(fd, VIRTGPU_DRM_CAPSET_VIRGL);
	vgt_assert_ok(vgt_submit_nops(fd, 0, 1, NULL));
	vgt_assert_errno(init_one(fd, VIRTGPU_CONTEXT_PARAM_CAPSET_ID,
				  VIRTGPU_DRM_CAPSET_VIRGL), EEXIST);
	close(fd);
}

static void test_context_init_after_resource(void)
{
	int fd = vgt_open_render();

	vgt_require_capset(fd, VIRTGPU_DRM_CAPSET_VIRGL);
	vgt_create_buffer(fd, 4096, NULL);
	vgt_assert_errno(init_one(fd, VIRTGPU_CONTEXT_PARAM_CAPSET_ID,
				  VIRTGPU_DRM_CAPSET_VIRGL), EEXIST);
	close(fd);
}

/* Each case runs on a fresh file so that EEXIST cannot hide EINVAL. */
static void expect_init_einval(const struct drm_virtgpu_context_set_param *p,
			       u32 count)
{
	int fd = vgt_open_render();

	vgt_assert_errno(vgt_context_init(fd, p, count), EINVAL);
	close(fd);
}

static void test_context_init_unknown_param(void)
{
	static const u64 bad[] = { 0, 5, 0x100, ~0ull };
	struct drm_virtgpu_context_set_param p;
	int fd = vgt_open_render();
	size_t i;

	vgt_require_context_init(fd);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		p.param = bad[i];
		p.value = 1;
		expect_init_einval(&p, 1);
	}
	close(fd);
}

static void test_context_init_capset_not_offered(void)
{
	static const u64 ids[] = { 0, 3, 5, 6, 63, 64, 1000, ~0ull };
	struct drm_virtgpu_context_set_param p;
	int fd = vgt_open_render();
	u64 mask;
	size_t i;

	vgt_require_context_init(fd);
	mask = (u32)vgt_param(fd, VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs);
	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		if (ids[i] < 64 && (mask & VGT_CAPSET_BIT(ids[i])))
			continue;
		vgt_info("capset %llu\n", (unsigned long long)ids[i]);
		p.param = VIRTGPU_CONTEXT_PARAM_CAPSET_ID;
		p.value = ids[i];
		expect_init_einval(&p, 1);
	}
	close(fd);
}

static void test_context_init_rings(void)
{
	struct drm_virtgpu_context_set_param p[2] = {
		{ VIRTGPU_CONTEXT_PARAM_CAPSET_ID, VIRTGPU_DRM_CAPSET_VIRGL },
		{ VIRTGPU_CONTEXT_PARAM_NUM_RINGS, 65 },
	};
	int fd = vgt_open_render();

	vgt_require_capset(fd, VIRTGPU_DRM_CAPSET_VIRGL);
	expect_init_einval(p, 2);
	p[1].value = 1ull << 32;
	expect_init_einval(p, 2);
	p[1].value = 64;
	vgt_assert_ok(vgt_context_init(fd, p, 2));
	close(fd);
}

static void test_context_init_poll_mask(void)
{
	struct drm_virtgpu_context_set_param p[3] = {
		{ VIRTGPU_CONTEXT_PARAM_CAPSET_ID, VIRTGPU_DRM_CAPSET_VIRGL },
		{ VIRTGPU_CONTEXT_PARAM_NUM_RINGS, 2 },
		{ VIRTGPU_CONTEXT_PARAM_POLL_RINGS_MASK, 0x4 },
	};
	int fd = vgt_open_render();

	vgt_require_capset(fd, VIRTGPU_DRM_CAPSET_VIRGL);
	expect_init_einval(p, 3);
	p[2].value = 1ull << 63;
	expect_init_einval(p, 3);
	/* A mask without rings. */
	p[1] = p[2];
	p[1].value = 0x1;
	expect_init_einval(p, 2);
	p[1].param = VIRTGPU_CONTEXT_PARAM_NUM_RINGS;
	p[1].value = 2;
	p[2].value = 0x3;
	vgt_assert_ok(vgt_context_init(fd, p, 3));
	close(fd);
}

static void test_context_init_duplicate(void)
{
	struct drm_virtgpu_context_set_param p[2] = {
		{ VIRTGPU_CONTEXT_PARAM_CAPSET_ID, VIRTGPU_DRM_CAPSET_VIRGL },
		{ VIRTGPU_CONTEXT_PARAM_CAPSET_ID, VIRTGPU_DRM_CAPSET_VIRGL },
	};
	int fd = vgt_open_render();

	vgt_require_capset(fd, VIRTGPU_DRM_CAPSET_VIRGL);
	expect_init_einval(p, 2);
	p[0].param = p[1].param = VIRTGPU_CONTEXT_PARAM_NUM_RINGS;
	p[0].value = p[1].value = 1;
	expect_init_einval(p, 2);
	p[0].param = p[1].param = VIRTGPU_CONTEXT_PARAM_POLL_RINGS_MASK;
	expect_init_einval(p, 2);
	close(fd);
}

/* More entries than there are parameters cannot all be distinct. */
static void test_context_init_too_many(void)
{
	struct drm_virtgpu_context_set_param p[5] = {
		{ VIRTGPU_CONTEXT_PARAM_CAPSET_ID, VIRTGPU_DRM_CAPSET_VIRGL },
		{ VIRTGPU_CONTEXT_PARAM_NUM_RINGS, 1 },
		{ VIRTGPU_CONTEXT_PARAM_POLL_RINGS_MASK, 0 },
		{ VIRTGPU_CONTEXT_PARAM_DEBUG_NAME, (uintptr_t)"vgt" },
		{ VIRTGPU_CONTEXT_PARAM_NUM_RINGS, 1 },
	};
	int fd = vgt_open_render();

	vgt_require_capset(fd, VIRTGPU_DRM_CAPSET_VIRGL);
	expect_init_einval(p, 5);
	vgt_assert_errno(vgt_context_init(fd, p, 1000000), EINVAL);
	close(fd);
}

static void test_context_init_bad_pointer(void)
{
	int fd = vgt_open_render();

	vgt_require_context_init(fd);
	vgt_assert_errno(vgt_context_init(fd, NULL, 1), EFAULT);
	vgt_assert_errno(vgt_context_init(fd, (void *)(uintptr_t)0x10, 2),
			 EFAULT);
	/* A failed call leaves the file without a context. */
	vgt_assert_ok(init_one(fd, VIRTGPU_CONTEXT_PARAM_NUM_RINGS, 1));
	close(fd);
}

static void test_context_init_debug_name(void)
{
	static const char name[] = "virtgpu2-test-context";
	int fd = vgt_open_render(), fd2;
	char long_name[200];

	vgt_require_context_init(fd);
	vgt_require(vgt_param(fd, VIRTGPU_PARAM_EXPLICIT_DEBUG_NAME));
	vgt_assert_ok(init_one(fd, VIRTGPU_CONTEXT_PARAM_DEBUG_NAME,
			       (uintptr_t)name));
	vgt_assert_ok(vgt_submit_nops(fd, 0, 1, NULL));
	close(fd);

	/* Longer than 64 bytes: the name is cut, not refused. */
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	fd = vgt_open_render();
	vgt_assert_ok(init_one(fd, VIRTGPU_CONTEXT_PARAM_DEBUG_NAME,
			       (uintptr_t)long_name));
	close(fd);

	fd2 = vgt_open_render();
	vgt_assert_errno(init_one(fd2, VIRTGPU_CONTEXT_PARAM_DEBUG_NAME, 0x10),
			 EFAULT);
	close(fd2);
}

/*
 * After a refused CONTEXT_INIT the file must be as before. Linux keeps the
 * capset of a refused call, so the next CAPSET_ID is refused as "already
 * set"; virtgpu2 validates everything before it changes anything.
 */
static void test_context_init_retry(void)
{
	struct drm_virtgpu_context_set_param p[2] = {
		{ VIRTGPU_CONTEXT_PARAM_CAPSET_ID, VIRTGPU_DRM_CAPSET_VIRGL },
		{ VIRTGPU_CONTEXT_PARAM_NUM_RINGS, 65 },
	};
	int fd = vgt_open_render();

	vgt_require_capset(fd, VIRTGPU_DRM_CAPSET_VIRGL);
	vgt_assert_errno(vgt_context_init(fd, p, 2), EINVAL);
	p[1].value = 1;
	vgt_assert_ok(vgt_context_init(fd, p, 2));
	vgt_assert_ok(submit_ring(fd, 0, 0, NULL));
	close(fd);
}

/*
 * The uapi calls pad reserved and zero; Linux (through 7.2) does not check
 * it. virtgpu2 refuses a non-zero pad.
 */
static void test_context_init_pad(void)
{
	struct drm_virtgpu_context_set_param p = {
		VIRTGPU_CONTEXT_PARAM_CAPSET_ID, VIRTGPU_DRM_CAPSET_VIRGL
	};
	struct drm_virtgpu_context_init ci = {
		.num_params = 1,
		.pad = 1,
		.ctx_set_params = (uintptr_t)&p,
	};
	int fd = vgt_open_render();

	vgt_require_capset(fd, VIRTGPU_DRM_CAPSET_VIRGL);
	vgt_assert_errno(vgt_ioctl(fd, DRM_IOCTL_VIRTGPU_CONTEXT_INIT, &ci),
			 EINVAL);
	close(fd);
}

/* A device without 3D has no contexts and takes no command streams. */
static void test_no_3d(void)
{
	struct drm_virtgpu_context_set_param p = {
		VIRTGPU_CONTEXT_PARAM_CAPSET_ID, VIRTGPU_DRM_CAPSET_VIRGL
	};
	int fd = vgt_open_render();

	vgt_require_no_3d(fd);
	vgt_assert_errno(vgt_submit_nops(fd, 0, 1, NULL), EOPNOTSUPP);
	vgt_assert_errno(vgt_submit_nops(fd, 0, 0, NULL), EOPNOTSUPP);
	vgt_assert_errno(vgt_context_init(fd, &p, 1), EINVAL);
	vgt_assert_errno(vgt_context_init(fd, NULL, 0), EINVAL);
	close(fd);
}

static const struct vgt_subtest tests[] = {
	VGT_SUBTEST("nop", test_nop,
		    "EXECBUFFER of virgl NOP words"),
	VGT_SUBTEST("empty", test_empty,
		    "EXECBUFFER of size 0, with an out fence"),
	VGT_SUBTEST("unaligned-size", test_unaligned_size,
		    "EXECBUFFER of 6 bytes is passed on and its fence signals"),
	VGT_SUBTEST("fence-out", test_fence_out,
		    "FENCE_FD_OUT gives a close-on-exec sync_file that signals"),
	VGT_SUBTEST("fence-out-order", test_fence_out_order,
		    "out fences of one file signal in submission order"),
	VGT_SUBTEST("fence-in-signalled", test_fence_in_signalled,
		    "FENCE_FD_IN with a signalled fence of the same file"),
	VGT_SUBTEST("fence-in-other-file", test_fence_in_other_file,
		    "FENCE_FD_IN with a fence of another file"),
	VGT_SUBTEST("fence-in-invalid", test_fence_in_invalid,
		    "FENCE_FD_IN with something not a sync_file fails with EINVAL"),
	VGT_SUBTEST("unknown-flags", test_unknown_flags,
		    "unknown EXECBUFFER flags fail with EINVAL"),
	VGT_SUBTEST("bad-bo-handle", test_bad_bo_handle,
		    "unknown BO handles fail with ENOENT"),
	VGT_SUBTEST("bo-handles-fenced", test_bo_handles_fenced,
		    "listed BOs carry the submission's fence"),
	VGT_SUBTEST("bad-bo-pointer", test_bad_bo_pointer,
		    "a bad bo_handles pointer fails with EFAULT"),
	VGT_SUBTEST("bad-command-pointer", test_bad_command_pointer,
		    "a bad command pointer fails with EFAULT"),
	VGT_SUBTEST("ring-idx-no-context", test_ring_idx_no_context,
		    "RING_IDX without CONTEXT_INIT rings fails with EINVAL"),
	VGT_SUBTEST("ring-idx-out-of-range", test_ring_idx_out_of_range,
		    "RING_IDX at or above NUM_RINGS fails with EINVAL"),
	VGT_SUBTEST("ring-idx-fence", test_ring_idx_fence,
		    "a fence on ring 0 of a virgl context signals"),
	VGT_SUBTEST("ring-event", test_ring_event,
		    "polled rings queue one FENCE_SIGNALED event per submission"),
	VGT_SUBTEST("no-event-unpolled", test_no_event_unpolled,
		    "no event without a poll mask or without RING_IDX"),
	VGT_SUBTEST("syncobj-out-binary", test_syncobj_out_binary,
		    "a binary out syncobj signals"),
	VGT_SUBTEST("syncobj-out-timeline", test_syncobj_out_timeline,
		    "a timeline out syncobj point signals"),
	VGT_SUBTEST("syncobj-stride", test_syncobj_stride,
		    "syncobj arrays with larger and smaller strides"),
	VGT_SUBTEST("syncobj-in-signalled", test_syncobj_in_signalled,
		    "a signalled in syncobj, with and without RESET"),
	VGT_SUBTEST("syncobj-in-timeline", test_syncobj_in_timeline,
		    "a signalled timeline point as in syncobj"),
	VGT_SUBTEST("syncobj-chain", test_syncobj_chain,
		    "the out syncobj of one submission as in syncobj of the next"),
	VGT_SUBTEST("syncobj-in-no-fence", test_syncobj_in_no_fence,
		    "in syncobjs without a fence fail with EINVAL"),
	VGT_SUBTEST("syncobj-bad-handle", test_syncobj_bad_handle,
		    "unknown syncobjs: ENOENT to wait for, EINVAL/ENOENT to signal"),
	VGT_SUBTEST("syncobj-bad-flags", test_syncobj_bad_flags,
		    "unknown syncobj flags fail with EINVAL"),
	VGT_SUBTEST("syncobj-stride-zero", test_syncobj_stride_zero,
		    "syncobj_stride 0 with entries fails"),
	VGT_SUBTEST("syncobj-bad-pointer", test_syncobj_bad_pointer,
		    "bad syncobj array pointers fail with EFAULT"),
	VGT_SUBTEST("in-fence-nonblocking", test_in_fence_nonblocking,
		    "a pending in fence does not block EXECBUFFER but holds its fence"),
	VGT_SUBTEST("in-syncobj-nonblocking", test_in_syncobj_nonblocking,
		    "a pending in syncobj does not block EXECBUFFER but holds its fence"),
	VGT_SUBTEST("in-fence-foreign-signalled",
		    test_in_fence_foreign_signalled,
		    "a signalled foreign in fence is accepted"),
	VGT_SUBTEST("context-init-virgl", test_context_init_virgl,
		    "CONTEXT_INIT with the virgl capset, then a submission"),
	VGT_SUBTEST("context-init-venus", test_context_init_venus,
		    "CONTEXT_INIT as Venus does it, then a fence on ring 0"),
	VGT_SUBTEST("context-init-no-params", test_context_init_no_params,
		    "CONTEXT_INIT without parameters makes a default context"),
	VGT_SUBTEST("context-init-twice", test_context_init_twice,
		    "a second CONTEXT_INIT fails with EEXIST"),
	VGT_SUBTEST("context-init-after-execbuf",
		    test_context_init_after_execbuf,
		    "CONTEXT_INIT after EXECBUFFER fails with EEXIST"),
	VGT_SUBTEST("context-init-after-resource",
		    test_context_init_after_resource,
		    "CONTEXT_INIT after RESOURCE_CREATE fails with EEXIST"),
	VGT_SUBTEST("context-init-unknown-param",
		    test_context_init_unknown_param,
		    "unknown parameters fail with EINVAL"),
	VGT_SUBTEST("context-init-capset-not-offered",
		    test_context_init_capset_not_offered,
		    "capsets the host does not offer fail with EINVAL"),
	VGT_SUBTEST("context-init-rings", test_context_init_rings,
		    "more than 64 rings fail with EINVAL, 64 work"),
	VGT_SUBTEST("context-init-poll-mask", test_context_init_poll_mask,
		    "a poll mask beyond the rings fails with EINVAL"),
	VGT_SUBTEST("context-init-duplicate", test_context_init_duplicate,
		    "a parameter given twice fails with EINVAL"),
	VGT_SUBTEST("context-init-too-many", test_context_init_too_many,
		    "more entries than parameters fail with EINVAL"),
	VGT_SUBTEST("context-init-bad-pointer", test_context_init_bad_pointer,
		    "a bad parameter array fails with EFAULT and changes nothing"),
	VGT_SUBTEST("context-init-debug-name", test_context_init_debug_name,
		    "DEBUG_NAME is accepted, cut when long, EFAULT when bad"),
	VGT_SUBTEST("context-init-retry", test_context_init_retry,
		    "a refused CONTEXT_INIT leaves the file unchanged"),
	VGT_SUBTEST("context-init-pad", test_context_init_pad,
		    "a non-zero pad fails with EINVAL (Linux ignores pad)"),
	VGT_SUBTEST("no-3d", test_no_3d,
		    "without 3D, EXECBUFFER is EOPNOTSUPP, CONTEXT_INIT EINVAL (2D device only)"),
};

VGT_MAIN(tests)
