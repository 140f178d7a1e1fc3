// SPDX-License-Identifier: GPL-2.0-only
/*
 * edges_unbind: unbinding the driver from the device while clients still
 * hold it (issue 11, "trustworthy at the edges").
 *
 * Clients keep their files, objects, mappings and framebuffers across the
 * unbind; what they do afterwards must fail cleanly (ENODEV), closing them
 * must not touch the freed device, and binding again must give a working
 * device. Every subtest ends with the device bound and checked, so they can
 * run one after another.
 *
 * Only for a 2D device (plain virtio-gpu-pci): QEMU aborts on the reset
 * that follows unbinding a virgl device.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <drm_fourcc.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#include "vgt_virtgpu.h"

#define NODE_WAIT_MS 5000

static const char *const driver_names[] = { "virtgpu2", "virtio_gpu" };

/* The virtio driver directory and the device bound to it. */
struct binding {
	char dir[64];	/* /sys/bus/virtio/drivers/NAME */
	char dev[32];	/* virtioN */
};

static bool find_device(const char *dir, char *dev, size_t len)
{
	struct dirent *de;
	bool found = false;
	DIR *d = opendir(dir);

	if (!d)
		return false;
	while (!found && (de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (!strncmp(de->d_name, "virtio", 6) && n < len) {
			memcpy(dev, de->d_name, n + 1);
			found = true;
		}
	}
	closedir(d);
	return found;
}

static int sysfs_write(const char *dir, const char *file, const char *val)
{
	char path[128];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* A node of the new device: devtmpfs may add it a little after bind. */
static int wait_node(enum vgt_node kind)
{
	u64 end = vgt_now_ns() + (u64)NODE_WAIT_MS * 1000000;
	int fd;

	do {
		fd = vgt_drm_open(kind, "virtio_gpu");
		if (fd >= 0)
			return fd;
		usleep(20000);
	} while (vgt_now_ns() < end);
	vgt_fail("no virtio_gpu %s node within %d ms of binding again\n",
		 kind == VGT_NODE_RENDER ? "render" : "card", NODE_WAIT_MS);
}

/*
 * The GPU when no driver has it: a subtest that crashed before binding it
 * again leaves it so, and the next one should still run.
 */
static bool find_unbound_gpu(char *dev, size_t len)
{
	const char *base = "/sys/bus/virtio/devices";
	char path[300], id[16] = "";
	struct dirent *de;
	bool found = false;
	DIR *d = opendir(base);
	FILE *f;

	if (!d)
		return false;
	while (!found && (de = readdir(d))) {
		if (strncmp(de->d_name, "virtio", 6) || strlen(de->d_name) >= len)
			continue;
		snprintf(path, sizeof(path), "%s/%s/device", base, de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		found = fgets(id, sizeof(id), f) && !strncmp(id, "0x0010", 6);
		fclose(f);
		snprintf(path, sizeof(path), "%s/%s/driver", base, de->d_name);
		found = found && access(path, F_OK);
		if (found)
			memcpy(dev, de->d_name, strlen(de->d_name) + 1);
	}
	closedir(d);
	return found;
}

static bool find_binding(struct binding *b)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(driver_names); i++) {
		snprintf(b->dir, sizeof(b->dir), "/sys/bus/virtio/drivers/%s",
			 driver_names[i]);
		if (find_device(b->dir, b->dev, sizeof(b->dev)))
			return true;
	}
	return false;
}

/* Bind a GPU left unbound to the first of the drivers that is loaded. */
static bool bind_unbound(struct binding *b)
{
	size_t i;

	if (!find_unbound_gpu(b->dev, sizeof(b->dev)))
		return false;
	for (i = 0; i < ARRAY_SIZE(driver_names); i++) {
		snprintf(b->dir, sizeof(b->dir), "/sys/bus/virtio/drivers/%s",
			 driver_names[i]);
		if (!access(b->dir, F_OK)) {
			vgt_info("%s was left unbound: binding it to %s\n",
				 b->dev, b->dir);
			return !sysfs_write(b->dir, "bind", b->dev);
		}
	}
	return false;
}

/*
 * virtgpu2 or the in-tree virtio_gpu, whichever has the device; and a 2D
 * device, since QEMU does not survive the reset of a virgl one.
 */
static void require_binding(struct binding *b)
{
	char path[128];
	int fd;

	vgt_require_f(find_binding(b) || bind_unbound(b), "neither virtgpu2 "
		      "nor virtio_gpu has a GPU in /sys/bus/virtio/drivers\n");
	snprintf(path, sizeof(path), "%s/unbind", b->dir);
	vgt_require_f(!access(path, W_OK), "%s is not writable (root?)\n",
		      path);
	fd = wait_node(VGT_NODE_RENDER);
	vgt_require_no_3d(fd);
	close(fd);
}

static void unbind(const struct binding *b)
{
	char dev[32];

	vgt_assert_ok(sysfs_write(b->dir, "unbind", b->dev));
	vgt_assert_f(!find_device(b->dir, dev, sizeof(dev)),
		     "%s is still bound after unbind\n", b->dev);
	vgt_info("unbound %s from %s\n", b->dev, b->dir);
}

static int create_2d(int fd, u32 *handle)
{
	struct drm_virtgpu_resource_create rc = {
		.target = VGT_PIPE_TEXTURE_2D,
		.format = VGT_VIRTIO_GPU_FORMAT_B8G8R8A8_UNORM,
		.width = 64,
		.height = 64,
		.depth = 1,
		.array_size = 1,
		.size = 64 * 64 * 4,
		.stride = 64 * 4,
	};
	int ret = vgt_resource_create(fd, &rc);

	if (!ret && handle)
		*handle = rc.bo_handle;
	return ret;
}

/* Bind again and check that a fresh render node serves a 2D resource. */
static void rebind_and_check(const struct binding *b)
{
	u32 handle;
	int fd;

	vgt_assert_ok(sysfs_write(b->dir, "bind", b->dev));
	fd = wait_node(VGT_NODE_RENDER);
	vgt_assert_ok(create_2d(fd, &handle));
	vgt_assert_ok(vgt_gem_close(fd, handle));
	close(fd);
	vgt_info("bound %s again: the new device works\n", b->dev);
}

/* Every ioctl on a file of the unbound device fails with ENODEV. */
static void check_gone(int fd)
{
	int value;

	vgt_assert_errno(vgt_getparam(fd, VIRTGPU_PARAM_3D_FEATURES, &value),
			 ENODEV);
	vgt_assert_errno(create_2d(fd, NULL), ENODEV);
}

static int open_2d_render(u32 *handle)
{
	int fd = vgt_open_render();

	vgt_assert_ok(create_2d(fd, handle));
	return fd;
}

static void test_unbind_open_fd(void)
{
	struct binding b;
	u32 handle;
	int fd;

	require_binding(&b);
	fd = open_2d_render(&handle);
	unbind(&b);
	check_gone(fd);
	/* The last reference to the object goes here, after the device. */
	close(fd);
	rebind_and_check(&b);
}

static void *map_dumb(int fd, u32 *handle, u64 *size)
{
	struct drm_mode_create_dumb c = { .width = 256, .height = 256, .bpp = 32 };
	struct drm_mode_map_dumb m = { 0 };
	void *p;

	vgt_assert_ok(vgt_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c));
	m.handle = c.handle;
	vgt_assert_ok(vgt_ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &m));
	p = mmap(NULL, c.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, m.offset);
	vgt_assert(p != MAP_FAILED);
	*handle = c.handle;
	*size = c.size;
	return p;
}

static void test_unbind_with_mappings(void)
{
	struct binding b;
	u32 dumb, res, i;
	int card, render;
	u32 *p;
	u64 size;

	require_binding(&b);
	card = vgt_open_card();
	p = map_dumb(card, &dumb, &size);
	for (i = 0; i < size / 4; i++)
		p[i] = 0xc0de0000 + i;
	render = open_2d_render(&res);
	unbind(&b);
	/* Guest shmem: the pages outlive the device, and so do their data. */
	for (i = 0; i < size / 4; i++)
		vgt_assert_eq(p[i], 0xc0de0000 + i);
	p[0] = 0;
	vgt_assert_ok(munmap(p, size));
	check_gone(render);
	close(render);
	close(card);
	rebind_and_check(&b);
}

/* The first connected connector with a mode, its encoder's CRTC. */
static bool first_output(int fd, u32 *conn, u32 *crtc, drmModeModeInfo *mode)
{
	drmModeRes *res = drmModeGetResources(fd);
	bool found = false;
	int i;

	vgt_assert(res);
	for (i = 0; i < res->count_connectors && !found; i++) {
		drmModeConnector *c = drmModeGetConnector(fd, res->connectors[i]);
		drmModeEncoder *e;

		if (c && c->connection == DRM_MODE_CONNECTED && c->count_modes &&
		    c->count_encoders) {
			e = drmModeGetEncoder(fd, c->encoders[0]);
			vgt_assert(e && e->possible_crtcs);
			*conn = c->connector_id;
			*crtc = res->crtcs[__builtin_ctz(e->possible_crtcs)];
			*mode = c->modes[0];
			drmModeFreeEncoder(e);
			found = true;
		}
		drmModeFreeConnector(c);
	}
	drmModeFreeResources(res);
	return found;
}

/* Put a dumb framebuffer on the screen with the legacy SETCRTC. */
static void light_up(int fd, u32 *fb)
{
	struct drm_mode_create_dumb c = { .bpp = 32 };
	drmModeModeInfo mode;
	u32 conn, crtc;

	vgt_require_f(first_output(fd, &conn, &crtc, &mode),
		      "no connected connector\n");
	c.width = mode.hdisplay;
	c.height = mode.vdisplay;
	vgt_assert_ok(vgt_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c));
	vgt_assert_ok(drmModeAddFB(fd, c.width, c.height, 24, 32, c.pitch,
				   c.handle, fb));
	vgt_assert_ok(drmModeSetCrtc(fd, crtc, *fb, 0, 0, &conn, 1, &mode));
	vgt_info("%s on CRTC %u, connector %u\n", mode.name, crtc, conn);
}

static void test_unbind_kms_on_screen(void)
{
	drmModeModeInfo mode;
	struct binding b;
	u32 fb, conn, crtc;
	int fd;

	require_binding(&b);
	fd = vgt_open_card();
	vgt_require_f(drmSetMaster(fd) == 0 || errno == EINVAL,
		      "cannot become DRM master\n");
	light_up(fd, &fb);
	unbind(&b);
	vgt_assert_errno(drmModeRmFB(fd, fb), ENODEV);
	close(fd);
	rebind_and_check(&b);
	fd = wait_node(VGT_NODE_PRIMARY);
	vgt_assert_f(first_output(fd, &conn, &crtc, &mode),
		     "the new card has no connected connector\n");
	close(fd);
}

static void test_unbind_twice_rebind_loop(void)
{
	struct binding b;
	u32 handle;
	int i, fd;

	require_binding(&b);
	for (i = 0; i < 5; i++) {
		fd = open_2d_render(&handle);
		unbind(&b);
		/* A second unbind of a device no driver has is refused. */
		vgt_assert_errno(sysfs_write(b.dir, "unbind", b.dev), ENODEV);
		check_gone(fd);
		close(fd);
		rebind_and_check(&b);
	}
}

/*
 * unbind-pending-fences: transfers still in flight when the device goes
 * away. Their fences sit on the object's reservation; a dma-buf of it
 * polls writable only once every one of them signalled, which must happen
 * within a bounded time whatever the host had done with them.
 */
#define PENDING_TRANSFERS 64

static void test_unbind_pending_fences(void)
{
	struct drm_virtgpu_3d_box box = { .w = 64, .h = 64, .d = 1 };
	struct pollfd pfd = { .events = POLLOUT };
	struct binding b;
	u32 handle, i;
	int fd;

	require_binding(&b);
	fd = open_2d_render(&handle);
	vgt_assert_ok(drmPrimeHandleToFD(fd, handle, DRM_CLOEXEC, &pfd.fd));
	for (i = 0; i < PENDING_TRANSFERS; i++)
		vgt_assert_ok(vgt_transfer(fd, true, handle, &box, 0, 0));
	unbind(&b);
	vgt_assert_f(poll(&pfd, 1, 10000) == 1 && (pfd.revents & POLLOUT),
		     "the fences of %u transfers did not all signal within 10 s "
		     "of the unbind (revents %#x)\n", PENDING_TRANSFERS,
		     pfd.revents);
	close(pfd.fd);
	close(fd);
	rebind_and_check(&b);
}

static const struct vgt_subtest tests[] = {
	VGT_SUBTEST("unbind-open-fd", test_unbind_open_fd,
		    "ioctls fail with ENODEV after unbind; close is safe; rebind works"),
	VGT_SUBTEST("unbind-with-mappings", test_unbind_with_mappings,
		    "a dumb mapping stays readable across unbind; rebind works"),
	VGT_SUBTEST("unbind-kms-on-screen", test_unbind_kms_on_screen,
		    "unbind with a framebuffer on screen; the new card has a connector"),
	VGT_SUBTEST("unbind-twice-rebind-loop", test_unbind_twice_rebind_loop,
		    "five unbind/bind rounds with a file and an object open"),
	VGT_SUBTEST("unbind-pending-fences", test_unbind_pending_fences,
		    "fences of transfers in flight at unbind all signal"),
};

VGT_MAIN(tests)
