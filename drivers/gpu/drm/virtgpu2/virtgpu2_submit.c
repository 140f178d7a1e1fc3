// SPDX-License-Identifier: GPL-2.0-only
/*
 * EXECBUFFER: copy the stream, take the objects, gather in-fences from a
 * sync_file and syncobjs, then hand a job to the ring's timeline and
 * publish its fence as a sync_file and in out-syncobjs.
 */

#include <linux/file.h>
#include <linux/slab.h>
#include <linux/sync_file.h>
#include <linux/uaccess.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_syncobj.h>

#include "virtgpu2_cmd.h"
#include "virtgpu2_context.h"
#include "virtgpu2_drv.h"
#include "virtgpu2_fence.h"
#include "virtgpu2_job.h"
#include "virtgpu2_object.h"
#include "virtgpu2_submit.h"

/*
 * Generous bounds that still stop absurd allocations. The stream's bound
 * is the queue's: what always fits in the ring (virtgpu2_vq_max_payload()).
 */
#define VIRTGPU2_MAX_SYNCOBJS 1024
#define VIRTGPU2_MAX_BO_HANDLES SZ_64K

/**
 * struct virtgpu2_out_syncobj - where to publish the job's fence
 */
struct virtgpu2_out_syncobj {
	/** @syncobj: referenced. */
	struct drm_syncobj *syncobj;
	/** @chain: preallocated for a timeline point, or NULL. */
	struct dma_fence_chain *chain;
	/** @point: timeline point, 0 for a binary syncobj. */
	u64 point;
};

/**
 * struct virtgpu2_submit - an EXECBUFFER being put together
 */
struct virtgpu2_submit {
	/** @args: the ioctl's arguments. */
	struct drm_virtgpu_execbuffer *args;
	/** @file: the caller. */
	struct drm_file *file;
	/** @job: the job, once made. */
	struct virtgpu2_job *job;
	/** @in_fence: from FENCE_FD_IN, or NULL. */
	struct dma_fence *in_fence;
	/** @in_fences: fences from in-syncobjs, @args->num_in_syncobjs. */
	struct dma_fence **in_fences;
	/** @reset: in-syncobjs to reset after submitting (or NULL entries). */
	struct drm_syncobj **reset;
	/** @outs: @args->num_out_syncobjs of them. */
	struct virtgpu2_out_syncobj *outs;
	/** @out_fd: reserved fd for FENCE_FD_OUT, or -1. */
	int out_fd;
	/**
	 * @out_sync: the sync_file for @out_fd, made before the push around
	 * a stub fence and given the job's fence after it, so that nothing
	 * can fail once the job runs.
	 */
	struct sync_file *out_sync;
};

static int virtgpu2_read_syncobj(const struct drm_virtgpu_execbuffer *args,
				 u64 base, u32 i, struct drm_virtgpu_execbuffer_syncobj *s)
{
	void __user *p = u64_to_user_ptr(base + (u64)i * args->syncobj_stride);

	/*
	 * Shorter entries are zero-extended and longer ones truncated, as the
	 * in-tree driver does, so callers built against any uapi agree.
	 */
	memset(s, 0, sizeof(*s));
	if (copy_from_user(s, p, min_t(u32, args->syncobj_stride, sizeof(*s))))
		return -EFAULT;
	if (s->flags & ~VIRTGPU_EXECBUF_SYNCOBJ_FLAGS)
		return -EINVAL;
	return 0;
}

static int virtgpu2_submit_in_syncobjs(struct virtgpu2_submit *sb)
{
	const struct drm_virtgpu_execbuffer *args = sb->args;
	struct drm_virtgpu_execbuffer_syncobj s;
	u32 i, n = args->num_in_syncobjs;
	struct dma_fence *fence;
	int ret;

	sb->in_fences = kvcalloc(n, sizeof(*sb->in_fences), GFP_KERNEL);
	sb->reset = kvcalloc(n, sizeof(*sb->reset), GFP_KERNEL);
	if (!sb->in_fences || !sb->reset)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		ret = virtgpu2_read_syncobj(args, args->in_syncobjs, i, &s);
		if (ret)
			return ret;
		/* On error the helper may leave a stale pointer behind. */
		ret = drm_syncobj_find_fence(sb->file, s.handle, s.point, 0, &fence);
		if (ret)
			return ret;
		sb->in_fences[i] = fence;
		if (s.flags & VIRTGPU_EXECBUF_SYNCOBJ_RESET) {
			sb->reset[i] = drm_syncobj_find(sb->file, s.handle);
			if (!sb->reset[i])
				return -ENOENT;
		}
	}
	return 0;
}

static int virtgpu2_submit_out_syncobjs(struct virtgpu2_submit *sb)
{
	const struct drm_virtgpu_execbuffer *args = sb->args;
	struct drm_virtgpu_execbuffer_syncobj s;
	u32 i, n = args->num_out_syncobjs;
	int ret;

	sb->outs = kvcalloc(n, sizeof(*sb->outs), GFP_KERNEL);
	if (!sb->outs)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		ret = virtgpu2_read_syncobj(args, args->out_syncobjs, i, &s);
		if (ret)
			return ret;
		if (s.flags)
			return -EINVAL;	/* RESET means nothing for an output */
		sb->outs[i].syncobj = drm_syncobj_find(sb->file, s.handle);
		if (!sb->outs[i].syncobj)
			return -ENOENT;
		sb->outs[i].point = s.point;
		if (s.point) {
			sb->outs[i].chain = dma_fence_chain_alloc();
			if (!sb->outs[i].chain)
				return -ENOMEM;
		}
	}
	return 0;
}

static int virtgpu2_submit_validate(struct virtgpu2_device *vgdev,
				    const struct drm_virtgpu_execbuffer *args)
{
	if (!vgdev->has.virgl)
		return -EOPNOTSUPP;	/* a 2D device has no command streams */
	if (args->flags & ~VIRTGPU_EXECBUF_FLAGS)
		return -EINVAL;
	/*
	 * Streams are opaque: a personality may use any byte length, up to
	 * what the ring can always take, so no send fails on size later, and
	 * up to VIRTGPU2_MAX_STREAM, so that one job never fills what its
	 * context may hold back.
	 */
	if (args->size > min(virtgpu2_vq_max_payload(&vgdev->ctrlq), VIRTGPU2_MAX_STREAM))
		return -E2BIG;
	if (args->num_bo_handles > VIRTGPU2_MAX_BO_HANDLES)
		return -EINVAL;
	if (args->num_in_syncobjs > VIRTGPU2_MAX_SYNCOBJS ||
	    args->num_out_syncobjs > VIRTGPU2_MAX_SYNCOBJS)
		return -EINVAL;
	if ((args->num_in_syncobjs || args->num_out_syncobjs) &&
	    args->syncobj_stride < offsetofend(struct drm_virtgpu_execbuffer_syncobj, handle))
		return -EINVAL;
	if (!(args->flags & VIRTGPU_EXECBUF_RING_IDX) && args->ring_idx)
		return -EINVAL;
	return 0;
}

static struct virtgpu2_timeline *virtgpu2_submit_timeline(struct virtgpu2_context *ctx,
							  const struct drm_virtgpu_execbuffer *args)
{
	if (!(args->flags & VIRTGPU_EXECBUF_RING_IDX))
		return ctx->default_tl;
	if (args->ring_idx >= ctx->num_rings)
		return ERR_PTR(-EINVAL);
	return ctx->rings[args->ring_idx];
}

/*
 * Look the handles up in one pass under the table lock. On failure every
 * reference taken so far is dropped: drm_gem_objects_lookup() before Linux
 * 6.14 leaves them to the caller, who cannot tell how many there are.
 */
static int virtgpu2_submit_lookup_bos(struct drm_file *file, u64 uptr, u32 n,
				      struct drm_gem_object ***out)
{
	struct drm_gem_object **bos;
	u32 *handles, i;
	int ret = 0;

	handles = kvmalloc_array(n, sizeof(*handles), GFP_KERNEL_ACCOUNT);
	bos = kvmalloc_array(n, sizeof(*bos), GFP_KERNEL_ACCOUNT);
	if (!handles || !bos) {
		ret = -ENOMEM;
		goto out_free;
	}
	if (copy_from_user(handles, u64_to_user_ptr(uptr), n * sizeof(*handles))) {
		ret = -EFAULT;
		goto out_free;
	}
	spin_lock(&file->table_lock);
	for (i = 0; i < n; i++) {
		bos[i] = idr_find(&file->object_idr, handles[i]);
		if (!bos[i]) {
			ret = -ENOENT;
			break;
		}
		drm_gem_object_get(bos[i]);
	}
	spin_unlock(&file->table_lock);
	/* A stream naming a resource the host refused fails with its errno. */
	for (u32 j = 0; !ret && j < i; j++)
		ret = virtgpu2_object_verdict(to_virtgpu2_object(bos[j]), true);
	if (ret) {
		while (i--)
			drm_gem_object_put(bos[i]);
		goto out_free;
	}
	kvfree(handles);
	*out = bos;
	return 0;

out_free:
	kvfree(handles);
	kvfree(bos);
	return ret;
}

/* Make the job: stream, objects, and room for every in-fence. */
static int virtgpu2_submit_job(struct virtgpu2_submit *sb,
			       struct virtgpu2_context *ctx,
			       struct virtgpu2_timeline *tl)
{
	const struct drm_virtgpu_execbuffer *args = sb->args;
	u32 max_deps = args->num_in_syncobjs + !!sb->in_fence;
	struct drm_gem_object **bos = NULL;
	struct virtgpu2_vbuf *vbuf;
	struct virtgpu2_job *job;
	void *stream;
	u32 i;
	int ret;

	/* An empty stream (Venus's wake-ups of its ring) copies nothing. */
	stream = args->size ? virtgpu2_memdup_user(args->command, args->size) : NULL;
	if (IS_ERR(stream))
		return PTR_ERR(stream);
	vbuf = virtgpu2_cmd_submit_3d(ctx->ctx_id, stream, args->size);
	if (!vbuf)
		return -ENOMEM;
	if (args->num_bo_handles) {
		ret = virtgpu2_submit_lookup_bos(sb->file, args->bo_handles,
						 args->num_bo_handles, &bos);
		if (ret)
			goto out_put_vbuf;
	}
	job = virtgpu2_job_create(tl, vbuf, bos, args->num_bo_handles, max_deps);
	if (IS_ERR(job)) {
		ret = PTR_ERR(job);
		for (i = 0; bos && i < args->num_bo_handles; i++)
			drm_gem_object_put(bos[i]);
		kvfree(bos);
		goto out_put_vbuf;
	}
	sb->job = job;
	return 0;

out_put_vbuf:
	virtgpu2_vbuf_put(vbuf);
	return ret;
}

static int virtgpu2_submit_event(struct virtgpu2_submit *sb,
				 struct virtgpu2_context *ctx)
{
	struct virtgpu2_device *vgdev = to_virtgpu2(sb->file->minor->dev);
	const struct drm_virtgpu_execbuffer *args = sb->args;
	struct virtgpu2_fence_event *e;
	int ret;

	if (!(args->flags & VIRTGPU_EXECBUF_RING_IDX) ||
	    !(ctx->poll_mask & BIT_ULL(args->ring_idx)))
		return 0;
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	e->event.type = VIRTGPU_EVENT_FENCE_SIGNALED;
	e->event.length = sizeof(e->event);
	/* Counts against the file's event space: -ENOMEM when it is full. */
	ret = drm_event_reserve_init(&vgdev->drm, sb->file, &e->base, &e->event);
	if (ret) {
		kfree(e);
		return ret;
	}
	sb->job->event = &e->base;
	return 0;
}

/* After the push: nothing here can fail. */
static void virtgpu2_submit_publish(struct virtgpu2_submit *sb,
				    struct dma_fence *fence)
{
	struct sync_file *sync = sb->out_sync;
	u32 i;

	for (i = 0; i < sb->args->num_in_syncobjs; i++)
		if (sb->reset[i])
			drm_syncobj_replace_fence(sb->reset[i], NULL);
	for (i = 0; i < sb->args->num_out_syncobjs; i++) {
		struct virtgpu2_out_syncobj *o = &sb->outs[i];

		if (o->chain) {
			drm_syncobj_add_point(o->syncobj, o->chain, fence, o->point);
			o->chain = NULL;
		} else {
			drm_syncobj_replace_fence(o->syncobj, fence);
		}
	}
	if (sync) {
		/* Nobody has seen the file yet: its stub can be swapped. */
		dma_fence_put(sync->fence);
		sync->fence = dma_fence_get(fence);
		fd_install(sb->out_fd, sync->file);
		sb->args->fence_fd = sb->out_fd;
		sb->out_fd = -1;
		sb->out_sync = NULL;
	}
}

static void virtgpu2_submit_cleanup(struct virtgpu2_submit *sb)
{
	u32 i;

	if (sb->out_sync)
		fput(sb->out_sync->file);	/* frees it with its stub */
	if (sb->out_fd >= 0)
		put_unused_fd(sb->out_fd);
	if (sb->in_fence)
		dma_fence_put(sb->in_fence);
	for (i = 0; sb->in_fences && i < sb->args->num_in_syncobjs; i++)
		if (sb->in_fences[i])
			dma_fence_put(sb->in_fences[i]);
	for (i = 0; sb->reset && i < sb->args->num_in_syncobjs; i++)
		if (sb->reset[i])
			drm_syncobj_put(sb->reset[i]);
	for (i = 0; sb->outs && i < sb->args->num_out_syncobjs; i++) {
		if (sb->outs[i].syncobj)
			drm_syncobj_put(sb->outs[i].syncobj);
		dma_fence_chain_free(sb->outs[i].chain);
	}
	kvfree(sb->in_fences);
	kvfree(sb->reset);
	kvfree(sb->outs);
}

/* The out-fence's fd and sync_file, ready to take the job's fence. */
static int virtgpu2_submit_reserve_out(struct virtgpu2_submit *sb)
{
	struct dma_fence *stub;

	sb->out_fd = get_unused_fd_flags(O_CLOEXEC);
	if (sb->out_fd < 0)
		return sb->out_fd;
	stub = dma_fence_get_stub();
	sb->out_sync = sync_file_create(stub);
	dma_fence_put(stub);
	return sb->out_sync ? 0 : -ENOMEM;
}

/* Gather every input; nothing is sent yet. */
static int virtgpu2_submit_prepare(struct virtgpu2_submit *sb)
{
	const struct drm_virtgpu_execbuffer *args = sb->args;
	int ret;

	if (args->flags & VIRTGPU_EXECBUF_FENCE_FD_IN) {
		sb->in_fence = sync_file_get_fence(args->fence_fd);
		if (!sb->in_fence)
			return -EINVAL;
	}
	if (args->num_in_syncobjs) {
		ret = virtgpu2_submit_in_syncobjs(sb);
		if (ret)
			return ret;
	}
	if (args->num_out_syncobjs) {
		ret = virtgpu2_submit_out_syncobjs(sb);
		if (ret)
			return ret;
	}
	if (args->flags & VIRTGPU_EXECBUF_FENCE_FD_OUT)
		return virtgpu2_submit_reserve_out(sb);
	return 0;
}

static int virtgpu2_submit_run(struct virtgpu2_submit *sb, struct virtgpu2_context *ctx,
			       struct virtgpu2_timeline *tl)
{
	struct dma_fence *fence;
	u32 i;
	int ret;

	ret = virtgpu2_submit_job(sb, ctx, tl);
	if (ret)
		return ret;
	ret = virtgpu2_submit_event(sb, ctx);
	if (ret)
		goto out_abort;
	if (sb->in_fence) {
		virtgpu2_job_add_dep(sb->job, sb->in_fence);
		sb->in_fence = NULL;
	}
	for (i = 0; i < sb->args->num_in_syncobjs; i++) {
		virtgpu2_job_add_dep(sb->job, sb->in_fences[i]);
		sb->in_fences[i] = NULL;
	}
	fence = virtgpu2_job_push(sb->job);
	if (IS_ERR(fence)) {
		ret = PTR_ERR(fence);
		goto out_abort;
	}
	sb->job = NULL;	/* the timeline's now */
	virtgpu2_submit_publish(sb, fence);
	dma_fence_put(fence);
	return 0;

out_abort:
	virtgpu2_job_abort(sb->job);
	return ret;
}

int virtgpu2_ioctl_execbuffer(struct drm_device *drm, void *data,
			      struct drm_file *file)
{
	struct virtgpu2_device *vgdev = to_virtgpu2(drm);
	struct virtgpu2_submit sb = { .args = data, .file = file, .out_fd = -1 };
	struct virtgpu2_context *ctx;
	struct virtgpu2_timeline *tl;
	int ret;

	ret = virtgpu2_submit_validate(vgdev, data);
	if (ret)
		return ret;
	ctx = virtgpu2_context_get(file->driver_priv);
	if (IS_ERR(ctx))
		return PTR_ERR(ctx);
	tl = virtgpu2_submit_timeline(ctx, data);
	if (IS_ERR(tl))
		return PTR_ERR(tl);
	ret = virtgpu2_submit_prepare(&sb);
	if (!ret)
		ret = virtgpu2_submit_run(&sb, ctx, tl);
	virtgpu2_submit_cleanup(&sb);
	return ret;
}
