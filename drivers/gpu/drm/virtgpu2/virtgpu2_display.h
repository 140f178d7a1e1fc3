/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Display: one output (CRTC, encoder, connector, primary and cursor plane)
 * per scanout, emulated vblank, hotplug. Absent in render-only mode.
 */
#ifndef VIRTGPU2_DISPLAY_H
#define VIRTGPU2_DISPLAY_H

#include <linux/hrtimer.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <drm/drm_connector.h>
#include <drm/drm_crtc.h>
#include <drm/drm_encoder.h>
#include <drm/drm_plane.h>
#include <drm/drm_rect.h>

#include "virtgpu2_compat.h"

struct drm_edid;
struct drm_file;
struct drm_mode_create_dumb;
struct virtgpu2_device;
struct virtgpu2_vbuf;
struct virtgpu2_vq;

/** Cursor images are always this many pixels square. */
#define VIRTGPU2_CURSOR_SIZE 64

/**
 * struct virtgpu2_vblank - a timer standing in for the missing vblank irq
 *
 * The timer runs while DRM has vblank interrupts enabled on the CRTC and
 * stops itself at the first expiry after they were disabled, so neither
 * side ever has to cancel it while holding DRM's vblank locks.
 */
struct virtgpu2_vblank {
	/** @timer: fires once per frame, in hard interrupt context. */
	struct hrtimer timer;
	/**
	 * @lock: protects @enabled, @armed, @period, @due, @tick, @reported
	 * and the timer's expiry;
	 * taken from the timer and under DRM's vblank spinlocks, so always
	 * irq-safe.
	 */
	spinlock_t lock;
	/** @enabled: DRM wants vblank interrupts. */
	bool enabled;
	/** @armed: the timer is queued or about to re-queue itself. */
	bool armed;
	/** @period: frame time of the current mode. */
	ktime_t period;
	/** @due: the grid point the next tick handles. */
	ktime_t due;
	/** @tick: the grid point the running tick handles. */
	ktime_t tick;
	/** @reported: the latest vblank time given to DRM. */
	ktime_t reported;
};

/**
 * struct virtgpu2_output - one scanout of the device and its KMS objects
 */
struct virtgpu2_output {
	/** @vgdev: the device. */
	struct virtgpu2_device *vgdev;
	/** @index: scanout id on the device. */
	u32 index;
	/** @crtc: the CRTC. */
	struct drm_crtc crtc;
	/** @primary: the primary plane. */
	struct drm_plane primary;
	/** @cursor: the 64x64 cursor plane, shown through the cursor queue. */
	struct drm_plane cursor;
	/** @encoder: a virtual encoder, there only because KMS needs one. */
	struct drm_encoder encoder;
	/** @connector: a virtual connector. */
	struct drm_connector connector;
	/** @vblank: vblank emulation. */
	struct virtgpu2_vblank vblank;
	/**
	 * @scanout_res: resource the scanout shows, 0 for none. Only touched
	 * by atomic commits of this CRTC, which DRM serialises.
	 */
	u32 scanout_res;
	/** @scanout_rect: the part of @scanout_res shown; as @scanout_res. */
	struct drm_rect scanout_rect;
	/** @enabled: the host reports a display. Protected by display lock. */
	bool enabled;
	/** @width: preferred width from the host. Protected by display lock. */
	u32 width;
	/** @height: preferred height. Protected by display lock. */
	u32 height;
	/**
	 * @edid: the host's EDID, or NULL. Protected by the display lock;
	 * handed to the connector in get_modes.
	 */
	const struct drm_edid *edid;
	/**
	 * @panic_transfer: allocated ahead for the panic screen's upload;
	 * NULL without CONFIG_DRM_PANIC.
	 */
	struct virtgpu2_vbuf *panic_transfer;
	/** @panic_flush: likewise, for its RESOURCE_FLUSH. */
	struct virtgpu2_vbuf *panic_flush;
	/** @panic_sent: the two are queued; set once, by the panic. */
	bool panic_sent;
};

/* The output a primary or cursor plane belongs to. */
static inline struct virtgpu2_output *
virtgpu2_plane_output(struct drm_plane *plane)
{
	if (plane->type == DRM_PLANE_TYPE_CURSOR)
		return container_of(plane, struct virtgpu2_output, cursor);
	return container_of(plane, struct virtgpu2_output, primary);
}

/**
 * struct virtgpu2_display - the device's outputs and their host state
 */
struct virtgpu2_display {
	/**
	 * @lock: protects the host-reported fields of every output
	 * (&virtgpu2_output.enabled, .width, .height, .edid). Taken inside
	 * &drm_mode_config.mutex by get_modes and detect.
	 */
	struct mutex lock;
	/** @hotplug_work: re-reads the displays after a config change. */
	struct work_struct hotplug_work;
	/** @ready: KMS is registered; config changes are handled. */
	bool ready;
	/** @num_outputs: entries in @outputs. */
	u32 num_outputs;
	/** @outputs: one per scanout. */
	struct virtgpu2_output outputs[];
};

static inline struct virtgpu2_output *crtc_to_output(struct drm_crtc *crtc)
{
	return container_of(crtc, struct virtgpu2_output, crtc);
}

/* virtgpu2_display.c */
int virtgpu2_display_init(struct virtgpu2_device *vgdev);
void virtgpu2_display_register(struct virtgpu2_device *vgdev);
void virtgpu2_display_fini(struct virtgpu2_device *vgdev);
void virtgpu2_display_config_changed(struct virtgpu2_device *vgdev);
u32 virtgpu2_format_to_host(u32 drm_format);
void virtgpu2_display_send(struct virtgpu2_device *vgdev,
			   struct virtgpu2_vq *q, struct virtgpu2_vbuf *vbuf);

/* virtgpu2_plane.c */
int virtgpu2_planes_init(struct virtgpu2_output *output);

/* virtgpu2_vblank.c */
void virtgpu2_vblank_init(struct virtgpu2_output *output);
void virtgpu2_vblank_set_mode(struct virtgpu2_output *output,
			      const struct drm_display_mode *mode);
void virtgpu2_vblank_fini(struct virtgpu2_output *output);

/* virtgpu2_panic.c */
int virtgpu2_panic_init(struct virtgpu2_output *output);
#ifdef VIRTGPU2_HAVE_DRM_PANIC_PAGES
struct drm_scanout_buffer;
int virtgpu2_panic_get_scanout_buffer(struct drm_plane *plane,
				      struct drm_scanout_buffer *sb);
void virtgpu2_panic_flush(struct drm_plane *plane);
#define VIRTGPU2_PANIC_HELPERS \
	.get_scanout_buffer = virtgpu2_panic_get_scanout_buffer, \
	.panic_flush = virtgpu2_panic_flush,
#else
/* Kernels whose drm_panic needs a kernel mapping of the buffer: none. */
#define VIRTGPU2_PANIC_HELPERS
#endif
int virtgpu2_vblank_enable(struct drm_crtc *crtc);
void virtgpu2_vblank_disable(struct drm_crtc *crtc);
bool virtgpu2_vblank_timestamp(struct drm_crtc *crtc, int *max_error,
			       ktime_t *vblank_time, bool in_vblank_irq);

/* virtgpu2_dumb.c */
int virtgpu2_dumb_create(struct drm_file *file, struct drm_device *drm,
			 struct drm_mode_create_dumb *args);

#endif /* VIRTGPU2_DISPLAY_H */
