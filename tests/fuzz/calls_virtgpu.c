// SPDX-License-Identifier: GPL-2.0-only
/*
 * The driver's own ioctls. Fields the driver checks (sizes, counts, flags,
 * pads, pointers, handles, ring_idx) get the full edge treatment; fields
 * only the host interprets (formats, targets, binds, box contents) come
 * from a short valid list with a few edges, and every command stream is
 * zeroes: a run of virgl NOPs. A random stream could kill QEMU, which
 * would say nothing about the driver.
 */
#include <errno.h>
#include <string.h>

#include <drm/virtgpu_drm.h>

#include "vgfuzz.h"

#define IOC(nr, type) DRM_IOWR(DRM_COMMAND_BASE + (nr), type)

static u32 pad(struct gen *g)
{
	return g_chance(g, 40) ? g_e32(g) : 0;
}

static int vg_getparam(struct gen *g, struct slot *s)
{
	static const u64 params[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	struct drm_virtgpu_getparam a = { 0 };
	int ret;

	a.param = g_mostly(g, params, ARRAY_SIZE(params), 8);
	a.value = g_ptr(g, 8, PTR_OUT);
	ret = xioctl(s->fd, IOC(DRM_VIRTGPU_GETPARAM, struct drm_virtgpu_getparam), &a);
	if (!ret && a.param == VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs && ptr_is_scratch(a.value, 8))
		st.caps_mask = *(u32 *)(uintptr_t)a.value;
	return ret;
}

static int vg_get_caps(struct gen *g, struct slot *s)
{
	static const u64 ids[] = { 1, 2, 4, 1, 2, 4, 0, 3, 5, 6 };
	static const u64 vers[] = { 0, 1, 2, 0, 1 };
	static const u64 sizes[] = { 160, 308, 1384, 4096, 1, 4, 0 };
	struct drm_virtgpu_get_caps a = { 0 };

	a.cap_set_id = (u32)g_mostly(g, ids, ARRAY_SIZE(ids), 10);
	a.cap_set_ver = (u32)g_mostly(g, vers, ARRAY_SIZE(vers), 10);
	a.size = (u32)g_mostly(g, sizes, ARRAY_SIZE(sizes), 8);
	a.addr = g_ptr(g, a.size < 65536 ? a.size : 65536, PTR_OUT);
	a.pad = pad(g);
	return xioctl(s->fd, IOC(DRM_VIRTGPU_GET_CAPS, struct drm_virtgpu_get_caps), &a);
}

/* ---- CONTEXT_INIT ---- */

static u64 debug_name(struct gen *g)
{
	char name[80];

	memset(name, 'v', sizeof(name));
	if (!g_chance(g, 6))	/* else unterminated, longer than 64 */
		snprintf(name, sizeof(name), "vgfuzz-%u", (u32)g_raw(g, 100));
	return g_put(g, name, sizeof(name));
}

static u64 param_value(struct gen *g, u64 param)
{
	static const u64 capsets[] = { 1, 2, 1, 2, 4, 1, 2 };
	static const u64 rings[] = { 1, 2, 4, 16, 64 };
	static const u64 masks[] = { 0, 1, 3, 0 };

	switch (param) {
	case VIRTGPU_CONTEXT_PARAM_CAPSET_ID:
		return g_mostly(g, capsets, ARRAY_SIZE(capsets), 12);
	case VIRTGPU_CONTEXT_PARAM_NUM_RINGS:
		return g_mostly(g, rings, ARRAY_SIZE(rings), 10);
	case VIRTGPU_CONTEXT_PARAM_POLL_RINGS_MASK:
		return g_mostly(g, masks, ARRAY_SIZE(masks), 8);
	case VIRTGPU_CONTEXT_PARAM_DEBUG_NAME:
		return debug_name(g);
	}
	return g_e64(g);
}

/* What the context will be, if the kernel takes these parameters. */
static void ctx_note(struct slot *s, const struct drm_virtgpu_context_set_param *p,
		     u32 n)
{
	u32 i;

	s->ctx = true;
	s->rings = 0;
	s->capset = 0;
	for (i = 0; i < n; i++) {
		if (p[i].param == VIRTGPU_CONTEXT_PARAM_CAPSET_ID)
			s->capset = (u32)p[i].value;
		if (p[i].param == VIRTGPU_CONTEXT_PARAM_NUM_RINGS)
			s->rings = (u32)p[i].value;
	}
}

static int ctx_init_send(struct gen *g, struct slot *s,
			 struct drm_virtgpu_context_set_param *p, u32 built, u32 num)
{
	struct drm_virtgpu_context_init a = { 0 };
	int ret;

	a.num_params = num;
	a.pad = pad(g);
	a.ctx_set_params = g_put(g, p, built * sizeof(*p));
	ret = xioctl(s->fd, IOC(DRM_VIRTGPU_CONTEXT_INIT, struct drm_virtgpu_context_init), &a);
	if (!ret)
		ctx_note(s, p, built < num ? built : num);
	tracef("vgfuzz:   context_init num %u -> %d: capset %u rings %u\n", num, ret,
	       s->capset, s->rings);
	return ret;
}

static int vg_context_init(struct gen *g, struct slot *s)
{
	static const u64 params[] = { 1, 2, 3, 4 };
	struct drm_virtgpu_context_set_param p[10];
	u32 num, built, i;

	num = g_chance(g, 10) ? g_e32(g) : (u32)g_raw(g, 5);
	built = num < ARRAY_SIZE(p) ? num : ARRAY_SIZE(p);
	for (i = 0; i < built; i++) {
		p[i].param = g_mostly(g, params, ARRAY_SIZE(params), 10);
		p[i].value = param_value(g, p[i].param);
	}
	return ctx_init_send(g, s, p, built, num);
}

/* Capset, rings, sometimes a poll mask and a name: what real clients send. */
int ctx_init_plausible(struct gen *g, struct slot *s)
{
	static const u64 rings[] = { 1, 2, 4, 64 };
	struct drm_virtgpu_context_set_param p[4];
	u32 n = 0;
	u64 capset = 1 + g_raw(g, 2);

	if (g_chance(g, 10))
		return vg_context_init(g, s);
	if (g_chance(g, 7))
		capset = VIRTGPU_DRM_CAPSET_VENUS;
	p[n].param = VIRTGPU_CONTEXT_PARAM_CAPSET_ID;
	p[n++].value = capset;
	p[n].param = VIRTGPU_CONTEXT_PARAM_NUM_RINGS;
	p[n++].value = g_pick(g, rings, ARRAY_SIZE(rings));
	if (g_chance(g, 3)) {
		p[n].param = VIRTGPU_CONTEXT_PARAM_POLL_RINGS_MASK;
		p[n++].value = 1;
	}
	if (g_chance(g, 3)) {
		p[n].param = VIRTGPU_CONTEXT_PARAM_DEBUG_NAME;
		p[n++].value = debug_name(g);
	}
	return ctx_init_send(g, s, p, n, n);
}

/* ---- resources ---- */

/* A u32 byte size the host never turns into a huge allocation. */
static u32 size32(struct gen *g)
{
	u64 v = g_size(g);

	return v >> 26 ? (u32)(v & 0xffff) : (u32)v;
}

static u32 dim(struct gen *g, u32 max)
{
	static const u64 edges[] = { 0, 0xffffffff, 0x80000000, 0x10000 };

	if (g_chance(g, 40))
		return (u32)g_pick(g, edges, ARRAY_SIZE(edges));
	return 1 + (u32)g_raw(g, max);
}

static void rc_texture(struct gen *g, struct drm_virtgpu_resource_create *a)
{
	/* virgl formats B8G8R8A8, B8G8R8X8, R8, R8G8B8A8; binds RT|SV, SV, scanout, cursor */
	static const u64 formats[] = { 1, 2, 64, 67 };
	static const u64 binds[] = { 0xa, 0x8, 0x4008a, 0x10000, 0x2 };

	a->target = 2;
	a->format = (u32)g_pick(g, formats, ARRAY_SIZE(formats));
	a->bind = (u32)g_pick(g, binds, ARRAY_SIZE(binds));
	a->width = dim(g, 256);
	a->height = dim(g, 256);
	a->depth = 1;
	a->array_size = 1;
}

static void rc_buffer(struct gen *g, struct drm_virtgpu_resource_create *a)
{
	static const u64 binds[] = { 0x10, 0x20, 0x40 };	/* vertex, index, constant */

	a->target = 0;
	a->format = 64;
	a->bind = (u32)g_pick(g, binds, ARRAY_SIZE(binds));
	a->width = 1 + (u32)g_raw(g, 65536);
	a->height = 1;
	a->depth = 1;
	a->array_size = 1;
}

/* A few edges in the host's fields: it must refuse them, not die. */
static void rc_edges(struct gen *g, struct drm_virtgpu_resource_create *a)
{
	static const u64 targets[] = { 1, 3, 4, 8, 9, 10, 0xffffffff };
	static const u64 small[] = { 0, 1, 2, 0xffffffff };

	switch (g_raw(g, 6)) {
	case 0: a->target = (u32)g_pick(g, targets, ARRAY_SIZE(targets)); break;
	case 1: a->format = (u32)g_pick(g, small, ARRAY_SIZE(small)); break;
	case 2: a->last_level = (u32)g_pick(g, small, ARRAY_SIZE(small)); break;
	case 3: a->nr_samples = (u32)g_pick(g, small, ARRAY_SIZE(small)); break;
	case 4: a->depth = (u32)g_pick(g, small, ARRAY_SIZE(small)); break;
	case 5: a->array_size = (u32)g_pick(g, small, ARRAY_SIZE(small)); break;
	}
}

static int vg_resource_create(struct gen *g, struct slot *s)
{
	struct drm_virtgpu_resource_create a = { 0 };
	struct bo *b;
	int ret;

	if (g_chance(g, 3))
		rc_buffer(g, &a);
	else
		rc_texture(g, &a);
	if (g_chance(g, 20))
		rc_edges(g, &a);
	a.size = g_chance(g, 3) ? 0 : size32(g);
	a.stride = g_chance(g, 10) ? g_e32(g) : 0;
	a.flags = g_chance(g, 20) ? g_e32(g) : 0;
	ret = xioctl(s->fd, IOC(DRM_VIRTGPU_RESOURCE_CREATE,
				struct drm_virtgpu_resource_create), &a);
	if (ret)
		return ret;
	b = bo_add(s, a.bo_handle, BO_3D, a.size ? a.size : PAGE);
	b->res = a.res_handle;
	b->w = a.width > 0xffff ? 0xffff : a.width;
	b->h = a.height > 0xffff ? 0xffff : a.height;
	return 0;
}

static int vg_resource_create_blob(struct gen *g, struct slot *s)
{
	static const u64 mems[] = { 1, 2, 3, 1, 2 };
	static const u64 cmds[] = { 4, 8, 16, 64, 4096 };
	struct drm_virtgpu_resource_create_blob a = { 0 };
	u64 ids[] = { 0, 0, 1, st.blob_ids };
	struct bo *b;
	int ret;

	a.blob_mem = (u32)g_mostly(g, mems, ARRAY_SIZE(mems), 12);
	/* The bed's host refuses SHAREABLE and has no UUIDs for CROSS_DEVICE. */
	a.blob_flags = (u32)(g_chance(g, 4) ? g_flags(g, 7, 10) : g_raw(g, 2));
	a.size = g_size(g);
	if (g_chance(g, a.blob_mem == VIRTGPU_BLOB_MEM_GUEST ? 12 : 3))
		a.cmd_size = (u32)g_mostly(g, cmds, ARRAY_SIZE(cmds), 8);
	a.cmd = g_ptr_zero(g, a.cmd_size);
	a.blob_id = g_mostly(g, ids, ARRAY_SIZE(ids), 10);
	a.blob_hints = (u32)g_flags(g, 1, 12);
	a.pad = pad(g);
	a.pad2 = pad(g);
	ret = xioctl(s->fd, IOC(DRM_VIRTGPU_RESOURCE_CREATE_BLOB,
				struct drm_virtgpu_resource_create_blob), &a);
	if (ret)
		return ret;
	st.blob_ids++;
	b = bo_add(s, a.bo_handle, BO_BLOB, a.size);
	b->res = a.res_handle;
	b->mappable = a.blob_flags & VIRTGPU_BLOB_FLAG_USE_MAPPABLE;
	return 0;
}

static int vg_resource_info(struct gen *g, struct slot *s)
{
	struct drm_virtgpu_resource_info a = { 0 };
	struct bo *b = g_bo(g, s, &a.bo_handle);
	int ret;

	ret = xioctl(s->fd, IOC(DRM_VIRTGPU_RESOURCE_INFO, struct drm_virtgpu_resource_info), &a);
	if (!ret && b) {
		b->size = a.size;
		b->res = a.res_handle;
	}
	return ret;
}

static int vg_map(struct gen *g, struct slot *s)
{
	struct drm_virtgpu_map a = { 0 };
	struct bo *b = g_bo(g, s, &a.handle);
	int ret;

	a.pad = pad(g);
	ret = xioctl(s->fd, IOC(DRM_VIRTGPU_MAP, struct drm_virtgpu_map), &a);
	if (!ret && b)
		b->map_off = a.offset;
	return ret;
}

/* A box mostly inside the resource, one edge field now and then. */
static void box(struct gen *g, const struct bo *b, struct drm_virtgpu_3d_box *x)
{
	u32 w = b && b->w ? b->w : 16, h = b && b->h ? b->h : 1;

	x->x = (u32)g_raw(g, w);
	x->w = 1 + (u32)g_raw(g, w - x->x);
	x->y = (u32)g_raw(g, h);
	x->h = 1 + (u32)g_raw(g, h - x->y);
	x->d = 1;
	if (g_chance(g, 12))
		((u32 *)x)[g_raw(g, 6)] = g_e32(g);
}

/* TRANSFER_TO_HOST and _FROM_HOST have the same layout. */
static int transfer(struct gen *g, struct slot *s, unsigned long req)
{
	struct drm_virtgpu_3d_transfer_to_host a = { 0 };
	struct bo *b = g_bo(g, s, &a.bo_handle);

	box(g, b, &a.box);
	a.level = g_chance(g, 10) ? g_e32(g) : 0;
	a.offset = g_chance(g, 4) ? g_e32(g) : 0;
	a.stride = g_chance(g, 4) ? g_e32(g) : 0;
	a.layer_stride = g_chance(g, 8) ? g_e32(g) : 0;
	return xioctl(s->fd, req, &a);
}

static int vg_transfer_to_host(struct gen *g, struct slot *s)
{
	return transfer(g, s, IOC(DRM_VIRTGPU_TRANSFER_TO_HOST,
				  struct drm_virtgpu_3d_transfer_to_host));
}

static int vg_transfer_from_host(struct gen *g, struct slot *s)
{
	return transfer(g, s, IOC(DRM_VIRTGPU_TRANSFER_FROM_HOST,
				  struct drm_virtgpu_3d_transfer_from_host));
}

static int vg_wait(struct gen *g, struct slot *s)
{
	static const u64 flags[] = { 1, 1, 1, 0 };
	struct drm_virtgpu_3d_wait a = { 0 };

	g_bo(g, s, &a.handle);
	a.flags = (u32)g_mostly(g, flags, ARRAY_SIZE(flags), 20);
	return xioctl(s->fd, IOC(DRM_VIRTGPU_WAIT, struct drm_virtgpu_3d_wait), &a);
}

/* ---- EXECBUFFER ---- */

static u32 count(struct gen *g, u32 max, u32 none_one_in)
{
	if (g_chance(g, 16))
		return g_e32(g);
	if (!g_chance(g, none_one_in))
		return 0;
	return 1 + (u32)g_raw(g, max);
}

/* An array of syncobj entries, @stride bytes apart. */
static u64 syncobj_array(struct gen *g, struct slot *s, u32 n, u32 stride)
{
	u8 buf[1024] = { 0 };
	struct drm_virtgpu_execbuffer_syncobj e;
	u32 i, built;

	if (!stride || stride > 64)
		return g_put(g, buf, sizeof(buf));
	built = n < sizeof(buf) / stride ? n : sizeof(buf) / stride;
	if (built > 8)
		built = 8;
	for (i = 0; i < built; i++) {
		e.handle = (u32)g_ref(g, s, R_SYNCOBJ);
		e.flags = (u32)g_flags(g, VIRTGPU_EXECBUF_SYNCOBJ_RESET, 12);
		e.point = g_chance(g, 4) ? 1 + g_raw(g, 4) : 0;
		if (g_chance(g, 20))
			e.point = g_e64(g);
		memcpy(buf + i * stride, &e, stride < sizeof(e) ? stride : sizeof(e));
	}
	return g_put(g, buf, built * stride);
}

static u32 ring_idx(struct gen *g, struct slot *s)
{
	if (g_chance(g, 10))
		return g_chance(g, 2) ? s->rings : g_e32(g);
	/* Venus takes fences on ring 0 only: other rings break its context. */
	if (s->capset == VIRTGPU_DRM_CAPSET_VENUS && !g_chance(g, 20))
		return 0;
	return (u32)g_raw(g, s->rings ? s->rings : 1);
}

static u64 bo_array(struct gen *g, struct slot *s, u32 n)
{
	u32 h[16], i, built = n < 16 ? n : 16;

	for (i = 0; i < built; i++)
		h[i] = (u32)g_ref(g, s, R_BO);
	return g_put(g, h, built * sizeof(u32));
}

static int vg_execbuffer(struct gen *g, struct slot *s)
{
	static const u64 sizes[] = { 4, 8, 16, 64, 256, 4096, 0 };
	static const u64 strides[] = { 16, 16, 16, 8, 24, 32, 0 };
	struct drm_virtgpu_execbuffer a = { 0 };
	int ret;

	a.flags = (u32)g_flags(g, VIRTGPU_EXECBUF_FLAGS, 16);
	a.size = (u32)g_mostly(g, sizes, ARRAY_SIZE(sizes), 10);
	/*
	 * Zeroes are NOPs to virgl but a malformed vkCreateInstance to Venus,
	 * which then marks the host context fatal and stops retiring its
	 * fences: every job that waits on one parks for good. Venus mostly
	 * gets empty submissions (still a fence, still the driver's checks).
	 */
	if (s->capset == VIRTGPU_DRM_CAPSET_VENUS && !g_chance(g, 50))
		a.size = 0;
	a.command = g_ptr_zero(g, a.size);
	a.num_bo_handles = count(g, 4, 2);
	a.bo_handles = bo_array(g, s, a.num_bo_handles);
	a.fence_fd = a.flags & VIRTGPU_EXECBUF_FENCE_FD_IN ? g_any_fd(g, s) : -1;
	a.ring_idx = ring_idx(g, s);
	a.syncobj_stride = (u32)g_mostly(g, strides, ARRAY_SIZE(strides), 12);
	a.num_in_syncobjs = count(g, 3, 4);
	a.in_syncobjs = syncobj_array(g, s, a.num_in_syncobjs, a.syncobj_stride);
	a.num_out_syncobjs = count(g, 3, 4);
	a.out_syncobjs = syncobj_array(g, s, a.num_out_syncobjs, a.syncobj_stride);
	ret = xioctl(s->fd, IOC(DRM_VIRTGPU_EXECBUFFER, struct drm_virtgpu_execbuffer), &a);
	tracef("vgfuzz:   execbuffer capset %u flags %#x size %u bos %u fence_fd %d ring %u/%u in %u out %u stride %u -> %d fd %d\n",
	       s->capset, a.flags, a.size, a.num_bo_handles, a.fence_fd, a.ring_idx, s->rings,
	       a.num_in_syncobjs, a.num_out_syncobjs, a.syncobj_stride, ret, a.fence_fd);
	if (!ret && (a.flags & VIRTGPU_EXECBUF_FENCE_FD_OUT) && a.fence_fd >= 0)
		pool_add_fd(&st.sync_fds, a.fence_fd);
	return ret;
}

/*
 * Weights: calls the host must answer (creates, transfers, submissions,
 * modesets, re-opens) cost milliseconds on the debug kernel under TCG,
 * a validation failure or a cached answer tens of microseconds. Cheap
 * calls dominate so that a million calls fit in minutes; every call keeps
 * a weight, and the corpus brings back the expensive ones that paid off.
 */
const struct call calls_virtgpu[] = {
	{ "GETPARAM", 200, 0, vg_getparam },
	{ "GET_CAPS", 40, 0, vg_get_caps },
	{ "CONTEXT_INIT", 20, 0, vg_context_init },
	{ "RESOURCE_CREATE", 8, CF_SLOW, vg_resource_create },
	{ "RESOURCE_CREATE_BLOB", 8, CF_SLOW, vg_resource_create_blob },
	{ "RESOURCE_INFO", 80, 0, vg_resource_info },
	{ "MAP", 40, 0, vg_map },
	{ "TRANSFER_TO_HOST", 6, 0, vg_transfer_to_host },
	{ "TRANSFER_FROM_HOST", 6, CF_SLOW, vg_transfer_from_host },
	{ "WAIT", 30, CF_BLOCKS, vg_wait },
	{ "EXECBUFFER", 15, CF_BLOCKS, vg_execbuffer },
};
const u32 ncalls_virtgpu = ARRAY_SIZE(calls_virtgpu);
