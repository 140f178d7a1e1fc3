// SPDX-License-Identifier: GPL-2.0-only
/*
 * PRIME. Every object is exported as a virtio dma-buf: another virtio
 * device's driver can ask it for the host resource's UUID, which blobs the
 * host gave one (CROSS_DEVICE with the RESOURCE_UUID feature) answer. Our
 * own dma-bufs import as the same object. A foreign dma-buf becomes a guest
 * blob over its pages when the device takes blobs, and is refused with
 * -EOPNOTSUPP when it does not.
 */

#include <linux/dma-buf.h>
#include <linux/iommu.h>
#include <linux/swiotlb.h>
#include <linux/virtio_config.h>
#include <linux/virtio_dma_buf.h>
#include <drm/drm_drv.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>
#include <drm/drm_prime.h>

#include "virtgpu2_blob.h"
#include "virtgpu2_cmd.h"
#include "virtgpu2_drv.h"
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
	int ret;

	/*
	 * Not a resource the host refused. No wait: DRM holds its device-wide
	 * name lock here. Whoever imports it checks again at first use.
	 */
	ret = virtgpu2_object_verdict(to_virtgpu2_object(obj), false);
	if (ret && ret != -EBUSY)
		return ERR_PTR(ret);
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

/*
 * Whether the DMA addresses an exporter maps for the virtio transport are
 * what the host reads. Without VIRTIO_F_ACCESS_PLATFORM the host takes
 * guest-physical addresses, which an IOMMU in front of the transport would
 * hide behind its own. Bounce buffers (swiotlb forced, as in confidential
 * guests) would hand the host copies that are never synced.
 */
static bool virtgpu2_prime_can_import(struct virtgpu2_device *vgdev)
{
	struct device *dma_dev = vgdev->vdev->dev.parent;

	if (!vgdev->has.resource_blob || is_swiotlb_force_bounce(dma_dev))
		return false;
	return !(virtio_has_dma_quirk(vgdev->vdev) && device_iommu_mapped(dma_dev));
}

/* Make the host resource: a guest blob whose pages are the exporter's. */
static int virtgpu2_prime_create_blob(struct virtgpu2_device *vgdev,
				      struct virtgpu2_object *bo,
				      struct sg_table *sgt)
{
	struct virtio_gpu_mem_entry *ents;
	struct virtgpu2_vbuf *vbuf;
	u32 nr;
	int ret;

	if (!virtgpu2_blob_size_aligned(vgdev, bo->shmem.base.size))
		return -EINVAL;
	ret = virtgpu2_object_assign_id(vgdev, bo);
	if (ret)
		return ret;
	ents = virtgpu2_sgt_entries(sgt, true, &nr);
	if (!ents)
		return -ENOMEM;
	bo->blob_mem = VIRTGPU_BLOB_MEM_GUEST;
	bo->blob_flags = VIRTGPU_BLOB_FLAG_USE_SHAREABLE;
	vbuf = virtgpu2_cmd_resource_create_blob(0, bo->res_id, bo->blob_mem,
						 bo->blob_flags, 0,
						 bo->shmem.base.size, ents, nr);
	if (!vbuf)
		return -ENOMEM;
	return virtgpu2_object_create_host(vgdev, bo, vbuf);
}

/*
 * Import a foreign dma-buf as a guest blob. The object owns the attachment
 * before the host hears of it: if the create fails after it was sent (a
 * signal, a timeout), the host may still hold the addresses, and only the
 * object's free, after the host answered its UNREF, unmaps them.
 */
static struct drm_gem_object *virtgpu2_prime_import_foreign(struct drm_device *dev,
							    struct dma_buf *buf)
{
	struct virtgpu2_device *vgdev = to_virtgpu2(dev);
	struct dma_buf_attachment *attach;
	struct drm_gem_object *obj;
	struct sg_table *sgt;
	int ret;

	attach = dma_buf_attach(buf, vgdev->vdev->dev.parent);
	if (IS_ERR(attach))
		return ERR_CAST(attach);
	get_dma_buf(buf);
	sgt = dma_buf_map_attachment_unlocked(attach, DMA_BIDIRECTIONAL);
	if (IS_ERR(sgt)) {
		ret = PTR_ERR(sgt);
		goto out_detach;
	}
	obj = drm_gem_shmem_prime_import_sg_table(dev, attach, sgt);
	if (IS_ERR(obj)) {
		ret = PTR_ERR(obj);
		goto out_unmap;
	}
	/* From here, freeing the object unmaps and detaches. */
	obj->import_attach = attach;
	obj->resv = buf->resv;
	ret = virtgpu2_prime_create_blob(vgdev, to_virtgpu2_object(obj), sgt);
	if (ret) {
		drm_dbg_prime(dev, "foreign dma-buf of %zu bytes: guest blob not made (%d)\n",
			      obj->size, ret);
		drm_gem_object_put(obj);
		return ERR_PTR(ret);
	}
	return obj;

out_unmap:
	dma_buf_unmap_attachment_unlocked(attach, sgt, DMA_BIDIRECTIONAL);
out_detach:
	dma_buf_detach(buf, attach);
	dma_buf_put(buf);
	return ERR_PTR(ret);
}

/**
 * virtgpu2_prime_import() - &drm_driver.gem_prime_import
 * @dev: the importing device
 * @buf: the dma-buf
 *
 * The exporter maps a foreign buffer for the transport's device, the one
 * the host's DMA goes through, and keeps it pinned (a static attachment)
 * for as long as the object lives, since the host holds its addresses.
 *
 * Return: the object, or an ERR_PTR: -EOPNOTSUPP for a foreign dma-buf on
 * a device without guest blobs.
 */
struct drm_gem_object *virtgpu2_prime_import(struct drm_device *dev,
					     struct dma_buf *buf)
{
	struct drm_gem_object *obj = buf->priv;

	if (buf->ops == &virtgpu2_dmabuf_ops.ops && obj->dev == dev) {
		/* As DRM does for its own: a reference, not a second object. */
		drm_gem_object_get(obj);
		return obj;
	}
	if (!virtgpu2_prime_can_import(to_virtgpu2(dev))) {
		drm_dbg_prime(dev, "foreign dma-buf: the device cannot take it as a guest blob\n");
		return ERR_PTR(-EOPNOTSUPP);
	}
	return virtgpu2_prime_import_foreign(dev, buf);
}
