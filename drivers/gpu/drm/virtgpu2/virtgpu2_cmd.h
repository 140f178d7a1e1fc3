/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Encoders: one function per VIRTIO_GPU_CMD_*. Each allocates a buffer and
 * fills it; none takes a lock or sends anything. They return NULL when out
 * of memory.
 */
#ifndef VIRTGPU2_CMD_H
#define VIRTGPU2_CMD_H

#include <linux/virtio_gpu.h>
#include <drm/virtgpu_drm.h>

#include "virtgpu2_vq.h"

struct drm_framebuffer;

/* Room for any command whose answer carries no data (see _into below). */
#define VIRTGPU2_CMD_SPARE_SIZE 64

struct virtgpu2_vbuf *virtgpu2_cmd_spare(void);
void virtgpu2_cmd_transfer_to_host_2d_into(struct virtgpu2_vbuf *vbuf,
					   u32 res_id, u64 offset,
					   const struct virtio_gpu_rect *r);
void virtgpu2_cmd_resource_flush_into(struct virtgpu2_vbuf *vbuf, u32 res_id,
				      const struct virtio_gpu_rect *r);

struct virtgpu2_vbuf *virtgpu2_cmd_get_capset_info(u32 index);
struct virtgpu2_vbuf *virtgpu2_cmd_get_capset(u32 id, u32 version, u32 size);
struct virtgpu2_vbuf *virtgpu2_cmd_resource_create_2d(u32 res_id, u32 format,
						      u32 width, u32 height);
struct virtgpu2_vbuf *
virtgpu2_cmd_resource_create_3d(u32 ctx_id, u32 res_id,
				const struct drm_virtgpu_resource_create *p);
struct virtgpu2_vbuf *virtgpu2_cmd_resource_unref(u32 res_id);
struct virtgpu2_vbuf *virtgpu2_cmd_attach_backing(u32 res_id,
						  struct virtio_gpu_mem_entry *entries,
						  u32 nr);
struct virtgpu2_vbuf *virtgpu2_cmd_ctx_create(u32 ctx_id, u32 capset_id,
					      const char *name);
struct virtgpu2_vbuf *virtgpu2_cmd_ctx_destroy(u32 ctx_id);
struct virtgpu2_vbuf *virtgpu2_cmd_ctx_resource(u32 type, u32 ctx_id, u32 res_id);
struct virtgpu2_vbuf *virtgpu2_cmd_submit_3d(u32 ctx_id, void *stream, u32 size);
struct virtgpu2_vbuf *virtgpu2_cmd_transfer_to_host_2d(u32 res_id, u64 offset,
						       const struct virtio_gpu_rect *r);
struct virtgpu2_vbuf *
virtgpu2_cmd_transfer_3d(u32 type, u32 ctx_id, u32 res_id,
			 const struct drm_virtgpu_3d_transfer_to_host *t);
struct virtgpu2_vbuf *
virtgpu2_cmd_resource_create_blob(u32 ctx_id, u32 res_id, u32 blob_mem,
				  u32 blob_flags, u64 blob_id, u64 size,
				  struct virtio_gpu_mem_entry *entries, u32 nr);
struct virtgpu2_vbuf *virtgpu2_cmd_resource_map_blob(u32 ctx_id, u32 res_id,
						     u64 offset);
struct virtgpu2_vbuf *virtgpu2_cmd_resource_unmap_blob(u32 ctx_id, u32 res_id);
struct virtgpu2_vbuf *virtgpu2_cmd_resource_assign_uuid(u32 res_id);

struct virtgpu2_vbuf *virtgpu2_cmd_get_display_info(void);
struct virtgpu2_vbuf *virtgpu2_cmd_get_edid(u32 scanout);
struct virtgpu2_vbuf *virtgpu2_cmd_set_scanout(u32 scanout, u32 res_id,
					       const struct virtio_gpu_rect *r);
struct virtgpu2_vbuf *virtgpu2_cmd_set_scanout_blob(u32 scanout, u32 res_id,
						    u32 format,
						    const struct drm_framebuffer *fb,
						    const struct virtio_gpu_rect *r);
struct virtgpu2_vbuf *virtgpu2_cmd_resource_flush(u32 res_id,
						  const struct virtio_gpu_rect *r);
struct virtgpu2_vbuf *virtgpu2_cmd_cursor(u32 type, u32 scanout, u32 x, u32 y,
					  u32 res_id, u32 hot_x, u32 hot_y);

#endif /* VIRTGPU2_CMD_H */
