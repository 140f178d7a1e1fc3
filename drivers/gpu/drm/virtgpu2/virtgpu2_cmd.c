// SPDX-License-Identifier: GPL-2.0-only
/*
 * Encoders for the virtio-gpu control and cursor commands. They only lay
 * out bytes; the callers decide when and where to send them.
 */

#include <linux/slab.h>
#include <drm/drm_framebuffer.h>

#include "virtgpu2_cmd.h"

/* Allocate a command of @size bytes and fill the common header. */
static struct virtgpu2_vbuf *virtgpu2_cmd_new(u32 type, u32 ctx_id, u32 size,
					      u32 resp_size, u32 expect)
{
	struct virtgpu2_vbuf *vbuf;
	struct virtio_gpu_ctrl_hdr *hdr;

	/*
	 * Charged to the caller's memory cgroup: most commands are made at
	 * a user's request, and some (UNREF, UNMAP_BLOB, CTX_DESTROY) live
	 * as long as the object they undo.
	 */
	vbuf = virtgpu2_vbuf_alloc(size, resp_size, expect, GFP_KERNEL_ACCOUNT);
	if (!vbuf)
		return NULL;
	hdr = vbuf->cmd;
	hdr->type = cpu_to_le32(type);
	hdr->ctx_id = cpu_to_le32(ctx_id);
	return vbuf;
}

struct virtgpu2_vbuf *virtgpu2_cmd_get_capset_info(u32 index)
{
	struct virtio_gpu_get_capset_info *cmd;
	struct virtgpu2_vbuf *vbuf;

	vbuf = virtgpu2_cmd_new(VIRTIO_GPU_CMD_GET_CAPSET_INFO, 0, sizeof(*cmd),
				sizeof(struct virtio_gpu_resp_capset_info),
				VIRTIO_GPU_RESP_OK_CAPSET_INFO);
	if (!vbuf)
		return NULL;
	cmd = vbuf->cmd;
	cmd->capset_index = cpu_to_le32(index);
	return vbuf;
}

struct virtgpu2_vbuf *virtgpu2_cmd_get_capset(u32 id, u32 version, u32 size)
{
	struct virtio_gpu_get_capset *cmd;
	struct virtgpu2_vbuf *vbuf;

	vbuf = virtgpu2_cmd_new(VIRTIO_GPU_CMD_GET_CAPSET, 0, sizeof(*cmd),
				sizeof(struct virtio_gpu_resp_capset) + size,
				VIRTIO_GPU_RESP_OK_CAPSET);
	if (!vbuf)
		return NULL;
	cmd = vbuf->cmd;
	cmd->capset_id = cpu_to_le32(id);
	cmd->capset_version = cpu_to_le32(version);
	return vbuf;
}

/* Commands whose success answer carries no data. */
static struct virtgpu2_vbuf *virtgpu2_cmd_nodata(u32 type, u32 ctx_id, u32 size)
{
	return virtgpu2_cmd_new(type, ctx_id, size, 0, VIRTIO_GPU_RESP_OK_NODATA);
}

/*
 * Commands whose body is only a resource id: UNREF, UNMAP_BLOB and
 * ASSIGN_UUID all have the layout of struct virtio_gpu_resource_unref.
 */
static struct virtgpu2_vbuf *virtgpu2_cmd_res_only(u32 type, u32 ctx_id, u32 res_id,
						   u32 resp_size, u32 expect)
{
	struct virtio_gpu_resource_unref *cmd;
	struct virtgpu2_vbuf *vbuf;

	static_assert(sizeof(struct virtio_gpu_resource_unmap_blob) == sizeof(*cmd));
	static_assert(sizeof(struct virtio_gpu_resource_assign_uuid) == sizeof(*cmd));
	vbuf = virtgpu2_cmd_new(type, ctx_id, sizeof(*cmd), resp_size, expect);
	if (!vbuf)
		return NULL;
	cmd = vbuf->cmd;
	cmd->resource_id = cpu_to_le32(res_id);
	return vbuf;
}

struct virtgpu2_vbuf *virtgpu2_cmd_resource_create_2d(u32 res_id, u32 format,
						      u32 width, u32 height)
{
	struct virtio_gpu_resource_create_2d *cmd;
	struct virtgpu2_vbuf *vbuf;

	vbuf = virtgpu2_cmd_nodata(VIRTIO_GPU_CMD_RESOURCE_CREATE_2D, 0, sizeof(*cmd));
	if (!vbuf)
		return NULL;
	cmd = vbuf->cmd;
	cmd->resource_id = cpu_to_le32(res_id);
	cmd->format = cpu_to_le32(format);
	cmd->width = cpu_to_le32(width);
	cmd->height = cpu_to_le32(height);
	return vbuf;
}

struct virtgpu2_vbuf *
virtgpu2_cmd_resource_create_3d(u32 ctx_id, u32 res_id,
				const struct drm_virtgpu_resource_create *p)
{
	struct virtio_gpu_resource_create_3d *cmd;
	struct virtgpu2_vbuf *vbuf;

	vbuf = virtgpu2_cmd_nodata(VIRTIO_GPU_CMD_RESOURCE_CREATE_3D, ctx_id,
				   sizeof(*cmd));
	if (!vbuf)
		return NULL;
	cmd = vbuf->cmd;
	cmd->resource_id = cpu_to_le32(res_id);
	cmd->target = cpu_to_le32(p->target);
	cmd->format = cpu_to_le32(p->format);
	cmd->bind = cpu_to_le32(p->bind);
	cmd->width = cpu_to_le32(p->width);
	cmd->height = cpu_to_le32(p->height);
	cmd->depth = cpu_to_le32(p->depth);
	cmd->array_size = cpu_to_le32(p->array_size);
	cmd->last_level = cpu_to_le32(p->last_level);
	cmd->nr_samples = cpu_to_le32(p->nr_samples);
	cmd->flags = cpu_to_le32(p->flags);
	return vbuf;
}

struct virtgpu2_vbuf *virtgpu2_cmd_resource_unref(u32 res_id)
{
	return virtgpu2_cmd_res_only(VIRTIO_GPU_CMD_RESOURCE_UNREF, 0, res_id, 0,
				     VIRTIO_GPU_RESP_OK_NODATA);
}

/**
 * virtgpu2_cmd_attach_backing() - RESOURCE_ATTACH_BACKING
 * @res_id: the resource
 * @entries: kvmalloc()ed array, owned by the command from here on
 * @nr: number of entries
 *
 * Return: the command, or NULL (then @entries is freed too).
 */
struct virtgpu2_vbuf *virtgpu2_cmd_attach_backing(u32 res_id,
						  struct virtio_gpu_mem_entry *entries,
						  u32 nr)
{
	struct virtio_gpu_resource_attach_backing *cmd;
	struct virtgpu2_vbuf *vbuf;

	vbuf = virtgpu2_cmd_nodata(VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING, 0,
				   sizeof(*cmd));
	if (!vbuf) {
		kvfree(entries);
		return NULL;
	}
	cmd = vbuf->cmd;
	cmd->resource_id = cpu_to_le32(res_id);
	cmd->nr_entries = cpu_to_le32(nr);
	virtgpu2_vbuf_attach_data(vbuf, entries, nr * sizeof(*entries));
	return vbuf;
}

struct virtgpu2_vbuf *virtgpu2_cmd_ctx_create(u32 ctx_id, u32 capset_id,
					      const char *name)
{
	struct virtio_gpu_ctx_create *cmd;
	struct virtgpu2_vbuf *vbuf;
	size_t len = strnlen(name, sizeof(cmd->debug_name) - 1);

	vbuf = virtgpu2_cmd_nodata(VIRTIO_GPU_CMD_CTX_CREATE, ctx_id, sizeof(*cmd));
	if (!vbuf)
		return NULL;
	cmd = vbuf->cmd;
	cmd->nlen = cpu_to_le32(len);
	cmd->context_init = cpu_to_le32(capset_id & VIRTIO_GPU_CONTEXT_INIT_CAPSET_ID_MASK);
	memcpy(cmd->debug_name, name, len);
	return vbuf;
}

struct virtgpu2_vbuf *virtgpu2_cmd_ctx_destroy(u32 ctx_id)
{
	return virtgpu2_cmd_nodata(VIRTIO_GPU_CMD_CTX_DESTROY, ctx_id,
				   sizeof(struct virtio_gpu_ctx_destroy));
}

/* CTX_ATTACH_RESOURCE or CTX_DETACH_RESOURCE. */
struct virtgpu2_vbuf *virtgpu2_cmd_ctx_resource(u32 type, u32 ctx_id, u32 res_id)
{
	struct virtio_gpu_ctx_resource *cmd;
	struct virtgpu2_vbuf *vbuf;

	vbuf = virtgpu2_cmd_nodata(type, ctx_id, sizeof(*cmd));
	if (!vbuf)
		return NULL;
	cmd = vbuf->cmd;
	cmd->resource_id = cpu_to_le32(res_id);
	return vbuf;
}

/**
 * virtgpu2_cmd_submit_3d() - SUBMIT_3D
 * @ctx_id: the host context
 * @stream: kvmalloc()ed command stream, owned by the command from here on
 * @size: bytes in @stream
 *
 * Return: the command, or NULL (then @stream is freed too).
 */
struct virtgpu2_vbuf *virtgpu2_cmd_submit_3d(u32 ctx_id, void *stream, u32 size)
{
	struct virtio_gpu_cmd_submit *cmd;
	struct virtgpu2_vbuf *vbuf;

	vbuf = virtgpu2_cmd_nodata(VIRTIO_GPU_CMD_SUBMIT_3D, ctx_id, sizeof(*cmd));
	if (!vbuf) {
		kvfree(stream);
		return NULL;
	}
	cmd = vbuf->cmd;
	cmd->size = cpu_to_le32(size);
	if (size)
		virtgpu2_vbuf_attach_data(vbuf, stream, size);
	else
		kvfree(stream);
	return vbuf;
}

/*
 * A buffer allocated ahead for a command filled in later by an _into
 * encoder, where allocating is not allowed (the panic screen).
 */
struct virtgpu2_vbuf *virtgpu2_cmd_spare(void)
{
	return virtgpu2_vbuf_alloc(VIRTGPU2_CMD_SPARE_SIZE, 0,
				   VIRTIO_GPU_RESP_OK_NODATA, GFP_KERNEL);
}

/*
 * Start a command with no response data in a spare buffer; callers check
 * at build time that it fits VIRTGPU2_CMD_SPARE_SIZE.
 */
static void *virtgpu2_cmd_reuse(struct virtgpu2_vbuf *vbuf, u32 type, u32 size)
{
	struct virtio_gpu_ctrl_hdr *hdr = vbuf->cmd;

	memset(hdr, 0, size);
	hdr->type = cpu_to_le32(type);
	vbuf->cmd_size = size;
	return hdr;
}

void virtgpu2_cmd_transfer_to_host_2d_into(struct virtgpu2_vbuf *vbuf,
					   u32 res_id, u64 offset,
					   const struct virtio_gpu_rect *r)
{
	struct virtio_gpu_transfer_to_host_2d *cmd;

	BUILD_BUG_ON(sizeof(*cmd) > VIRTGPU2_CMD_SPARE_SIZE);
	cmd = virtgpu2_cmd_reuse(vbuf, VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D,
				 sizeof(*cmd));
	cmd->resource_id = cpu_to_le32(res_id);
	cmd->offset = cpu_to_le64(offset);
	cmd->r = *r;
}

struct virtgpu2_vbuf *virtgpu2_cmd_transfer_to_host_2d(u32 res_id, u64 offset,
						       const struct virtio_gpu_rect *r)
{
	struct virtgpu2_vbuf *vbuf = virtgpu2_cmd_spare();

	if (vbuf)
		virtgpu2_cmd_transfer_to_host_2d_into(vbuf, res_id, offset, r);
	return vbuf;
}

/* TRANSFER_TO_HOST_3D or TRANSFER_FROM_HOST_3D. */
struct virtgpu2_vbuf *
virtgpu2_cmd_transfer_3d(u32 type, u32 ctx_id, u32 res_id,
			 const struct drm_virtgpu_3d_transfer_to_host *t)
{
	struct virtio_gpu_transfer_host_3d *cmd;
	struct virtgpu2_vbuf *vbuf;

	vbuf = virtgpu2_cmd_nodata(type, ctx_id, sizeof(*cmd));
	if (!vbuf)
		return NULL;
	cmd = vbuf->cmd;
	cmd->resource_id = cpu_to_le32(res_id);
	cmd->box.x = cpu_to_le32(t->box.x);
	cmd->box.y = cpu_to_le32(t->box.y);
	cmd->box.z = cpu_to_le32(t->box.z);
	cmd->box.w = cpu_to_le32(t->box.w);
	cmd->box.h = cpu_to_le32(t->box.h);
	cmd->box.d = cpu_to_le32(t->box.d);
	cmd->offset = cpu_to_le64(t->offset);
	cmd->level = cpu_to_le32(t->level);
	cmd->stride = cpu_to_le32(t->stride);
	cmd->layer_stride = cpu_to_le32(t->layer_stride);
	return vbuf;
}

/**
 * virtgpu2_cmd_resource_create_blob() - RESOURCE_CREATE_BLOB
 * @ctx_id: the context that owns @blob_id (0 for guest-only blobs)
 * @res_id: the new resource
 * @blob_mem: VIRTGPU_BLOB_MEM_*
 * @blob_flags: VIRTGPU_BLOB_FLAG_USE_*
 * @blob_id: the context-local object to make the blob from
 * @size: bytes
 * @entries: kvmalloc()ed guest pages or NULL, owned by the command from here on
 * @nr: number of @entries
 *
 * Return: the command, or NULL (then @entries is freed too).
 */
struct virtgpu2_vbuf *
virtgpu2_cmd_resource_create_blob(u32 ctx_id, u32 res_id, u32 blob_mem,
				  u32 blob_flags, u64 blob_id, u64 size,
				  struct virtio_gpu_mem_entry *entries, u32 nr)
{
	struct virtio_gpu_resource_create_blob *cmd;
	struct virtgpu2_vbuf *vbuf;

	vbuf = virtgpu2_cmd_nodata(VIRTIO_GPU_CMD_RESOURCE_CREATE_BLOB, ctx_id,
				   sizeof(*cmd));
	if (!vbuf) {
		kvfree(entries);
		return NULL;
	}
	cmd = vbuf->cmd;
	cmd->resource_id = cpu_to_le32(res_id);
	cmd->blob_mem = cpu_to_le32(blob_mem);
	cmd->blob_flags = cpu_to_le32(blob_flags);
	cmd->blob_id = cpu_to_le64(blob_id);
	cmd->size = cpu_to_le64(size);
	cmd->nr_entries = cpu_to_le32(nr);
	if (nr)
		virtgpu2_vbuf_attach_data(vbuf, entries, nr * sizeof(*entries));
	else
		kvfree(entries);
	return vbuf;
}

/* RESOURCE_MAP_BLOB: the answer is MAP_INFO with the caching to use. */
struct virtgpu2_vbuf *virtgpu2_cmd_resource_map_blob(u32 ctx_id, u32 res_id,
						     u64 offset)
{
	struct virtio_gpu_resource_map_blob *cmd;
	struct virtgpu2_vbuf *vbuf;

	vbuf = virtgpu2_cmd_new(VIRTIO_GPU_CMD_RESOURCE_MAP_BLOB, ctx_id,
				sizeof(*cmd), sizeof(struct virtio_gpu_resp_map_info),
				VIRTIO_GPU_RESP_OK_MAP_INFO);
	if (!vbuf)
		return NULL;
	cmd = vbuf->cmd;
	cmd->resource_id = cpu_to_le32(res_id);
	cmd->offset = cpu_to_le64(offset);
	return vbuf;
}

struct virtgpu2_vbuf *virtgpu2_cmd_resource_unmap_blob(u32 ctx_id, u32 res_id)
{
	return virtgpu2_cmd_res_only(VIRTIO_GPU_CMD_RESOURCE_UNMAP_BLOB, ctx_id,
				     res_id, 0, VIRTIO_GPU_RESP_OK_NODATA);
}

/* RESOURCE_ASSIGN_UUID: the answer is RESOURCE_UUID. */
struct virtgpu2_vbuf *virtgpu2_cmd_resource_assign_uuid(u32 res_id)
{
	return virtgpu2_cmd_res_only(VIRTIO_GPU_CMD_RESOURCE_ASSIGN_UUID, 0, res_id,
				     sizeof(struct virtio_gpu_resp_resource_uuid),
				     VIRTIO_GPU_RESP_OK_RESOURCE_UUID);
}

struct virtgpu2_vbuf *virtgpu2_cmd_get_display_info(void)
{
	return virtgpu2_cmd_new(VIRTIO_GPU_CMD_GET_DISPLAY_INFO, 0,
				sizeof(struct virtio_gpu_ctrl_hdr),
				sizeof(struct virtio_gpu_resp_display_info),
				VIRTIO_GPU_RESP_OK_DISPLAY_INFO);
}

struct virtgpu2_vbuf *virtgpu2_cmd_get_edid(u32 scanout)
{
	struct virtio_gpu_cmd_get_edid *cmd;
	struct virtgpu2_vbuf *vbuf;

	vbuf = virtgpu2_cmd_new(VIRTIO_GPU_CMD_GET_EDID, 0, sizeof(*cmd),
				sizeof(struct virtio_gpu_resp_edid),
				VIRTIO_GPU_RESP_OK_EDID);
	if (!vbuf)
		return NULL;
	cmd = vbuf->cmd;
	cmd->scanout = cpu_to_le32(scanout);
	return vbuf;
}

/* @res_id 0 turns the scanout off. */
struct virtgpu2_vbuf *virtgpu2_cmd_set_scanout(u32 scanout, u32 res_id,
					       const struct virtio_gpu_rect *r)
{
	struct virtio_gpu_set_scanout *cmd;
	struct virtgpu2_vbuf *vbuf;

	vbuf = virtgpu2_cmd_nodata(VIRTIO_GPU_CMD_SET_SCANOUT, 0, sizeof(*cmd));
	if (!vbuf)
		return NULL;
	cmd = vbuf->cmd;
	cmd->scanout_id = cpu_to_le32(scanout);
	cmd->resource_id = cpu_to_le32(res_id);
	cmd->r = *r;
	return vbuf;
}

/*
 * A blob has no format or size of its own, so the scanout names them: the
 * framebuffer's layout, @r the part of it that is shown.
 */
struct virtgpu2_vbuf *virtgpu2_cmd_set_scanout_blob(u32 scanout, u32 res_id,
						    u32 format,
						    const struct drm_framebuffer *fb,
						    const struct virtio_gpu_rect *r)
{
	struct virtio_gpu_set_scanout_blob *cmd;
	struct virtgpu2_vbuf *vbuf;
	int i;

	vbuf = virtgpu2_cmd_nodata(VIRTIO_GPU_CMD_SET_SCANOUT_BLOB, 0,
				   sizeof(*cmd));
	if (!vbuf)
		return NULL;
	cmd = vbuf->cmd;
	cmd->scanout_id = cpu_to_le32(scanout);
	cmd->resource_id = cpu_to_le32(res_id);
	cmd->format = cpu_to_le32(format);
	cmd->width = cpu_to_le32(fb->width);
	cmd->height = cpu_to_le32(fb->height);
	for (i = 0; i < ARRAY_SIZE(cmd->strides); i++) {
		cmd->strides[i] = cpu_to_le32(fb->pitches[i]);
		cmd->offsets[i] = cpu_to_le32(fb->offsets[i]);
	}
	cmd->r = *r;
	return vbuf;
}

void virtgpu2_cmd_resource_flush_into(struct virtgpu2_vbuf *vbuf, u32 res_id,
				      const struct virtio_gpu_rect *r)
{
	struct virtio_gpu_resource_flush *cmd;

	BUILD_BUG_ON(sizeof(*cmd) > VIRTGPU2_CMD_SPARE_SIZE);
	cmd = virtgpu2_cmd_reuse(vbuf, VIRTIO_GPU_CMD_RESOURCE_FLUSH,
				 sizeof(*cmd));
	cmd->resource_id = cpu_to_le32(res_id);
	cmd->r = *r;
}

struct virtgpu2_vbuf *virtgpu2_cmd_resource_flush(u32 res_id,
						  const struct virtio_gpu_rect *r)
{
	struct virtgpu2_vbuf *vbuf = virtgpu2_cmd_spare();

	if (vbuf)
		virtgpu2_cmd_resource_flush_into(vbuf, res_id, r);
	return vbuf;
}

/*
 * UPDATE_CURSOR or MOVE_CURSOR, for the cursor queue. The device answers
 * cursor commands without writing a response, so none is expected.
 */
struct virtgpu2_vbuf *virtgpu2_cmd_cursor(u32 type, u32 scanout, u32 x, u32 y,
					  u32 res_id, u32 hot_x, u32 hot_y)
{
	struct virtio_gpu_update_cursor *cmd;
	struct virtgpu2_vbuf *vbuf;

	vbuf = virtgpu2_cmd_new(type, 0, sizeof(*cmd), 0, VIRTGPU2_NO_RESPONSE);
	if (!vbuf)
		return NULL;
	cmd = vbuf->cmd;
	cmd->pos.scanout_id = cpu_to_le32(scanout);
	cmd->pos.x = cpu_to_le32(x);
	cmd->pos.y = cpu_to_le32(y);
	cmd->resource_id = cpu_to_le32(res_id);
	cmd->hot_x = cpu_to_le32(hot_x);
	cmd->hot_y = cpu_to_le32(hot_y);
	return vbuf;
}
