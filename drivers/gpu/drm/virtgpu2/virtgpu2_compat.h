/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one place that knows kernel versions differ. Every difference is
 * detected by a probe in scripts/conftest/ (which writes virtgpu2_detect.h)
 * and wrapped here in a virtgpu2_* helper; kernel names are never redefined.
 */
#ifndef VIRTGPU2_COMPAT_H
#define VIRTGPU2_COMPAT_H

#include <linux/hrtimer.h>
#include <linux/mm.h>
#include <linux/virtio_config.h>
#include <linux/virtio_gpu.h>
#include <drm/drm_edid.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_plane.h>

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

/*
 * Linux 7.x renamed struct drm_atomic_state to struct drm_atomic_commit.
 * Display code names it struct virtgpu2_atomic.
 */
#ifdef VIRTGPU2_HAVE_DRM_ATOMIC_COMMIT
#define virtgpu2_atomic drm_atomic_commit
#else
#define virtgpu2_atomic drm_atomic_state
#endif

/*
 * Newer kernels reset a virtio device on shutdown unless the driver has its
 * own method; older ones leave the device alone, which is what we want.
 */
#ifdef VIRTGPU2_HAVE_VIRTIO_DRIVER_SHUTDOWN
#define VIRTGPU2_VIRTIO_SHUTDOWN(fn) .shutdown = (fn),
#else
#define VIRTGPU2_VIRTIO_SHUTDOWN(fn)
#endif

/*
 * Foreign dma-bufs are attached with the DMA_BUF namespace's symbols.
 * Linux 6.13 made MODULE_IMPORT_NS() take a string literal.
 */
#ifdef VIRTGPU2_HAVE_MODULE_IMPORT_NS_IDENT
#define VIRTGPU2_IMPORT_NS_DMA_BUF MODULE_IMPORT_NS(DMA_BUF)
#else
#define VIRTGPU2_IMPORT_NS_DMA_BUF MODULE_IMPORT_NS("DMA_BUF")
#endif

/* Linux 6.13 added hrtimer_setup(); hrtimer_init() is gone since. */
static inline void virtgpu2_hrtimer_setup(struct hrtimer *timer,
					  enum hrtimer_restart (*fn)(struct hrtimer *),
					  enum hrtimer_mode mode)
{
#ifdef VIRTGPU2_HAVE_HRTIMER_SETUP
	hrtimer_setup(timer, fn, CLOCK_MONOTONIC, mode);
#else
	hrtimer_init(timer, CLOCK_MONOTONIC, mode);
	timer->function = fn;
#endif
}

/*
 * Linux 6.8 moved the cursor hotspot from the framebuffer into the plane
 * state; drivers that honour it say so with DRIVER_CURSOR_HOTSPOT.
 */
#ifdef VIRTGPU2_HAVE_PLANE_STATE_HOTSPOT
#define VIRTGPU2_DRIVER_CURSOR_HOTSPOT DRIVER_CURSOR_HOTSPOT
static inline void virtgpu2_cursor_hotspot(const struct drm_plane_state *s,
					   u32 *x, u32 *y)
{
	*x = s->hotspot_x;
	*y = s->hotspot_y;
}

static inline void virtgpu2_copy_hotspot(struct drm_plane_state *to,
					 const struct drm_plane_state *from)
{
	to->hotspot_x = from->hotspot_x;
	to->hotspot_y = from->hotspot_y;
}
#else
#define VIRTGPU2_DRIVER_CURSOR_HOTSPOT 0
static inline void virtgpu2_cursor_hotspot(const struct drm_plane_state *s,
					   u32 *x, u32 *y)
{
	*x = s->fb->hot_x;
	*y = s->fb->hot_y;
}

/* The hotspot travels with the framebuffer here. */
static inline void virtgpu2_copy_hotspot(struct drm_plane_state *to,
					 const struct drm_plane_state *from)
{
}
#endif

/*
 * Linux 6.15 added a "flip" argument to atomic_async_check: whether the
 * request is an async page flip rather than a legacy cursor update.
 */
#ifdef VIRTGPU2_HAVE_PLANE_ASYNC_CHECK_FLIP
#define VIRTGPU2_ASYNC_CHECK_ARGS \
	struct drm_plane *plane, struct virtgpu2_atomic *state, bool flip
#define VIRTGPU2_ASYNC_FLIP flip
#else
#define VIRTGPU2_ASYNC_CHECK_ARGS \
	struct drm_plane *plane, struct virtgpu2_atomic *state
#define VIRTGPU2_ASYNC_FLIP false
#endif

/**
 * virtgpu2_edid_connector_modes() - set the connector's EDID, add its modes
 * @connector: the connector
 * @edid: the EDID, or NULL to clear it
 *
 * Linux 6.3 split adding the modes out of drm_edid_connector_update().
 *
 * Return: the number of modes added.
 */
static inline int virtgpu2_edid_connector_modes(struct drm_connector *connector,
						const struct drm_edid *edid)
{
#ifdef VIRTGPU2_HAVE_DRM_EDID_CONNECTOR_ADD_MODES
	drm_edid_connector_update(connector, edid);
	return drm_edid_connector_add_modes(connector);
#else
	return drm_edid_connector_update(connector, edid);
#endif
}

/*
 * fbdev emulation: drm_client_setup() with the driver's fbdev_probe hook
 * since Linux 6.14, drm_fbdev_shmem_setup() on 6.11..6.13 and
 * drm_fbdev_generic_setup() before. VIRTGPU2_FBDEV_DRIVER_OPS goes inside
 * struct drm_driver.
 */
#if defined(VIRTGPU2_HAVE_DRM_CLIENT_SETUP)
#include <drm/clients/drm_client_setup.h>
#include <drm/drm_fbdev_shmem.h>
#define VIRTGPU2_FBDEV_DRIVER_OPS DRM_FBDEV_SHMEM_DRIVER_OPS,
static inline void virtgpu2_fbdev_setup(struct drm_device *drm)
{
	drm_client_setup(drm, NULL);
}
#elif defined(VIRTGPU2_HAVE_DRM_FBDEV_SHMEM_SETUP)
#include <drm/drm_fbdev_shmem.h>
#define VIRTGPU2_FBDEV_DRIVER_OPS
static inline void virtgpu2_fbdev_setup(struct drm_device *drm)
{
	drm_fbdev_shmem_setup(drm, 32);
}
#else
#ifdef VIRTGPU2_HAVE_DRM_FBDEV_GENERIC_H
#include <drm/drm_fbdev_generic.h>
#else
#include <drm/drm_fb_helper.h>	/* Linux 6.1 */
#endif
#define VIRTGPU2_FBDEV_DRIVER_OPS
static inline void virtgpu2_fbdev_setup(struct drm_device *drm)
{
	drm_fbdev_generic_setup(drm, 32);
}
#endif

#endif /* VIRTGPU2_COMPAT_H */
