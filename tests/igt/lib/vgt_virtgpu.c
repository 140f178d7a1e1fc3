// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helpers around the virtio-gpu ioctls.
 */
#define _GNU_SOURCE
#include <glob.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include <xf86drm.h>

#include "vgt_virtgpu.h"

int vgt_getparam(int fd, u64 param, int *value)
{
	struct drm_virtgpu_getparam gp = {
		.param = param,
		.value = (uintptr_t)value,
	};

	return vgt_ioctl(fd, DRM_IOCTL_VIRTGPU_GETPARAM, &gp);
}

int vgt_get_caps(int fd, u32 id, u32 version, void *buf, u32 size)
{
	struct drm_virtgpu_get_caps gc = {
		.cap_set_id = id,
		.cap_set_ver = version,
		.addr = (uintptr_t)buf,
		.size = size,
	};

	return vgt_ioctl(fd, DRM_IOCTL_VIRTGPU_GET_CAPS, &gc);
}

int vgt_resource_create(int fd, struct drm_virtgpu_resource_create *rc)
{
	return vgt_ioctl(fd, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, rc);
}

int vgt_resource_info(int fd, u32 handle,
		      struct drm_virtgpu_resource_info *info)
{
	memset(info, 0, sizeof(*info));
	info->bo_handle = handle;
	return vgt_ioctl(fd, DRM_IOCTL_VIRTGPU_RESOURCE_INFO, info);
}

int vgt_map_offset(int fd, u32 handle, u64 *offset)
{
	struct drm_virtgpu_map map = { .handle = handle };
	int ret;

	ret = vgt_ioctl(fd, DRM_IOCTL_VIRTGPU_MAP, &map);
	if (!ret)
		*offset = map.offset;
	return ret;
}

int vgt_gem_close(int fd, u32 handle)
{
	struct drm_gem_close gc = { .handle = handle };

	return vgt_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &gc);
}

int vgt_transfer(int fd, bool to_host, u32 handle,
		 const struct drm_virtgpu_3d_box *box, u32 level, u32 offset)
{
	struct drm_virtgpu_3d_transfer_to_host to = {
		.bo_handle = handle,
		.box = *box,
		.level = level,
		.offset = offset,
	};
	struct drm_virtgpu_3d_transfer_from_host from = {
		.bo_handle = handle,
		.box = *box,
		.level = level,
		.offset = offset,
	};

	if (to_host)
		return vgt_ioctl(fd, DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST, &to);
	return vgt_ioctl(fd, DRM_IOCTL_VIRTGPU_TRANSFER_FROM_HOST, &from);
}

int vgt_wait_bo(int fd, u32 handle, u32 flags)
{
	struct drm_virtgpu_3d_wait w = { .handle = handle, .flags = flags };

	return vgt_ioctl(fd, DRM_IOCTL_VIRTGPU_WAIT, &w);
}

int vgt_execbuf(int fd, struct drm_virtgpu_execbuffer *eb)
{
	return vgt_ioctl(fd, DRM_IOCTL_VIRTGPU_EXECBUFFER, eb);
}

int vgt_context_init(int fd, const struct drm_virtgpu_context_set_param *p,
		     u32 count)
{
	struct drm_virtgpu_context_init ci = {
		.num_params = count,
		.ctx_set_params = (uintptr_t)p,
	};

	return vgt_ioctl(fd, DRM_IOCTL_VIRTGPU_CONTEXT_INIT, &ci);
}

int vgt_param(int fd, u64 param)
{
	int value = 0;

	vgt_assert_ok(vgt_getparam(fd, param, &value));
	return value;
}

void vgt_require_3d(int fd)
{
	int value = 0;

	vgt_require_f(!vgt_getparam(fd, VIRTGPU_PARAM_3D_FEATURES, &value) &&
		      value, "the device has no 3D (virgl) support\n");
}

void vgt_require_no_3d(int fd)
{
	int value = 1;

	vgt_require_f(!vgt_getparam(fd, VIRTGPU_PARAM_3D_FEATURES, &value) &&
		      !value, "this checks a device without 3D (boot with "
		      "--qemu-gpu virtio-gpu-pci)\n");
}

void vgt_require_context_init(int fd)
{
	int value = 0;

	vgt_require_3d(fd);
	vgt_require_f(!vgt_getparam(fd, VIRTGPU_PARAM_CONTEXT_INIT, &value) &&
		      value, "the device has no CONTEXT_INIT feature\n");
}

void vgt_require_capset(int fd, u32 id)
{
	int mask = 0;

	vgt_require_context_init(fd);
	vgt_assert_ok(vgt_getparam(fd, VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs,
				   &mask));
	vgt_require_f((u32)mask & VGT_CAPSET_BIT(id),
		      "the host does not offer capset %u (mask %#x)\n", id,
		      mask);
}

u32 vgt_create_buffer(int fd, u32 size, u32 *res_handle)
{
	struct drm_virtgpu_resource_create rc = {
		.target = VGT_PIPE_BUFFER,
		.format = VGT_VIRGL_FORMAT_R8_UNORM,
		.bind = VGT_VIRGL_BIND_VERTEX_BUFFER,
		.width = size,
		.height = 1,
		.depth = 1,
		.array_size = 1,
		.size = size,
		.stride = size,
	};

	vgt_assert_ok(vgt_resource_create(fd, &rc));
	vgt_assert_neq(rc.bo_handle, 0);
	if (res_handle)
		*res_handle = rc.res_handle;
	return rc.bo_handle;
}

u32 vgt_create_texture_2d(int fd, u32 width, u32 height, u32 *res_handle)
{
	struct drm_virtgpu_resource_create rc = {
		.target = VGT_PIPE_TEXTURE_2D,
		.format = VGT_VIRGL_FORMAT_B8G8R8A8_UNORM,
		.bind = VGT_VIRGL_BIND_RENDER_TARGET |
			VGT_VIRGL_BIND_SAMPLER_VIEW,
		.width = width,
		.height = height,
		.depth = 1,
		.array_size = 1,
		.size = width * height * 4,
		.stride = width * 4,
	};

	vgt_assert_ok(vgt_resource_create(fd, &rc));
	vgt_assert_neq(rc.bo_handle, 0);
	if (res_handle)
		*res_handle = rc.res_handle;
	return rc.bo_handle;
}

void *vgt_mmap_bo(int fd, u32 handle, size_t size)
{
	u64 offset = 0;
	void *ptr;

	vgt_assert_ok(vgt_map_offset(fd, handle, &offset));
	ptr = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
	vgt_assert_f(ptr != MAP_FAILED, "mmap of handle %u at %#llx\n", handle,
		     (unsigned long long)offset);
	return ptr;
}

void vgt_init_context(int fd, u32 capset, u32 num_rings, u64 poll_mask)
{
	struct drm_virtgpu_context_set_param p[3];
	u32 n = 0;

	p[n].param = VIRTGPU_CONTEXT_PARAM_CAPSET_ID;
	p[n++].value = capset;
	if (num_rings) {
		p[n].param = VIRTGPU_CONTEXT_PARAM_NUM_RINGS;
		p[n++].value = num_rings;
	}
	if (poll_mask) {
		p[n].param = VIRTGPU_CONTEXT_PARAM_POLL_RINGS_MASK;
		p[n++].value = poll_mask;
	}
	vgt_assert_ok(vgt_context_init(fd, p, n));
}

int vgt_submit_nops(int fd, u32 flags, u32 ndw, s32 *fence_fd)
{
	u32 cmds[64] = { 0 };	/* all VGT_VIRGL_CCMD_NOP headers */
	struct drm_virtgpu_execbuffer eb = {
		.flags = flags,
		.size = ndw * 4,
		.command = (uintptr_t)cmds,
		.fence_fd = fence_fd ? *fence_fd : -1,
	};
	int ret;

	if (ndw > ARRAY_SIZE(cmds))
		vgt_fail("%u no-op words is more than the helper holds\n", ndw);
	ret = vgt_execbuf(fd, &eb);
	if (!ret && fence_fd)
		*fence_fd = eb.fence_fd;
	return ret;
}

bool vgt_sync_file_wait(int fence_fd, int timeout_ms)
{
	return vgt_fd_ready(fence_fd, timeout_ms);
}

long long vgt_debugfs_number(const char *file, const char *fmt)
{
	long long n = -1;
	char pattern[128];
	glob_t g;
	FILE *f;

	snprintf(pattern, sizeof(pattern), "/sys/kernel/debug/dri/*/%s", file);
	if (glob(pattern, 0, NULL, &g))
		return -1;
	f = fopen(g.gl_pathv[0], "r");
	globfree(&g);
	if (!f)
		return -1;
	if (fscanf(f, fmt, &n) != 1)
		n = -1;
	fclose(f);
	return n;
}
