// SPDX-License-Identifier: GPL-2.0-only
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dev.h"

int dev_ioctl(int fd, unsigned long request, void *arg)
{
	return ioctl(fd, request, arg) ? -errno : 0;
}

static bool dev_is(int fd, const char *driver)
{
	char name[32] = "";
	struct drm_version v = { .name = name, .name_len = sizeof(name) - 1 };

	return !dev_ioctl(fd, DRM_IOCTL_VERSION, &v) && !strcmp(name, driver);
}

int dev_open(const char *node, const char *driver)
{
	DIR *dir = opendir("/dev/dri");
	struct dirent *e;
	char path[300];
	int fd = -ENODEV;

	if (!dir)
		return -errno;
	while ((e = readdir(dir))) {
		if (strncmp(e->d_name, node, strlen(node)))
			continue;
		snprintf(path, sizeof(path), "/dev/dri/%s", e->d_name);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd >= 0 && dev_is(fd, driver))
			break;
		if (fd >= 0)
			close(fd);
		fd = -ENODEV;
	}
	closedir(dir);
	return fd;
}

bool dev_has_capset(int fd, uint32_t id)
{
	uint64_t mask = 0;
	struct drm_virtgpu_getparam gp = {
		.param = VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs,
		.value = (uintptr_t)&mask,
	};

	return !dev_ioctl(fd, DRM_IOCTL_VIRTGPU_GETPARAM, &gp) &&
	       (mask & (1ull << id));
}

int dev_context_init(int fd, uint32_t capset, uint32_t rings, uint64_t poll)
{
	struct drm_virtgpu_context_set_param p[3] = {
		{ VIRTGPU_CONTEXT_PARAM_CAPSET_ID, capset },
		{ VIRTGPU_CONTEXT_PARAM_NUM_RINGS, rings },
		{ VIRTGPU_CONTEXT_PARAM_POLL_RINGS_MASK, poll },
	};
	struct drm_virtgpu_context_init init = {
		.num_params = rings ? (poll ? 3 : 2) : 1,
		.ctx_set_params = (uintptr_t)p,
	};

	return dev_ioctl(fd, DRM_IOCTL_VIRTGPU_CONTEXT_INIT, &init);
}

int dev_buffer(int fd, uint32_t size, uint32_t *handle)
{
	/* A virgl PIPE_BUFFER of R8_UNORM, bound as a vertex buffer. */
	struct drm_virtgpu_resource_create rc = {
		.target = 0, .format = 64, .bind = 1u << 4,
		.width = size, .height = 1, .depth = 1, .array_size = 1,
		.size = size, .stride = size,
	};
	int ret = dev_ioctl(fd, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &rc);

	*handle = ret ? 0 : rc.bo_handle;
	return ret;
}

int dev_submit(int fd, uint32_t flags, int in_fence, int *out_fence,
	       uint32_t ring)
{
	static const uint32_t nops[4];	/* virgl NOP headers */
	struct drm_virtgpu_execbuffer eb = {
		.flags = flags,
		.size = sizeof(nops),
		.command = (uintptr_t)nops,
		.fence_fd = in_fence,
		.ring_idx = ring,
	};
	int ret = dev_ioctl(fd, DRM_IOCTL_VIRTGPU_EXECBUFFER, &eb);

	if (out_fence)
		*out_fence = !ret && (flags & VIRTGPU_EXECBUF_FENCE_FD_OUT) ?
			     eb.fence_fd : NO_FD;
	return ret;
}

bool dev_fence_signals(int fence_fd, int timeout_ms)
{
	struct pollfd p = { .fd = fence_fd, .events = POLLIN };

	return poll(&p, 1, timeout_ms) == 1 && (p.revents & POLLIN);
}

int dev_dumb(int fd, uint32_t w, uint32_t h, uint32_t *handle, uint32_t *pitch)
{
	struct drm_mode_create_dumb d = { .width = w, .height = h, .bpp = 32 };
	int ret = dev_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &d);

	*handle = ret ? 0 : d.handle;
	if (pitch)
		*pitch = d.pitch;
	return ret;
}

int dev_export(int fd, uint32_t handle, int *dmabuf)
{
	struct drm_prime_handle p = { .handle = handle, .flags = DRM_CLOEXEC | DRM_RDWR };
	int ret = dev_ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &p);

	*dmabuf = ret ? NO_FD : p.fd;
	return ret;
}

int dev_import(int fd, int dmabuf, uint32_t *handle)
{
	struct drm_prime_handle p = { .fd = dmabuf };
	int ret = dev_ioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &p);

	*handle = ret ? 0 : p.handle;
	return ret;
}

int dev_resource_info(int fd, uint32_t handle)
{
	struct drm_virtgpu_resource_info info = { .bo_handle = handle };

	return dev_ioctl(fd, DRM_IOCTL_VIRTGPU_RESOURCE_INFO, &info);
}

void *dev_map(int fd, uint32_t handle, size_t size)
{
	struct drm_virtgpu_map m = { .handle = handle };
	void *p;

	if (dev_ioctl(fd, DRM_IOCTL_VIRTGPU_MAP, &m))
		return NULL;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, m.offset);
	return p == MAP_FAILED ? NULL : p;
}
