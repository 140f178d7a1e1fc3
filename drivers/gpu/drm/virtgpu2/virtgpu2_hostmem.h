/* SPDX-License-Identifier: GPL-2.0-only */
/* The host-visible window: ranges for mapped blobs and their user mappings. */
#ifndef VIRTGPU2_HOSTMEM_H
#define VIRTGPU2_HOSTMEM_H

#include <linux/mm_types.h>
#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/wait.h>
#include <drm/drm_mm.h>

struct drm_gem_object;
struct seq_file;
struct sg_table;
struct virtgpu2_device;
struct virtgpu2_object;

/* Not a caching mode: set when the host never answered MAP_BLOB. */
#define VIRTGPU2_MAP_INFO_UNUSABLE 0xff

/**
 * struct virtgpu2_hostmem - the allocator of the host-visible window
 */
struct virtgpu2_hostmem {
	/**
	 * @lock: protects @mm and @used. Innermost of the blob locks: taken
	 * under &virtgpu2_object.map_lock, never held while waiting for the
	 * host.
	 */
	struct mutex lock;
	/** @mm: ranges in use, as offsets from the window's start. */
	struct drm_mm mm;
	/** @used: bytes allocated from @mm. */
	u64 used;
	/**
	 * @returning: bytes of ranges whose UNMAP_BLOB was sent, on their
	 * way back to @mm once the host answers the UNREF behind it.
	 */
	atomic64_t returning;
	/** @returns: counts ranges that came back (or were given up on). */
	atomic_t returns;
	/** @returned: woken when @returns moves. */
	wait_queue_head_t returned;
	/** @align: alignment of every range: the device's blob alignment. */
	u64 align;
};

int virtgpu2_hostmem_init(struct virtgpu2_device *vgdev);
int virtgpu2_hostmem_map(struct virtgpu2_device *vgdev, struct virtgpu2_object *bo);
void virtgpu2_hostmem_unmap(struct virtgpu2_device *vgdev, struct virtgpu2_object *bo);
void virtgpu2_hostmem_release(struct virtgpu2_device *vgdev,
			      struct virtgpu2_object *bo);
void virtgpu2_hostmem_leaked(struct virtgpu2_device *vgdev,
			     struct virtgpu2_object *bo);
int virtgpu2_hostmem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma);
int virtgpu2_hostmem_pin(struct drm_gem_object *obj);
struct sg_table *virtgpu2_hostmem_get_sg_table(struct drm_gem_object *obj);
int virtgpu2_hostmem_show(struct seq_file *m, void *unused);

extern const struct vm_operations_struct virtgpu2_hostmem_vm_ops;

#endif /* VIRTGPU2_HOSTMEM_H */
