// SPDX-License-Identifier: GPL-2.0-only
/*
 * Resource lifetime, in one place: ids, the host's create, guest backing,
 * and the UNREF that goes out only after the last user is gone. Pages are
 * given back only after the host has answered the UNREF.
 */

#include <linux/dma-mapping.h>
#include <linux/slab.h>
#include <linux/virtio_config.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>
#include <drm/drm_prime.h>

#include "virtgpu2_cmd.h"
#include "virtgpu2_context.h"
#include "virtgpu2_drv.h"
#include "virtgpu2_hostmem.h"
#include "virtgpu2_object.h"
#include "virtgpu2_prime.h"
#include "virtgpu2_live.h"

static void virtgpu2_object_release_work(struct work_struct *work);

/* Undo the backing and give everything back to the system. */
static void virtgpu2_object_destroy(struct virtgpu2_object *bo)
{
	struct virtgpu2_device *vgdev = to_virtgpu2(bo->shmem.base.dev);

	if (bo->backing) {
		if (bo->dma_mapped)
			dma_unmap_sgtable(vgdev->vdev->dev.parent, bo->backing,
					  DMA_BIDIRECTIONAL, 0);
		sg_free_table(bo->backing);
		kfree(bo->backing);
		drm_gem_shmem_unpin(&bo->shmem);
	}
	virtgpu2_hostmem_release(vgdev, bo);
	if (bo->create_cmd)
		virtgpu2_vbuf_put(bo->create_cmd);
	if (bo->unmap_cmd)
		virtgpu2_vbuf_put(bo->unmap_cmd);
	if (bo->unref_cmd)
		virtgpu2_vbuf_put(bo->unref_cmd);
	if (bo->res_id) {
		ida_free(&vgdev->resource_ida, bo->res_id);
		virtgpu2_live_dec(VIRTGPU2_LIVE_RESOURCE_IDS);
	}
	mutex_destroy(&bo->map_lock);
	drm_gem_shmem_free(&bo->shmem);
}

/* The answer is in (see virtgpu2_vbuf_done_t): the host let go of the resource. */
static void virtgpu2_object_unref_done(struct virtgpu2_vbuf *vbuf)
{
	struct virtgpu2_object *bo = vbuf->priv;
	struct virtgpu2_device *vgdev = to_virtgpu2(bo->shmem.base.dev);

	/*
	 * The control queue runs in order, so an INVALID_RESOURCE_ID answer
	 * proves the host holds nothing of it (it refused the create, or
	 * never saw it): the pages can go.
	 */
	if (vbuf->status && vbuf->status != -ENOENT && vbuf->status != -ENODEV) {
		/* The host may still use the pages: leaking beats corrupting. */
		drm_err(&vgdev->drm, "resource %u: UNREF failed (%d); leaking its pages\n",
			bo->res_id, vbuf->status);
		virtgpu2_hostmem_leaked(vgdev, bo);
		return;
	}
	queue_work(vgdev->wq, &bo->release_work);
}

static void virtgpu2_object_free(struct drm_gem_object *obj)
{
	struct virtgpu2_object *bo = to_virtgpu2_object(obj);
	struct virtgpu2_device *vgdev = to_virtgpu2(obj->dev);
	struct virtgpu2_vbuf *vbuf;
	int ret;

	if (!bo->host_created) {
		virtgpu2_object_destroy(bo);
		return;
	}
	/* The window range stays reserved until the UNREF is answered. */
	virtgpu2_hostmem_unmap(vgdev, bo);
	vbuf = bo->unref_cmd;
	bo->unref_cmd = NULL;
	vbuf->on_done = virtgpu2_object_unref_done;
	vbuf->priv = bo;
	/* Never waits: a full ring owes it (a host that stopped answering). */
	ret = virtgpu2_vq_queue_owed(&vgdev->ctrlq, vbuf);
	if (ret == -ENODEV)
		virtgpu2_object_destroy(bo);	/* the device is reset: nothing uses it */
	else if (ret) {
		drm_err(&vgdev->drm, "resource %u: UNREF not sent (%d); leaking it\n",
			bo->res_id, ret);
		virtgpu2_hostmem_leaked(vgdev, bo);
	}
	virtgpu2_vbuf_put(vbuf);
}

static void virtgpu2_object_release_work(struct work_struct *work)
{
	virtgpu2_object_destroy(container_of(work, struct virtgpu2_object,
					     release_work));
}

static int virtgpu2_object_open(struct drm_gem_object *obj, struct drm_file *file)
{
	return virtgpu2_context_attach(file->driver_priv, to_virtgpu2_object(obj));
}

static void virtgpu2_object_close(struct drm_gem_object *obj, struct drm_file *file)
{
	virtgpu2_context_detach(file->driver_priv, to_virtgpu2_object(obj));
}

static const struct drm_gem_object_funcs virtgpu2_shmem_funcs = {
	.free = virtgpu2_object_free,
	.open = virtgpu2_object_open,
	.close = virtgpu2_object_close,
	.print_info = drm_gem_shmem_object_print_info,
	.export = virtgpu2_prime_export,
	.pin = drm_gem_shmem_object_pin,
	.unpin = drm_gem_shmem_object_unpin,
	.get_sg_table = drm_gem_shmem_object_get_sg_table,
	.vmap = drm_gem_shmem_object_vmap,
	.vunmap = drm_gem_shmem_object_vunmap,
	.mmap = drm_gem_shmem_object_mmap,
	.vm_ops = &drm_gem_shmem_vm_ops,
};

/*
 * Blobs whose memory lives on the host: user mappings go through the
 * host-visible window, and there are no guest pages to pin or export.
 */
static const struct drm_gem_object_funcs virtgpu2_hostmem_funcs = {
	.free = virtgpu2_object_free,
	.open = virtgpu2_object_open,
	.close = virtgpu2_object_close,
	.export = virtgpu2_prime_export,
	.pin = virtgpu2_hostmem_pin,
	.get_sg_table = virtgpu2_hostmem_get_sg_table,
	.mmap = virtgpu2_hostmem_mmap,
	.vm_ops = &virtgpu2_hostmem_vm_ops,
};

/**
 * virtgpu2_object_use_hostmem() - make @bo a host-memory blob
 * @bo: a new object, not yet published
 */
void virtgpu2_object_use_hostmem(struct virtgpu2_object *bo)
{
	bo->shmem.base.funcs = &virtgpu2_hostmem_funcs;
}

/* drm_driver.gem_create_object: shmem helpers allocate our struct. */
struct drm_gem_object *virtgpu2_gem_create_object(struct drm_device *drm,
						  size_t size)
{
	struct virtgpu2_object *bo = kzalloc(sizeof(*bo), GFP_KERNEL);

	if (!bo)
		return ERR_PTR(-ENOMEM);
	bo->shmem.base.funcs = &virtgpu2_shmem_funcs;
	/* The host reads guest pages with the CPU's caching. */
	bo->shmem.map_wc = false;
	mutex_init(&bo->map_lock);
	INIT_WORK(&bo->release_work, virtgpu2_object_release_work);
	return &bo->shmem.base;
}

/**
 * virtgpu2_object_assign_id() - give a new object its resource id
 * @vgdev: the device
 * @bo: an object without one
 *
 * Return: 0 or an errno.
 */
int virtgpu2_object_assign_id(struct virtgpu2_device *vgdev,
			      struct virtgpu2_object *bo)
{
	int id = ida_alloc_range(&vgdev->resource_ida, 1, INT_MAX, GFP_KERNEL);

	if (id < 0)
		return id;
	bo->unref_cmd = virtgpu2_cmd_resource_unref(id);
	if (!bo->unref_cmd) {
		ida_free(&vgdev->resource_ida, id);
		return -ENOMEM;
	}
	virtgpu2_live_inc(VIRTGPU2_LIVE_RESOURCE_IDS);
	bo->res_id = id;
	return 0;
}

/**
 * virtgpu2_object_alloc() - a shmem-backed object with a fresh resource id
 * @vgdev: the device
 * @size: bytes, rounded up to pages
 *
 * Return: the object with one GEM reference, or an ERR_PTR.
 */
struct virtgpu2_object *virtgpu2_object_alloc(struct virtgpu2_device *vgdev,
					      size_t size)
{
	struct drm_gem_shmem_object *shmem;
	struct virtgpu2_object *bo;
	int ret;

	shmem = drm_gem_shmem_create(&vgdev->drm, PAGE_ALIGN(size));
	if (IS_ERR(shmem))
		return ERR_CAST(shmem);
	bo = container_of(shmem, struct virtgpu2_object, shmem);
	ret = virtgpu2_object_assign_id(vgdev, bo);
	if (ret) {
		drm_gem_object_put(&shmem->base);
		return ERR_PTR(ret);
	}
	return bo;
}

/**
 * virtgpu2_object_create_wait() - wait for the host's verdict on a sent create
 * @bo: the object
 * @create: its create command, queued
 *
 * A signal does not end the wait: the restarted ioctl would create again.
 * Without an answer the driver can read (a fatal signal, a silent host, a
 * short or wrong-type answer: -EPROTO) the host may have made the
 * resource, so it counts as made and free sends the UNREF, whose answer
 * settles what happens to the pages. Only a proper error answer proves
 * that nothing was made; otherwise the id, reused, would name the host's
 * leftover.
 *
 * Return: 0, or the host's answer, -EINTR, -ETIMEDOUT or -EPROTO.
 */
int virtgpu2_object_create_wait(struct virtgpu2_object *bo,
				struct virtgpu2_vbuf *create)
{
	int ret = virtgpu2_vbuf_wait_answer(create);

	if (!ret || ret == -EINTR || ret == -ETIMEDOUT || ret == -EPROTO)
		bo->host_created = true;
	return ret;
}

/**
 * virtgpu2_object_create_host() - send a create command and wait for it
 * @vgdev: the device
 * @bo: the object, not yet known to the host
 * @create: the encoded create command; consumed
 *
 * Waiting lets the caller see the host's verdict, and guarantees no command
 * naming a resource the host refused is ever sent.
 *
 * Return: 0, or the host's answer as an errno.
 */
int virtgpu2_object_create_host(struct virtgpu2_device *vgdev,
				struct virtgpu2_object *bo,
				struct virtgpu2_vbuf *create)
{
	/* Interrupted while waiting for room, nothing was sent. */
	int ret = virtgpu2_vq_queue(&vgdev->ctrlq, create, true);

	if (!ret)
		ret = virtgpu2_object_create_wait(bo, create);
	virtgpu2_vbuf_put(create);
	return ret;
}

/**
 * virtgpu2_sgt_entries() - describe pages for the host
 * @sgt: the pages
 * @dma: take @sgt's DMA addresses rather than its physical ones
 * @nr: set to the number of entries
 *
 * Return: a kvmalloc()ed array, or NULL.
 */
struct virtio_gpu_mem_entry *virtgpu2_sgt_entries(struct sg_table *sgt,
						  bool dma, u32 *nr)
{
	struct virtio_gpu_mem_entry *ents;
	struct scatterlist *sg;
	unsigned int n = dma ? sgt->nents : sgt->orig_nents;
	unsigned int i;

	ents = kvmalloc_array(n, sizeof(*ents), GFP_KERNEL);
	if (!ents)
		return NULL;
	if (dma) {
		for_each_sgtable_dma_sg(sgt, sg, i) {
			ents[i].addr = cpu_to_le64(sg_dma_address(sg));
			ents[i].length = cpu_to_le32(sg_dma_len(sg));
			ents[i].padding = 0;
		}
	} else {
		for_each_sgtable_sg(sgt, sg, i) {
			ents[i].addr = cpu_to_le64(sg_phys(sg));
			ents[i].length = cpu_to_le32(sg->length);
			ents[i].padding = 0;
		}
	}
	*nr = n;
	return ents;
}

/* Pin the pages and describe them; DMA-map them if the device needs it. */
static int virtgpu2_object_pin_backing(struct virtgpu2_device *vgdev,
				       struct virtgpu2_object *bo)
{
	struct sg_table *sgt;
	int ret;

	ret = drm_gem_shmem_pin(&bo->shmem);
	if (ret)
		return ret;
	sgt = drm_gem_shmem_get_sg_table(&bo->shmem);
	if (IS_ERR(sgt)) {
		ret = PTR_ERR(sgt);
		goto out_unpin;
	}
	if (!virtio_has_dma_quirk(vgdev->vdev)) {
		ret = dma_map_sgtable(vgdev->vdev->dev.parent, sgt, DMA_BIDIRECTIONAL, 0);
		if (ret)
			goto out_free_sgt;
		bo->dma_mapped = true;
	}
	bo->backing = sgt;
	return 0;

out_free_sgt:
	sg_free_table(sgt);
	kfree(sgt);
out_unpin:
	drm_gem_shmem_unpin(&bo->shmem);
	return ret;
}

/**
 * virtgpu2_object_guest_entries() - pin @bo's pages and describe them
 * @vgdev: the device
 * @bo: the object
 * @entries: set to a kvmalloc()ed array for the host
 * @nr: set to the number of @entries
 *
 * The pages stay pinned until the object is destroyed.
 *
 * Return: 0 or an errno.
 */
int virtgpu2_object_guest_entries(struct virtgpu2_device *vgdev,
				  struct virtgpu2_object *bo,
				  struct virtio_gpu_mem_entry **entries, u32 *nr)
{
	int ret = virtgpu2_object_pin_backing(vgdev, bo);

	if (ret)
		return ret;
	*entries = virtgpu2_sgt_entries(bo->backing, bo->dma_mapped, nr);
	return *entries ? 0 : -ENOMEM;
}

/* An ATTACH_BACKING of the object's pages, pinned, ready to queue. */
static struct virtgpu2_vbuf *
virtgpu2_object_backing_cmd(struct virtgpu2_device *vgdev, struct virtgpu2_object *bo)
{
	struct virtio_gpu_mem_entry *ents;
	struct virtgpu2_vbuf *vbuf;
	u32 nr;
	int ret;

	ret = virtgpu2_object_guest_entries(vgdev, bo, &ents, &nr);
	if (ret)
		return ERR_PTR(ret);
	vbuf = virtgpu2_vq_prepared(&vgdev->ctrlq,
				    virtgpu2_cmd_attach_backing(bo->res_id, ents, nr));
	/* Any later use of the resource is a command that kicks. */
	if (!IS_ERR(vbuf))
		vbuf->posted = true;
	return vbuf;
}

/**
 * virtgpu2_object_create_shmem() - create a resource backed by the object's pages
 * @vgdev: the device
 * @bo: the object, not yet known to the host
 * @create: the encoded create command (2D or 3D); consumed
 *
 * Posted, as the in-tree driver does it: the create and the pages' ATTACH
 * go out back to back and nobody waits for the host. Its verdict is read
 * by the first call that depends on the resource (virtgpu2_object_verdict()),
 * which reports a refusal with the host's errno. Once the create is out
 * the object counts as made: free sends the UNREF, whose answer settles
 * what becomes of the pages (virtgpu2_object_unref_done()).
 *
 * Return: 0, or an errno (nothing was sent, or the ATTACH could not be).
 */
int virtgpu2_object_create_shmem(struct virtgpu2_device *vgdev,
				 struct virtgpu2_object *bo,
				 struct virtgpu2_vbuf *create)
{
	struct virtgpu2_vbuf *attach;
	int ret;

	/* Everything that can fail before the host hears of the resource. */
	attach = virtgpu2_object_backing_cmd(vgdev, bo);
	if (IS_ERR(attach)) {
		virtgpu2_vbuf_put(create);
		return PTR_ERR(attach);
	}
	create->posted = true;
	/* Interrupted while waiting for room, nothing was sent. */
	ret = virtgpu2_vq_queue(&vgdev->ctrlq, create, true);
	if (ret) {
		virtgpu2_vbuf_put(create);
		goto out;
	}
	virtgpu2_object_posted(bo, create);
	/*
	 * It must follow the create, and neither a signal nor a full ring
	 * may part them: on a full ring it is owed, so no wait can stall a
	 * killed task, and it still reaches the host in order.
	 */
	ret = virtgpu2_vq_queue_owed(&vgdev->ctrlq, attach);
out:
	virtgpu2_vbuf_put(attach);
	return ret;
}

/**
 * virtgpu2_object_posted() - the object's create went out unanswered
 * @bo: the object
 * @create: its queued create command; the caller's reference moves to @bo
 *
 * From here the object counts as made (free sends UNREF), and the first
 * call that depends on it reads the answer (virtgpu2_object_verdict()).
 */
void virtgpu2_object_posted(struct virtgpu2_object *bo, struct virtgpu2_vbuf *create)
{
	bo->host_created = true;
	bo->create_cmd = create;
}

/* Keep the verdict; the first reader to get the answer drops the command. */
static int virtgpu2_object_keep_verdict(struct virtgpu2_object *bo,
					struct virtgpu2_vbuf *create, int status)
{
	int ret;

	mutex_lock(&bo->map_lock);
	if (bo->create_cmd == create) {
		WRITE_ONCE(bo->create_err, status);
		/* Lock-free readers see @create_err once they see NULL. */
		smp_store_release(&bo->create_cmd, NULL);
		virtgpu2_vbuf_put(create);
	}
	ret = bo->create_err;
	mutex_unlock(&bo->map_lock);
	return ret;
}

/**
 * virtgpu2_object_verdict() - the host's answer to the object's create
 * @bo: the object
 * @wait: wait for an answer that is not in yet
 *
 * Called by whatever depends on the resource existing on the host (a
 * transfer, a submission naming it, an export, a scanout) before it sends
 * anything, so that a refused create fails that call with the host's
 * errno rather than pass unseen. The answer is usually in already: the
 * host answers in order, and the create went first. Otherwise this kicks
 * the queue (the create was posted) and, with @wait, waits for it,
 * interruptibly and at most VIRTGPU2_VQ_TIMEOUT: it sends nothing, so a
 * restarted call loses nothing. Callers that hold device-wide locks do not
 * wait; they go on, and the host checks what it is sent.
 *
 * Return: 0, the host's refusal as an errno, -EBUSY (not answered yet,
 * without @wait), -ERESTARTSYS or -ETIMEDOUT.
 */
int virtgpu2_object_verdict(struct virtgpu2_object *bo, bool wait)
{
	struct virtgpu2_vbuf *create;
	int ret;

	/* Paired with the release in keep_verdict: @create_err is written first. */
	if (likely(!smp_load_acquire(&bo->create_cmd)))
		return READ_ONCE(bo->create_err);
	mutex_lock(&bo->map_lock);
	create = bo->create_cmd;
	if (create)
		kref_get(&create->ref);	/* waited on without the lock */
	mutex_unlock(&bo->map_lock);
	if (!create)
		return READ_ONCE(bo->create_err);
	if (!completion_done(&create->done)) {
		virtgpu2_vq_flush(&to_virtgpu2(bo->shmem.base.dev)->ctrlq);
		virtgpu2_vbuf_awaited(create);
	}
	/* Answered, the wait returns the answer at once. */
	if (wait || completion_done(&create->done))
		ret = virtgpu2_vbuf_wait(create, true);
	else
		ret = -EBUSY;
	/* The host's answers are never these three. */
	if (ret != -EBUSY && ret != -ERESTARTSYS && ret != -ETIMEDOUT)
		ret = virtgpu2_object_keep_verdict(bo, create, ret);
	virtgpu2_vbuf_put(create);
	return ret;
}

/* Make CPU writes to the backing visible to the host before a transfer. */
void virtgpu2_object_sync_for_device(struct virtgpu2_device *vgdev,
				     struct virtgpu2_object *bo)
{
	if (bo->dma_mapped)
		dma_sync_sgtable_for_device(vgdev->vdev->dev.parent, bo->backing,
					    DMA_TO_DEVICE);
}

/**
 * virtgpu2_object_handle() - publish an object to a file
 * @file: the DRM file
 * @bo: the object; the caller's reference is dropped
 * @handle: the new handle
 *
 * Return: 0 or an errno; the object is freed on error if unused elsewhere.
 */
int virtgpu2_object_handle(struct drm_file *file, struct virtgpu2_object *bo,
			   u32 *handle)
{
	int ret = drm_gem_handle_create(file, &bo->shmem.base, handle);

	drm_gem_object_put(&bo->shmem.base);
	return ret;
}
