// SPDX-License-Identifier: GPL-2.0-only
/*
 * Display: the mode config, and per scanout a CRTC, a virtual encoder and
 * a virtual connector. The host tells which displays exist and their size
 * (GET_DISPLAY_INFO) and, with the EDID feature, their EDID (GET_EDID); it
 * announces changes through the config-change interrupt.
 */

#include <linux/overflow.h>
#include <linux/virtio_config.h>
#include <drm/drm_atomic.h>
#include <drm/drm_atomic_helper.h>
#include <drm/drm_edid.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_gem_framebuffer_helper.h>
#include <drm/drm_managed.h>
#include <drm/drm_modes.h>
#include <drm/drm_print.h>
#include <drm/drm_probe_helper.h>
#include <drm/drm_simple_kms_helper.h>
#include <drm/drm_vblank.h>

#include "virtgpu2_cmd.h"
#include "virtgpu2_display.h"
#include "virtgpu2_drv.h"

/* The largest mode offered; the host scales whatever it gets. */
#define VIRTGPU2_MAX_WIDTH 8192
#define VIRTGPU2_MAX_HEIGHT 8192
/* Without EDID, standard modes up to this size come with the host's own. */
#define VIRTGPU2_NOEDID_MAX_WIDTH 3840
#define VIRTGPU2_NOEDID_MAX_HEIGHT 2160
/*
 * Bounds on user modes: the refresh rate drives the vblank timer, so it
 * must be sane. 3 GHz covers 8K at 60 Hz with room to spare.
 */
#define VIRTGPU2_MAX_CLOCK_KHZ 3000000
#define VIRTGPU2_MAX_REFRESH_HZ 1000
/* Preferred size when the host reports none. */
#define VIRTGPU2_DEFAULT_WIDTH 1024
#define VIRTGPU2_DEFAULT_HEIGHT 768

/**
 * virtgpu2_format_to_host() - the 2D resource format of a DRM format
 * @drm_format: one of the formats the planes offer
 *
 * Return: the VIRTIO_GPU_FORMAT_*, or 0 for a format the host lacks.
 */
u32 virtgpu2_format_to_host(u32 drm_format)
{
	/* DRM formats name bytes in memory order from the least significant. */
	switch (drm_format) {
	case DRM_FORMAT_XRGB8888:
		return VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM;
	case DRM_FORMAT_ARGB8888:
		return VIRTIO_GPU_FORMAT_B8G8R8A8_UNORM;
	case DRM_FORMAT_BGRX8888:
		return VIRTIO_GPU_FORMAT_X8R8G8B8_UNORM;
	case DRM_FORMAT_BGRA8888:
		return VIRTIO_GPU_FORMAT_A8R8G8B8_UNORM;
	default:
		return 0;
	}
}

/* GET_DISPLAY_INFO: which scanouts have a display, and of what size. */
static int virtgpu2_display_read_info(struct virtgpu2_device *vgdev)
{
	struct virtgpu2_display *disp = vgdev->display;
	const struct virtio_gpu_resp_display_info *resp;
	struct virtgpu2_vbuf *vbuf;
	u32 i;
	int ret;

	vbuf = virtgpu2_cmd_get_display_info();
	if (!vbuf)
		return -ENOMEM;
	ret = virtgpu2_ctrl(vgdev, vbuf, false);
	if (!ret && vbuf->resp_len < sizeof(*resp))
		ret = -EPROTO;
	if (ret)
		goto out_put;
	resp = vbuf->resp;
	mutex_lock(&disp->lock);
	for (i = 0; i < disp->num_outputs; i++) {
		const struct virtio_gpu_display_one *one = &resp->pmodes[i];
		struct virtgpu2_output *output = &disp->outputs[i];

		output->enabled = le32_to_cpu(one->enabled);
		output->width = le32_to_cpu(one->r.width);
		output->height = le32_to_cpu(one->r.height);
		drm_dbg_kms(&vgdev->drm, "scanout %u: %s %ux%u\n", i,
			    output->enabled ? "on" : "off", output->width,
			    output->height);
	}
	mutex_unlock(&disp->lock);
out_put:
	virtgpu2_vbuf_put(vbuf);
	return ret;
}

/* GET_EDID for one scanout; a bad answer leaves the output without EDID. */
static int virtgpu2_display_read_edid(struct virtgpu2_output *output)
{
	struct virtgpu2_device *vgdev = output->vgdev;
	struct virtgpu2_display *disp = vgdev->display;
	const struct virtio_gpu_resp_edid *resp;
	const struct drm_edid *edid = NULL, *old;
	struct virtgpu2_vbuf *vbuf;
	u32 size;
	int ret;

	vbuf = virtgpu2_cmd_get_edid(output->index);
	if (!vbuf)
		return -ENOMEM;
	ret = virtgpu2_ctrl(vgdev, vbuf, false);
	if (!ret && vbuf->resp_len < offsetof(struct virtio_gpu_resp_edid, edid))
		ret = -EPROTO;
	if (!ret) {
		resp = vbuf->resp;
		size = le32_to_cpu(resp->size);
		if (size > sizeof(resp->edid) ||
		    vbuf->resp_len < offsetof(struct virtio_gpu_resp_edid, edid) + size)
			ret = -EPROTO;
		else if (size)
			edid = drm_edid_alloc(resp->edid, size);
	}
	virtgpu2_vbuf_put(vbuf);

	mutex_lock(&disp->lock);
	old = output->edid;
	output->edid = edid;
	mutex_unlock(&disp->lock);
	drm_edid_free(old);
	return ret;
}

/* Re-read what the host says about every display. */
static void virtgpu2_display_refresh(struct virtgpu2_device *vgdev)
{
	struct virtgpu2_display *disp = vgdev->display;
	int ret;
	u32 i;

	ret = virtgpu2_display_read_info(vgdev);
	if (ret)
		drm_err(&vgdev->drm, "GET_DISPLAY_INFO failed: %d\n", ret);
	/* A silent host would make each of 16 EDIDs wait out the bound too. */
	if (!vgdev->has.edid || ret == -ETIMEDOUT)
		return;
	for (i = 0; i < disp->num_outputs; i++) {
		ret = virtgpu2_display_read_edid(&disp->outputs[i]);
		if (ret)
			drm_dbg_kms(&vgdev->drm, "scanout %u: GET_EDID failed: %d\n",
				    i, ret);
		if (ret == -ETIMEDOUT)
			break;
	}
}

static enum drm_connector_status
virtgpu2_connector_detect(struct drm_connector *connector, bool force)
{
	struct virtgpu2_output *output =
		container_of(connector, struct virtgpu2_output, connector);
	struct virtgpu2_display *disp = output->vgdev->display;
	bool enabled;

	mutex_lock(&disp->lock);
	enabled = output->enabled;
	mutex_unlock(&disp->lock);
	return enabled ? connector_status_connected : connector_status_disconnected;
}

/* No EDID: standard modes, and the host's size as the preferred one. */
static int virtgpu2_connector_modes_noedid(struct drm_connector *connector,
					   u32 width, u32 height)
{
	struct drm_display_mode *mode;
	int count;

	count = drm_add_modes_noedid(connector, VIRTGPU2_NOEDID_MAX_WIDTH,
				     VIRTGPU2_NOEDID_MAX_HEIGHT);
	if (!width || !height || width > VIRTGPU2_MAX_WIDTH ||
	    height > VIRTGPU2_MAX_HEIGHT) {
		drm_set_preferred_mode(connector, VIRTGPU2_DEFAULT_WIDTH,
				       VIRTGPU2_DEFAULT_HEIGHT);
		return count;
	}
	mode = drm_cvt_mode(connector->dev, width, height, 60, false, false, false);
	if (!mode)
		return count;
	mode->type |= DRM_MODE_TYPE_PREFERRED;
	drm_mode_probed_add(connector, mode);
	return count + 1;
}

static int virtgpu2_connector_get_modes(struct drm_connector *connector)
{
	struct virtgpu2_output *output =
		container_of(connector, struct virtgpu2_output, connector);
	struct virtgpu2_display *disp = output->vgdev->display;
	u32 width, height;
	int count;

	mutex_lock(&disp->lock);
	count = virtgpu2_edid_connector_modes(connector, output->edid);
	width = output->width;
	height = output->height;
	mutex_unlock(&disp->lock);
	if (count)
		return count;
	return virtgpu2_connector_modes_noedid(connector, width, height);
}

static const struct drm_connector_helper_funcs virtgpu2_connector_helper_funcs = {
	/* Probing drops modes beyond mode_config's limits by itself. */
	.get_modes = virtgpu2_connector_get_modes,
};

static const struct drm_connector_funcs virtgpu2_connector_funcs = {
	.detect = virtgpu2_connector_detect,
	.fill_modes = drm_helper_probe_single_connector_modes,
	.destroy = drm_connector_cleanup,
	.reset = drm_atomic_helper_connector_reset,
	.atomic_duplicate_state = drm_atomic_helper_connector_duplicate_state,
	.atomic_destroy_state = drm_atomic_helper_connector_destroy_state,
};

/* Hand a display command to the device; its answer needs no waiting for. */
void virtgpu2_display_send(struct virtgpu2_device *vgdev,
			   struct virtgpu2_vq *q, struct virtgpu2_vbuf *vbuf)
{
	int ret;

	if (!vbuf) {
		drm_err_ratelimited(&vgdev->drm, "display command: out of memory\n");
		return;
	}
	ret = virtgpu2_vq_queue(q, vbuf, false);
	/* -EIO: virtio marked the queue broken, at shutdown. */
	if (ret && ret != -ENODEV && ret != -EIO)
		drm_err_ratelimited(&vgdev->drm, "display command not sent: %d\n", ret);
	virtgpu2_vbuf_put(vbuf);
}

/* Send the CRTC's pending event now, or at the next emulated vblank. */
static void virtgpu2_crtc_send_event(struct drm_crtc *crtc, bool at_vblank)
{
	struct drm_pending_vblank_event *event = crtc->state->event;

	if (!event)
		return;
	crtc->state->event = NULL;
	spin_lock_irq(&crtc->dev->event_lock);
	if (at_vblank && drm_crtc_vblank_get(crtc) == 0)
		drm_crtc_arm_vblank_event(crtc, event);
	else
		drm_crtc_send_vblank_event(crtc, event);
	spin_unlock_irq(&crtc->dev->event_lock);
}

static void virtgpu2_crtc_atomic_enable(struct drm_crtc *crtc,
					struct virtgpu2_atomic *state)
{
	struct virtgpu2_output *output = crtc_to_output(crtc);

	virtgpu2_vblank_set_mode(output, &crtc->state->adjusted_mode);
	drm_crtc_vblank_on(crtc);
}

static void virtgpu2_crtc_atomic_disable(struct drm_crtc *crtc,
					 struct virtgpu2_atomic *state)
{
	struct virtgpu2_output *output = crtc_to_output(crtc);
	struct virtgpu2_device *vgdev = output->vgdev;
	struct virtio_gpu_rect r = {};

	virtgpu2_display_send(vgdev, &vgdev->ctrlq,
			      virtgpu2_cmd_set_scanout(output->index, 0, &r));
	output->scanout_res = 0;
	drm_crtc_vblank_off(crtc);
	virtgpu2_crtc_send_event(crtc, false);
}

static void virtgpu2_crtc_atomic_flush(struct drm_crtc *crtc,
				       struct virtgpu2_atomic *state)
{
	virtgpu2_crtc_send_event(crtc, crtc->state->active);
}

static enum drm_mode_status
virtgpu2_crtc_mode_valid(struct drm_crtc *crtc, const struct drm_display_mode *mode)
{
	int refresh;

	if (mode->clock <= 0)
		return MODE_CLOCK_LOW;
	if (mode->clock > VIRTGPU2_MAX_CLOCK_KHZ)
		return MODE_CLOCK_HIGH;
	if (!mode->htotal || !mode->vtotal)
		return MODE_BAD;
	refresh = drm_mode_vrefresh(mode);
	if (refresh < 1 || refresh > VIRTGPU2_MAX_REFRESH_HZ)
		return MODE_BAD;
	return MODE_OK;
}

static const struct drm_crtc_helper_funcs virtgpu2_crtc_helper_funcs = {
	.mode_valid = virtgpu2_crtc_mode_valid,
	.atomic_enable = virtgpu2_crtc_atomic_enable,
	.atomic_disable = virtgpu2_crtc_atomic_disable,
	.atomic_flush = virtgpu2_crtc_atomic_flush,
};

static const struct drm_crtc_funcs virtgpu2_crtc_funcs = {
	.set_config = drm_atomic_helper_set_config,
	.destroy = drm_crtc_cleanup,
	.page_flip = drm_atomic_helper_page_flip,
	.reset = drm_atomic_helper_crtc_reset,
	.atomic_duplicate_state = drm_atomic_helper_crtc_duplicate_state,
	.atomic_destroy_state = drm_atomic_helper_crtc_destroy_state,
	.enable_vblank = virtgpu2_vblank_enable,
	.disable_vblank = virtgpu2_vblank_disable,
	.get_vblank_timestamp = virtgpu2_vblank_timestamp,
};

static int virtgpu2_output_init(struct virtgpu2_device *vgdev, u32 index)
{
	struct virtgpu2_output *output = &vgdev->display->outputs[index];
	struct drm_device *drm = &vgdev->drm;
	int ret;

	output->vgdev = vgdev;
	output->index = index;
	virtgpu2_vblank_init(output);
	ret = virtgpu2_panic_init(output);
	if (ret)
		return ret;
	ret = virtgpu2_planes_init(output);
	if (ret)
		return ret;
	ret = drm_crtc_init_with_planes(drm, &output->crtc, &output->primary,
					&output->cursor, &virtgpu2_crtc_funcs, NULL);
	if (ret)
		return ret;
	drm_crtc_helper_add(&output->crtc, &virtgpu2_crtc_helper_funcs);

	ret = drm_simple_encoder_init(drm, &output->encoder,
				      DRM_MODE_ENCODER_VIRTUAL);
	if (ret)
		return ret;
	output->encoder.possible_crtcs = drm_crtc_mask(&output->crtc);

	ret = drm_connector_init(drm, &output->connector, &virtgpu2_connector_funcs,
				 DRM_MODE_CONNECTOR_VIRTUAL);
	if (ret)
		return ret;
	drm_connector_helper_add(&output->connector, &virtgpu2_connector_helper_funcs);
	output->connector.polled = DRM_CONNECTOR_POLL_HPD;
	/* DRM leaves it off virtual connectors; ours can have an EDID. */
	if (vgdev->has.edid)
		drm_connector_attach_edid_property(&output->connector);
	return drm_connector_attach_encoder(&output->connector, &output->encoder);
}

static const struct drm_mode_config_funcs virtgpu2_mode_config_funcs = {
	.fb_create = drm_gem_fb_create_with_dirty,
	.atomic_check = drm_atomic_helper_check,
	.atomic_commit = drm_atomic_helper_commit,
};

/*
 * Enables come before plane updates, so flips arm events on a live vblank.
 *
 * The default tail waits for the vblank counter to move, for 100 ms, and
 * warns when it does not. Our vblanks come from a guest timer, and a vCPU
 * that the host starves for longer (a loaded host, TCG) turned that into a
 * kernel warning in an fbdev update. Waiting for the commit's own flip_done
 * event, which the emulated vblank sends, gives the same pacing with DRM's
 * 10 s limit.
 */
static void virtgpu2_commit_tail(struct virtgpu2_atomic *state)
{
	struct drm_device *dev = state->dev;

	drm_atomic_helper_commit_modeset_disables(dev, state);
	drm_atomic_helper_commit_modeset_enables(dev, state);
	drm_atomic_helper_commit_planes(dev, state, DRM_PLANE_COMMIT_ACTIVE_ONLY);
	drm_atomic_helper_commit_hw_done(state);
	drm_atomic_helper_wait_for_flip_done(dev, state);
	drm_atomic_helper_cleanup_planes(dev, state);
}

static const struct drm_mode_config_helper_funcs virtgpu2_mode_config_helpers = {
	.atomic_commit_tail = virtgpu2_commit_tail,
};

static void virtgpu2_display_hotplug_work(struct work_struct *work)
{
	struct virtgpu2_display *disp =
		container_of(work, struct virtgpu2_display, hotplug_work);
	struct virtgpu2_device *vgdev = disp->outputs[0].vgdev;
	u32 events;

	virtio_cread_le(vgdev->vdev, struct virtio_gpu_config, events_read, &events);
	if (!(events & VIRTIO_GPU_EVENT_DISPLAY))
		return;
	virtgpu2_display_refresh(vgdev);
	virtio_cwrite_le(vgdev->vdev, struct virtio_gpu_config, events_clear, &events);
	drm_kms_helper_hotplug_event(&vgdev->drm);
}

/**
 * virtgpu2_display_config_changed() - the device's config-change interrupt
 * @vgdev: the device
 *
 * The only config change the device announces is a display change; the
 * work item re-reads the displays and tells userspace.
 */
void virtgpu2_display_config_changed(struct virtgpu2_device *vgdev)
{
	struct virtgpu2_display *disp = vgdev->display;

	if (disp && READ_ONCE(disp->ready))
		queue_work(vgdev->wq, &disp->hotplug_work);
}

static int virtgpu2_mode_config_init(struct virtgpu2_device *vgdev)
{
	struct drm_device *drm = &vgdev->drm;
	int ret;

	ret = drmm_mode_config_init(drm);
	if (ret)
		return ret;
	drm->mode_config.funcs = &virtgpu2_mode_config_funcs;
	drm->mode_config.helper_private = &virtgpu2_mode_config_helpers;
	drm->mode_config.min_width = 32;
	drm->mode_config.min_height = 32;
	drm->mode_config.max_width = VIRTGPU2_MAX_WIDTH;
	drm->mode_config.max_height = VIRTGPU2_MAX_HEIGHT;
	drm->mode_config.cursor_width = VIRTGPU2_CURSOR_SIZE;
	drm->mode_config.cursor_height = VIRTGPU2_CURSOR_SIZE;
	drm->mode_config.preferred_depth = 24;
	return 0;
}

/**
 * virtgpu2_display_init() - create the KMS objects of every scanout
 * @vgdev: the device, with its queues running
 *
 * Reads the displays from the host first, so the first probe sees them.
 *
 * Return: 0 or an errno.
 */
int virtgpu2_display_init(struct virtgpu2_device *vgdev)
{
	struct virtgpu2_display *disp;
	u32 i, n = min_t(u32, vgdev->num_scanouts, VIRTIO_GPU_MAX_SCANOUTS);
	u32 events = VIRTIO_GPU_EVENT_DISPLAY;
	int ret;

	disp = drmm_kzalloc(&vgdev->drm, struct_size(disp, outputs, n), GFP_KERNEL);
	if (!disp)
		return -ENOMEM;
	ret = drmm_mutex_init(&vgdev->drm, &disp->lock);
	if (ret)
		return ret;
	INIT_WORK(&disp->hotplug_work, virtgpu2_display_hotplug_work);
	disp->num_outputs = n;
	vgdev->display = disp;

	ret = virtgpu2_mode_config_init(vgdev);
	if (ret)
		return ret;
	for (i = 0; i < n; i++) {
		ret = virtgpu2_output_init(vgdev, i);
		if (ret)
			return ret;
	}
	ret = drm_vblank_init(&vgdev->drm, n);
	if (ret)
		return ret;
	drm_mode_config_reset(&vgdev->drm);

	virtgpu2_display_refresh(vgdev);
	virtio_cwrite_le(vgdev->vdev, struct virtio_gpu_config, events_clear, &events);
	return 0;
}

/* After drm_dev_register(): start handling hotplug, bring up the console. */
void virtgpu2_display_register(struct virtgpu2_device *vgdev)
{
	if (!vgdev->display)
		return;
	WRITE_ONCE(vgdev->display->ready, true);
	virtgpu2_fbdev_setup(&vgdev->drm);
}

/**
 * virtgpu2_display_fini() - turn the displays off before the device stops
 * @vgdev: the device, unplugged from userspace but still running
 */
void virtgpu2_display_fini(struct virtgpu2_device *vgdev)
{
	struct virtgpu2_display *disp = vgdev->display;
	u32 i;

	if (!disp)
		return;
	WRITE_ONCE(disp->ready, false);
	cancel_work_sync(&disp->hotplug_work);
	drm_atomic_helper_shutdown(&vgdev->drm);
	for (i = 0; i < disp->num_outputs; i++) {
		virtgpu2_vblank_fini(&disp->outputs[i]);
		drm_edid_free(disp->outputs[i].edid);
		disp->outputs[i].edid = NULL;
	}
}
