// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtgpu2: the module, the virtio driver and the DRM driver, and the probe
 * that ties them together.
 */

#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ids.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>

#include "virtgpu2_compat.h"
#include "virtgpu2_context.h"
#include "virtgpu2_display.h"
#include "virtgpu2_drv.h"
#include "virtgpu2_fence.h"
#include "virtgpu2_hostmem.h"
#include "virtgpu2_job.h"
#include "virtgpu2_object.h"
#include "virtgpu2_prime.h"

/**
 * DOC: Locking
 *
 * Locks, outermost first:
 *
 * - &virtgpu2_file.ctx_lock (mutex): creation of a file's context, and the
 *   attach commands that depend on it. Held across CTX_CREATE.
 * - &virtgpu2_object.map_lock (mutex): a blob's window range and caching;
 *   held across MAP_BLOB. Taken before
 * - &virtgpu2_hostmem.lock (mutex): the window allocator; never held while
 *   waiting for the host.
 * - &virtgpu2_device.capset_cache_lock (mutex): the capset cache; held
 *   across a GET_CAPSET round trip.
 * - dma_resv locks of a job's objects (ww_mutex), taken before
 * - &virtgpu2_queue.lock (mutex): a context's parked jobs and the order in
 *   which its commands reach the device. Taken inside a fence-signalling
 *   section: nothing allocates memory or waits for a fence under it.
 * - &virtgpu2_timeline.lock (spinlock, irq-safe): seqnos and the list of
 *   sent fences; the lock of every fence of the timeline.
 * - &virtgpu2_vq.lock (spinlock, irq-safe): one virtqueue. Innermost; held
 *   only to add or collect buffers, never while waiting or calling out.
 *
 * Completion callbacks (&virtgpu2_vbuf.on_done) run with no driver lock
 * held, in interrupt context or with bottom halves off, one context at a
 * time and in ring order (virtgpu2_vq_done()); they may take a timeline's
 * lock. A fence's first waiter takes a virtqueue's lock inside the
 * timeline's (virtgpu2_vq_make_prompt()).
 */

static int virtgpu2_modeset = -1;
module_param_named(modeset, virtgpu2_modeset, int, 0400);
MODULE_PARM_DESC(modeset, "Display support: 0 render-only, -1 auto (when the device has scanouts)");

static const unsigned int virtgpu2_features_table[] = {
	VIRTIO_GPU_F_VIRGL,
	VIRTIO_GPU_F_EDID,
	VIRTIO_GPU_F_RESOURCE_UUID,
	VIRTIO_GPU_F_RESOURCE_BLOB,
	VIRTIO_GPU_F_CONTEXT_INIT,
	VIRTIO_GPU_F_BLOB_ALIGNMENT,
};

static const struct virtio_device_id virtgpu2_id_table[] = {
	{ VIRTIO_ID_GPU, VIRTIO_DEV_ANY_ID },
	{ 0 },
};

DEFINE_DRM_GEM_FOPS(virtgpu2_fops);

static int virtgpu2_open(struct drm_device *drm, struct drm_file *file)
{
	return virtgpu2_file_open(to_virtgpu2(drm), file);
}

static void virtgpu2_postclose(struct drm_device *drm, struct drm_file *file)
{
	virtgpu2_file_close(file->driver_priv);
}

static const struct drm_driver virtgpu2_drm_driver = {
	.driver_features = DRIVER_GEM | DRIVER_RENDER | DRIVER_SYNCOBJ |
			   DRIVER_SYNCOBJ_TIMELINE | DRIVER_MODESET | DRIVER_ATOMIC |
			   VIRTGPU2_DRIVER_CURSOR_HOTSPOT,
	.open = virtgpu2_open,
	.postclose = virtgpu2_postclose,
	.gem_create_object = virtgpu2_gem_create_object,
	.gem_prime_import = virtgpu2_prime_import,
	.dumb_create = virtgpu2_dumb_create,
	VIRTGPU2_FBDEV_DRIVER_OPS
	.fops = &virtgpu2_fops,
	.ioctls = virtgpu2_ioctls,
	.num_ioctls = VIRTGPU2_NUM_IOCTLS,
	.debugfs_init = virtgpu2_debugfs_init,
	.name = VIRTGPU2_DRIVER_NAME,
	.desc = VIRTGPU2_DRIVER_DESC,
	VIRTGPU2_DRIVER_DATE
	.major = VIRTGPU2_DRIVER_MAJOR,
	.minor = VIRTGPU2_DRIVER_MINOR,
	.patchlevel = VIRTGPU2_DRIVER_PATCHLEVEL,
};

static void virtgpu2_read_features(struct virtgpu2_device *vgdev)
{
	struct virtio_device *vdev = vgdev->vdev;
	struct virtgpu2_features *has = &vgdev->has;

	has->virgl = virtio_has_feature(vdev, VIRTIO_GPU_F_VIRGL);
	has->edid = virtio_has_feature(vdev, VIRTIO_GPU_F_EDID);
	has->resource_uuid = virtio_has_feature(vdev, VIRTIO_GPU_F_RESOURCE_UUID);
	has->resource_blob = virtio_has_feature(vdev, VIRTIO_GPU_F_RESOURCE_BLOB);
	/* The spec ties context init to virgl and blob alignment to blobs. */
	has->context_init = has->virgl &&
			    virtio_has_feature(vdev, VIRTIO_GPU_F_CONTEXT_INIT);
	has->blob_alignment = has->resource_blob &&
			      virtio_has_feature(vdev, VIRTIO_GPU_F_BLOB_ALIGNMENT);
}

/* Blob sizes and map offsets must honour the device and the page size. */
static void virtgpu2_read_blob_alignment(struct virtgpu2_device *vgdev)
{
	u32 align;

	vgdev->blob_alignment = PAGE_SIZE;
	if (!vgdev->has.blob_alignment)
		return;
	align = virtgpu2_cread_blob_alignment(vgdev->vdev);
	if (!is_power_of_2(align)) {
		drm_warn(&vgdev->drm, "device blob alignment %u is not a power of two; using %lu\n",
			 align, PAGE_SIZE);
		return;
	}
	vgdev->blob_alignment = max_t(u32, align, PAGE_SIZE);
}

static int virtgpu2_find_hostmem(struct virtgpu2_device *vgdev)
{
	struct virtio_shm_region region;

	if (!virtio_get_shm_region(vgdev->vdev, &region,
				   VIRTIO_GPU_SHM_ID_HOST_VISIBLE))
		return 0;
	/* Blobs are placed at aligned offsets and mapped a page at a time. */
	if (!region.len || !IS_ALIGNED(region.addr | region.len, vgdev->blob_alignment)) {
		drm_warn(&vgdev->drm, "host-visible region 0x%llx+0x%llx is not %u-aligned; not used\n",
			 region.addr, region.len, vgdev->blob_alignment);
		return 0;
	}
	if (!devm_request_mem_region(&vgdev->vdev->dev, region.addr, region.len,
				     dev_name(&vgdev->vdev->dev))) {
		drm_err(&vgdev->drm, "cannot reserve the host-visible region\n");
		return -EBUSY;
	}
	vgdev->hostmem_base = region.addr;
	vgdev->hostmem_size = region.len;
	vgdev->has.hostmem = true;
	return 0;
}

/* The transport owns virtqueue->priv, so find our queue through the device. */
static void virtgpu2_ctrlq_done(struct virtqueue *vq)
{
	struct virtgpu2_device *vgdev = vq->vdev->priv;

	virtgpu2_vq_done(&vgdev->ctrlq);
}

static void virtgpu2_cursorq_done(struct virtqueue *vq)
{
	struct virtgpu2_device *vgdev = vq->vdev->priv;

	virtgpu2_vq_done(&vgdev->cursorq);
}

static int virtgpu2_init_vqs(struct virtgpu2_device *vgdev)
{
	static const char * const names[] = { "control", "cursor" };
	vq_callback_t *callbacks[] = { virtgpu2_ctrlq_done, virtgpu2_cursorq_done };
	struct virtqueue *vqs[2];
	int ret;

	virtgpu2_vq_init(&vgdev->ctrlq, names[0]);
	virtgpu2_vq_init(&vgdev->cursorq, names[1]);
	ret = virtgpu2_find_vqs(vgdev->vdev, 2, vqs, callbacks, names);
	if (ret)
		return ret;
	virtgpu2_vq_setup(&vgdev->ctrlq, vqs[0]);
	virtgpu2_vq_setup(&vgdev->cursorq, vqs[1]);
	return 0;
}

/*
 * Stop the device and finish every buffer it still held. Senders that come
 * later (object free, GEM close, file close, the driver's work) find the
 * queues dead and never touch the freed virtqueues.
 */
static void virtgpu2_stop_device(struct virtgpu2_device *vgdev)
{
	virtgpu2_vq_kill(&vgdev->ctrlq);
	virtgpu2_vq_kill(&vgdev->cursorq);
	/* Queued work sends nothing now: let it fail its fences first. */
	flush_workqueue(vgdev->wq);
	virtio_reset_device(vgdev->vdev);
	virtgpu2_vq_drain(&vgdev->ctrlq);
	virtgpu2_vq_drain(&vgdev->cursorq);
	virtgpu2_vq_forget(&vgdev->ctrlq);
	virtgpu2_vq_forget(&vgdev->cursorq);
	vgdev->vdev->config->del_vqs(vgdev->vdev);
}

/*
 * The first managed action to run at release: work still queued (object
 * release after an answered UNREF) uses the window allocator and the
 * display state, which later actions free.
 */
static void virtgpu2_drain_work(struct drm_device *drm, void *unused)
{
	struct virtgpu2_device *vgdev = to_virtgpu2(drm);

	/* Its timer is not on the queue: draining would not wait for it. */
	flush_delayed_work(&vgdev->job_reap_work);
	drain_workqueue(vgdev->wq);
	/* Anything the drained work completed since, released here. */
	cancel_delayed_work_sync(&vgdev->job_reap_work);
	virtgpu2_job_reap(vgdev);
}

static void virtgpu2_release(struct drm_device *drm, void *unused)
{
	struct virtgpu2_device *vgdev = to_virtgpu2(drm);

	virtgpu2_caps_fini(vgdev);
	if (vgdev->driver_tl)
		virtgpu2_timeline_put(vgdev->driver_tl);
	if (vgdev->driver_q)
		virtgpu2_queue_put(vgdev->driver_q);
	destroy_workqueue(vgdev->wq);
	ida_destroy(&vgdev->resource_ida);
	ida_destroy(&vgdev->context_ida);
}

/* Driver-wide state that lives as long as the DRM device. */
static int virtgpu2_init_state(struct virtgpu2_device *vgdev)
{
	ida_init(&vgdev->resource_ida);
	ida_init(&vgdev->context_ida);
	mutex_init(&vgdev->capset_cache_lock);
	INIT_LIST_HEAD(&vgdev->capset_cache);
	init_llist_head(&vgdev->job_free_list);
	INIT_WORK(&vgdev->job_free_work, virtgpu2_job_free_work);
	init_llist_head(&vgdev->job_reap_list);
	INIT_DELAYED_WORK(&vgdev->job_reap_work, virtgpu2_job_reap_work);
	vgdev->max_parked_bytes = virtgpu2_parked_budget();
	vgdev->wq = alloc_workqueue("virtgpu2", WQ_UNBOUND, 0);
	if (!vgdev->wq)
		return -ENOMEM;
	return drmm_add_action_or_reset(&vgdev->drm, virtgpu2_release, NULL);
}

/* Display unless the device has no scanouts or the user asked for none. */
static int virtgpu2_kms_init(struct virtgpu2_device *vgdev)
{
	if (!virtgpu2_modeset || !vgdev->num_scanouts) {
		vgdev->drm.driver_features &= ~(DRIVER_MODESET | DRIVER_ATOMIC |
						VIRTGPU2_DRIVER_CURSOR_HOTSPOT);
		drm_info(&vgdev->drm, "render-only: no display\n");
		return 0;
	}
	return virtgpu2_display_init(vgdev);
}

static int virtgpu2_probe(struct virtio_device *vdev)
{
	struct virtgpu2_device *vgdev;
	u32 num_capsets = 0;
	int ret;

	if (!virtio_has_feature(vdev, VIRTIO_F_VERSION_1))
		return -ENODEV;
	vgdev = devm_drm_dev_alloc(&vdev->dev, &virtgpu2_drm_driver,
				   struct virtgpu2_device, drm);
	if (IS_ERR(vgdev))
		return PTR_ERR(vgdev);
	vgdev->vdev = vdev;
	vdev->priv = vgdev;
	ret = virtgpu2_init_state(vgdev);
	if (ret)
		return ret;
	vgdev->driver_q = virtgpu2_queue_create(vgdev);
	if (!vgdev->driver_q)
		return -ENOMEM;
	vgdev->driver_tl = virtgpu2_timeline_create(vgdev->driver_q, 0, VIRTGPU2_NO_RING);
	if (!vgdev->driver_tl)
		return -ENOMEM;
	virtgpu2_read_features(vgdev);
	virtgpu2_read_blob_alignment(vgdev);
	ret = virtgpu2_find_hostmem(vgdev);
	if (ret)
		return ret;
	ret = virtgpu2_hostmem_init(vgdev);
	if (ret)
		return ret;
	ret = virtgpu2_init_vqs(vgdev);
	if (ret)
		return ret;
	virtio_device_ready(vdev);

	virtio_cread_le(vdev, struct virtio_gpu_config, num_scanouts,
			&vgdev->num_scanouts);
	if (vgdev->has.virgl)
		virtio_cread_le(vdev, struct virtio_gpu_config, num_capsets,
				&num_capsets);
	ret = virtgpu2_caps_init(vgdev, num_capsets);
	if (ret)
		goto out_stop;
	ret = virtgpu2_kms_init(vgdev);
	if (ret)
		goto out_stop;
	/* Registered last, so that it runs first (see the function). */
	ret = drmm_add_action(&vgdev->drm, virtgpu2_drain_work, NULL);
	if (ret)
		goto out_stop;
	ret = drm_dev_register(&vgdev->drm, 0);
	if (ret)
		goto out_stop;
	virtgpu2_display_register(vgdev);
	drm_info(&vgdev->drm, "%s%s%s%s%s%s, %u scanouts, %u capsets, host-visible %llu MiB\n",
		 vgdev->has.virgl ? "+virgl" : "-virgl",
		 vgdev->has.edid ? " +edid" : " -edid",
		 vgdev->has.resource_blob ? " +blob" : " -blob",
		 vgdev->has.context_init ? " +context_init" : " -context_init",
		 vgdev->has.resource_uuid ? " +uuid" : " -uuid",
		 vgdev->has.blob_alignment ? " +blob_alignment" : "",
		 vgdev->num_scanouts, vgdev->num_capsets,
		 vgdev->hostmem_size >> 20);
	return 0;

out_stop:
	virtgpu2_stop_device(vgdev);
	return ret;
}

static void virtgpu2_remove(struct virtio_device *vdev)
{
	struct virtgpu2_device *vgdev = vdev->priv;

	drm_dev_unplug(&vgdev->drm);
	/*
	 * Revoke every user mapping of the device. Host-visible ones would
	 * otherwise keep pointing at the window, which a rebound device
	 * hands to other blobs; they fault with SIGBUS from now on (no fault
	 * handler), while guest pages simply fault back in.
	 */
	unmap_mapping_range(vgdev->drm.anon_inode->i_mapping, 0, 0, 1);
	virtgpu2_display_fini(vgdev);
	virtgpu2_stop_device(vgdev);
}

/*
 * Power-off and kexec: stop taking work but do not reset the device. QEMU's
 * virgl and venus backends abort the whole VM process when a reset is
 * followed by its exit (seen with QEMU 11.1 on the bed, for the in-tree
 * driver's rmmod too), so a reset here turns every guest power-off into a
 * QEMU crash. Late DMA into a kexec'ed kernel is stopped below us: the PCI
 * core clears bus mastering of every device at a kexec shutdown, and the
 * next kernel's probe resets the device before it runs a queue.
 */
static void __maybe_unused virtgpu2_shutdown(struct virtio_device *vdev)
{
	struct virtgpu2_device *vgdev = vdev->priv;

	drm_dev_unplug(&vgdev->drm);
	virtgpu2_vq_kill(&vgdev->ctrlq);
	virtgpu2_vq_kill(&vgdev->cursorq);
}

static void virtgpu2_config_changed(struct virtio_device *vdev)
{
	struct virtgpu2_device *vgdev = vdev->priv;

	virtgpu2_display_config_changed(vgdev);
}

static struct virtio_driver virtgpu2_virtio_driver = {
	.feature_table = virtgpu2_features_table,
	.feature_table_size = ARRAY_SIZE(virtgpu2_features_table),
	.driver.name = KBUILD_MODNAME,
	.id_table = virtgpu2_id_table,
	.probe = virtgpu2_probe,
	.remove = virtgpu2_remove,
	VIRTGPU2_VIRTIO_SHUTDOWN(virtgpu2_shutdown)
	.config_changed = virtgpu2_config_changed,
};

static int __init virtgpu2_init(void)
{
	int ret = virtgpu2_vbuf_cache_create();

	if (ret)
		return ret;
	ret = register_virtio_driver(&virtgpu2_virtio_driver);
	if (ret)
		virtgpu2_vbuf_cache_destroy();
	return ret;
}
module_init(virtgpu2_init);

static void __exit virtgpu2_exit(void)
{
	unregister_virtio_driver(&virtgpu2_virtio_driver);
	virtgpu2_vbuf_cache_destroy();
}
module_exit(virtgpu2_exit);

MODULE_DEVICE_TABLE(virtio, virtgpu2_id_table);
MODULE_DESCRIPTION("virtio GPU driver for faceless GPU devices");
MODULE_LICENSE("GPL");
VIRTGPU2_IMPORT_NS_DMA_BUF;
