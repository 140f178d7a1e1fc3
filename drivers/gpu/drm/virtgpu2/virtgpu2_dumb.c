// SPDX-License-Identifier: GPL-2.0-only
/*
 * Dumb buffers: linear 32-bit images in guest pages, shown through a 2D
 * host resource. The display copies their damage to the host before each
 * flush (see virtgpu2_plane.c).
 */

#include <linux/overflow.h>
#include <drm/drm_file.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_gem.h>
#include <drm/drm_mode.h>

#include "virtgpu2_cmd.h"
#include "virtgpu2_display.h"
#include "virtgpu2_drv.h"
#include "virtgpu2_object.h"

/**
 * virtgpu2_dumb_create() - &drm_driver.dumb_create
 * @file: the DRM file
 * @drm: the device
 * @args: width, height and bpp in; handle, pitch and size out
 *
 * DRM core has already rejected zero sizes and sizes that overflow. Like
 * the in-tree driver, only 32 bits per pixel are offered: the host formats
 * of 2D resources are all 32-bit.
 *
 * Return: 0 or an errno (host errors included).
 */
int virtgpu2_dumb_create(struct drm_file *file, struct drm_device *drm,
			 struct drm_mode_create_dumb *args)
{
	struct virtgpu2_device *vgdev = to_virtgpu2(drm);
	struct virtgpu2_object *bo;
	struct virtgpu2_vbuf *vbuf;
	u32 pitch;
	u64 size;
	int ret;

	if (args->bpp != 32)
		return -EINVAL;
	if (check_mul_overflow(args->width, 4U, &pitch))
		return -EINVAL;
	size = PAGE_ALIGN((u64)pitch * args->height);
	if (!size || size > U32_MAX)
		return -EINVAL;

	bo = virtgpu2_object_alloc(vgdev, size);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	bo->dumb = true;
	vbuf = virtgpu2_cmd_resource_create_2d(bo->res_id,
					       virtgpu2_format_to_host(DRM_FORMAT_XRGB8888),
					       args->width, args->height);
	ret = vbuf ? virtgpu2_object_create_shmem(vgdev, bo, vbuf) : -ENOMEM;
	if (ret) {
		drm_gem_object_put(&bo->shmem.base);
		return ret;
	}
	args->pitch = pitch;
	args->size = size;
	return virtgpu2_object_handle(file, bo, &args->handle);
}
