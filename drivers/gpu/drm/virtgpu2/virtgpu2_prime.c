// SPDX-License-Identifier: GPL-2.0-only
/*
 * PRIME. Every object is exported as a virtio dma-buf: another virtio
 * device's driver can ask it for the host resource's UUID, which blobs the
 * host gave one (CROSS_DEVICE with the RESOURCE_UUID feature) answer. Our
 * own dma-bufs import as the same object; foreign ones are refused.
 */

#include <linux/dma-buf.h>
#include <linux/virtio_dma_buf.h>
#include <drm/drm_drv.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>
#include <drm/drm_prime.h>

#include "virtgpu2_object.h"
#include "virtgpu2_prime.h"

static int virtgpu2_prime_get_uuid(struct dma_buf *buf, uuid_t *uuid)
{
	struct virtgpu2_object *bo = to_virtgpu2_object(buf->priv);

	if (!bo->has_uuid)
		return -ENODEV;
	uuid_copy(uuid, &bo->uuid);
	return 0;
}

static const struct virtio_dma_buf_ops virtgpu2_dmabuf_ops = {
	.ops = {
		.attach = virtio_dma_buf_attach,
		.detach = drm_gem_map_detach,
		.map_dma_buf = drm_gem_map_dma_buf,
		.unmap_dma_buf = drm_gem_unmap_dma_buf,
		.release = drm_gem_dmabuf_release,
		.mmap = drm_gem_dmabuf_mmap,
		.vmap = drm_gem_dmabuf_vmap,
		.vunmap = drm_gem_dmabuf_vunmap,
	},
	.device_attach = drm_gem_map_attach,
	.get_uuid = virtgpu2_prime_get_uuid,
};

/**
 * virtgpu2_prime_export() - &drm_gem_object_funcs.export
 * @obj: the object
 * @flags: O_* flags for the dma-buf file
 *
 * Return: the dma-buf, or an ERR_PTR.
 */
struct dma_buf *virtgpu2_prime_export(struct drm_gem_object *obj, int flags)
{
	DEFINE_DMA_BUF_EXPORT_INFO(exp_info);
	struct dma_buf *buf;

	exp_info.ops = &virtgpu2_dmabuf_ops.ops;
	exp_info.size = obj->size;
	exp_info.flags = flags;
	exp_info.priv = obj;
	exp_info.resv = obj->resv;
	buf = virtio_dma_buf_export(&exp_info);
	if (IS_ERR(buf))
		return buf;
	/* What drm_gem_dmabuf_release() gives back. */
	drm_dev_get(obj->dev);
	drm_gem_object_get(obj);
	return buf;
}

/**
 * virtgpu2_prime_import() - &drm_driver.gem_prime_import
 * @dev: the importing device
 * @buf: the dma-buf
 *
 * A foreign buffer would have to become a guest blob over its pages, which
 * the host may not be able to show or map; that is not supported, and the
 * errno says so instead of DRM's generic -EINVAL.
 *
 * Return: the object, or ERR_PTR(-EOPNOTSUPP) for a foreign dma-buf.
 */
struct drm_gem_object *virtgpu2_prime_import(struct drm_device *dev,
					     struct dma_buf *buf)
{
	struct drm_gem_object *obj = buf->priv;

	if (buf->ops != &virtgpu2_dmabuf_ops.ops || obj->dev != dev) {
		drm_dbg_prime(dev, "foreign dma-buf: import not supported\n");
		return ERR_PTR(-EOPNOTSUPP);
	}
	/* As DRM does for its own: a reference, not a second object. */
	drm_gem_object_get(obj);
	return obj;
}
