/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VIRTGPU2_DRV_H
#define VIRTGPU2_DRV_H

#include <linux/idr.h>
#include <linux/llist.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/types.h>
#include <linux/virtio_config.h>
#include <linux/workqueue.h>
#include <drm/drm_device.h>
#include <drm/drm_ioctl.h>
#include <drm/virtgpu_drm.h>

#include "virtgpu2_vq.h"

struct virtgpu2_display;
struct virtgpu2_hostmem;
struct virtgpu2_queue;
struct virtgpu2_timeline;

#define VIRTGPU2_DRIVER_NAME "virtio_gpu"
#define VIRTGPU2_DRIVER_DESC "virtio GPU (virtgpu2)"
#define VIRTGPU2_DRIVER_MAJOR 0
#define VIRTGPU2_DRIVER_MINOR 1
#define VIRTGPU2_DRIVER_PATCHLEVEL 0

/** The largest capset id the uapi's 64-bit capset mask can name. */
#define VIRTGPU2_MAX_CAPSET_ID 63

/**
 * struct virtgpu2_features - what the device and driver agreed on
 */
struct virtgpu2_features {
	/** @virgl: 3D commands and contexts. */
	bool virgl;
	/** @edid: GET_EDID. */
	bool edid;
	/** @resource_uuid: RESOURCE_ASSIGN_UUID, for cross-device sharing. */
	bool resource_uuid;
	/** @resource_blob: RESOURCE_CREATE_BLOB and SET_SCANOUT_BLOB. */
	bool resource_blob;
	/** @context_init: CTX_CREATE takes a capset id, fences take rings. */
	bool context_init;
	/** @blob_alignment: the config space's blob_alignment is valid. */
	bool blob_alignment;
	/** @hostmem: the host-visible shared memory region exists. */
	bool hostmem;
};

/**
 * struct virtgpu2_capset - one capset the device offers, from CAPSET_INFO
 */
struct virtgpu2_capset {
	/** @id: capset id (VIRTIO_GPU_CAPSET_*), opaque to the driver. */
	u32 id;
	/** @max_version: newest version the device can describe. */
	u32 max_version;
	/** @max_size: size of the capset data for @max_version. */
	u32 max_size;
};

/**
 * struct virtgpu2_device - one virtio-gpu device
 */
struct virtgpu2_device {
	/** @drm: the DRM device; embedded, allocated with devm. */
	struct drm_device drm;
	/** @vdev: the virtio device we are bound to. */
	struct virtio_device *vdev;
	/** @ctrlq: control queue (queue 0). */
	struct virtgpu2_vq ctrlq;
	/** @cursorq: cursor queue (queue 1). */
	struct virtgpu2_vq cursorq;
	/** @has: negotiated features; constant after probe. */
	struct virtgpu2_features has;
	/** @num_scanouts: from config space, 0..16. */
	u32 num_scanouts;
	/** @blob_alignment: alignment of blob sizes and map offsets. */
	u32 blob_alignment;
	/** @hostmem_base: guest-physical base of the host-visible window. */
	u64 hostmem_base;
	/** @hostmem_size: size of the host-visible window, 0 without one. */
	u64 hostmem_size;
	/** @hostmem: allocator of the host-visible window, NULL without one. */
	struct virtgpu2_hostmem *hostmem;
	/** @num_capsets: entries in @capsets. */
	u32 num_capsets;
	/** @capsets: what CAPSET_INFO returned; constant after probe. */
	struct virtgpu2_capset *capsets;
	/** @capset_mask: bit N set when capset id N is offered. */
	u64 capset_mask;
	/**
	 * @capset_cache_lock: protects @capset_cache, and serialises
	 * GET_CAPSET requests so each (id, version) is fetched once.
	 */
	struct mutex capset_cache_lock;
	/** @capset_cache: fetched capset data, &struct virtgpu2_capset_data. */
	struct list_head capset_cache;
	/**
	 * @fence_wire_id: last fence_id sent without a ring. The host
	 * retires those in one device-wide order, so they share a counter.
	 */
	atomic64_t fence_wire_id;
	/** @resource_ida: host resource ids in use. */
	struct ida resource_ida;
	/** @context_ida: host context ids in use. */
	struct ida context_ida;
	/** @wq: ordered work: deferred submissions, object release. */
	struct workqueue_struct *wq;
	/** @driver_q: submission queue of the driver's own fenced commands. */
	struct virtgpu2_queue *driver_q;
	/** @driver_tl: timeline of the driver's own fenced commands. */
	struct virtgpu2_timeline *driver_tl;
	/** @job_free_list: completed jobs for @job_free_work to release. */
	struct llist_head job_free_list;
	/** @job_free_work: releases the jobs on @job_free_list. */
	struct work_struct job_free_work;
	/**
	 * @job_reap_list: completed jobs that hold no object, released by
	 * @job_reap_work.
	 */
	struct llist_head job_reap_list;
	/** @job_reap_work: releases @job_reap_list, 2 ms after it filled. */
	struct delayed_work job_reap_work;
	/**
	 * @parked_bytes: what the jobs of all contexts parked on in-fences
	 * hold; changed under each context's queue lock, so atomic.
	 */
	atomic64_t parked_bytes;
	/** @max_parked_bytes: the bound on @parked_bytes; set at probe. */
	u64 max_parked_bytes;
	/** @display: KMS state, NULL in render-only mode; see virtgpu2_display.h. */
	struct virtgpu2_display *display;
};

static inline struct virtgpu2_device *to_virtgpu2(struct drm_device *drm)
{
	return container_of(drm, struct virtgpu2_device, drm);
}

/* virtgpu2_caps.c */
int virtgpu2_caps_init(struct virtgpu2_device *vgdev, u32 num);
void virtgpu2_caps_fini(struct virtgpu2_device *vgdev);
const struct virtgpu2_capset *virtgpu2_capset_find(struct virtgpu2_device *vgdev,
						   u32 id);
int virtgpu2_capset_get(struct virtgpu2_device *vgdev, u32 id, u32 version,
			const void **data, u32 *size);

/* virtgpu2_debugfs.c */
void virtgpu2_debugfs_init(struct drm_minor *minor);

/* virtgpu2_ioctl.c */
#define VIRTGPU2_NUM_IOCTLS (DRM_VIRTGPU_CONTEXT_INIT + 1)
extern const struct drm_ioctl_desc virtgpu2_ioctls[VIRTGPU2_NUM_IOCTLS];

/**
 * virtgpu2_ctrl() - send a control command and wait for its answer
 * @vgdev: the device
 * @vbuf: the command; the caller keeps its reference
 * @interruptible: may a signal cut the wait short
 *
 * Return: the host's verdict as an errno (see virtgpu2_vbuf_wait()).
 */
static inline int virtgpu2_ctrl(struct virtgpu2_device *vgdev,
				struct virtgpu2_vbuf *vbuf, bool interruptible)
{
	int ret = virtgpu2_vq_queue(&vgdev->ctrlq, vbuf, interruptible);

	return ret ? ret : virtgpu2_vbuf_wait(vbuf, interruptible);
}

/**
 * virtgpu2_memdup_user() - copy a user buffer into memory charged to the caller
 * @uptr: user address
 * @size: bytes
 *
 * vmemdup_user() does not charge the caller's memory cgroup; command
 * streams are user-sized, so ours are.
 *
 * Return: kvmalloc()ed memory, or ERR_PTR(-ENOMEM) or ERR_PTR(-EFAULT).
 */
static inline void *virtgpu2_memdup_user(u64 uptr, u32 size)
{
	void *p = kvmalloc(size, GFP_KERNEL_ACCOUNT);

	if (!p)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(p, u64_to_user_ptr(uptr), size)) {
		kvfree(p);
		return ERR_PTR(-EFAULT);
	}
	return p;
}

#endif /* VIRTGPU2_DRV_H */
