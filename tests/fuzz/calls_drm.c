// SPDX-License-Identifier: GPL-2.0-only
/*
 * DRM core ioctls the driver backs: GEM close/flink/open, PRIME, syncobjs
 * and dumb buffers. The core does the checking for most of them; they are
 * here because each one reaches the driver's objects (GEM free, dma-buf
 * export and import, fences the driver made) in ways the virtgpu ioctls
 * alone do not.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "vgfuzz.h"

/* ---- GEM ---- */

static int drm_gem_close(struct gen *g, struct slot *s)
{
	struct drm_gem_close a = { 0 };
	int ret;

	a.handle = (u32)g_ref(g, s, R_BO);
	a.pad = g_chance(g, 40) ? g_e32(g) : 0;
	ret = xioctl(s->fd, DRM_IOCTL_GEM_CLOSE, &a);
	if (!ret)
		bo_del(s, a.handle);
	return ret;
}

static int drm_gem_flink(struct gen *g, struct slot *s)
{
	struct drm_gem_flink a = { 0 };
	int ret;

	a.handle = (u32)g_ref(g, s, R_BO);
	ret = xioctl(s->fd, DRM_IOCTL_GEM_FLINK, &a);
	if (!ret)
		pool_add(&st.names, a.name);
	return ret;
}

static int drm_gem_open(struct gen *g, struct slot *s)
{
	struct drm_gem_open a = { 0 };
	int ret;

	a.name = (u32)g_ref(g, s, R_NAME);
	ret = xioctl(s->fd, DRM_IOCTL_GEM_OPEN, &a);
	if (!ret)
		bo_add(s, a.handle, BO_IMPORT, a.size);
	return ret;
}

/* ---- PRIME ---- */

static int drm_prime_handle_to_fd(struct gen *g, struct slot *s)
{
	static const u64 flags[] = { DRM_CLOEXEC | DRM_RDWR, DRM_CLOEXEC, 0 };
	struct drm_prime_handle a = { 0 };
	int ret;

	a.handle = (u32)g_ref(g, s, R_BO);
	a.flags = (u32)g_mostly(g, flags, ARRAY_SIZE(flags), 12);
	a.fd = -1;
	ret = xioctl(s->fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &a);
	if (!ret)
		pool_add_fd(&st.dmabuf_fds, a.fd);
	return ret;
}

static int drm_prime_fd_to_handle(struct gen *g, struct slot *s)
{
	struct drm_prime_handle a = { 0 };
	int ret;

	a.fd = g_chance(g, 5) ? g_any_fd(g, s) : (int)g_ref(g, s, R_DMABUF);
	a.flags = g_chance(g, 30) ? g_e32(g) : 0;
	ret = xioctl(s->fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &a);
	if (!ret && !bo_find(s, a.handle))
		bo_add(s, a.handle, BO_IMPORT, 0);
	return ret;
}

/* ---- syncobjs ---- */

static int so_create(struct gen *g, struct slot *s)
{
	struct drm_syncobj_create a = { 0 };
	int ret;

	a.flags = (u32)g_flags(g, DRM_SYNCOBJ_CREATE_SIGNALED, 10);
	ret = xioctl(s->fd, DRM_IOCTL_SYNCOBJ_CREATE, &a);
	if (!ret)
		pool_add(&s->syncobjs, a.handle);
	return ret;
}

static int so_destroy(struct gen *g, struct slot *s)
{
	struct drm_syncobj_destroy a = { 0 };
	int ret;

	a.handle = (u32)g_ref(g, s, R_SYNCOBJ);
	a.pad = g_chance(g, 40) ? g_e32(g) : 0;
	ret = xioctl(s->fd, DRM_IOCTL_SYNCOBJ_DESTROY, &a);
	if (!ret)
		pool_del(&s->syncobjs, a.handle);
	return ret;
}

static int so_handle_to_fd(struct gen *g, struct slot *s)
{
	struct drm_syncobj_handle a = { 0 };
	int ret;

	a.handle = (u32)g_ref(g, s, R_SYNCOBJ);
	a.flags = (u32)g_flags(g, DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE, 12);
	a.fd = -1;
	ret = xioctl(s->fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &a);
	if (ret || a.fd < 0)
		return ret;
	if (a.flags & DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE)
		pool_add_fd(&st.sync_fds, a.fd);
	else
		pool_add_fd(&st.syncobj_fds, a.fd);
	return 0;
}

static int so_fd_to_handle(struct gen *g, struct slot *s)
{
	struct drm_syncobj_handle a = { 0 };
	int ret;

	a.flags = (u32)g_flags(g, DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE, 12);
	if (a.flags & DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE) {
		a.fd = (int)g_ref(g, s, R_SYNCFD);
		a.handle = (u32)g_ref(g, s, R_SYNCOBJ);
	} else {
		a.fd = g_chance(g, 4) ? g_any_fd(g, s) : (int)g_ref(g, s, R_SYNCOBJFD);
	}
	ret = xioctl(s->fd, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &a);
	if (!ret && !(a.flags & DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE))
		pool_add(&s->syncobjs, a.handle);
	return ret;
}

/* An array of @n syncobj handles of this slot (at most 8 built). */
static u64 handles(struct gen *g, struct slot *s, u32 n)
{
	u32 h[8], i, built = n < 8 ? n : 8;

	for (i = 0; i < built; i++)
		h[i] = (u32)g_ref(g, s, R_SYNCOBJ);
	return g_put(g, h, built * sizeof(u32));
}

static u64 points(struct gen *g, u32 n)
{
	u64 p[8];
	u32 i, built = n < 8 ? n : 8;

	for (i = 0; i < built; i++)
		p[i] = g_chance(g, 10) ? g_e64(g) : g_raw(g, 5);
	return g_put(g, p, built * sizeof(u64));
}

/*
 * Handle counts. DRM core (7.2) allocates count_handles entries with
 * kmalloc_array() and no __GFP_NOWARN, so a count over about 2^20 is a page
 * allocator WARNING in drm_syncobj_array_find() before any driver code
 * runs (seen with seed 1, stock 7.2). The edges stay below that: the
 * core's problem would hide the driver's.
 */
static u32 nhandles(struct gen *g)
{
	static const u64 edges[] = { 0, 9, 64, 4096, 65536 };

	if (g_chance(g, 16))
		return (u32)g_pick(g, edges, ARRAY_SIZE(edges));
	return 1 + (u32)g_raw(g, 4);
}

/*
 * Timeouts are absolute CLOCK_MONOTONIC: 0 and 1 are in the past (a poll),
 * INT64_MAX is forever and left to the per-call timer. No clock is read:
 * generation must not depend on time.
 */
static s64 timeout(struct gen *g)
{
	static const u64 t[] = { 0, 0, 0, 1, 1000 };

	if (g_chance(g, 25))
		return INT64_MAX;
	return (s64)g_mostly(g, t, ARRAY_SIZE(t), 20);
}

static int so_wait(struct gen *g, struct slot *s)
{
	struct drm_syncobj_wait a = { 0 };

	a.count_handles = nhandles(g);
	a.handles = handles(g, s, a.count_handles);
	a.timeout_nsec = timeout(g);
	a.flags = (u32)g_flags(g, 7, 12);	/* WAIT_ALL, FOR_SUBMIT, AVAILABLE */
	return xioctl(s->fd, DRM_IOCTL_SYNCOBJ_WAIT, &a);
}

static int so_timeline_wait(struct gen *g, struct slot *s)
{
	struct drm_syncobj_timeline_wait a = { 0 };

	a.count_handles = nhandles(g);
	a.handles = handles(g, s, a.count_handles);
	a.points = points(g, a.count_handles);
	a.timeout_nsec = timeout(g);
	a.flags = (u32)g_flags(g, 7, 12);
	return xioctl(s->fd, DRM_IOCTL_SYNCOBJ_TIMELINE_WAIT, &a);
}

static int so_array(struct gen *g, struct slot *s, unsigned long req)
{
	struct drm_syncobj_array a = { 0 };

	a.count_handles = nhandles(g);
	a.handles = handles(g, s, a.count_handles);
	a.pad = g_chance(g, 40) ? g_e32(g) : 0;
	return xioctl(s->fd, req, &a);
}

static int so_reset(struct gen *g, struct slot *s)
{
	return so_array(g, s, DRM_IOCTL_SYNCOBJ_RESET);
}

static int so_signal(struct gen *g, struct slot *s)
{
	return so_array(g, s, DRM_IOCTL_SYNCOBJ_SIGNAL);
}

static int so_timeline_array(struct gen *g, struct slot *s, unsigned long req,
			     enum ptr_use use)
{
	struct drm_syncobj_timeline_array a = { 0 };

	a.count_handles = nhandles(g);
	a.handles = handles(g, s, a.count_handles);
	a.points = use == PTR_IN ? points(g, a.count_handles) :
		   g_ptr(g, 8 * (a.count_handles < 8 ? a.count_handles : 8), PTR_OUT);
	a.flags = (u32)g_flags(g, DRM_SYNCOBJ_QUERY_FLAGS_LAST_SUBMITTED, 12);
	return xioctl(s->fd, req, &a);
}

static int so_timeline_signal(struct gen *g, struct slot *s)
{
	return so_timeline_array(g, s, DRM_IOCTL_SYNCOBJ_TIMELINE_SIGNAL, PTR_IN);
}

static int so_query(struct gen *g, struct slot *s)
{
	return so_timeline_array(g, s, DRM_IOCTL_SYNCOBJ_QUERY, PTR_OUT);
}

static int so_transfer(struct gen *g, struct slot *s)
{
	struct drm_syncobj_transfer a = { 0 };

	a.src_handle = (u32)g_ref(g, s, R_SYNCOBJ);
	a.dst_handle = (u32)g_ref(g, s, R_SYNCOBJ);
	a.src_point = g_chance(g, 10) ? g_e64(g) : g_raw(g, 4);
	a.dst_point = g_chance(g, 10) ? g_e64(g) : g_raw(g, 4);
	/* WAIT_FOR_SUBMIT on an empty point waits (uninterruptibly long): rare. */
	a.flags = g_chance(g, 16) ? (u32)g_flags(g, DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT, 4) : 0;
	a.pad = g_chance(g, 40) ? g_e32(g) : 0;
	return xioctl(s->fd, DRM_IOCTL_SYNCOBJ_TRANSFER, &a);
}

/* ---- dumb buffers ---- */

/*
 * Width, height and bpp: small and plausible, or one edge that the core's
 * overflow checks must refuse. Combinations that pass the checks but ask
 * for gigabytes are avoided: they only make the guest swap (see gen.c).
 */
static void dumb_dims(struct gen *g, struct drm_mode_create_dumb *a)
{
	static const u64 bpps[] = { 32, 32, 32, 16, 8, 24 };
	static const u64 wide[] = { 0, 0x40000000, 0x7fffffff, 0x80000000, 0xffffffff };
	static const u64 tall[] = { 0, 0x40000, 0x7fffffff, 0x80000000, 0xffffffff };
	static const u64 bpp_edges[] = { 0, 1, 7, 33, 0x80000000, 0xffffffff };

	a->bpp = (u32)g_pick(g, bpps, ARRAY_SIZE(bpps));
	a->width = 1 + (u32)g_raw(g, g_chance(g, 8) ? 1024 : 128);
	a->height = 1 + (u32)g_raw(g, g_chance(g, 8) ? 1024 : 128);
	if (g_chance(g, 200)) {
		a->width = 4096;
		a->height = 4096;
	}
	switch (g_raw(g, 24)) {
	case 0:
		a->bpp = 32;
		a->width = (u32)g_pick(g, wide, ARRAY_SIZE(wide));
		break;
	case 1:
		a->bpp = 32;
		a->width = 4096;
		a->height = (u32)g_pick(g, tall, ARRAY_SIZE(tall));
		break;
	case 2:
		a->bpp = (u32)g_pick(g, bpp_edges, ARRAY_SIZE(bpp_edges));
		break;
	}
}

static int dumb_create(struct gen *g, struct slot *s)
{
	struct drm_mode_create_dumb a = { 0 };
	struct bo *b;
	int ret;

	if (g_chance(g, 3)) {	/* a cursor: KMS wants 64x64 */
		a.width = 64;
		a.height = 64;
		a.bpp = 32;
	} else if (st.kms.nmodes && g_chance(g, 3)) {	/* a scanout */
		a.width = st.kms.modes[0].hdisplay;
		a.height = st.kms.modes[0].vdisplay;
		a.bpp = 32;
	} else {
		dumb_dims(g, &a);
	}
	a.flags = g_chance(g, 30) ? g_e32(g) : 0;
	ret = xioctl(s->fd, DRM_IOCTL_MODE_CREATE_DUMB, &a);
	if (ret)
		return ret;
	b = bo_add(s, a.handle, BO_DUMB, a.size);
	b->w = (u16)a.width;
	b->h = (u16)a.height;
	b->pitch = a.pitch;
	return 0;
}

static int dumb_map(struct gen *g, struct slot *s)
{
	struct drm_mode_map_dumb a = { 0 };
	struct bo *b = g_bo(g, s, &a.handle);
	int ret;

	a.pad = g_chance(g, 40) ? g_e32(g) : 0;
	ret = xioctl(s->fd, DRM_IOCTL_MODE_MAP_DUMB, &a);
	if (!ret && b)
		b->map_off = a.offset;
	return ret;
}

static int dumb_destroy(struct gen *g, struct slot *s)
{
	struct drm_mode_destroy_dumb a = { 0 };
	int ret;

	a.handle = (u32)g_ref(g, s, R_BO);
	ret = xioctl(s->fd, DRM_IOCTL_MODE_DESTROY_DUMB, &a);
	if (!ret)
		bo_del(s, a.handle);
	return ret;
}

const struct call calls_drm[] = {
	{ "GEM_CLOSE", 30, 0, drm_gem_close },
	{ "GEM_FLINK", 10, CF_CARD, drm_gem_flink },
	{ "GEM_OPEN", 10, CF_CARD, drm_gem_open },
	{ "PRIME_HANDLE_TO_FD", 10, 0, drm_prime_handle_to_fd },
	{ "PRIME_FD_TO_HANDLE", 15, 0, drm_prime_fd_to_handle },
	{ "SYNCOBJ_CREATE", 15, 0, so_create },
	{ "SYNCOBJ_DESTROY", 10, 0, so_destroy },
	{ "SYNCOBJ_HANDLE_TO_FD", 10, 0, so_handle_to_fd },
	{ "SYNCOBJ_FD_TO_HANDLE", 10, 0, so_fd_to_handle },
	{ "SYNCOBJ_WAIT", 10, CF_BLOCKS, so_wait },
	{ "SYNCOBJ_TIMELINE_WAIT", 10, CF_BLOCKS | CF_SLOW, so_timeline_wait },
	{ "SYNCOBJ_RESET", 10, 0, so_reset },
	{ "SYNCOBJ_SIGNAL", 10, 0, so_signal },
	{ "SYNCOBJ_TIMELINE_SIGNAL", 10, 0, so_timeline_signal },
	{ "SYNCOBJ_QUERY", 10, 0, so_query },
	{ "SYNCOBJ_TRANSFER", 10, 0, so_transfer },
	{ "CREATE_DUMB", 5, CF_SLOW, dumb_create },
	{ "MAP_DUMB", 20, 0, dumb_map },
	{ "DESTROY_DUMB", 5, 0, dumb_destroy },
};
const u32 ncalls_drm = ARRAY_SIZE(calls_drm);
