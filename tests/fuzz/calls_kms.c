// SPDX-License-Identifier: GPL-2.0-only
/*
 * Mode setting on the primary node: the driver's planes, CRTCs and
 * connectors behind the legacy and atomic ioctls. Object and property ids
 * come from discovery at open (kms_discover), so that commits can be
 * plausible enough to get past the core's checks into the driver.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/ioctl.h>

#include <drm_fourcc.h>

#include "vgfuzz.h"

/* ---- discovery (plain ioctls: its results are state, not fuzz) ---- */

static void get_ids(int fd, unsigned long req, void *a, __u64 *ptr, __u32 *cnt,
		    struct pool *p)
{
	u32 ids[POOL], i;

	*cnt = POOL;
	*ptr = (u64)(uintptr_t)ids;
	if (ioctl(fd, req, a))
		return;
	for (i = 0; i < *cnt && i < POOL; i++)
		pool_add(p, ids[i]);
}

static void note_prop(struct kms *k, u32 id, const char *name)
{
	static const struct { const char *n; size_t off; } names[] = {
		{ "FB_ID", offsetof(struct kms, p_fb_id) },
		{ "CRTC_ID", offsetof(struct kms, p_crtc_id) },
		{ "SRC_X", offsetof(struct kms, p_src_x) },
		{ "SRC_Y", offsetof(struct kms, p_src_y) },
		{ "SRC_W", offsetof(struct kms, p_src_w) },
		{ "SRC_H", offsetof(struct kms, p_src_h) },
		{ "CRTC_X", offsetof(struct kms, p_crtc_x) },
		{ "CRTC_Y", offsetof(struct kms, p_crtc_y) },
		{ "CRTC_W", offsetof(struct kms, p_crtc_w) },
		{ "CRTC_H", offsetof(struct kms, p_crtc_h) },
		{ "MODE_ID", offsetof(struct kms, p_mode_id) },
		{ "ACTIVE", offsetof(struct kms, p_active) },
		{ "IN_FENCE_FD", offsetof(struct kms, p_in_fence) },
		{ "OUT_FENCE_PTR", offsetof(struct kms, p_out_fence) },
	};
	u32 i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(name, names[i].n))
			*(u32 *)((char *)k + names[i].off) = id;
}

static void obj_props(int fd, u32 obj, u32 type)
{
	struct drm_mode_obj_get_properties a = { .obj_id = obj, .obj_type = type };
	struct drm_mode_get_property p;
	u32 ids[64], i;
	u64 vals[64];

	a.count_props = 64;
	a.props_ptr = (u64)(uintptr_t)ids;
	a.prop_values_ptr = (u64)(uintptr_t)vals;
	if (ioctl(fd, DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &a))
		return;
	for (i = 0; i < a.count_props && i < 64; i++) {
		memset(&p, 0, sizeof(p));
		p.prop_id = ids[i];
		if (ioctl(fd, DRM_IOCTL_MODE_GETPROPERTY, &p))
			continue;
		pool_add(&st.kms.props, ids[i]);
		note_prop(&st.kms, ids[i], p.name);
	}
}

static void conn_modes(int fd, u32 id)
{
	static struct drm_mode_modeinfo modes[16];
	struct drm_mode_get_connector c = { .connector_id = id };

	c.count_modes = ARRAY_SIZE(modes);
	c.modes_ptr = (u64)(uintptr_t)modes;
	if (ioctl(fd, DRM_IOCTL_MODE_GETCONNECTOR, &c) || !c.count_modes)
		return;
	st.kms.modes = modes;
	st.kms.nmodes = c.count_modes < 16 ? c.count_modes : 16;
}

void kms_discover(struct gen *g, struct slot *s)
{
	struct drm_set_client_cap cap = { DRM_CLIENT_CAP_ATOMIC, 1 };
	struct drm_mode_card_res r = { 0 };
	struct drm_mode_get_plane_res pr = { 0 };
	u32 i;

	memset(&st.kms, 0, sizeof(st.kms));
	if (!g_chance(g, 8))
		ioctl(s->fd, DRM_IOCTL_SET_CLIENT_CAP, &cap);
	get_ids(s->fd, DRM_IOCTL_MODE_GETRESOURCES, &r, &r.crtc_id_ptr, &r.count_crtcs,
		&st.kms.crtcs);
	r = (struct drm_mode_card_res){ 0 };
	get_ids(s->fd, DRM_IOCTL_MODE_GETRESOURCES, &r, &r.connector_id_ptr,
		&r.count_connectors, &st.kms.conns);
	r = (struct drm_mode_card_res){ 0 };
	get_ids(s->fd, DRM_IOCTL_MODE_GETRESOURCES, &r, &r.encoder_id_ptr,
		&r.count_encoders, &st.kms.encs);
	get_ids(s->fd, DRM_IOCTL_MODE_GETPLANERESOURCES, &pr, &pr.plane_id_ptr,
		&pr.count_planes, &st.kms.planes);
	for (i = 0; i < st.kms.conns.n; i++) {
		conn_modes(s->fd, (u32)st.kms.conns.v[i]);
		obj_props(s->fd, (u32)st.kms.conns.v[i], DRM_MODE_OBJECT_CONNECTOR);
	}
	for (i = 0; i < st.kms.crtcs.n; i++)
		obj_props(s->fd, (u32)st.kms.crtcs.v[i], DRM_MODE_OBJECT_CRTC);
	for (i = 0; i < st.kms.planes.n; i++)
		obj_props(s->fd, (u32)st.kms.planes.v[i], DRM_MODE_OBJECT_PLANE);
}

/* ---- queries ---- */

static u32 cnt(struct gen *g)
{
	static const u64 c[] = { 0, 1, 4, 16, 64 };

	return (u32)g_mostly(g, c, ARRAY_SIZE(c), 10);
}

static int kms_getresources(struct gen *g, struct slot *s)
{
	struct drm_mode_card_res a = { 0 };

	a.count_fbs = cnt(g);
	a.fb_id_ptr = g_ptr(g, 4 * 64, PTR_OUT);
	a.count_crtcs = cnt(g);
	a.crtc_id_ptr = g_ptr(g, 4 * 64, PTR_OUT);
	a.count_connectors = cnt(g);
	a.connector_id_ptr = g_ptr(g, 4 * 64, PTR_OUT);
	a.count_encoders = cnt(g);
	a.encoder_id_ptr = g_ptr(g, 4 * 64, PTR_OUT);
	return xioctl(s->fd, DRM_IOCTL_MODE_GETRESOURCES, &a);
}

static int kms_getconnector(struct gen *g, struct slot *s)
{
	struct drm_mode_get_connector a = { 0 };

	a.connector_id = (u32)g_ref(g, s, R_CONN);
	a.count_modes = cnt(g);
	a.modes_ptr = g_ptr(g, 64 * sizeof(struct drm_mode_modeinfo), PTR_OUT);
	a.count_props = cnt(g);
	a.props_ptr = g_ptr(g, 4 * 64, PTR_OUT);
	a.prop_values_ptr = g_ptr(g, 8 * 64, PTR_OUT);
	a.count_encoders = cnt(g);
	a.encoders_ptr = g_ptr(g, 4 * 64, PTR_OUT);
	return xioctl(s->fd, DRM_IOCTL_MODE_GETCONNECTOR, &a);
}

static int kms_getplane(struct gen *g, struct slot *s)
{
	struct drm_mode_get_plane a = { 0 };

	a.plane_id = (u32)g_ref(g, s, R_PLANE);
	a.count_format_types = cnt(g);
	a.format_type_ptr = g_ptr(g, 4 * 64, PTR_OUT);
	return xioctl(s->fd, DRM_IOCTL_MODE_GETPLANE, &a);
}

static int kms_obj_getproperties(struct gen *g, struct slot *s)
{
	static const u64 types[] = {
		DRM_MODE_OBJECT_CRTC, DRM_MODE_OBJECT_CONNECTOR, DRM_MODE_OBJECT_PLANE,
		DRM_MODE_OBJECT_FB, DRM_MODE_OBJECT_ANY,
	};
	static const enum ref_pool pools[] = { R_CRTC, R_CONN, R_PLANE, R_FB, R_PLANE };
	struct drm_mode_obj_get_properties a = { 0 };
	u32 t = (u32)g_raw(g, ARRAY_SIZE(types));

	a.obj_type = (u32)types[t];
	a.obj_id = (u32)g_ref(g, s, pools[t]);
	a.count_props = cnt(g);
	a.props_ptr = g_ptr(g, 4 * 64, PTR_OUT);
	a.prop_values_ptr = g_ptr(g, 8 * 64, PTR_OUT);
	return xioctl(s->fd, DRM_IOCTL_MODE_OBJ_GETPROPERTIES, &a);
}

/* ---- framebuffers ---- */

static int kms_addfb2(struct gen *g, struct slot *s)
{
	static const u64 formats[] = {
		DRM_FORMAT_XRGB8888, DRM_FORMAT_ARGB8888, DRM_FORMAT_XRGB8888,
		DRM_FORMAT_RGB565, DRM_FORMAT_XBGR8888, DRM_FORMAT_NV12,
	};
	struct drm_mode_fb_cmd2 a = { 0 };
	struct bo *b = g_bo(g, s, &a.handles[0]);
	int ret;

	a.width = b && b->w ? b->w : 64;
	a.height = b && b->h ? b->h : 64;
	if (g_chance(g, 10))
		a.width = g_e32(g);
	if (g_chance(g, 10))
		a.height = g_e32(g);
	a.pixel_format = (u32)g_mostly(g, formats, ARRAY_SIZE(formats), 16);
	a.pitches[0] = b && b->pitch ? b->pitch : a.width * 4;
	if (g_chance(g, 10))
		a.pitches[0] = g_e32(g);
	a.offsets[0] = g_chance(g, 12) ? g_e32(g) : 0;
	if (g_chance(g, 12)) {
		a.flags = DRM_MODE_FB_MODIFIERS;
		a.modifier[0] = g_chance(g, 2) ? 0 : g_e64(g);
	}
	if (g_chance(g, 20))
		a.handles[1 + g_raw(g, 3)] = (u32)g_ref(g, s, R_BO);
	ret = xioctl(s->fd, DRM_IOCTL_MODE_ADDFB2, &a);
	if (!ret)	/* the size rides in the high bits, for atomic's SRC_W/H */
		pool_add(&s->fbs, a.fb_id | (u64)(a.width & 0xffff) << 32 |
			 (u64)(a.height & 0xffff) << 48);
	return ret;
}

static int kms_rmfb(struct gen *g, struct slot *s)
{
	u32 id = (u32)g_ref(g, s, R_FB);
	int ret;

	ret = xioctl(s->fd, DRM_IOCTL_MODE_RMFB, &id);

	if (!ret)
		pool_del_u32(&s->fbs, id);
	return ret;
}

/* ---- legacy modeset ---- */

static void mode(struct gen *g, struct drm_mode_modeinfo *m)
{
	if (st.kms.nmodes && !g_chance(g, 12))
		*m = st.kms.modes[g_raw(g, st.kms.nmodes)];
	else
		memset(m, 0, sizeof(*m));
	if (g_chance(g, 10))
		((u16 *)m)[g_raw(g, 10)] = (u16)g_e32(g);	/* clock .. vscan */
}

static int kms_setcrtc(struct gen *g, struct slot *s)
{
	struct drm_mode_crtc a = { 0 };
	u32 conns[4], i;

	a.crtc_id = (u32)g_ref(g, s, R_CRTC);
	a.fb_id = g_chance(g, 8) ? 0 : (u32)g_ref(g, s, R_FB);
	a.x = g_chance(g, 10) ? g_e32(g) : 0;
	a.y = g_chance(g, 10) ? g_e32(g) : 0;
	mode(g, &a.mode);
	a.mode_valid = a.fb_id ? !g_chance(g, 10) : 0;
	a.count_connectors = g_chance(g, 10) ? g_e32(g) : (u32)!!a.fb_id;
	for (i = 0; i < ARRAY_SIZE(conns); i++)
		conns[i] = (u32)g_ref(g, s, R_CONN);
	a.set_connectors_ptr = g_put(g, conns, sizeof(conns));
	return xioctl(s->fd, DRM_IOCTL_MODE_SETCRTC, &a);
}

static int kms_page_flip(struct gen *g, struct slot *s)
{
	static const u64 flags[] = {
		DRM_MODE_PAGE_FLIP_EVENT, 0, DRM_MODE_PAGE_FLIP_EVENT,
		DRM_MODE_PAGE_FLIP_ASYNC, DRM_MODE_PAGE_FLIP_EVENT | DRM_MODE_PAGE_FLIP_ASYNC,
	};
	struct drm_mode_crtc_page_flip a = { 0 };

	a.crtc_id = (u32)g_ref(g, s, R_CRTC);
	a.fb_id = (u32)g_ref(g, s, R_FB);
	a.flags = (u32)g_mostly(g, flags, ARRAY_SIZE(flags), 12);
	a.user_data = g_raw(g, ~0ULL);
	return xioctl(s->fd, DRM_IOCTL_MODE_PAGE_FLIP, &a);
}

static s32 coord(struct gen *g)
{
	return g_chance(g, 10) ? (s32)g_e32(g) : (s32)g_raw(g, 1100) - 50;
}

static int kms_cursor2(struct gen *g, struct slot *s)
{
	static const u64 flags[] = {
		DRM_MODE_CURSOR_BO | DRM_MODE_CURSOR_MOVE, DRM_MODE_CURSOR_MOVE,
		DRM_MODE_CURSOR_BO,
	};
	static const u64 dims[] = { 64, 64, 64, 0, 32, 128 };
	struct drm_mode_cursor2 a = { 0 };

	a.flags = (u32)g_mostly(g, flags, ARRAY_SIZE(flags), 12);
	a.crtc_id = (u32)g_ref(g, s, R_CRTC);
	a.x = coord(g);
	a.y = coord(g);
	a.width = (u32)g_mostly(g, dims, ARRAY_SIZE(dims), 12);
	a.height = (u32)g_mostly(g, dims, ARRAY_SIZE(dims), 12);
	a.handle = g_chance(g, 8) ? 0 : (u32)g_ref(g, s, R_BO);
	a.hot_x = (s32)g_raw(g, 64);
	a.hot_y = (s32)g_raw(g, 64);
	if (g_chance(g, 20))
		a.hot_x = (s32)g_e32(g);
	return xioctl(s->fd, DRM_IOCTL_MODE_CURSOR2, &a);
}

static int kms_dirtyfb(struct gen *g, struct slot *s)
{
	static const u64 flags[] = { 0, 0, DRM_MODE_FB_DIRTY_ANNOTATE_COPY,
				     DRM_MODE_FB_DIRTY_ANNOTATE_FILL };
	struct drm_mode_fb_dirty_cmd a = { 0 };
	struct drm_clip_rect c[8];
	u32 i;

	a.fb_id = (u32)g_ref(g, s, R_FB);
	a.flags = (u32)g_mostly(g, flags, ARRAY_SIZE(flags), 12);
	a.color = (u32)g_raw(g, ~0ULL);
	a.num_clips = g_chance(g, 12) ? g_e32(g) : (u32)g_raw(g, 9);
	for (i = 0; i < ARRAY_SIZE(c); i++) {
		c[i].x1 = (u16)g_raw(g, 1024);
		c[i].y1 = (u16)g_raw(g, 768);
		c[i].x2 = c[i].x1 + (u16)g_raw(g, 256);
		c[i].y2 = c[i].y1 + (u16)g_raw(g, 256);
		if (g_chance(g, 16))
			c[i].x2 = (u16)g_e32(g);
	}
	a.clips_ptr = g_put(g, c, sizeof(c));
	return xioctl(s->fd, DRM_IOCTL_MODE_DIRTYFB, &a);
}

/* ---- atomic ---- */

struct commit {
	u32 objs[8], counts[8], props[32];
	u64 vals[32];
	u32 nobjs, nprops;
};

static void put_prop(struct gen *g, struct commit *c, u32 prop, u64 val)
{
	if (c->nprops >= ARRAY_SIZE(c->props) || !c->nobjs)
		return;
	if (g_chance(g, 30))
		val = g_e64(g);
	c->props[c->nprops] = prop;
	c->vals[c->nprops++] = val;
	c->counts[c->nobjs - 1]++;
}

static void put_obj(struct commit *c, u32 obj)
{
	if (c->nobjs < ARRAY_SIZE(c->objs))
		c->objs[c->nobjs++] = obj;
}

/* A primary plane on a CRTC with a mode, as a compositor would commit. */
static void commit_plausible(struct gen *g, struct slot *s, struct commit *c)
{
	struct kms *k = &st.kms;
	u32 crtc = (u32)g_ref(g, s, R_CRTC), w = 1024, h = 768;
	struct drm_mode_modeinfo m;
	u64 fb;

	mode(g, &m);
	if (m.hdisplay && m.vdisplay) {
		w = m.hdisplay;
		h = m.vdisplay;
	}
	fb = g_chance(g, 10) ? 0 : g_ref(g, s, R_FB);
	put_obj(c, (u32)g_ref(g, s, R_PLANE));
	put_prop(g, c, k->p_fb_id, (u32)fb);
	put_prop(g, c, k->p_crtc_id, crtc);
	put_prop(g, c, k->p_src_x, 0);
	put_prop(g, c, k->p_src_y, 0);
	put_prop(g, c, k->p_src_w, (fb >> 32 & 0xffff) << 16);
	put_prop(g, c, k->p_src_h, (fb >> 48) << 16);
	put_prop(g, c, k->p_crtc_x, 0);
	put_prop(g, c, k->p_crtc_y, 0);
	put_prop(g, c, k->p_crtc_w, w);
	put_prop(g, c, k->p_crtc_h, h);
	if (g_chance(g, 6))
		put_prop(g, c, k->p_in_fence, (u64)(s64)(int)g_ref(g, s, R_SYNCFD));
	put_obj(c, crtc);
	put_prop(g, c, k->p_active, !g_chance(g, 8));
	if (g_chance(g, 2))
		put_prop(g, c, k->p_mode_id, g_ref(g, s, R_PROPBLOB));
	if (g_chance(g, 6))
		put_prop(g, c, k->p_out_fence, g_ptr(g, 8, PTR_OUT));
	put_obj(c, (u32)g_ref(g, s, R_CONN));
	put_prop(g, c, k->p_crtc_id, crtc);
}

static void commit_random(struct gen *g, struct slot *s, struct commit *c)
{
	static const enum ref_pool objs[] = { R_PLANE, R_CRTC, R_CONN, R_FB };
	u32 n = 1 + (u32)g_raw(g, 4), i, j, np;

	for (i = 0; i < n; i++) {
		put_obj(c, (u32)g_ref(g, s, objs[g_raw(g, ARRAY_SIZE(objs))]));
		np = (u32)g_raw(g, 4);
		for (j = 0; j < np; j++)
			put_prop(g, c, (u32)g_ref(g, s, R_PROP), g_raw(g, 2) ?
				 (u32)g_ref(g, s, R_FB) : g_raw(g, 4));
	}
}

static int kms_atomic(struct gen *g, struct slot *s)
{
	static const u64 flags[] = {
		DRM_MODE_ATOMIC_TEST_ONLY, DRM_MODE_ATOMIC_TEST_ONLY | DRM_MODE_ATOMIC_ALLOW_MODESET,
		DRM_MODE_ATOMIC_TEST_ONLY, DRM_MODE_ATOMIC_NONBLOCK | DRM_MODE_PAGE_FLIP_EVENT,
		DRM_MODE_ATOMIC_ALLOW_MODESET, DRM_MODE_ATOMIC_NONBLOCK,
		DRM_MODE_ATOMIC_NONBLOCK | DRM_MODE_ATOMIC_ALLOW_MODESET | DRM_MODE_PAGE_FLIP_EVENT,
	};
	struct drm_mode_atomic a = { 0 };
	struct commit c = { 0 };

	if (g_chance(g, 4))
		commit_random(g, s, &c);
	else
		commit_plausible(g, s, &c);
	a.flags = (u32)g_mostly(g, flags, ARRAY_SIZE(flags), 16);
	a.count_objs = g_chance(g, 20) ? g_e32(g) : c.nobjs;
	a.objs_ptr = g_put(g, c.objs, c.nobjs * 4);
	a.count_props_ptr = g_put(g, c.counts, c.nobjs * 4);
	a.props_ptr = g_put(g, c.props, c.nprops * 4);
	a.prop_values_ptr = g_put(g, c.vals, c.nprops * 8);
	a.user_data = g_raw(g, ~0ULL);
	a.reserved = g_chance(g, 40) ? g_e64(g) : 0;
	return xioctl(s->fd, DRM_IOCTL_MODE_ATOMIC, &a);
}

static int kms_set_client_cap(struct gen *g, struct slot *s)
{
	static const u64 caps[] = {
		DRM_CLIENT_CAP_ATOMIC, DRM_CLIENT_CAP_UNIVERSAL_PLANES, DRM_CLIENT_CAP_ATOMIC,
		DRM_CLIENT_CAP_STEREO_3D, DRM_CLIENT_CAP_ASPECT_RATIO,
		DRM_CLIENT_CAP_WRITEBACK_CONNECTORS, 6 /* CURSOR_PLANE_HOTSPOT */,
	};
	static const u64 vals[] = { 1, 1, 0 };
	struct drm_set_client_cap a = { 0 };

	a.capability = g_mostly(g, caps, ARRAY_SIZE(caps), 10);
	a.value = g_mostly(g, vals, ARRAY_SIZE(vals), 10);
	return xioctl(s->fd, DRM_IOCTL_SET_CLIENT_CAP, &a);
}

/* The largest property blob the fuzzer asks for, and what the core's struct adds. */
#define PROPBLOB_MAX_LENGTH (1u << 20)
#define PROPBLOB_HEADER_SLACK 4096u

static int kms_createpropblob(struct gen *g, struct slot *s)
{
	struct drm_mode_create_blob a = { 0 };
	struct drm_mode_modeinfo m;
	int ret;

	mode(g, &m);
	a.length = sizeof(m);
	if (g_chance(g, 8))
		a.length = g_chance(g, 2) ? g_e32(g) : (u32)g_size(g);
	/*
	 * The DRM core kvzalloc()s any length up to INT_MAX for any opener
	 * of the card, and keeps the blob until it is destroyed or the file
	 * closed: kept blobs of hundreds of MiB ran the 4 GiB debug guest
	 * out of memory (VmallocUsed 2.6 GB, drm_property_create_blob the
	 * top vmalloc caller). Lengths the core refuses outright stay.
	 */
	if (a.length > PROPBLOB_MAX_LENGTH && a.length <= INT_MAX - PROPBLOB_HEADER_SLACK)
		a.length = PROPBLOB_MAX_LENGTH;
	a.data = g_put(g, &m, sizeof(m));
	ret = xioctl(s->fd, DRM_IOCTL_MODE_CREATEPROPBLOB, &a);
	if (!ret)
		pool_add(&s->propblobs, a.blob_id);
	return ret;
}

static int kms_destroypropblob(struct gen *g, struct slot *s)
{
	struct drm_mode_destroy_blob a = { 0 };
	int ret;

	a.blob_id = (u32)g_ref(g, s, R_PROPBLOB);
	ret = xioctl(s->fd, DRM_IOCTL_MODE_DESTROYPROPBLOB, &a);
	if (!ret)
		pool_del(&s->propblobs, a.blob_id);
	return ret;
}

const struct call calls_kms[] = {
	{ "GETRESOURCES", 15, CF_CARD, kms_getresources },
	{ "GETCONNECTOR", 5, CF_CARD | CF_SLOW, kms_getconnector },
	{ "GETPLANE", 10, CF_CARD, kms_getplane },
	{ "OBJ_GETPROPERTIES", 10, CF_CARD, kms_obj_getproperties },
	{ "ADDFB2", 8, CF_CARD, kms_addfb2 },
	{ "RMFB", 8, CF_CARD, kms_rmfb },
	{ "SETCRTC", 1, CF_CARD | CF_BLOCKS | CF_SLOW, kms_setcrtc },
	{ "PAGE_FLIP", 2, CF_CARD | CF_BLOCKS, kms_page_flip },
	{ "CURSOR2", 3, CF_CARD | CF_BLOCKS | CF_SLOW, kms_cursor2 },
	{ "DIRTYFB", 3, CF_CARD | CF_BLOCKS, kms_dirtyfb },
	{ "ATOMIC", 5, CF_CARD | CF_BLOCKS, kms_atomic },
	{ "SET_CLIENT_CAP", 5, CF_CARD, kms_set_client_cap },
	{ "CREATEPROPBLOB", 5, CF_CARD, kms_createpropblob },
	{ "DESTROYPROPBLOB", 5, CF_CARD, kms_destroypropblob },
};
const u32 ncalls_kms = ARRAY_SIZE(calls_kms);
