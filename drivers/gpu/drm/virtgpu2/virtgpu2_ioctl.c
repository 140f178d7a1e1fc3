// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ioctl table. Handlers validate every field first, then call into the
 * file that owns the work.
 */

#include <linux/uaccess.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_ioctl.h>
#include <drm/virtgpu_drm.h>

#include "virtgpu2_drv.h"

static int virtgpu2_param_value(struct virtgpu2_device *vgdev, u64 param,
				u64 *value)
{
	switch (param) {
	case VIRTGPU_PARAM_3D_FEATURES:
		*value = vgdev->has.virgl;
		return 0;
	case VIRTGPU_PARAM_CAPSET_QUERY_FIX:
		*value = 1;
		return 0;
	case VIRTGPU_PARAM_RESOURCE_BLOB:
		*value = vgdev->has.resource_blob;
		return 0;
	case VIRTGPU_PARAM_HOST_VISIBLE:
		*value = vgdev->has.hostmem;
		return 0;
	case VIRTGPU_PARAM_CROSS_DEVICE:
		*value = vgdev->has.resource_uuid;
		return 0;
	case VIRTGPU_PARAM_CONTEXT_INIT:
		*value = vgdev->has.context_init;
		return 0;
	case VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs:
		*value = vgdev->capset_mask;
		return 0;
	case VIRTGPU_PARAM_EXPLICIT_DEBUG_NAME:
		*value = vgdev->has.context_init;
		return 0;
	case VIRTGPU_PARAM_BLOB_ALIGNMENT:
		*value = vgdev->blob_alignment;
		return 0;
	default:
		return -EINVAL;
	}
}

static int virtgpu2_ioctl_getparam(struct drm_device *drm, void *data,
				   struct drm_file *file)
{
	struct drm_virtgpu_getparam *args = data;
	u64 value;
	int ret, out;

	ret = virtgpu2_param_value(to_virtgpu2(drm), args->param, &value);
	if (ret)
		return ret;
	/* The uapi has always written an int, whatever the param. */
	out = value;
	if (copy_to_user(u64_to_user_ptr(args->value), &out, sizeof(out)))
		return -EFAULT;
	return 0;
}

static int virtgpu2_ioctl_get_caps(struct drm_device *drm, void *data,
				   struct drm_file *file)
{
	struct virtgpu2_device *vgdev = to_virtgpu2(drm);
	struct drm_virtgpu_get_caps *args = data;
	const void *caps;
	u32 size;
	int ret;

	if (args->pad)
		return -EINVAL;
	ret = virtgpu2_capset_get(vgdev, args->cap_set_id, args->cap_set_ver,
				  &caps, &size);
	if (ret)
		return ret;
	if (copy_to_user(u64_to_user_ptr(args->addr), caps, min(size, args->size)))
		return -EFAULT;
	return 0;
}

#define VIRTGPU2_IOCTL(name, func) \
	DRM_IOCTL_DEF_DRV(VIRTGPU_##name, virtgpu2_ioctl_##func, DRM_RENDER_ALLOW)

const struct drm_ioctl_desc virtgpu2_ioctls[VIRTGPU2_NUM_IOCTLS] = {
	VIRTGPU2_IOCTL(GETPARAM, getparam),
	VIRTGPU2_IOCTL(GET_CAPS, get_caps),
};
