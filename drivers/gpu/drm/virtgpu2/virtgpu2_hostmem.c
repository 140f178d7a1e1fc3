// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host-visible window (virtio shared memory region 1). The guest picks
 * where in the window a blob goes; MAP_BLOB asks the host to put the blob's
 * memory there and answers with the caching the guest must use.
 *
 * A mappable HOST3D blob takes a range of the window when it is created, or,
 * with VIRTGPU_BLOB_HINT_DEFER_MAPPING, at its first mmap. The range goes
 * back to the allocator once the host has answered the UNREF that follows
 * UNMAP_BLOB; both are sent, without waiting, when the last reference to
 * the blob is gone (user mappings hold one). The control queue answers in
 * order, so the UNMAP_BLOB's answer is in by then: if the host failed to
 * unmap, the range is never reused. An allocation that finds the window
 * full waits for ranges still on their way back.
 */

#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <drm/drm_debugfs.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>
#include <drm/drm_vma_manager.h>

#include "virtgpu2_cmd.h"
#include "virtgpu2_compat.h"
#include "virtgpu2_drv.h"
#include "virtgpu2_hostmem.h"
#include "virtgpu2_object.h"
#include "virtgpu2_trace.h"
#include "virtgpu2_live.h"

static void virtgpu2_hostmem_fini(struct drm_device *drm, void *data)
{
	struct virtgpu2_hostmem *hm = data;
	struct drm_mm_node *node, *next;

	/* Only ranges the host never unmapped are left; the device is gone. */
	drm_mm_for_each_node_safe(node, next, &hm->mm) {
		drm_mm_remove_node(node);
		kfree(node);
		virtgpu2_live_dec(VIRTGPU2_LIVE_WINDOW_RANGES);
	}
	drm_mm_takedown(&hm->mm);
	mutex_destroy(&hm->lock);
}

/**
 * virtgpu2_hostmem_init() - set up the window allocator, if there is a window
 * @vgdev: the device, after its shared memory region and alignment are known
 *
 * Return: 0 or an errno.
 */
int virtgpu2_hostmem_init(struct virtgpu2_device *vgdev)
{
	struct virtgpu2_hostmem *hm;

	if (!vgdev->has.hostmem)
		return 0;
	hm = drmm_kzalloc(&vgdev->drm, sizeof(*hm), GFP_KERNEL);
	if (!hm)
		return -ENOMEM;
	mutex_init(&hm->lock);
	init_waitqueue_head(&hm->returned);
	drm_mm_init(&hm->mm, 0, vgdev->hostmem_size);
	hm->align = vgdev->blob_alignment;
	vgdev->hostmem = hm;
	return drmm_add_action_or_reset(&vgdev->drm, virtgpu2_hostmem_fini, hm);
}

/* How long a full window waits for freed ranges to come back. */
#define VIRTGPU2_HOSTMEM_RETURN_WAIT (10 * HZ)

static int virtgpu2_hostmem_insert(struct virtgpu2_hostmem *hm,
				   struct drm_mm_node *node, u64 size)
{
	int ret;

	mutex_lock(&hm->lock);
	ret = drm_mm_insert_node_generic(&hm->mm, node, ALIGN(size, hm->align),
					 hm->align, 0, DRM_MM_INSERT_BEST);
	if (!ret) {
		hm->used += node->size;
		virtgpu2_live_inc(VIRTGPU2_LIVE_WINDOW_RANGES);
	}
	mutex_unlock(&hm->lock);
	return ret;
}

/*
 * A range for @size bytes. A full window is waited on while freed blobs'
 * ranges are still coming back (the host has yet to answer their UNREF),
 * so that closing a blob and mapping another never fails for want of a
 * round trip.
 *
 * What is on its way back is read before trying: read after a failed try,
 * it may already count a range that came back after the try, and a window
 * with room would be reported full. virtgpu2_hostmem_returned() frees the
 * range, then lowers @returning, then counts the return, so seeing the
 * count unchanged and @returning non-zero means a return is still due.
 */
static struct drm_mm_node *virtgpu2_hostmem_alloc(struct virtgpu2_device *vgdev,
						  u64 size)
{
	struct virtgpu2_hostmem *hm = vgdev->hostmem;
	struct drm_mm_node *node = kzalloc(sizeof(*node), GFP_KERNEL);
	long left = VIRTGPU2_HOSTMEM_RETURN_WAIT;
	int ret, seen;
	s64 due;

	if (!node)
		return ERR_PTR(-ENOMEM);
	for (;;) {
		seen = atomic_read(&hm->returns);
		smp_rmb();	/* pairs with virtgpu2_hostmem_returned() */
		due = atomic64_read(&hm->returning);
		ret = virtgpu2_hostmem_insert(hm, node, size);
		if (ret != -ENOSPC || !due || !left)
			break;
		/* The returns come with answers nobody else waits for. */
		virtgpu2_vq_make_prompt(&vgdev->ctrlq);
		left = wait_event_interruptible_timeout(hm->returned,
							atomic_read(&hm->returns) != seen,
							left);
		if (left < 0) {
			ret = left;
			break;
		}
	}
	if (ret) {
		kfree(node);
		return ERR_PTR(ret);	/* -ENOSPC: the window is full */
	}
	return node;
}

/* A range that was on its way back came back, or never will. */
static void virtgpu2_hostmem_returned(struct virtgpu2_hostmem *hm, u64 size)
{
	atomic64_sub(size, &hm->returning);
	smp_wmb();	/* pairs with virtgpu2_hostmem_alloc() */
	atomic_inc(&hm->returns);
	wake_up_all(&hm->returned);
}

static void virtgpu2_hostmem_free(struct virtgpu2_hostmem *hm,
				  struct drm_mm_node *node)
{
	mutex_lock(&hm->lock);
	hm->used -= node->size;
	drm_mm_remove_node(node);
	mutex_unlock(&hm->lock);
	kfree(node);
	virtgpu2_live_dec(VIRTGPU2_LIVE_WINDOW_RANGES);
}

/* The host may still map @bo's range: it stays in the allocator for good. */
static void virtgpu2_hostmem_lose(struct virtgpu2_device *vgdev,
				  struct virtgpu2_object *bo, const char *why,
				  int err)
{
	drm_err(&vgdev->drm, "resource %u: %s (%d); window range 0x%llx lost\n",
		bo->res_id, why, err, bo->hostmem_node->start);
	bo->hostmem_node = NULL;
}

/* Ask the host to map @bo at @node; returns its map_info or an errno. */
static int virtgpu2_hostmem_send_map(struct virtgpu2_device *vgdev,
				     struct virtgpu2_object *bo,
				     struct drm_mm_node *node)
{
	const struct virtio_gpu_resp_map_info *info;
	struct virtgpu2_vbuf *vbuf;
	int ret;

	vbuf = virtgpu2_cmd_resource_map_blob(0, bo->res_id, node->start);
	if (!vbuf)
		return -ENOMEM;
	/*
	 * Not interruptible: an abandoned MAP_BLOB would leave us guessing.
	 * Only an unanswered one does (-ETIMEDOUT); one the full ring never
	 * took is plainly refused, so its range can go back.
	 */
	ret = virtgpu2_vq_queue(&vgdev->ctrlq, vbuf, false);
	if (ret == -ETIMEDOUT)
		ret = -EBUSY;
	else if (!ret)
		ret = virtgpu2_vbuf_wait(vbuf, false);
	if (!ret && vbuf->resp_len < sizeof(*info))
		ret = -EPROTO;
	if (!ret) {
		info = vbuf->resp;
		/* Little-endian on the wire, though the uapi struct says __u32. */
		ret = le32_to_cpu((__force __le32)info->map_info) &
		      VIRTIO_GPU_MAP_CACHE_MASK;
	}
	virtgpu2_vbuf_put(vbuf);
	return ret;
}

/**
 * virtgpu2_hostmem_map() - make sure the host has mapped @bo into the window
 * @vgdev: the device
 * @bo: a mappable HOST3D blob the host created
 *
 * Return: 0, -ENOSPC when the window is full, -EBUSY when the ring stayed
 * full, or the host's answer.
 */
int virtgpu2_hostmem_map(struct virtgpu2_device *vgdev, struct virtgpu2_object *bo)
{
	struct drm_mm_node *node;
	int ret;

	if (!vgdev->hostmem)
		return -EOPNOTSUPP;	/* the device has no host-visible window */
	ret = mutex_lock_interruptible(&bo->map_lock);
	if (ret)
		return ret;
	if (bo->hostmem_node)
		goto out_unlock;
	bo->unmap_cmd = virtgpu2_cmd_resource_unmap_blob(0, bo->res_id);
	if (!bo->unmap_cmd) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	node = virtgpu2_hostmem_alloc(vgdev, bo->shmem.base.size);
	if (IS_ERR(node)) {
		ret = PTR_ERR(node);
		goto out_put_unmap;
	}
	ret = virtgpu2_hostmem_send_map(vgdev, bo, node);
	if (ret < 0 && ret != -ETIMEDOUT) {
		virtgpu2_hostmem_free(vgdev->hostmem, node);
		goto out_put_unmap;
	}
	/* Unanswered, the host may still map it: keep the range, refuse mmaps. */
	bo->hostmem_node = node;
	trace_virtgpu2_hostmem_map(bo->res_id, node->start, node->size);
	bo->map_info = ret < 0 ? VIRTGPU2_MAP_INFO_UNUSABLE : ret;
	ret = min(ret, 0);
	goto out_unlock;

out_put_unmap:
	virtgpu2_vbuf_put(bo->unmap_cmd);
	bo->unmap_cmd = NULL;
out_unlock:
	mutex_unlock(&bo->map_lock);
	return ret;
}

/**
 * virtgpu2_hostmem_unmap() - send UNMAP_BLOB ahead of the UNREF
 * @vgdev: the device
 * @bo: an object on its way out; nothing maps it any more
 *
 * Not waited for: the range stays reserved until the object is destroyed,
 * after the host answered the UNREF, and virtgpu2_hostmem_release() reads
 * the UNMAP_BLOB's answer then.
 */
void virtgpu2_hostmem_unmap(struct virtgpu2_device *vgdev, struct virtgpu2_object *bo)
{
	int ret;

	if (!bo->hostmem_node)
		return;
	/* Made with the map: an object's release never allocates or waits. */
	ret = virtgpu2_vq_queue_owed(&vgdev->ctrlq, bo->unmap_cmd);
	if (ret && ret != -ENODEV) {
		virtgpu2_hostmem_lose(vgdev, bo, "UNMAP_BLOB not sent", ret);
		return;
	}
	bo->unmap_sent = true;
	trace_virtgpu2_hostmem_unmap(bo->res_id, bo->hostmem_node->start,
				     bo->hostmem_node->size);
	atomic64_add(bo->hostmem_node->size, &vgdev->hostmem->returning);
}

/**
 * virtgpu2_hostmem_leaked() - the object will never be destroyed
 * @vgdev: the device
 * @bo: an object whose UNREF failed
 *
 * Its range stays taken for good, and is no longer waited for. May be
 * called in interrupt context.
 */
void virtgpu2_hostmem_leaked(struct virtgpu2_device *vgdev,
			     struct virtgpu2_object *bo)
{
	if (bo->unmap_sent)
		virtgpu2_hostmem_returned(vgdev->hostmem, bo->hostmem_node->size);
}

/**
 * virtgpu2_hostmem_release() - give @bo's range back to the allocator
 * @vgdev: the device
 * @bo: an object being destroyed: the host answered its UNREF, or the
 *	device is gone
 */
void virtgpu2_hostmem_release(struct virtgpu2_device *vgdev,
			      struct virtgpu2_object *bo)
{
	struct drm_mm_node *node = bo->hostmem_node;
	struct virtgpu2_vbuf *unmap = bo->unmap_cmd;
	u64 size;

	if (!node)
		return;
	size = node->size;
	/*
	 * Answered ahead of the UNREF; unanswered only when the device went
	 * away, and then nothing maps the window.
	 */
	if (bo->unmap_sent && completion_done(&unmap->done) && unmap->status &&
	    unmap->status != -ENODEV)
		virtgpu2_hostmem_lose(vgdev, bo, "UNMAP_BLOB failed", unmap->status);
	else
		virtgpu2_hostmem_free(vgdev->hostmem, node);
	bo->hostmem_node = NULL;
	if (bo->unmap_sent)
		virtgpu2_hostmem_returned(vgdev->hostmem, size);
}

static int virtgpu2_hostmem_prot(u32 map_info, struct vm_area_struct *vma,
				 pgprot_t *prot)
{
	pgprot_t base = vm_get_page_prot(vma->vm_flags);

	switch (map_info) {
	case VIRTIO_GPU_MAP_CACHE_NONE:
		/*
		 * virglrenderer answers NONE for GL buffers it maps itself
		 * (virgl's coherent buffers): no stated preference, so the
		 * guest uses its default, cached, as in-tree does.
		 */
	case VIRTIO_GPU_MAP_CACHE_CACHED:
		*prot = base;
		return 0;
	case VIRTIO_GPU_MAP_CACHE_UNCACHED:
		*prot = pgprot_noncached(base);
		return 0;
	case VIRTIO_GPU_MAP_CACHE_WC:
		*prot = pgprot_writecombine(base);
		return 0;
	default:
		return -EIO;	/* the host gave no usable caching mode */
	}
}

/**
 * virtgpu2_hostmem_mmap() - &drm_gem_object_funcs.mmap for HOST3D blobs
 * @obj: the blob
 * @vma: the user mapping; may start inside the object
 *
 * Maps the blob into the window on first use, then maps the window's pages
 * with the caching the host asked for.
 *
 * Return: 0 or an errno.
 */
int virtgpu2_hostmem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	struct virtgpu2_device *vgdev = to_virtgpu2(obj->dev);
	struct virtgpu2_object *bo = to_virtgpu2_object(obj);
	unsigned long pgoff = vma->vm_pgoff - drm_vma_node_start(&obj->vma_node);
	unsigned long npages = vma_pages(vma);
	pgprot_t prot;
	phys_addr_t start;
	int ret, idx;

	if (!(bo->blob_flags & VIRTGPU_BLOB_FLAG_USE_MAPPABLE))
		return -EACCES;
	if (pgoff + npages > obj->size >> PAGE_SHIFT)
		return -EINVAL;
	/*
	 * Map only while the device is there: remove() revokes mappings
	 * after unplugging, which waits for this section, so no mapping of
	 * the window outlives the device.
	 */
	if (!drm_dev_enter(obj->dev, &idx))
		return -ENODEV;
	ret = virtgpu2_hostmem_map(vgdev, bo);
	if (!ret)
		ret = virtgpu2_hostmem_prot(bo->map_info, vma, &prot);
	if (!ret) {
		start = vgdev->hostmem_base + bo->hostmem_node->start;
		virtgpu2_vma_set_flags(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
		vma->vm_page_prot = prot;
		ret = io_remap_pfn_range(vma, vma->vm_start, PHYS_PFN(start) + pgoff,
					 npages << PAGE_SHIFT, prot);
	}
	drm_dev_exit(idx);
	return ret;
}

/* User mappings of a HOST3D blob hold a reference to it. */
const struct vm_operations_struct virtgpu2_hostmem_vm_ops = {
	.open = drm_gem_vm_open,
	.close = drm_gem_vm_close,
};

/* HOST3D blobs have no guest pages another device could use. */
int virtgpu2_hostmem_pin(struct drm_gem_object *obj)
{
	return -EOPNOTSUPP;
}

struct sg_table *virtgpu2_hostmem_get_sg_table(struct drm_gem_object *obj)
{
	return ERR_PTR(-EOPNOTSUPP);
}

/* debugfs dri/N/virtgpu2_hostmem: the window and every range in use. */
int virtgpu2_hostmem_show(struct seq_file *m, void *unused)
{
	struct drm_info_node *info = m->private;
	struct virtgpu2_device *vgdev = to_virtgpu2(info->minor->dev);
	struct virtgpu2_hostmem *hm = vgdev->hostmem;
	struct drm_printer p = drm_seq_file_printer(m);

	if (!hm) {
		seq_puts(m, "no host-visible window\n");
		return 0;
	}
	mutex_lock(&hm->lock);
	seq_printf(m, "base 0x%llx size %llu align %llu used %llu free %llu\n",
		   vgdev->hostmem_base, vgdev->hostmem_size, hm->align, hm->used,
		   vgdev->hostmem_size - hm->used);
	drm_mm_print(&hm->mm, &p);
	mutex_unlock(&hm->lock);
	return 0;
}
