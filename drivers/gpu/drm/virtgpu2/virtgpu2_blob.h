/* SPDX-License-Identifier: GPL-2.0-only */
/* Blob resources: RESOURCE_CREATE_BLOB and what other parts need of blobs. */
#ifndef VIRTGPU2_BLOB_H
#define VIRTGPU2_BLOB_H

#include <linux/align.h>
#include <linux/types.h>

#include "virtgpu2_drv.h"
#include "virtgpu2_object.h"

struct drm_device;
struct drm_file;

int virtgpu2_ioctl_resource_create_blob(struct drm_device *drm, void *data,
					struct drm_file *file);

/* Whether @size is a multiple of the blob alignment the device states. */
static inline bool virtgpu2_blob_size_aligned(const struct virtgpu2_device *vgdev,
					      u64 size)
{
	return !vgdev->has.blob_alignment || IS_ALIGNED(size, vgdev->blob_alignment);
}

/**
 * virtgpu2_object_is_blob() - was @bo made by RESOURCE_CREATE_BLOB
 * @bo: the object
 *
 * A blob is a plain range of bytes: SET_SCANOUT_BLOB names it by
 * @bo->res_id and describes its layout itself, within @bo's GEM size.
 *
 * Return: true for blobs.
 */
static inline bool virtgpu2_object_is_blob(const struct virtgpu2_object *bo)
{
	return bo->blob_mem != 0;
}

#endif /* VIRTGPU2_BLOB_H */
