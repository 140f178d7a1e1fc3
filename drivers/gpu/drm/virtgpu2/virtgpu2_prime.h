/* SPDX-License-Identifier: GPL-2.0-only */
/* PRIME export; blobs with a host UUID become virtio dma-bufs. */
#ifndef VIRTGPU2_PRIME_H
#define VIRTGPU2_PRIME_H

struct dma_buf;
struct drm_gem_object;

struct dma_buf *virtgpu2_prime_export(struct drm_gem_object *obj, int flags);

#endif /* VIRTGPU2_PRIME_H */
