// SPDX-License-Identifier: GPL-2.0-only
/*
 * Planes. The primary plane shows a resource with SET_SCANOUT (a blob with
 * SET_SCANOUT_BLOB) and pushes damage with RESOURCE_FLUSH, after copying it
 * to the host first when the content lives in guest pages of a 2D resource
 * (dumb buffers). The cursor plane goes through the cursor queue.
 */

#include <drm/drm_atomic.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_damage_helper.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_framebuffer.h>
#include <drm/drm_gem_atomic_helper.h>
#include <drm/drm_print.h>

#include "virtgpu2_cmd.h"
#include "virtgpu2_display.h"
#include "virtgpu2_drv.h"
#include "virtgpu2_object.h"

/* More damage clips than this are merged into one rectangle. */
#define VIRTGPU2_MAX_DAMAGE_CLIPS 16

/* A resource keeps its format; these are the 32-bit ones hosts show. */
static const u32 virtgpu2_primary_formats[] = {
	DRM_FORMAT_HOST_XRGB8888,
	DRM_FORMAT_HOST_ARGB8888,
};

static const u32 virtgpu2_cursor_formats[] = {
	DRM_FORMAT_HOST_ARGB8888,
};

static struct virtgpu2_object *fb_object(struct drm_framebuffer *fb)
{
	return to_virtgpu2_object(fb->obj[0]);
}

static struct virtio_gpu_rect virtgpu2_rect(const struct drm_rect *r)
{
	return (struct virtio_gpu_rect) {
		.x = cpu_to_le32(r->x1),
		.y = cpu_to_le32(r->y1),
		.width = cpu_to_le32(drm_rect_width(r)),
		.height = cpu_to_le32(drm_rect_height(r)),
	};
}

static int virtgpu2_plane_atomic_check(struct drm_plane *plane,
				       struct virtgpu2_atomic *state)
{
	struct drm_plane_state *new = drm_atomic_get_new_plane_state(state, plane);
	bool is_cursor = plane->type == DRM_PLANE_TYPE_CURSOR;
	struct drm_crtc_state *crtc_state;
	int ret;

	if (!new->fb || !new->crtc)
		return 0;
	if (is_cursor && (new->fb->width > VIRTGPU2_CURSOR_SIZE ||
			  new->fb->height > VIRTGPU2_CURSOR_SIZE))
		return -EINVAL;
	crtc_state = drm_atomic_get_crtc_state(state, new->crtc);
	if (IS_ERR(crtc_state))
		return PTR_ERR(crtc_state);
	/*
	 * Nothing can be shown of a resource the host refused. No wait with
	 * the modeset locks held: unanswered, the host checks SET_SCANOUT.
	 */
	ret = virtgpu2_object_verdict(fb_object(new->fb), false);
	if (ret && ret != -EBUSY)
		return ret;
	return drm_atomic_helper_check_plane_state(new, crtc_state,
						   DRM_PLANE_NO_SCALING,
						   DRM_PLANE_NO_SCALING,
						   is_cursor, true);
}

/* Copy one rectangle of a dumb buffer from its pages to the host. */
static void virtgpu2_plane_upload(struct virtgpu2_device *vgdev,
				  struct drm_framebuffer *fb,
				  const struct drm_rect *r)
{
	struct virtio_gpu_rect vr = virtgpu2_rect(r);
	u64 offset = fb->offsets[0] + (u64)r->y1 * fb->pitches[0] +
		     (u64)r->x1 * fb->format->cpp[0];

	virtgpu2_display_send(vgdev, &vgdev->ctrlq,
			      virtgpu2_cmd_transfer_to_host_2d(fb_object(fb)->res_id,
							       offset, &vr));
}

/* Upload (for dumb buffers) and flush one damaged rectangle. */
static void virtgpu2_plane_flush_rect(struct virtgpu2_device *vgdev,
				      struct drm_framebuffer *fb,
				      const struct drm_rect *r)
{
	struct virtio_gpu_rect vr = virtgpu2_rect(r);

	if (fb_object(fb)->dumb)
		virtgpu2_plane_upload(vgdev, fb, r);
	virtgpu2_display_send(vgdev, &vgdev->ctrlq,
			      virtgpu2_cmd_resource_flush(fb_object(fb)->res_id, &vr));
}

/* The damaged part of the framebuffer, clip by clip. */
static void virtgpu2_plane_flush_damage(struct virtgpu2_device *vgdev,
					struct drm_plane_state *old,
					struct drm_plane_state *new)
{
	struct drm_atomic_helper_damage_iter iter;
	struct drm_rect clip;

	if (drm_plane_get_damage_clips_count(new) > VIRTGPU2_MAX_DAMAGE_CLIPS) {
		if (drm_atomic_helper_damage_merged(old, new, &clip))
			virtgpu2_plane_flush_rect(vgdev, new->fb, &clip);
		return;
	}
	drm_atomic_helper_damage_iter_init(&iter, old, new);
	drm_atomic_for_each_plane_damage(&iter, &clip)
		virtgpu2_plane_flush_rect(vgdev, new->fb, &clip);
}

static void virtgpu2_primary_off(struct virtgpu2_output *output)
{
	struct virtio_gpu_rect r = {};

	if (!output->scanout_res)
		return;
	virtgpu2_display_send(output->vgdev, &output->vgdev->ctrlq,
			      virtgpu2_cmd_set_scanout(output->index, 0, &r));
	output->scanout_res = 0;
}

/*
 * Point the scanout at @fb. A blob has no format or size of its own, so it
 * goes with SET_SCANOUT_BLOB, which carries the framebuffer's layout, and
 * is sent again for every new framebuffer even on the same blob.
 */
static void virtgpu2_primary_show(struct virtgpu2_output *output,
				  struct drm_framebuffer *fb,
				  const struct drm_rect *src)
{
	struct virtgpu2_device *vgdev = output->vgdev;
	struct virtgpu2_object *bo = fb_object(fb);
	struct virtio_gpu_rect vr = virtgpu2_rect(src);
	struct virtgpu2_vbuf *vbuf;

	if (bo->blob_mem)
		vbuf = virtgpu2_cmd_set_scanout_blob(output->index, bo->res_id,
						     virtgpu2_format_to_host(fb->format->format),
						     fb, &vr);
	else if (output->scanout_res != bo->res_id ||
		 !drm_rect_equals(&output->scanout_rect, src))
		vbuf = virtgpu2_cmd_set_scanout(output->index, bo->res_id, &vr);
	else
		return;
	virtgpu2_display_send(vgdev, &vgdev->ctrlq, vbuf);
	output->scanout_res = bo->res_id;
	output->scanout_rect = *src;
}

static void virtgpu2_primary_atomic_update(struct drm_plane *plane,
					   struct virtgpu2_atomic *state)
{
	struct drm_plane_state *old = drm_atomic_get_old_plane_state(state, plane);
	struct drm_plane_state *new = drm_atomic_get_new_plane_state(state, plane);
	struct virtgpu2_output *output = virtgpu2_plane_output(plane);
	struct virtgpu2_device *vgdev = output->vgdev;
	struct virtgpu2_object *bo;
	struct virtio_gpu_rect vr;
	struct drm_rect src;
	bool full;

	if (!new->fb || !new->visible || !new->crtc || !new->crtc->state->active) {
		virtgpu2_primary_off(output);
		return;
	}
	bo = fb_object(new->fb);
	virtgpu2_object_sync_for_device(vgdev, bo);
	drm_rect_fp_to_int(&src, &new->src);
	/* A new buffer or a new scanout has no valid copy on the host yet. */
	full = old->fb != new->fb || output->scanout_res != bo->res_id ||
	       !drm_rect_equals(&output->scanout_rect, &src);
	if (full) {
		if (bo->dumb)
			virtgpu2_plane_upload(vgdev, new->fb, &src);
		virtgpu2_primary_show(output, new->fb, &src);
		vr = virtgpu2_rect(&src);
		virtgpu2_display_send(vgdev, &vgdev->ctrlq,
				      virtgpu2_cmd_resource_flush(bo->res_id, &vr));
		return;
	}
	virtgpu2_plane_flush_damage(vgdev, old, new);
}

static void virtgpu2_primary_atomic_disable(struct drm_plane *plane,
					    struct virtgpu2_atomic *state)
{
	virtgpu2_primary_off(virtgpu2_plane_output(plane));
}

/*
 * The host must hold the new image before UPDATE_CURSOR names it, so the
 * upload is waited for (it is 16 KiB, one round trip).
 */
static void virtgpu2_cursor_upload(struct virtgpu2_device *vgdev,
				   struct drm_framebuffer *fb)
{
	struct drm_rect r = DRM_RECT_INIT(0, 0, fb->width, fb->height);
	struct virtio_gpu_rect vr = virtgpu2_rect(&r);
	struct virtgpu2_object *bo = fb_object(fb);
	struct virtgpu2_vbuf *vbuf;
	int ret;

	virtgpu2_object_sync_for_device(vgdev, bo);
	vbuf = virtgpu2_cmd_transfer_to_host_2d(bo->res_id, fb->offsets[0], &vr);
	if (!vbuf)
		return;
	ret = virtgpu2_ctrl(vgdev, vbuf, false);
	if (ret && ret != -ENODEV)
		drm_err_ratelimited(&vgdev->drm, "cursor upload failed: %d\n", ret);
	virtgpu2_vbuf_put(vbuf);
}

/* Show @new's cursor, uploading its image first when it changed from @old. */
static void virtgpu2_cursor_show(struct virtgpu2_output *output,
				 const struct drm_plane_state *old,
				 const struct drm_plane_state *new)
{
	struct virtgpu2_device *vgdev = output->vgdev;
	struct drm_framebuffer *fb = new->visible ? new->fb : NULL;
	u32 res_id = 0, hot_x = 0, hot_y = 0, old_x, old_y;
	u32 type = VIRTIO_GPU_CMD_UPDATE_CURSOR;

	if (fb) {
		res_id = fb_object(fb)->res_id;
		virtgpu2_cursor_hotspot(new, &hot_x, &hot_y);
		if (fb_object(fb)->dumb && fb != old->fb)
			virtgpu2_cursor_upload(vgdev, fb);
	}
	/* Only a move when the image and hotspot stay: the cheap command. */
	if (fb && fb == old->fb && old->visible) {
		virtgpu2_cursor_hotspot(old, &old_x, &old_y);
		if (old_x == hot_x && old_y == hot_y)
			type = VIRTIO_GPU_CMD_MOVE_CURSOR;
	}
	virtgpu2_display_send(vgdev, &vgdev->cursorq,
			      virtgpu2_cmd_cursor(type, output->index, new->crtc_x,
						  new->crtc_y, res_id, hot_x, hot_y));
}

static void virtgpu2_cursor_atomic_update(struct drm_plane *plane,
					  struct virtgpu2_atomic *state)
{
	virtgpu2_cursor_show(virtgpu2_plane_output(plane),
			     drm_atomic_get_old_plane_state(state, plane),
			     drm_atomic_get_new_plane_state(state, plane));
}

/*
 * Legacy cursor updates (and atomic ones the helpers find eligible) go
 * straight to the cursor queue instead of through a commit, so a cursor
 * move never waits behind a pending page flip's vblank.
 */
static int virtgpu2_cursor_atomic_async_check(VIRTGPU2_ASYNC_CHECK_ARGS)
{
	struct drm_plane_state *new = drm_atomic_get_new_plane_state(state, plane);

	if (VIRTGPU2_ASYNC_FLIP || !new->fb || !new->crtc || !new->visible)
		return -EINVAL;
	return 0;
}

static void virtgpu2_cursor_atomic_async_update(struct drm_plane *plane,
						struct virtgpu2_atomic *state)
{
	struct drm_plane_state *new = drm_atomic_get_new_plane_state(state, plane);
	struct drm_plane_state *cur = plane->state;

	virtgpu2_cursor_show(virtgpu2_plane_output(plane), cur, new);
	/*
	 * The helpers keep plane->state; it takes the new values, and the
	 * state being freed takes the old framebuffer with it.
	 */
	swap(cur->fb, new->fb);
	cur->crtc_x = new->crtc_x;
	cur->crtc_y = new->crtc_y;
	cur->crtc_w = new->crtc_w;
	cur->crtc_h = new->crtc_h;
	cur->src_x = new->src_x;
	cur->src_y = new->src_y;
	cur->src_w = new->src_w;
	cur->src_h = new->src_h;
	cur->src = new->src;
	cur->dst = new->dst;
	cur->visible = new->visible;
	virtgpu2_copy_hotspot(cur, new);
}

static void virtgpu2_cursor_atomic_disable(struct drm_plane *plane,
					   struct virtgpu2_atomic *state)
{
	struct virtgpu2_output *output = virtgpu2_plane_output(plane);

	virtgpu2_display_send(output->vgdev, &output->vgdev->cursorq,
			      virtgpu2_cmd_cursor(VIRTIO_GPU_CMD_UPDATE_CURSOR,
						  output->index, 0, 0, 0, 0, 0));
}

static const struct drm_plane_helper_funcs virtgpu2_primary_helper_funcs = {
	.atomic_check = virtgpu2_plane_atomic_check,
	.atomic_update = virtgpu2_primary_atomic_update,
	.atomic_disable = virtgpu2_primary_atomic_disable,
	VIRTGPU2_PANIC_HELPERS
};

static const struct drm_plane_helper_funcs virtgpu2_cursor_helper_funcs = {
	.atomic_check = virtgpu2_plane_atomic_check,
	.atomic_update = virtgpu2_cursor_atomic_update,
	.atomic_disable = virtgpu2_cursor_atomic_disable,
	.atomic_async_check = virtgpu2_cursor_atomic_async_check,
	.atomic_async_update = virtgpu2_cursor_atomic_async_update,
};

static const struct drm_plane_funcs virtgpu2_plane_funcs = {
	.update_plane = drm_atomic_helper_update_plane,
	.disable_plane = drm_atomic_helper_disable_plane,
	.destroy = drm_plane_cleanup,
	.reset = drm_atomic_helper_plane_reset,
	.atomic_duplicate_state = drm_atomic_helper_plane_duplicate_state,
	.atomic_destroy_state = drm_atomic_helper_plane_destroy_state,
};

/**
 * virtgpu2_planes_init() - the primary and cursor plane of an output
 * @output: the output, before its CRTC is created
 *
 * Return: 0 or an errno.
 */
int virtgpu2_planes_init(struct virtgpu2_output *output)
{
	struct drm_device *drm = &output->vgdev->drm;
	u32 crtc_mask = BIT(output->index);
	int ret;

	ret = drm_universal_plane_init(drm, &output->primary, crtc_mask,
				       &virtgpu2_plane_funcs,
				       virtgpu2_primary_formats,
				       ARRAY_SIZE(virtgpu2_primary_formats),
				       NULL, DRM_PLANE_TYPE_PRIMARY, NULL);
	if (ret)
		return ret;
	drm_plane_helper_add(&output->primary, &virtgpu2_primary_helper_funcs);
	drm_plane_enable_fb_damage_clips(&output->primary);

	ret = drm_universal_plane_init(drm, &output->cursor, crtc_mask,
				       &virtgpu2_plane_funcs,
				       virtgpu2_cursor_formats,
				       ARRAY_SIZE(virtgpu2_cursor_formats),
				       NULL, DRM_PLANE_TYPE_CURSOR, NULL);
	if (ret)
		return ret;
	drm_plane_helper_add(&output->cursor, &virtgpu2_cursor_helper_funcs);
	return 0;
}
