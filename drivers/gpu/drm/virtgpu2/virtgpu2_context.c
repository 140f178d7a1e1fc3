// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host contexts, one per DRM file: created by CONTEXT_INIT with a
 * personality and rings, or implicitly with the device's default on first
 * 3D use. The driver never looks inside a personality.
 */

#include <linux/sched.h>
#include <linux/slab.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>

#include "virtgpu2_cmd.h"
#include "virtgpu2_context.h"
#include "virtgpu2_drv.h"
#include "virtgpu2_fence.h"
#include "virtgpu2_job.h"
#include "virtgpu2_object.h"
#include "virtgpu2_live.h"

/**
 * struct virtgpu2_early_handle - a handle that appeared before the context
 *
 * DRM calls &drm_gem_object_funcs.open before it publishes the handle, so
 * a context created meanwhile cannot find the handle in the file's table:
 * the file remembers such handles itself.
 */
struct virtgpu2_early_handle {
	/** @node: in &virtgpu2_file.early. */
	struct list_head node;
	/** @bo: the object, referenced. */
	struct virtgpu2_object *bo;
};

int virtgpu2_file_open(struct virtgpu2_device *vgdev, struct drm_file *file)
{
	struct virtgpu2_file *vfile = kzalloc(sizeof(*vfile), GFP_KERNEL);

	if (!vfile)
		return -ENOMEM;
	vfile->vgdev = vgdev;
	vfile->file = file;
	mutex_init(&vfile->ctx_lock);
	INIT_LIST_HEAD(&vfile->early);
	file->driver_priv = vfile;
	return 0;
}

static void virtgpu2_context_free(struct virtgpu2_device *vgdev,
				  struct virtgpu2_context *ctx)
{
	u32 i;

	for (i = 0; i < ctx->num_rings; i++)
		if (ctx->rings[i])
			virtgpu2_timeline_put(ctx->rings[i]);
	if (ctx->default_tl)
		virtgpu2_timeline_put(ctx->default_tl);
	if (ctx->q)
		virtgpu2_queue_put(ctx->q);
	if (ctx->destroy_cmd)
		virtgpu2_vbuf_put(ctx->destroy_cmd);
	if (ctx->ctx_id) {
		ida_free(&vgdev->context_ida, ctx->ctx_id);
		virtgpu2_live_dec(VIRTGPU2_LIVE_CONTEXTS);
	}
	kfree(ctx);
}

/*
 * Tell the host that @ctx starts or stops using @bo (CTX_*_RESOURCE), in
 * the context's order: behind its parked jobs, which may use @bo.
 */
static int virtgpu2_context_send_resource(u32 type, const struct virtgpu2_context *ctx,
					  struct virtgpu2_object *bo)
{
	struct virtgpu2_vbuf *vbuf = virtgpu2_cmd_ctx_resource(type, ctx->ctx_id,
							       bo->res_id);
	int ret;

	if (!vbuf)
		return -ENOMEM;
	vbuf->posted = true;
	ret = virtgpu2_queue_cmd(ctx->q, vbuf, &bo->shmem.base);
	virtgpu2_vbuf_put(vbuf);
	return ret;
}

void virtgpu2_file_close(struct virtgpu2_file *vfile)
{
	struct virtgpu2_device *vgdev = vfile->vgdev;
	struct virtgpu2_context *ctx = vfile->ctx;
	int ret;

	if (ctx) {
		/* Jobs still waiting for in-fences would name a dead context. */
		virtgpu2_queue_cancel(ctx->q);
		/*
		 * No answer is awaited; the queue takes its own reference,
		 * and context_free() drops ours. A full ring owes it rather
		 * than keeping a closing process waiting. A destroy that
		 * could not be sent leaves the host's context alive: its id
		 * stays taken, or the next file's create would clash.
		 */
		ret = virtgpu2_vq_queue_owed(&vgdev->ctrlq, ctx->destroy_cmd);
		if (ret && ret != -ENODEV) {
			drm_err(&vgdev->drm, "context %u: CTX_DESTROY not sent (%d); its id stays taken\n",
				ctx->ctx_id, ret);
			ctx->ctx_id = 0;
		}
		virtgpu2_context_free(vgdev, ctx);
	}
	mutex_destroy(&vfile->ctx_lock);
	kfree(vfile);
}

static struct virtgpu2_context *
virtgpu2_context_alloc(struct virtgpu2_device *vgdev,
		       const struct virtgpu2_context_params *p)
{
	struct virtgpu2_context *ctx;
	int id;
	u32 i;

	ctx = kzalloc(struct_size(ctx, rings, p->num_rings), GFP_KERNEL_ACCOUNT);
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	id = ida_alloc_range(&vgdev->context_ida, 1, INT_MAX, GFP_KERNEL);
	if (id < 0) {
		kfree(ctx);
		return ERR_PTR(id);
	}
	virtgpu2_live_inc(VIRTGPU2_LIVE_CONTEXTS);
	ctx->ctx_id = id;
	ctx->capset_id = p->capset_id;
	ctx->num_rings = p->num_rings;
	ctx->poll_mask = p->poll_mask;
	ctx->destroy_cmd = virtgpu2_cmd_ctx_destroy(id);
	if (!ctx->destroy_cmd)
		goto out_free;
	ctx->q = virtgpu2_queue_create(vgdev);
	if (!ctx->q)
		goto out_free;
	ctx->default_tl = virtgpu2_timeline_create(ctx->q, id, VIRTGPU2_NO_RING);
	if (!ctx->default_tl)
		goto out_free;
	for (i = 0; i < p->num_rings; i++) {
		ctx->rings[i] = virtgpu2_timeline_create(ctx->q, id, i);
		if (!ctx->rings[i])
			goto out_free;
	}
	return ctx;

out_free:
	virtgpu2_context_free(vgdev, ctx);
	return ERR_PTR(-ENOMEM);
}

/* Attach every object the file got a handle for before @ctx existed. */
static void virtgpu2_context_attach_early(struct virtgpu2_file *vfile,
					  struct virtgpu2_context *ctx)
{
	struct virtgpu2_early_handle *e, *tmp;

	lockdep_assert_held(&vfile->ctx_lock);
	list_for_each_entry_safe(e, tmp, &vfile->early, node) {
		if (e->bo->host_created)
			virtgpu2_context_send_resource(VIRTIO_GPU_CMD_CTX_ATTACH_RESOURCE,
						       ctx, e->bo);
		list_del(&e->node);
		drm_gem_object_put(&e->bo->shmem.base);	/* the handle keeps it */
		kfree(e);
	}
}

/* Remember a handle opened while the file has no context yet. */
static int virtgpu2_context_note_early(struct virtgpu2_file *vfile,
				       struct virtgpu2_object *bo)
{
	struct virtgpu2_early_handle *e = kmalloc(sizeof(*e), GFP_KERNEL_ACCOUNT);

	lockdep_assert_held(&vfile->ctx_lock);
	if (!e)
		return -ENOMEM;
	drm_gem_object_get(&bo->shmem.base);
	e->bo = bo;
	list_add_tail(&e->node, &vfile->early);
	return 0;
}

static void virtgpu2_context_forget_early(struct virtgpu2_file *vfile,
					  struct virtgpu2_object *bo)
{
	struct virtgpu2_early_handle *e;

	lockdep_assert_held(&vfile->ctx_lock);
	list_for_each_entry(e, &vfile->early, node) {
		if (e->bo == bo) {
			list_del(&e->node);
			drm_gem_object_put(&bo->shmem.base);
			kfree(e);
			return;
		}
	}
}

static int virtgpu2_context_create_locked(struct virtgpu2_file *vfile,
					  const struct virtgpu2_context_params *p)
{
	struct virtgpu2_device *vgdev = vfile->vgdev;
	struct virtgpu2_context *ctx;
	struct virtgpu2_vbuf *vbuf;
	char comm[TASK_COMM_LEN];
	bool sent;
	int ret;

	lockdep_assert_held(&vfile->ctx_lock);
	if (!vgdev->has.virgl)
		return -EOPNOTSUPP;	/* host contexts are a 3D feature */
	ctx = virtgpu2_context_alloc(vgdev, p);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	get_task_comm(comm, current);
	vbuf = virtgpu2_cmd_ctx_create(ctx->ctx_id, p->capset_id,
				       p->debug_name[0] ? p->debug_name : comm);
	ret = vbuf ? virtgpu2_vq_queue(&vgdev->ctrlq, vbuf, false) : -ENOMEM;
	sent = !ret;
	if (sent)
		ret = virtgpu2_vbuf_wait(vbuf, false);
	if (vbuf)
		virtgpu2_vbuf_put(vbuf);
	if (ret) {
		drm_dbg_driver(&vgdev->drm, "CTX_CREATE capset %u failed: %d\n",
			       p->capset_id, ret);
		/* A create the full ring never took needs no undoing. */
		if (sent && ret == -ETIMEDOUT) {
			/*
			 * It may still reach the host: the CTX_DESTROY goes
			 * behind it, to undo it then, and the id is never
			 * reused.
			 */
			drm_warn(&vgdev->drm, "context %u: CTX_CREATE unanswered; id retired\n",
				 ctx->ctx_id);
			virtgpu2_vq_queue_owed(&vgdev->ctrlq, ctx->destroy_cmd);
			ctx->ctx_id = 0;
		}
		virtgpu2_context_free(vgdev, ctx);
		return ret;
	}
	virtgpu2_context_attach_early(vfile, ctx);
	/*
	 * Publish a whole context, attaches sent, to lock-free readers, so
	 * EXECBUFFER never names an object ahead of its attach.
	 */
	smp_store_release(&vfile->ctx, ctx);
	return 0;
}

/**
 * virtgpu2_context_get() - the file's context, created on first use
 * @vfile: the file
 *
 * Return: the context, or an ERR_PTR if the device has no 3D or refused.
 */
struct virtgpu2_context *virtgpu2_context_get(struct virtgpu2_file *vfile)
{
	static const struct virtgpu2_context_params defaults;
	struct virtgpu2_context *ctx = virtgpu2_file_ctx(vfile);
	int ret = 0;

	if (ctx)
		return ctx;
	mutex_lock(&vfile->ctx_lock);
	if (!vfile->ctx)
		ret = virtgpu2_context_create_locked(vfile, &defaults);
	mutex_unlock(&vfile->ctx_lock);
	return ret ? ERR_PTR(ret) : vfile->ctx;
}

/**
 * virtgpu2_context_init() - create the file's context as CONTEXT_INIT asks
 * @vfile: the file
 * @p: validated parameters
 *
 * Return: 0, -EEXIST if the file already has a context (also an implicit
 * one), or the host's answer as an errno.
 */
int virtgpu2_context_init(struct virtgpu2_file *vfile,
			  const struct virtgpu2_context_params *p)
{
	int ret;

	ret = mutex_lock_interruptible(&vfile->ctx_lock);
	if (ret)
		return ret;
	ret = vfile->ctx ? -EEXIST : virtgpu2_context_create_locked(vfile, p);
	mutex_unlock(&vfile->ctx_lock);
	return ret;
}

/**
 * virtgpu2_context_attach() - a handle to @bo appeared in the file
 * @vfile: the file
 * @bo: the object
 *
 * Without CONTEXT_INIT on the device, a handle creates the context, as the
 * in-tree driver does; legacy virgl relies on it.
 *
 * Return: 0, or -ENOMEM/-ENOSPC when the attach could not be queued in
 * the context's order.
 */
int virtgpu2_context_attach(struct virtgpu2_file *vfile, struct virtgpu2_object *bo)
{
	struct virtgpu2_device *vgdev = vfile->vgdev;
	struct virtgpu2_context *ctx;
	int ret = 0;

	if (!vgdev->has.virgl)
		return 0;
	if (!vgdev->has.context_init)
		virtgpu2_context_get(vfile);
	mutex_lock(&vfile->ctx_lock);
	ctx = vfile->ctx;
	if (!ctx)
		ret = virtgpu2_context_note_early(vfile, bo);
	else if (bo->host_created)
		ret = virtgpu2_context_send_resource(VIRTIO_GPU_CMD_CTX_ATTACH_RESOURCE,
						     ctx, bo);
	mutex_unlock(&vfile->ctx_lock);
	return ret;
}

void virtgpu2_context_detach(struct virtgpu2_file *vfile, struct virtgpu2_object *bo)
{
	struct virtgpu2_context *ctx = virtgpu2_file_ctx(vfile);

	if (!ctx && vfile->vgdev->has.virgl) {
		mutex_lock(&vfile->ctx_lock);
		ctx = vfile->ctx;
		if (!ctx)
			virtgpu2_context_forget_early(vfile, bo);
		mutex_unlock(&vfile->ctx_lock);
	}

	/* Best effort: CTX_DESTROY detaches whatever is left. */
	if (ctx && bo->host_created)
		virtgpu2_context_send_resource(VIRTIO_GPU_CMD_CTX_DETACH_RESOURCE, ctx, bo);
}
