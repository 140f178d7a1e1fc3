// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helpers around the virtio-gpu ioctls, plus the few facts of the virgl
 * protocol (Mesa's virgl_hw.h and virgl_protocol.h, virglrenderer's
 * decoder) that the tests need to build resources and command streams.
 */
#ifndef VGT_VIRTGPU_H
#define VGT_VIRTGPU_H

#include "drm/virtgpu_drm.h"

#include "vgt.h"

/*
 * Gallium texture targets, which virgl passes through unchanged as
 * drm_virtgpu_resource_create.target.
 */
#define VGT_PIPE_BUFFER 0
#define VGT_PIPE_TEXTURE_2D 2
#define VGT_PIPE_TEXTURE_3D 3

/* 2D devices take virtio-gpu formats instead (virtio_gpu_formats). */
#define VGT_VIRTIO_GPU_FORMAT_B8G8R8A8_UNORM 1

/* virgl format numbers (enum virgl_formats). */
#define VGT_VIRGL_FORMAT_B8G8R8A8_UNORM 1
#define VGT_VIRGL_FORMAT_R8_UNORM 64

/* virgl bind flags, bit numbers as in virgl_hw.h. */
#define VGT_VIRGL_BIND_RENDER_TARGET (1u << 1)
#define VGT_VIRGL_BIND_SAMPLER_VIEW (1u << 3)
#define VGT_VIRGL_BIND_VERTEX_BUFFER (1u << 4)

/*
 * A virgl command stream is a sequence of 32-bit words. Each command starts
 * with a header word that holds the command number in bits 0-7, an object
 * type in bits 8-15 and the number of payload words that follow in bits
 * 16-31. Command 0 is a no-op: the host decoder skips it and its payload
 * without looking at them, so a run of zero words is a stream of empty NOPs
 * that every virgl host accepts.
 */
#define VGT_VIRGL_CMD(cmd, obj, len) \
	((u32)(cmd) | ((u32)(obj) << 8) | ((u32)(len) << 16))
#define VGT_VIRGL_CCMD_NOP 0

/* Capset ids known here, as bits of VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs. */
#define VGT_CAPSET_BIT(id) (1ull << (id))

/* Raw wrappers: they return 0 or -errno (errno is also left set). */
int vgt_getparam(int fd, u64 param, int *value);
int vgt_get_caps(int fd, u32 id, u32 version, void *buf, u32 size);
int vgt_resource_create(int fd, struct drm_virtgpu_resource_create *rc);
int vgt_resource_info(int fd, u32 handle,
		      struct drm_virtgpu_resource_info *info);
int vgt_map_offset(int fd, u32 handle, u64 *offset);
int vgt_gem_close(int fd, u32 handle);
int vgt_transfer(int fd, bool to_host, u32 handle,
		 const struct drm_virtgpu_3d_box *box, u32 level, u32 offset);
int vgt_wait_bo(int fd, u32 handle, u32 flags);
int vgt_execbuf(int fd, struct drm_virtgpu_execbuffer *eb);
int vgt_context_init(int fd, const struct drm_virtgpu_context_set_param *p,
		     u32 count);

/* Checked helpers: they fail the subtest when the kernel says no. */
int vgt_param(int fd, u64 param);
void vgt_require_3d(int fd);
void vgt_require_no_3d(int fd);
void vgt_require_context_init(int fd);
void vgt_require_capset(int fd, u32 id);
u32 vgt_create_buffer(int fd, u32 size, u32 *res_handle);
u32 vgt_create_texture_2d(int fd, u32 width, u32 height, u32 *res_handle);
void *vgt_mmap_bo(int fd, u32 handle, size_t size);
void vgt_init_context(int fd, u32 capset, u32 num_rings, u64 poll_mask);

/*
 * Submit @ndw no-op words. @flags are VIRTGPU_EXECBUF_* bits; with
 * FENCE_FD_IN, *fence_fd is the input; with FENCE_FD_OUT, *fence_fd receives
 * the new sync_file. Returns the ioctl's result.
 */
int vgt_submit_nops(int fd, u32 flags, u32 ndw, s32 *fence_fd);

/* Wait at most @timeout_ms for a sync_file to signal. */
bool vgt_sync_file_wait(int fence_fd, int timeout_ms);
/*
 * The number that @fmt (one %lld conversion) reads from the first device's
 * debugfs @file (/sys/kernel/debug/dri/N/@file), or -1.
 */
long long vgt_debugfs_number(const char *file, const char *fmt);

#endif /* VGT_VIRTGPU_H */
