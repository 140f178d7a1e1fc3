// SPDX-License-Identifier: GPL-2.0-only
/*
 * RESOURCE_CREATE_BLOB. The ioctl reports the host's verdict on the create:
 * when the host refuses it, the ioctl fails with the host's answer and the
 * resource id is simply forgotten, so no CTX_ATTACH or UNREF ever names it.
 * Guest blobs without cmd or UUID are the exception: their create is posted
 * and its verdict read by the first call that depends on it, as for
 * RESOURCE_CREATE (virtgpu2_object.c).
 * The UUID and MAP_BLOB that follow the create are sent right behind it,
 * without waiting for its answer: the control queue runs in order, so once
 * they are answered the create's verdict is in as well, and a blob that is
 * mapped at once costs one host round trip, not two.
 *
 * Errors, checked in this order:
 *
 * - -EOPNOTSUPP: the device lacks what the request needs (RESOURCE_BLOB; 3D for
 *   host blobs or a @cmd; a host-visible window for a mappable HOST3D blob;
 *   RESOURCE_UUID for CROSS_DEVICE).
 * - -EINVAL: a pad is not zero, an unknown blob_mem, flag or hint, size 0,
 *   too large or not a multiple of the device's blob alignment, cmd_size not
 *   a multiple of 4, or blob_id/cmd_size on a GUEST blob.
 * - -E2BIG: cmd_size over VIRTGPU2_MAX_BLOB_CMD.
 * - -EFAULT: @cmd cannot be read.
 * - -ENOSPC: the host-visible window is full (not with DEFER_MAPPING, where
 *   the first mmap() fails instead).
 * - the host's answer to the cmd, the create, the UUID or the map: -ENOMEM,
 *   -EINVAL, -ENOENT or -EIO (see virtgpu2_vq.c).
 */

#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>
#include <drm/virtgpu_drm.h>

#include "virtgpu2_blob.h"
#include "virtgpu2_cmd.h"
#include "virtgpu2_context.h"
#include "virtgpu2_drv.h"
#include "virtgpu2_hostmem.h"
#include "virtgpu2_job.h"

#define VIRTGPU2_BLOB_FLAGS (VIRTGPU_BLOB_FLAG_USE_MAPPABLE | \
			     VIRTGPU_BLOB_FLAG_USE_SHAREABLE | \
			     VIRTGPU_BLOB_FLAG_USE_CROSS_DEVICE)
#define VIRTGPU2_BLOB_HINTS DRM_VIRTGPU_BLOB_FLAG_HINT_DEFER_MAPPING
/* The largest blob: the same bound as classic resources. */
#define VIRTGPU2_MAX_BLOB_SIZE (SZ_1G * 4ULL)
/* The largest embedded command; virgl and Venus send a few dozen bytes. */
#define VIRTGPU2_MAX_BLOB_CMD SZ_64K

static bool virtgpu2_blob_is_host(u32 blob_mem)
{
	return blob_mem != VIRTGPU_BLOB_MEM_GUEST;
}

static bool virtgpu2_blob_uses_window(u32 blob_mem, u32 blob_flags)
{
	return blob_mem == VIRTGPU_BLOB_MEM_HOST3D &&
	       (blob_flags & VIRTGPU_BLOB_FLAG_USE_MAPPABLE);
}

/* Can the device do what @rc asks for at all? */
static int virtgpu2_blob_check_device(struct virtgpu2_device *vgdev,
				      const struct drm_virtgpu_resource_create_blob *rc)
{
	if (!vgdev->has.resource_blob)
		return -EOPNOTSUPP;
	if ((virtgpu2_blob_is_host(rc->blob_mem) || rc->cmd_size) &&
	    !vgdev->has.virgl)
		return -EOPNOTSUPP;
	if (virtgpu2_blob_uses_window(rc->blob_mem, rc->blob_flags) &&
	    !vgdev->hostmem)
		return -EOPNOTSUPP;
	if ((rc->blob_flags & VIRTGPU_BLOB_FLAG_USE_CROSS_DEVICE) &&
	    !vgdev->has.resource_uuid)
		return -EOPNOTSUPP;
	return 0;
}

static int virtgpu2_blob_check(struct virtgpu2_device *vgdev,
			       const struct drm_virtgpu_resource_create_blob *rc)
{
	if (rc->pad || rc->pad2)
		return -EINVAL;
	if (rc->blob_mem < VIRTGPU_BLOB_MEM_GUEST ||
	    rc->blob_mem > VIRTGPU_BLOB_MEM_HOST3D_GUEST)
		return -EINVAL;
	if ((rc->blob_flags & ~VIRTGPU2_BLOB_FLAGS) ||
	    (rc->blob_hints & ~VIRTGPU2_BLOB_HINTS))
		return -EINVAL;
	if (!rc->size || rc->size > VIRTGPU2_MAX_BLOB_SIZE)
		return -EINVAL;
	if (!virtgpu2_blob_size_aligned(vgdev, rc->size))
		return -EINVAL;
	if (rc->cmd_size % 4)
		return -EINVAL;
	if (rc->cmd_size > VIRTGPU2_MAX_BLOB_CMD)
		return -E2BIG;
	if (!virtgpu2_blob_is_host(rc->blob_mem) && (rc->blob_id || rc->cmd_size))
		return -EINVAL;
	return virtgpu2_blob_check_device(vgdev, rc);
}

/* The caller's command, to run on its context right before the create. */
static struct virtgpu2_vbuf *
virtgpu2_blob_cmd(struct virtgpu2_device *vgdev, struct virtgpu2_context *ctx,
		  const struct drm_virtgpu_resource_create_blob *rc)
{
	void *stream;

	if (!rc->cmd_size)
		return NULL;
	stream = virtgpu2_memdup_user(rc->cmd, rc->cmd_size);
	if (IS_ERR(stream))
		return ERR_CAST(stream);
	return virtgpu2_vq_prepared(&vgdev->ctrlq,
				    virtgpu2_cmd_submit_3d(ctx->ctx_id, stream, rc->cmd_size));
}

/* RESOURCE_CREATE_BLOB, with the guest pages of GUEST and HOST3D_GUEST. */
static struct virtgpu2_vbuf *
virtgpu2_blob_create_cmd(struct virtgpu2_device *vgdev, struct virtgpu2_context *ctx,
			 struct virtgpu2_object *bo,
			 const struct drm_virtgpu_resource_create_blob *rc)
{
	struct virtio_gpu_mem_entry *ents = NULL;
	struct virtgpu2_vbuf *vbuf;
	u32 nr = 0;
	int ret;

	if (rc->blob_mem != VIRTGPU_BLOB_MEM_HOST3D) {
		ret = virtgpu2_object_guest_entries(vgdev, bo, &ents, &nr);
		if (ret)
			return ERR_PTR(ret);
	}
	vbuf = virtgpu2_cmd_resource_create_blob(ctx ? ctx->ctx_id : 0, bo->res_id,
						 rc->blob_mem, rc->blob_flags,
						 rc->blob_id, rc->size, ents, nr);
	return virtgpu2_vq_prepared(&vgdev->ctrlq, vbuf);
}

/*
 * Queue the cmd and the create back to back, behind the context's parked
 * jobs (which may make the object the blob names). A signal may stop us
 * only before the first of them is out: after that, both go, and the
 * create's answer is waited for whatever happens (virtgpu2_blob_verdict()),
 * so that a restarted ioctl never runs the cmd twice.
 */
static int virtgpu2_blob_send(struct virtgpu2_device *vgdev,
			      struct virtgpu2_context *ctx,
			      struct virtgpu2_vbuf *cmd, struct virtgpu2_vbuf *create)
{
	int ret;

	if (ctx) {
		ret = virtgpu2_queue_lock_idle(ctx->q);
		if (ret)
			return ret;
		ret = ctx->q->error;	/* the context lost a command already */
		if (ret)
			goto out_unlock;
	}
	if (cmd) {
		/*
		 * One kick for both, now: the caller waits for the create's
		 * answer. Owed on a full ring, the create has no wait, and
		 * so no signal, between it and the cmd.
		 */
		cmd->batched = true;
		ret = virtgpu2_vq_queue(&vgdev->ctrlq, cmd, true);
		if (!ret)
			ret = virtgpu2_vq_queue_owed(&vgdev->ctrlq, create);
		virtgpu2_vq_flush(&vgdev->ctrlq);
	} else {
		ret = virtgpu2_vq_queue(&vgdev->ctrlq, create, true);
	}
out_unlock:
	if (ctx)
		mutex_unlock(&ctx->q->lock);
	return ret;
}

/*
 * The host's verdict on a create sent by virtgpu2_blob_send(). A host that
 * refused the create yet mapped the blob is not believed: the object then
 * counts as made, so that its free sends UNMAP_BLOB and UNREF.
 */
static int virtgpu2_blob_verdict(struct virtgpu2_device *vgdev,
				 struct virtgpu2_object *bo,
				 struct virtgpu2_vbuf *cmd, struct virtgpu2_vbuf *create)
{
	int ret = virtgpu2_object_create_wait(bo, create);

	if (ret && bo->hostmem_node && !bo->host_created) {
		bool unanswered = bo->map_info == VIRTGPU2_MAP_INFO_UNUSABLE;

		drm_err(&vgdev->drm, "resource %u: create refused (%d) but MAP_BLOB %s\n",
			bo->res_id, ret, unanswered ? "went unanswered" : "succeeded");
		bo->host_created = true;
	}
	/* The create came after the cmd, so the cmd's answer is in. */
	if (cmd && !ret && completion_done(&cmd->done))
		ret = cmd->status;
	return ret;
}

static int virtgpu2_blob_assign_uuid(struct virtgpu2_device *vgdev,
				     struct virtgpu2_object *bo)
{
	const struct virtio_gpu_resp_resource_uuid *resp;
	struct virtgpu2_vbuf *vbuf;
	int ret;

	vbuf = virtgpu2_cmd_resource_assign_uuid(bo->res_id);
	if (!vbuf)
		return -ENOMEM;
	ret = virtgpu2_ctrl(vgdev, vbuf, true);
	if (!ret && vbuf->resp_len < sizeof(*resp))
		ret = -EPROTO;
	if (!ret) {
		resp = vbuf->resp;
		import_uuid(&bo->uuid, resp->uuid);
		bo->has_uuid = true;
	}
	virtgpu2_vbuf_put(vbuf);
	return ret;
}

/* Everything after the create: UUID and window placement. */
static int virtgpu2_blob_finish(struct virtgpu2_device *vgdev,
				struct virtgpu2_object *bo,
				const struct drm_virtgpu_resource_create_blob *rc)
{
	int ret;

	if (rc->blob_flags & VIRTGPU_BLOB_FLAG_USE_CROSS_DEVICE) {
		ret = virtgpu2_blob_assign_uuid(vgdev, bo);
		if (ret)
			return ret;
	}
	if (virtgpu2_blob_uses_window(rc->blob_mem, rc->blob_flags) &&
	    !(rc->blob_hints & DRM_VIRTGPU_BLOB_FLAG_HINT_DEFER_MAPPING))
		return virtgpu2_hostmem_map(vgdev, bo);
	return 0;
}

/*
 * A guest blob with no cmd and no UUID needs nothing of the host's answer
 * before the ioctl returns: its create is posted, as a resource's is
 * (virtgpu2_object_create_shmem()), and its verdict read at first use.
 */
static bool virtgpu2_blob_posted(const struct drm_virtgpu_resource_create_blob *rc)
{
	return rc->blob_mem == VIRTGPU_BLOB_MEM_GUEST && !rc->cmd_size &&
	       !(rc->blob_flags & VIRTGPU_BLOB_FLAG_USE_CROSS_DEVICE);
}

/*
 * Make the blob on the host, with the caller's cmd before it, and finish it
 * while the host works on the create. The create's refusal is the cause of
 * any later failure, so it is the errno reported.
 */
static int virtgpu2_blob_create_host(struct virtgpu2_device *vgdev,
				     struct virtgpu2_context *ctx,
				     struct virtgpu2_object *bo,
				     const struct drm_virtgpu_resource_create_blob *rc)
{
	/*
	 * Decided here, once: virtgpu2_vq_queue_owed() marks the create
	 * behind a cmd as posted too, but that is about its kick only.
	 */
	bool posted = virtgpu2_blob_posted(rc);
	struct virtgpu2_vbuf *cmd, *create;
	int ret, verdict;

	cmd = virtgpu2_blob_cmd(vgdev, ctx, rc);
	if (IS_ERR(cmd))
		return PTR_ERR(cmd);
	create = virtgpu2_blob_create_cmd(vgdev, ctx, bo, rc);
	if (IS_ERR(create)) {
		ret = PTR_ERR(create);
		goto out_put_cmd;
	}
	create->posted = posted;
	ret = virtgpu2_blob_send(vgdev, ctx, cmd, create);
	if (ret)
		goto out_put_create;
	if (posted) {
		virtgpu2_object_posted(bo, create);
		goto out_put_cmd;	/* none: a posted blob has no cmd */
	}
	ret = virtgpu2_blob_finish(vgdev, bo, rc);
	/* Restarted, the ioctl would run the cmd and the create again. */
	if (ret == -ERESTARTSYS)
		ret = -EINTR;
	verdict = virtgpu2_blob_verdict(vgdev, bo, cmd, create);
	if (verdict) {
		drm_dbg_driver(&vgdev->drm, "blob mem %u flags %#x id %llu size %llu refused: %d\n",
			       rc->blob_mem, rc->blob_flags, rc->blob_id, rc->size, verdict);
		ret = verdict;
	}
out_put_create:
	virtgpu2_vbuf_put(create);
out_put_cmd:
	if (cmd)
		virtgpu2_vbuf_put(cmd);
	return ret;
}

int virtgpu2_ioctl_resource_create_blob(struct drm_device *drm, void *data,
					struct drm_file *file)
{
	struct virtgpu2_device *vgdev = to_virtgpu2(drm);
	struct drm_virtgpu_resource_create_blob *rc = data;
	struct virtgpu2_context *ctx = NULL;
	struct virtgpu2_object *bo;
	int ret;

	ret = virtgpu2_blob_check(vgdev, rc);
	if (ret)
		return ret;
	if (vgdev->has.virgl) {
		ctx = virtgpu2_context_get(file->driver_priv);
		if (IS_ERR(ctx))
			return PTR_ERR(ctx);
	}
	bo = virtgpu2_object_alloc(vgdev, rc->size);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	bo->blob_mem = rc->blob_mem;
	bo->blob_flags = rc->blob_flags;
	if (rc->blob_mem == VIRTGPU_BLOB_MEM_HOST3D)
		virtgpu2_object_use_hostmem(bo);
	ret = virtgpu2_blob_create_host(vgdev, ctx, bo, rc);
	if (ret) {
		drm_gem_object_put(&bo->shmem.base);
		return ret;
	}
	rc->res_handle = bo->res_id;
	return virtgpu2_object_handle(file, bo, &rc->bo_handle);
}
