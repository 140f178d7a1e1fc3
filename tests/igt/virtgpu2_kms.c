// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtgpu2_kms: the display. Atomic modesets with dumb framebuffers on every
 * connected connector, page-flip events, vblank waits at the mode's rate,
 * the cursor plane, the EDID property and the errnos of bad requests, and
 * a guest blob on the screen, checked in a capture of QEMU's window, and
 * hotplug when that window is resized.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <drm_fourcc.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "vgt.h"
#include "vgt_virtgpu.h"

/* One connected connector with the CRTC and planes that can drive it. */
struct output {
	u32 connector;
	u32 crtc;
	u32 primary;
	u32 cursor;
	drmModeModeInfo mode;
};

struct dumb {
	u32 handle;
	u32 pitch;
	u64 size;
	u32 fb;
};

static int open_kms(void)
{
	int fd = vgt_open_card();

	vgt_require_f(drmSetClientCap(fd, DRM_CLIENT_CAP_UNIVERSAL_PLANES, 1) == 0,
		      "no universal planes\n");
	vgt_require_f(drmSetClientCap(fd, DRM_CLIENT_CAP_ATOMIC, 1) == 0,
		      "no atomic modesetting (render-only mode?)\n");
	vgt_require_f(drmSetMaster(fd) == 0 || errno == EINVAL,
		      "cannot become DRM master\n");
	/* Cursor planes honour hotspots: atomic clients must say they do too. */
	drmSetClientCap(fd, DRM_CLIENT_CAP_CURSOR_PLANE_HOTSPOT, 1);
	return fd;
}

static u32 prop_id(int fd, u32 obj, u32 type, const char *name)
{
	drmModeObjectProperties *props = drmModeObjectGetProperties(fd, obj, type);
	u32 i, id = 0;

	vgt_assert(props);
	for (i = 0; i < props->count_props && !id; i++) {
		drmModePropertyRes *p = drmModeGetProperty(fd, props->props[i]);

		if (p && !strcmp(p->name, name))
			id = p->prop_id;
		drmModeFreeProperty(p);
	}
	drmModeFreeObjectProperties(props);
	return id;
}

static u64 prop_value(int fd, u32 obj, u32 type, const char *name, bool *found)
{
	drmModeObjectProperties *props = drmModeObjectGetProperties(fd, obj, type);
	u64 value = 0;
	u32 i;

	*found = false;
	vgt_assert(props);
	for (i = 0; i < props->count_props; i++) {
		drmModePropertyRes *p = drmModeGetProperty(fd, props->props[i]);

		if (p && !strcmp(p->name, name)) {
			value = props->prop_values[i];
			*found = true;
		}
		drmModeFreeProperty(p);
	}
	drmModeFreeObjectProperties(props);
	return value;
}

static u32 plane_of_type(int fd, u32 crtc_index, u64 type)
{
	drmModePlaneRes *res = drmModeGetPlaneResources(fd);
	u32 i, id = 0;
	bool found;

	vgt_assert(res);
	for (i = 0; i < res->count_planes && !id; i++) {
		drmModePlane *p = drmModeGetPlane(fd, res->planes[i]);

		if (p && (p->possible_crtcs & (1u << crtc_index)) &&
		    prop_value(fd, p->plane_id, DRM_MODE_OBJECT_PLANE, "type",
			       &found) == type && found)
			id = p->plane_id;
		drmModeFreePlane(p);
	}
	drmModeFreePlaneResources(res);
	return id;
}

/* Fill @outs with the connected connectors; returns how many. */
static int find_outputs(int fd, struct output *outs, int max)
{
	drmModeRes *res = drmModeGetResources(fd);
	int i, n = 0;

	vgt_assert(res);
	for (i = 0; i < res->count_connectors && n < max; i++) {
		drmModeConnector *c = drmModeGetConnector(fd, res->connectors[i]);
		drmModeEncoder *e;

		if (c && c->connection == DRM_MODE_CONNECTED && c->count_modes &&
		    c->count_encoders) {
			e = drmModeGetEncoder(fd, c->encoders[0]);
			vgt_assert(e);
			/* One CRTC per scanout: the encoder names exactly one. */
			vgt_assert_eq(__builtin_popcount(e->possible_crtcs), 1);
			outs[n].connector = c->connector_id;
			outs[n].crtc = res->crtcs[__builtin_ctz(e->possible_crtcs)];
			outs[n].primary = plane_of_type(fd, __builtin_ctz(e->possible_crtcs),
							DRM_PLANE_TYPE_PRIMARY);
			outs[n].cursor = plane_of_type(fd, __builtin_ctz(e->possible_crtcs),
						       DRM_PLANE_TYPE_CURSOR);
			outs[n].mode = c->modes[0];
			drmModeFreeEncoder(e);
			n++;
		}
		drmModeFreeConnector(c);
	}
	drmModeFreeResources(res);
	vgt_require_f(n > 0, "no connected connector\n");
	return n;
}

static void dumb_fb(int fd, u32 w, u32 h, u32 format, u32 fill, struct dumb *d)
{
	struct drm_mode_create_dumb c = { .width = w, .height = h, .bpp = 32 };
	struct drm_mode_map_dumb m = { 0 };
	u32 handles[4] = { 0 }, pitches[4] = { 0 }, offsets[4] = { 0 };
	u32 *p;
	u64 i;

	vgt_assert_ok(vgt_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c));
	d->handle = c.handle;
	d->pitch = c.pitch;
	d->size = c.size;
	m.handle = c.handle;
	vgt_assert_ok(vgt_ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &m));
	p = mmap(NULL, c.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, m.offset);
	vgt_assert(p != MAP_FAILED);
	for (i = 0; i < c.size / 4; i++)
		p[i] = fill;
	munmap(p, c.size);
	handles[0] = c.handle;
	pitches[0] = c.pitch;
	vgt_assert_ok(drmModeAddFB2(fd, w, h, format, handles, pitches, offsets,
				    &d->fb, 0));
}

static void dumb_free(int fd, struct dumb *d)
{
	struct drm_mode_destroy_dumb destroy = { .handle = d->handle };

	drmModeRmFB(fd, d->fb);
	vgt_assert_ok(vgt_ioctl(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &destroy));
}

static void add(drmModeAtomicReq *req, int fd, u32 obj, u32 type,
		const char *name, u64 value)
{
	u32 id = prop_id(fd, obj, type, name);

	vgt_assert_f(id, "no property %s on object %u\n", name, obj);
	vgt_assert(drmModeAtomicAddProperty(req, obj, id, value) > 0);
}

static void add_plane(drmModeAtomicReq *req, int fd, u32 plane, u32 crtc,
		      u32 fb, u32 w, u32 h)
{
	u32 t = DRM_MODE_OBJECT_PLANE;

	add(req, fd, plane, t, "FB_ID", fb);
	add(req, fd, plane, t, "CRTC_ID", fb ? crtc : 0);
	add(req, fd, plane, t, "SRC_X", 0);
	add(req, fd, plane, t, "SRC_Y", 0);
	add(req, fd, plane, t, "SRC_W", (u64)w << 16);
	add(req, fd, plane, t, "SRC_H", (u64)h << 16);
	add(req, fd, plane, t, "CRTC_X", 0);
	add(req, fd, plane, t, "CRTC_Y", 0);
	add(req, fd, plane, t, "CRTC_W", w);
	add(req, fd, plane, t, "CRTC_H", h);
}

/* Atomic modeset of @o showing @fb (0: off); returns 0 or -errno. */
static int modeset(int fd, const struct output *o, u32 fb, u32 w, u32 h)
{
	drmModeAtomicReq *req = drmModeAtomicAlloc();
	u32 blob = 0;
	int ret;

	vgt_assert(req);
	if (fb)
		vgt_assert_ok(drmModeCreatePropertyBlob(fd, &o->mode, sizeof(o->mode),
							&blob));
	add(req, fd, o->crtc, DRM_MODE_OBJECT_CRTC, "MODE_ID", blob);
	add(req, fd, o->crtc, DRM_MODE_OBJECT_CRTC, "ACTIVE", !!fb);
	add(req, fd, o->connector, DRM_MODE_OBJECT_CONNECTOR, "CRTC_ID",
	    fb ? o->crtc : 0);
	if (fb)
		add_plane(req, fd, o->primary, o->crtc, fb, w, h);
	else
		add_plane(req, fd, o->primary, o->crtc, 0, 0, 0);
	ret = drmModeAtomicCommit(fd, req, DRM_MODE_ATOMIC_ALLOW_MODESET, NULL);
	ret = ret ? -errno : 0;
	drmModeAtomicFree(req);
	if (blob)
		drmModeDestroyPropertyBlob(fd, blob);
	return ret;
}

static void light_up(int fd, const struct output *o, struct dumb *d, u32 fill)
{
	dumb_fb(fd, o->mode.hdisplay, o->mode.vdisplay, DRM_FORMAT_XRGB8888, fill, d);
	vgt_assert_ok(modeset(fd, o, d->fb, o->mode.hdisplay, o->mode.vdisplay));
}

static void test_modeset_each_connector(void)
{
	struct output outs[16];
	int fd = open_kms(), n, i;
	struct dumb d;

	n = find_outputs(fd, outs, 16);
	for (i = 0; i < n; i++) {
		vgt_info("connector %u on CRTC %u: %s\n", outs[i].connector,
			 outs[i].crtc, outs[i].mode.name);
		light_up(fd, &outs[i], &d, 0x00ff8000);
		vgt_assert_ok(modeset(fd, &outs[i], 0, 0, 0));
		dumb_free(fd, &d);
	}
	close(fd);
}

struct flip_result {
	bool seen;
	unsigned int seq;
	u32 crtc;
};

static void on_flip(int fd __attribute__((unused)), unsigned int seq,
		    unsigned int sec __attribute__((unused)),
		    unsigned int usec __attribute__((unused)),
		    unsigned int crtc, void *data)
{
	struct flip_result *r = data;

	r->seen = true;
	r->seq = seq;
	r->crtc = crtc;
}

static void test_page_flip_event(void)
{
	struct flip_result r = { 0 };
	struct output o;
	struct dumb a, b;
	unsigned int last = 0;
	int fd = open_kms(), i;
	drmEventContext ev = { .version = 3, .page_flip_handler2 = on_flip };
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	find_outputs(fd, &o, 1);
	light_up(fd, &o, &a, 0x000000ff);
	dumb_fb(fd, o.mode.hdisplay, o.mode.vdisplay, DRM_FORMAT_XRGB8888, 0x0000ff00, &b);
	for (i = 0; i < 6; i++) {
		r.seen = false;
		vgt_assert_ok(drmModePageFlip(fd, o.crtc, i & 1 ? a.fb : b.fb,
					      DRM_MODE_PAGE_FLIP_EVENT, &r));
		/* A second flip before the first completed is refused. */
		if (i == 0)
			vgt_assert_errno(drmModePageFlip(fd, o.crtc, a.fb,
							 DRM_MODE_PAGE_FLIP_EVENT, &r),
					 EBUSY);
		vgt_assert_f(poll(&pfd, 1, 2000) == 1, "no flip event within 2 s\n");
		vgt_assert_ok(drmHandleEvent(fd, &ev));
		vgt_assert(r.seen);
		vgt_assert_eq(r.crtc, o.crtc);
		if (i)
			vgt_assert_gt(r.seq, last);
		last = r.seq;
	}
	vgt_assert_ok(modeset(fd, &o, 0, 0, 0));
	dumb_free(fd, &a);
	dumb_free(fd, &b);
	close(fd);
}

static int wait_vblank(int fd, u32 type, u32 seq, drmVBlank *vbl)
{
	memset(vbl, 0, sizeof(*vbl));
	vbl->request.type = type;
	vbl->request.sequence = seq;
	return drmWaitVBlank(fd, vbl) ? -errno : 0;
}

static double vblank_time(const drmVBlank *v)
{
	return v->reply.tval_sec + v->reply.tval_usec / 1e6;
}

static void test_vblank_rate(void)
{
	const unsigned int frames = 30;
	unsigned int counted;
	struct output o;
	struct dumb d;
	drmVBlank v0, v1;
	double period, elapsed;
	u64 start, waited;
	int fd = open_kms();

	find_outputs(fd, &o, 1);
	light_up(fd, &o, &d, 0x00404040);
	period = 1.0 / (o.mode.vrefresh ? o.mode.vrefresh : 60);
	vgt_assert_ok(wait_vblank(fd, DRM_VBLANK_RELATIVE, 1, &v0));
	start = vgt_now_ns();
	vgt_assert_ok(wait_vblank(fd, DRM_VBLANK_RELATIVE, frames, &v1));
	waited = vgt_now_ns() - start;
	/*
	 * A wait ends at or after its target: a guest that runs late may
	 * handle a few vblanks at once before the waiter runs.
	 */
	counted = v1.reply.sequence - v0.reply.sequence;
	vgt_assert_gte(counted, frames);
	vgt_assert_lte(counted, frames + 5);
	elapsed = vblank_time(&v1) - vblank_time(&v0);
	vgt_info("%u vblanks %.6f s apart (%.3f s waited), mode period %.3f ms\n",
		 counted, elapsed, waited / 1e9, period * 1e3);
	/* vblank times lie on the timer's grid: exact to the period. */
	vgt_assert_f(elapsed > counted * period * 0.99 && elapsed < counted * period * 1.01,
		     "%u vblanks are %.6f s apart, expected %.6f s\n", counted, elapsed,
		     counted * period);
	/*
	 * Not faster than the clock either: a late timer drains its backlog
	 * at most at twice the rate.
	 */
	vgt_assert_f(waited / 1e9 > (frames - 1) * period / 2 * 0.99,
		     "%u vblanks came in %.3f s\n", frames, waited / 1e9);
	/* A query does not wait and reports the current count. */
	vgt_assert_ok(wait_vblank(fd, DRM_VBLANK_RELATIVE, 0, &v0));
	vgt_assert_gte(v0.reply.sequence, v1.reply.sequence);
	vgt_assert_ok(modeset(fd, &o, 0, 0, 0));
	/* No vblanks on a CRTC that is off. */
	vgt_assert_errno(wait_vblank(fd, DRM_VBLANK_RELATIVE, 1, &v0), EINVAL);
	dumb_free(fd, &d);
	close(fd);
}

static void test_cursor(void)
{
	struct output o;
	struct dumb d, c, big;
	int fd = open_kms();

	find_outputs(fd, &o, 1);
	vgt_require_f(o.cursor, "no cursor plane\n");
	light_up(fd, &o, &d, 0x00202020);
	dumb_fb(fd, 64, 64, DRM_FORMAT_ARGB8888, 0xffff0000, &c);
	vgt_assert_ok(drmModeSetCursor(fd, o.crtc, c.handle, 64, 64));
	vgt_assert_ok(drmModeMoveCursor(fd, o.crtc, 10, 20));
	vgt_assert_ok(drmModeMoveCursor(fd, o.crtc, -16, -16));
	vgt_assert_ok(drmModeSetCursor2(fd, o.crtc, c.handle, 64, 64, 5, 7));
	vgt_assert_ok(drmModeMoveCursor(fd, o.crtc, 100, 100));
	/* The device's cursor is 64x64: a larger image is refused. */
	dumb_fb(fd, 128, 128, DRM_FORMAT_ARGB8888, 0xff00ff00, &big);
	vgt_assert_errno(drmModeSetCursor(fd, o.crtc, big.handle, 128, 128), EINVAL);
	vgt_assert_errno(drmModeSetCursor(fd, o.crtc, 0xdeadbeef, 64, 64), ENOENT);
	vgt_assert_ok(drmModeSetCursor(fd, o.crtc, 0, 0, 0));
	vgt_assert_ok(modeset(fd, &o, 0, 0, 0));
	dumb_free(fd, &big);
	dumb_free(fd, &c);
	dumb_free(fd, &d);
	close(fd);
}

static void test_edid_property(void)
{
	struct output o;
	drmModePropertyBlobRes *blob;
	const u8 header[8] = { 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0 };
	bool found;
	u64 id;
	int fd = open_kms();

	find_outputs(fd, &o, 1);
	id = prop_value(fd, o.connector, DRM_MODE_OBJECT_CONNECTOR, "EDID", &found);
	vgt_assert_f(found, "connector has no EDID property\n");
	vgt_require_f(id, "the device offers no EDID (feature not negotiated)\n");
	blob = drmModeGetPropertyBlob(fd, id);
	vgt_assert(blob);
	vgt_assert_gte(blob->length, 128);
	vgt_assert(!memcmp(blob->data, header, sizeof(header)));
	drmModeFreePropertyBlob(blob);
	close(fd);
}

/* Run the screen helper (scripts/guest/monitor) with @args. */
static void screen_helper(const char *args)
{
	const char *monitor = getenv("VGT_MONITOR");
	char cmd[512];

	vgt_require_f(monitor, "VGT_MONITOR names no screen helper\n");
	snprintf(cmd, sizeof(cmd), "%s %s >/dev/null", monitor, args);
	vgt_assert_eq(system(cmd), 0);
}

/* A socket that hears the kernel's uevents. */
static int uevent_socket(void)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int s = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
		       NETLINK_KOBJECT_UEVENT);

	vgt_assert(s >= 0);
	vgt_assert_ok(bind(s, (struct sockaddr *)&addr, sizeof(addr)));
	return s;
}

/* Wait up to @ms for a DRM uevent with HOTPLUG=1. */
static bool wait_hotplug_uevent(int s, int ms)
{
	u64 end = vgt_now_ns() + (u64)ms * 1000000;
	char buf[4096], *p;
	bool hotplug, drm;
	ssize_t n;

	while (vgt_now_ns() < end) {
		if (!vgt_fd_ready(s, (int)((end - vgt_now_ns()) / 1000000) + 1))
			return false;
		n = recv(s, buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			continue;
		buf[n] = 0;
		hotplug = drm = false;
		for (p = buf; p < buf + n; p += strlen(p) + 1) {
			hotplug |= !strcmp(p, "HOTPLUG=1");
			drm |= !strcmp(p, "SUBSYSTEM=drm");
		}
		if (hotplug && drm)
			return true;
	}
	return false;
}

/* Resize QEMU's window; the guest must hear of it and offer the size. */
static drmModeModeInfo resize_and_probe(int fd, int s, u32 connector,
					u32 win_w, u32 win_h)
{
	drmModeConnector *c;
	drmModeModeInfo mode;
	char args[64];

	snprintf(args, sizeof(args), "xresize %u %u", win_w, win_h);
	screen_helper(args);
	vgt_assert_f(wait_hotplug_uevent(s, 20000),
		     "no hotplug uevent within 20 s of the resize\n");
	c = drmModeGetConnector(fd, connector);
	vgt_assert(c && c->count_modes);
	vgt_assert(c->modes[0].type & DRM_MODE_TYPE_PREFERRED);
	mode = c->modes[0];
	drmModeFreeConnector(c);
	vgt_info("window %ux%u: preferred mode %ux%u\n", win_w, win_h,
		 mode.hdisplay, mode.vdisplay);
	return mode;
}

static void test_hotplug_resize(void)
{
	u32 want_w, w0, h0, menu;
	drmModeModeInfo mode;
	struct output o;
	int fd = open_kms(), s;

	vgt_require_f(getenv("VGT_MONITOR"), "VGT_MONITOR names no screen helper\n");
	find_outputs(fd, &o, 1);
	w0 = o.mode.hdisplay;
	h0 = o.mode.vdisplay;
	want_w = w0 == 800 ? 832 : 800;
	s = uevent_socket();
	/* The window is the display plus QEMU's menu bar. */
	mode = resize_and_probe(fd, s, o.connector, want_w, 640);
	vgt_assert_eq(mode.hdisplay, want_w);
	vgt_assert_lt(mode.vdisplay, 640);
	vgt_assert_gt(mode.vdisplay, 540);
	menu = 640 - mode.vdisplay;
	mode = resize_and_probe(fd, s, o.connector, w0, h0 + menu);
	vgt_assert_eq(mode.hdisplay, w0);
	vgt_assert_eq(mode.vdisplay, h0);
	close(s);
	close(fd);
}

static void test_damage_clips(void)
{
	struct drm_mode_rect clips[2] = {
		{ .x1 = 0, .y1 = 0, .x2 = 16, .y2 = 16 },
		{ .x1 = 32, .y1 = 8, .x2 = 64, .y2 = 40 },
	};
	drmModeClip dirty = { .x1 = 8, .y1 = 8, .x2 = 24, .y2 = 40 };
	drmModeAtomicReq *req;
	struct output o;
	struct dumb d;
	u32 blob;
	int fd = open_kms();

	find_outputs(fd, &o, 1);
	vgt_require(prop_id(fd, o.primary, DRM_MODE_OBJECT_PLANE, "FB_DAMAGE_CLIPS"));
	light_up(fd, &o, &d, 0x00000000);
	vgt_assert_ok(drmModeCreatePropertyBlob(fd, clips, sizeof(clips), &blob));
	req = drmModeAtomicAlloc();
	add(req, fd, o.primary, DRM_MODE_OBJECT_PLANE, "FB_DAMAGE_CLIPS", blob);
	vgt_assert_ok(drmModeAtomicCommit(fd, req, 0, NULL));
	drmModeAtomicFree(req);
	drmModeDestroyPropertyBlob(fd, blob);
	/* The legacy dirty ioctl takes the same path. */
	vgt_assert_ok(drmModeDirtyFB(fd, d.fb, &dirty, 1));
	vgt_assert_ok(modeset(fd, &o, 0, 0, 0));
	dumb_free(fd, &d);
	close(fd);
}

/*
 * Capture the host's view of the display (scripts/guest/monitor xshot,
 * named by VGT_MONITOR) and return the share of its pixels that are @rgb,
 * in per mille of a @w x @h display.
 */
static int screen_share_of(u32 rgb, u32 w, u32 h)
{
	const char *base = "/vmrun/vgt-kms-shot";
	unsigned int sw, sh, hits = 0;
	unsigned char *px;
	char cmd[512];
	size_t i, n;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "xshot %s", base);
	screen_helper(cmd);
	snprintf(cmd, sizeof(cmd), "%s.ppm", base);
	f = fopen(cmd, "rb");
	vgt_assert(f);
	vgt_assert_eq(fscanf(f, "P6 %u %u 255", &sw, &sh), 2);
	fgetc(f);
	n = (size_t)sw * sh * 3;
	px = malloc(n);
	vgt_assert(px);
	vgt_assert_eq(fread(px, 1, n, f), n);
	fclose(f);
	for (i = 0; i < n; i += 3)
		hits += ((u32)px[i] << 16 | px[i + 1] << 8 | px[i + 2]) == rgb;
	free(px);
	return (int)((u64)hits * 1000 / ((u64)w * h));
}

/* The kernel log names a SET_SCANOUT_BLOB (0x10d) the host refused. */
static bool host_refused_scanout_blob(void)
{
	return system("dmesg | grep -q 'command 0x10d'") == 0;
}

/*
 * Wait up to about 20 s for the capture to show @rgb on most of the
 * display. A host that cannot show guest blobs (QEMU needs the host's
 * udmabuf for that) refuses SET_SCANOUT_BLOB: a skip that says so.
 */
static void assert_screen_shows(u32 rgb, u32 w, u32 h)
{
	int share = 0, i;

	for (i = 0; i < 6 && share < 950; i++) {
		if (i)
			sleep(2);
		share = screen_share_of(rgb, w, h);
		vgt_require_f(share >= 950 || !host_refused_scanout_blob(),
			      "the host refused SET_SCANOUT_BLOB (QEMU shows guest blobs through the host's udmabuf)\n");
	}
	vgt_info("%d per mille of the display is %06x\n", share, rgb);
	vgt_assert_gte(share, 950);
}

static void test_blob_scanout(void)
{
	u32 handles[4] = { 0 }, pitches[4] = { 0 }, offsets[4] = { 0 }, fb;
	struct drm_virtgpu_resource_create_blob rc = {
		.blob_mem = VIRTGPU_BLOB_MEM_GUEST,
		.blob_flags = VIRTGPU_BLOB_FLAG_USE_MAPPABLE,
	};
	drmModeClip all;
	struct output o;
	u32 *p, w, h;
	u64 i;
	int fd = open_kms();

	vgt_require_f(vgt_param(fd, VIRTGPU_PARAM_RESOURCE_BLOB) == 1,
		      "the device has no blob resources\n");
	find_outputs(fd, &o, 1);
	w = o.mode.hdisplay;
	h = o.mode.vdisplay;
	rc.size = (u64)w * h * 4;
	vgt_assert_ok(vgt_ioctl(fd, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB, &rc));
	p = vgt_mmap_bo(fd, rc.bo_handle, rc.size);
	for (i = 0; i < rc.size / 4; i++)
		p[i] = 0x0030c060;
	handles[0] = rc.bo_handle;
	pitches[0] = w * 4;
	vgt_assert_ok(drmModeAddFB2(fd, w, h, DRM_FORMAT_XRGB8888, handles,
				    pitches, offsets, &fb, 0));
	vgt_assert_ok(modeset(fd, &o, fb, w, h));
	assert_screen_shows(0x30c060, w, h);
	/* New content in the same blob reaches the screen with DIRTYFB. */
	for (i = 0; i < rc.size / 4; i++)
		p[i] = 0x00c04080;
	all = (drmModeClip){ .x2 = w, .y2 = h };
	vgt_assert_ok(drmModeDirtyFB(fd, fb, &all, 1));
	assert_screen_shows(0xc04080, w, h);
	vgt_assert_ok(modeset(fd, &o, 0, 0, 0));
	drmModeRmFB(fd, fb);
	munmap(p, rc.size);
	vgt_assert_ok(vgt_gem_close(fd, rc.bo_handle));
	close(fd);
}

static void test_bad_inputs(void)
{
	u32 handles[4] = { 0 }, pitches[4] = { 0 }, offsets[4] = { 0 }, fb;
	drmModeAtomicReq *req;
	struct output o;
	struct dumb d, small;
	drmVBlank v;
	int fd = open_kms();

	find_outputs(fd, &o, 1);
	/* The console may have the CRTC on: turn it off first. */
	vgt_assert_ok(modeset(fd, &o, 0, 0, 0));
	dumb_fb(fd, o.mode.hdisplay, o.mode.vdisplay, DRM_FORMAT_XRGB8888, 0, &d);
	/* Flip on a CRTC that is off: DRM says "not bound yet". */
	vgt_assert_errno(drmModePageFlip(fd, o.crtc, d.fb, DRM_MODE_PAGE_FLIP_EVENT,
					 NULL), EBUSY);
	/* A format the planes do not offer. */
	handles[0] = d.handle;
	pitches[0] = d.pitch;
	vgt_assert_errno(drmModeAddFB2(fd, 64, 64, DRM_FORMAT_NV12, handles, pitches,
				       offsets, &fb, 0), EINVAL);
	/* A framebuffer larger than its buffer. */
	vgt_assert_errno(drmModeAddFB2(fd, o.mode.hdisplay, o.mode.vdisplay * 4,
				       DRM_FORMAT_XRGB8888, handles, pitches,
				       offsets, &fb, 0), EINVAL);
	/* vblank on a CRTC that is off, and on a CRTC that does not exist. */
	vgt_assert_errno(wait_vblank(fd, DRM_VBLANK_RELATIVE, 1, &v), EINVAL);
	vgt_assert_errno(wait_vblank(fd, DRM_VBLANK_RELATIVE |
				     (31 << DRM_VBLANK_HIGH_CRTC_SHIFT), 1, &v),
			 EINVAL);
	/* On a lit CRTC, the primary plane must cover all of it. */
	vgt_assert_ok(modeset(fd, &o, d.fb, o.mode.hdisplay, o.mode.vdisplay));
	dumb_fb(fd, 64, 64, DRM_FORMAT_XRGB8888, 0, &small);
	req = drmModeAtomicAlloc();
	add_plane(req, fd, o.primary, o.crtc, small.fb, 64, 64);
	vgt_assert_errno(drmModeAtomicCommit(fd, req, DRM_MODE_ATOMIC_TEST_ONLY, NULL),
			 EINVAL);
	drmModeAtomicFree(req);
	vgt_assert_ok(modeset(fd, &o, 0, 0, 0));
	dumb_free(fd, &small);
	dumb_free(fd, &d);
	close(fd);
}

static const struct vgt_subtest tests[] = {
	VGT_SUBTEST("modeset-each-connector", test_modeset_each_connector,
		    "atomic modeset with a dumb framebuffer on every connected connector"),
	VGT_SUBTEST("page-flip-event", test_page_flip_event,
		    "page flips complete with events at increasing vblank counts"),
	VGT_SUBTEST("vblank-rate", test_vblank_rate,
		    "WAIT_VBLANK counts advance at the mode's refresh rate"),
	VGT_SUBTEST("cursor", test_cursor,
		    "cursor set, move, hotspot and hide; oversized cursors refused"),
	VGT_SUBTEST("edid-property", test_edid_property,
		    "the connector's EDID property holds the host's EDID"),
	VGT_SUBTEST("hotplug-resize", test_hotplug_resize,
		    "resizing QEMU's window sends a hotplug uevent and a new preferred mode"),
	VGT_SUBTEST("damage-clips", test_damage_clips,
		    "damage clips and DIRTYFB are accepted on a lit dumb framebuffer"),
	VGT_SUBTEST("blob-scanout", test_blob_scanout,
		    "a guest blob shown with SET_SCANOUT_BLOB, then updated, on the screen"),
	VGT_SUBTEST("bad-inputs", test_bad_inputs,
		    "bad flips, formats, sizes, plane geometry and vblank requests"),
};

VGT_MAIN(tests)
