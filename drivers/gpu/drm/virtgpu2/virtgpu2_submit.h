/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef VIRTGPU2_SUBMIT_H
#define VIRTGPU2_SUBMIT_H

#include <drm/drm_file.h>

struct drm_device;

/**
 * struct virtgpu2_fence_event - VIRTGPU_EVENT_FENCE_SIGNALED for a ring
 */
struct virtgpu2_fence_event {
	/** @base: DRM's pending event. */
	struct drm_pending_event base;
	/** @event: what read() returns: type and length, no payload. */
	struct drm_event event;
};

int virtgpu2_ioctl_execbuffer(struct drm_device *drm, void *data,
			      struct drm_file *file);

#endif /* VIRTGPU2_SUBMIT_H */
