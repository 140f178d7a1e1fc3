// SPDX-License-Identifier: GPL-2.0-only
/*
 * The panic screen. drm_panic draws the message into the framebuffer the
 * primary plane shows; we then copy it to the host and flush it. Only a
 * dumb buffer qualifies: its pixels live in guest pages, while a 3D
 * resource's live on the host, out of reach. Nothing here may sleep,
 * allocate or wait for a lock another (stopped) CPU might hold, so the two
 * command buffers are allocated ahead, one pair per output.
 */

#include <drm/drm_framebuffer.h>
#include <drm/drm_managed.h>
#include <drm/drm_plane.h>

#include "virtgpu2_cmd.h"
#include "virtgpu2_display.h"
#include "virtgpu2_drv.h"
#include "virtgpu2_object.h"

#ifdef VIRTGPU2_HAVE_DRM_PANIC_PAGES
#include <drm/drm_panic.h>

static struct virtgpu2_object *panic_object(struct drm_plane *plane)
{
	struct drm_plane_state *state = plane->state;

	if (!state || !state->fb || !state->visible)
		return NULL;
	return to_virtgpu2_object(state->fb->obj[0]);
}

/**
 * virtgpu2_panic_get_scanout_buffer() - &drm_plane_helper_funcs.get_scanout_buffer
 * @plane: a primary plane
 * @sb: where drm_panic will draw
 *
 * Return: 0, or -ENODEV when the plane shows nothing drm_panic can draw on.
 */
int virtgpu2_panic_get_scanout_buffer(struct drm_plane *plane,
				      struct drm_scanout_buffer *sb)
{
	struct virtgpu2_object *bo = panic_object(plane);
	struct drm_framebuffer *fb;

	if (!bo || !bo->dumb)
		return -ENODEV;
	fb = plane->state->fb;
	if (bo->shmem.vaddr)
		iosys_map_set_vaddr(&sb->map[0], bo->shmem.vaddr);
	else if (bo->shmem.pages)
		sb->pages = bo->shmem.pages;
	else
		return -ENODEV;
	sb->format = fb->format;
	sb->width = fb->width;
	sb->height = fb->height;
	sb->pitch[0] = fb->pitches[0];
	return 0;
}

/**
 * virtgpu2_panic_flush() - &drm_plane_helper_funcs.panic_flush
 * @plane: the primary plane drm_panic drew on
 *
 * Queues the prepared TRANSFER_TO_HOST_2D and RESOURCE_FLUSH of the whole
 * framebuffer without waiting for the answers: the machine is going down.
 */
void virtgpu2_panic_flush(struct drm_plane *plane)
{
	struct virtgpu2_output *output = virtgpu2_plane_output(plane);
	struct virtgpu2_device *vgdev = output->vgdev;
	struct virtgpu2_object *bo = panic_object(plane);
	struct virtio_gpu_rect vr = {};
	struct drm_framebuffer *fb;

	/* A second panic on the same output would requeue queued buffers. */
	if (!bo || !output->panic_transfer || output->panic_sent)
		return;
	output->panic_sent = true;
	fb = plane->state->fb;
	vr.width = cpu_to_le32(fb->width);
	vr.height = cpu_to_le32(fb->height);
	virtgpu2_object_sync_for_device(vgdev, bo);
	virtgpu2_cmd_transfer_to_host_2d_into(output->panic_transfer, bo->res_id,
					      fb->offsets[0], &vr);
	virtgpu2_cmd_resource_flush_into(output->panic_flush, bo->res_id, &vr);
	if (!virtgpu2_vq_queue_panic(&vgdev->ctrlq, output->panic_transfer))
		virtgpu2_vq_queue_panic(&vgdev->ctrlq, output->panic_flush);
}

#endif /* VIRTGPU2_HAVE_DRM_PANIC_PAGES */

/* The queue holds its own reference to a buffer a panic queued. */
static void virtgpu2_panic_release(struct drm_device *drm, void *data)
{
	struct virtgpu2_output *output = data;

	if (output->panic_transfer)
		virtgpu2_vbuf_put(output->panic_transfer);
	if (output->panic_flush)
		virtgpu2_vbuf_put(output->panic_flush);
}

/**
 * virtgpu2_panic_init() - allocate an output's panic command buffers
 * @output: the output; they are freed with the DRM device
 *
 * Return: 0 or -ENOMEM.
 */
int virtgpu2_panic_init(struct virtgpu2_output *output)
{
	int ret;

	if (!IS_ENABLED(CONFIG_DRM_PANIC))
		return 0;
	output->panic_transfer = virtgpu2_cmd_spare();
	output->panic_flush = virtgpu2_cmd_spare();
	ret = drmm_add_action_or_reset(&output->vgdev->drm,
				       virtgpu2_panic_release, output);
	if (ret)
		return ret;
	return output->panic_transfer && output->panic_flush ? 0 : -ENOMEM;
}
