/* SPDX-License-Identifier: GPL-2.0-only */
/* PRIME: objects export as virtio dma-bufs; foreign ones import as guest blobs. */
#ifndef VIRTGPU2_PRIME_H
#define VIRTGPU2_PRIME_H

struct dma_buf;
struct drm_device;
struct drm_gem_object;

struct dma_buf *virtgpu2_prime_export(struct drm_gem_object *obj, int flags);
struct drm_gem_object *virtgpu2_prime_import(struct drm_device *dev,
					     struct dma_buf *buf);

#endif /* VIRTGPU2_PRIME_H */
