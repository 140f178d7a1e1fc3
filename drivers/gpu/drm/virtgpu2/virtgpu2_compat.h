/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one place that knows kernel versions differ. Every difference is
 * detected by a probe in scripts/conftest/ (which writes virtgpu2_detect.h)
 * and wrapped here in a virtgpu2_* helper; kernel names are never redefined.
 */
#ifndef VIRTGPU2_COMPAT_H
#define VIRTGPU2_COMPAT_H

#include <linux/mm.h>
#include <linux/virtio_config.h>
#include <linux/virtio_gpu.h>

#include "virtgpu2_detect.h"

/* Protocol constants newer than some supported kernels' uapi headers. */
#ifndef VIRTIO_GPU_F_BLOB_ALIGNMENT
#define VIRTIO_GPU_F_BLOB_ALIGNMENT 5
#endif

/* Byte offset of blob_alignment in the device config (spec 2025). */
#define VIRTGPU2_CONFIG_BLOB_ALIGNMENT 16

/**
 * virtgpu2_cread_blob_alignment() - read the config space's blob_alignment
 * @vdev: the virtio device, which offers VIRTIO_GPU_F_BLOB_ALIGNMENT
 *
 * Kernels before 7.2 lack the field in struct virtio_gpu_config, so it is
 * read by its offset on every kernel. Config fields are little-endian.
 *
 * Return: the alignment in bytes, as the device reports it.
 */
static inline u32 virtgpu2_cread_blob_alignment(struct virtio_device *vdev)
{
	__le32 align;

	virtio_cread_bytes(vdev, VIRTGPU2_CONFIG_BLOB_ALIGNMENT, &align,
			   sizeof(align));
	return le32_to_cpu(align);
}

/*
 * drm_driver.date was removed in Linux 6.14; older kernels print it in
 * DRM_IOCTL_VERSION. Use as an initialiser inside struct drm_driver.
 */
#ifdef VIRTGPU2_HAVE_DRM_DRIVER_DATE
#define VIRTGPU2_DRIVER_DATE .date = "0",
#else
#define VIRTGPU2_DRIVER_DATE
#endif

/**
 * virtgpu2_find_vqs() - set up virtqueues with their callbacks and names
 * @vdev: the virtio device
 * @n: number of queues
 * @vqs: filled with the queues
 * @callbacks: one per queue
 * @names: one per queue
 *
 * Linux 6.11 folded callbacks and names into struct virtqueue_info.
 *
 * Return: 0 or the transport's errno.
 */
static inline int virtgpu2_find_vqs(struct virtio_device *vdev, unsigned int n,
				    struct virtqueue *vqs[],
				    vq_callback_t *callbacks[],
				    const char * const names[])
{
#ifdef VIRTGPU2_HAVE_VIRTQUEUE_INFO
	struct virtqueue_info info[4] = {};
	unsigned int i;

	if (n > ARRAY_SIZE(info))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		info[i].name = names[i];
		info[i].callback = callbacks[i];
	}
	return virtio_find_vqs(vdev, n, vqs, info, NULL);
#else
	return virtio_find_vqs(vdev, n, vqs, callbacks, names, NULL);
#endif
}

/**
 * virtgpu2_vma_set_flags() - add flags to a VMA being set up by mmap
 * @vma: the VMA
 * @flags: VM_* flags to add
 *
 * Linux 6.3 made vm_flags read-only outside vm_flags_set().
 */
static inline void virtgpu2_vma_set_flags(struct vm_area_struct *vma,
					  unsigned long flags)
{
#ifdef VIRTGPU2_HAVE_VM_FLAGS_SET
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
}

#endif /* VIRTGPU2_COMPAT_H */
