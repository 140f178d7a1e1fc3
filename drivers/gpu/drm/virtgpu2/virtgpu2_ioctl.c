// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ioctl table. Handlers validate every field first, then call into the
 * file that owns the work.
 */

#include <linux/dma-resv.h>
#include <linux/uaccess.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/virtgpu_drm.h>

#include "virtgpu2_blob.h"
#include "virtgpu2_cmd.h"
#include "virtgpu2_context.h"
#include "virtgpu2_drv.h"
#include "virtgpu2_fence.h"
#include "virtgpu2_job.h"
#include "virtgpu2_object.h"
#include "virtgpu2_submit.h"

/* Bounds on what userspace may ask the host to allocate. */
#define VIRTGPU2_MAX_RESOURCE_SIZE (SZ_1G * 4ULL)
#define VIRTGPU2_PIPE_MAX_TARGET 8	/* PIPE_TEXTURE_CUBE_ARRAY */

static int virtgpu2_param_value(struct virtgpu2_device *vgdev, u64 param,
				u64 *value)
{
	switch (param) {
	case VIRTGPU_PARAM_3D_FEATURES:
		*value = vgdev->has.virgl;
		return 0;
	case VIRTGPU_PARAM_CAPSET_QUERY_FIX:
		*value = 1;
		return 0;
	case VIRTGPU_PARAM_RESOURCE_BLOB:
		*value = vgdev->has.resource_blob;
		return 0;
	case VIRTGPU_PARAM_HOST_VISIBLE:
		*value = vgdev->has.hostmem;
		return 0;
	case VIRTGPU_PARAM_CROSS_DEVICE:
		*value = vgdev->has.resource_uuid;
		return 0;
	case VIRTGPU_PARAM_CONTEXT_INIT:
		*value = vgdev->has.context_init;
		return 0;
	case VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs:
		*value = vgdev->capset_mask;
		return 0;
	case VIRTGPU_PARAM_EXPLICIT_DEBUG_NAME:
		*value = vgdev->has.context_init;
		return 0;
	case VIRTGPU_PARAM_BLOB_ALIGNMENT:
		/* As in Linux 7.2: no stated alignment is -ENOENT. */
		if (!vgdev->has.blob_alignment)
			return -ENOENT;
		*value = vgdev->blob_alignment;
		return 0;
	default:
		return -EINVAL;
	}
}

static int virtgpu2_ioctl_getparam(struct drm_device *drm, void *data,
				   struct drm_file *file)
{
	struct drm_virtgpu_getparam *args = data;
	u64 value;
	int ret, out;

	ret = virtgpu2_param_value(to_virtgpu2(drm), args->param, &value);
	if (ret)
		return ret;
	/* The uapi has always written an int, whatever the param. */
	out = value;
	if (copy_to_user(u64_to_user_ptr(args->value), &out, sizeof(out)))
		return -EFAULT;
	return 0;
}

static int virtgpu2_ioctl_get_caps(struct drm_device *drm, void *data,
				   struct drm_file *file)
{
	struct virtgpu2_device *vgdev = to_virtgpu2(drm);
	struct drm_virtgpu_get_caps *args = data;
	const void *caps;
	u32 size;
	int ret;

	if (!vgdev->has.virgl)
		return -EOPNOTSUPP;	/* a 2D device has no capsets */
	if (args->pad || !args->size)
		return -EINVAL;	/* a zero size is a caller bug, as in-tree */
	ret = virtgpu2_capset_get(vgdev, args->cap_set_id, args->cap_set_ver,
				  &caps, &size);
	if (ret)
		return ret;
	if (copy_to_user(u64_to_user_ptr(args->addr), caps, min(size, args->size)))
		return -EFAULT;
	return 0;
}

/* Check a RESOURCE_CREATE against the device's abilities. */
static int virtgpu2_resource_create_check(struct virtgpu2_device *vgdev,
					  const struct drm_virtgpu_resource_create *rc)
{
	if (!rc->width || !rc->height || rc->size > VIRTGPU2_MAX_RESOURCE_SIZE)
		return -EINVAL;
	if (vgdev->has.virgl)
		return rc->target > VIRTGPU2_PIPE_MAX_TARGET ? -EINVAL : 0;
	/* A 2D-only device knows plain single-level 2D images. */
	if (rc->depth > 1 || rc->nr_samples > 1 || rc->last_level > 1 ||
	    rc->target != 2 || rc->array_size > 1)
		return -EINVAL;
	return 0;
}

static int virtgpu2_ioctl_resource_create(struct drm_device *drm, void *data,
					  struct drm_file *file)
{
	struct virtgpu2_device *vgdev = to_virtgpu2(drm);
	struct drm_virtgpu_resource_create *rc = data;
	struct virtgpu2_context *ctx = NULL;
	struct virtgpu2_object *bo;
	struct virtgpu2_vbuf *vbuf;
	int ret;

	ret = virtgpu2_resource_create_check(vgdev, rc);
	if (ret)
		return ret;
	if (vgdev->has.virgl) {
		ctx = virtgpu2_context_get(file->driver_priv);
		if (IS_ERR(ctx))
			return PTR_ERR(ctx);
	}
	bo = virtgpu2_object_alloc(vgdev, rc->size ? rc->size : PAGE_SIZE);
	if (IS_ERR(bo))
		return PTR_ERR(bo);
	if (ctx)
		vbuf = virtgpu2_cmd_resource_create_3d(ctx->ctx_id, bo->res_id, rc);
	else
		vbuf = virtgpu2_cmd_resource_create_2d(bo->res_id, rc->format,
						       rc->width, rc->height);
	ret = vbuf ? virtgpu2_object_create_shmem(vgdev, bo, vbuf) : -ENOMEM;
	if (ret) {
		drm_gem_object_put(&bo->shmem.base);
		return ret;
	}
	rc->res_handle = bo->res_id;
	return virtgpu2_object_handle(file, bo, &rc->bo_handle);
}

static int virtgpu2_ioctl_resource_info(struct drm_device *drm, void *data,
					struct drm_file *file)
{
	struct drm_virtgpu_resource_info *ri = data;
	struct drm_gem_object *obj = drm_gem_object_lookup(file, ri->bo_handle);
	struct virtgpu2_object *bo;
	int ret;

	if (!obj)
		return -ENOENT;
	bo = to_virtgpu2_object(obj);
	/* The id is what userspace names the resource by: it must exist. */
	ret = virtgpu2_object_verdict(bo, true);
	ri->res_handle = bo->res_id;
	ri->size = obj->size;
	ri->blob_mem = bo->blob_mem;
	drm_gem_object_put(obj);
	return ret;
}

static int virtgpu2_ioctl_map(struct drm_device *drm, void *data,
			      struct drm_file *file)
{
	struct drm_virtgpu_map *args = data;

	if (args->pad)
		return -EINVAL;
	return drm_gem_dumb_map_offset(file, drm, args->handle, &args->offset);
}

static int virtgpu2_ioctl_wait(struct drm_device *drm, void *data,
			       struct drm_file *file)
{
	struct drm_virtgpu_3d_wait *args = data;
	struct drm_gem_object *obj;
	long ret;

	if (args->flags & ~VIRTGPU_WAIT_NOWAIT)
		return -EINVAL;
	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;
	/* Answers nobody waited for may not be collected yet. */
	if (args->flags & VIRTGPU_WAIT_NOWAIT)
		virtgpu2_vq_collect(&to_virtgpu2(drm)->ctrlq);
	/*
	 * A refused create leaves nothing to wait for: its errno instead.
	 * Unanswered, it is busy (-EBUSY) to NOWAIT.
	 */
	ret = virtgpu2_object_verdict(to_virtgpu2_object(obj),
				      !(args->flags & VIRTGPU_WAIT_NOWAIT));
	if (!ret && (args->flags & VIRTGPU_WAIT_NOWAIT))
		ret = dma_resv_test_signaled(obj->resv, DMA_RESV_USAGE_READ) ? 1 : 0;
	else if (!ret)
		ret = dma_resv_wait_timeout(obj->resv, DMA_RESV_USAGE_READ, true, 15 * HZ);
	drm_gem_object_put(obj);
	/* > 0: idle; 0: still busy (NOWAIT) or timed out; < 0: a signal. */
	if (ret > 0)
		return 0;
	return ret ? ret : -EBUSY;
}

/*
 * Classic resources have their layout fixed at creation, so only host3d
 * blobs (whose layout the guest chooses) may name strides.
 */
static bool virtgpu2_transfer_strides_ok(const struct virtgpu2_object *bo,
					 const struct drm_virtgpu_3d_transfer_to_host *t)
{
	bool host3d = bo->blob_mem == VIRTGPU_BLOB_MEM_HOST3D ||
		      bo->blob_mem == VIRTGPU_BLOB_MEM_HOST3D_GUEST;

	return host3d || (!t->stride && !t->layer_stride);
}

/* TRANSFER_*_HOST_3D, or TRANSFER_TO_HOST_2D on a device without 3D. */
static struct virtgpu2_vbuf *
virtgpu2_transfer_cmd(struct virtgpu2_device *vgdev, struct virtgpu2_context *ctx,
		      struct virtgpu2_object *bo, u32 type,
		      const struct drm_virtgpu_3d_transfer_to_host *t)
{
	struct virtio_gpu_rect r = {
		.x = cpu_to_le32(t->box.x), .y = cpu_to_le32(t->box.y),
		.width = cpu_to_le32(t->box.w), .height = cpu_to_le32(t->box.h),
	};

	if (ctx)
		return virtgpu2_cmd_transfer_3d(type, ctx->ctx_id, bo->res_id, t);
	return virtgpu2_cmd_transfer_to_host_2d(bo->res_id, t->offset, &r);
}

static int virtgpu2_transfer(struct drm_device *drm, struct drm_file *file,
			     const struct drm_virtgpu_3d_transfer_to_host *t, u32 type)
{
	struct virtgpu2_device *vgdev = to_virtgpu2(drm);
	struct virtgpu2_context *ctx = NULL;
	struct drm_gem_object *obj, **bos;
	struct virtgpu2_timeline *tl = vgdev->driver_tl;
	struct virtgpu2_vbuf *vbuf;
	struct virtgpu2_job *job;
	struct dma_fence *fence;
	int ret;

	if (vgdev->has.virgl) {
		ctx = virtgpu2_context_get(file->driver_priv);
		if (IS_ERR(ctx))
			return PTR_ERR(ctx);
		tl = ctx->default_tl;
	} else if (type != VIRTIO_GPU_CMD_TRANSFER_TO_HOST_3D) {
		return -EOPNOTSUPP;	/* nothing to read back from a 2D device */
	}
	obj = drm_gem_object_lookup(file, t->bo_handle);
	if (!obj)
		return -ENOENT;
	if (t->offset > obj->size || (!ctx && (t->box.d > 1 || t->box.z)) ||
	    !virtgpu2_transfer_strides_ok(to_virtgpu2_object(obj), t))
		ret = -EINVAL;
	else
		ret = virtgpu2_object_verdict(to_virtgpu2_object(obj), true);
	if (ret) {
		drm_gem_object_put(obj);
		return ret;
	}
	virtgpu2_object_sync_for_device(vgdev, to_virtgpu2_object(obj));
	bos = kvmalloc_array(1, sizeof(*bos), GFP_KERNEL_ACCOUNT);
	vbuf = virtgpu2_transfer_cmd(vgdev, ctx, to_virtgpu2_object(obj), type, t);
	job = bos && vbuf ? virtgpu2_job_create(tl, vbuf, bos, 1, 0) : ERR_PTR(-ENOMEM);
	if (IS_ERR(job)) {
		if (vbuf)
			virtgpu2_vbuf_put(vbuf);
		kvfree(bos);
		drm_gem_object_put(obj);
		return PTR_ERR(job);
	}
	bos[0] = obj;
	fence = virtgpu2_job_push(job);
	if (IS_ERR(fence)) {
		virtgpu2_job_abort(job);
		return PTR_ERR(fence);
	}
	dma_fence_put(fence);
	return 0;
}

static int virtgpu2_ioctl_transfer_to_host(struct drm_device *drm, void *data,
					   struct drm_file *file)
{
	return virtgpu2_transfer(drm, file, data, VIRTIO_GPU_CMD_TRANSFER_TO_HOST_3D);
}

static int virtgpu2_ioctl_transfer_from_host(struct drm_device *drm, void *data,
					     struct drm_file *file)
{
	static_assert(sizeof(struct drm_virtgpu_3d_transfer_from_host) ==
		      sizeof(struct drm_virtgpu_3d_transfer_to_host));
	return virtgpu2_transfer(drm, file, data, VIRTIO_GPU_CMD_TRANSFER_FROM_HOST_3D);
}

static int virtgpu2_context_param(struct virtgpu2_device *vgdev,
				  struct virtgpu2_context_params *p, u64 *seen,
				  const struct drm_virtgpu_context_set_param *sp)
{
	if (sp->param < 1 || sp->param > 63 || (*seen & BIT_ULL(sp->param)))
		return -EINVAL;	/* unknown or repeated */
	*seen |= BIT_ULL(sp->param);
	switch (sp->param) {
	case VIRTGPU_CONTEXT_PARAM_CAPSET_ID:
		if (!sp->value || sp->value > VIRTGPU2_MAX_CAPSET_ID ||
		    !(vgdev->capset_mask & BIT_ULL(sp->value)))
			return -EINVAL;
		p->capset_id = sp->value;
		return 0;
	case VIRTGPU_CONTEXT_PARAM_NUM_RINGS:
		if (sp->value > VIRTGPU2_MAX_RINGS)
			return -EINVAL;
		p->num_rings = sp->value;
		return 0;
	case VIRTGPU_CONTEXT_PARAM_POLL_RINGS_MASK:
		p->poll_mask = sp->value;
		return 0;
	case VIRTGPU_CONTEXT_PARAM_DEBUG_NAME:
		if (strncpy_from_user(p->debug_name, u64_to_user_ptr(sp->value),
				      sizeof(p->debug_name) - 1) < 0)
			return -EFAULT;
		return 0;
	default:
		return -EINVAL;
	}
}

static int virtgpu2_ioctl_context_init(struct drm_device *drm, void *data,
				       struct drm_file *file)
{
	struct virtgpu2_device *vgdev = to_virtgpu2(drm);
	struct drm_virtgpu_context_init *args = data;
	struct drm_virtgpu_context_set_param sp;
	struct virtgpu2_context_params p = {};
	u64 seen = 0;
	u32 i;
	int ret;

	if (!vgdev->has.context_init)
		return -EINVAL;
	/* No params at all asks for the default context, as in-tree. */
	if (args->pad || args->num_params > 8)
		return -EINVAL;
	for (i = 0; i < args->num_params; i++) {
		if (copy_from_user(&sp, u64_to_user_ptr(args->ctx_set_params) + i * sizeof(sp),
				   sizeof(sp)))
			return -EFAULT;
		ret = virtgpu2_context_param(vgdev, &p, &seen, &sp);
		if (ret)
			return ret;
	}
	if (p.num_rings < VIRTGPU2_MAX_RINGS && (p.poll_mask >> p.num_rings))
		return -EINVAL;	/* polling a ring the context does not have */
	return virtgpu2_context_init(file->driver_priv, &p);
}

#define VIRTGPU2_IOCTL(name, func) \
	DRM_IOCTL_DEF_DRV(VIRTGPU_##name, virtgpu2_ioctl_##func, DRM_RENDER_ALLOW)

const struct drm_ioctl_desc virtgpu2_ioctls[VIRTGPU2_NUM_IOCTLS] = {
	VIRTGPU2_IOCTL(MAP, map),
	VIRTGPU2_IOCTL(EXECBUFFER, execbuffer),
	VIRTGPU2_IOCTL(GETPARAM, getparam),
	VIRTGPU2_IOCTL(RESOURCE_CREATE, resource_create),
	VIRTGPU2_IOCTL(RESOURCE_INFO, resource_info),
	VIRTGPU2_IOCTL(TRANSFER_FROM_HOST, transfer_from_host),
	VIRTGPU2_IOCTL(TRANSFER_TO_HOST, transfer_to_host),
	VIRTGPU2_IOCTL(WAIT, wait),
	VIRTGPU2_IOCTL(GET_CAPS, get_caps),
	VIRTGPU2_IOCTL(RESOURCE_CREATE_BLOB, resource_create_blob),
	VIRTGPU2_IOCTL(CONTEXT_INIT, context_init),
};
