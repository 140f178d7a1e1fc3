// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tracepoints' definitions (virtgpu2_trace.h), and what they decode
 * from a command.
 */

#include <linux/stddef.h>
#include <linux/virtio_gpu.h>

#define CREATE_TRACE_POINTS
#include "virtgpu2_trace.h"

/* Where a command names its resource, or 0 for commands that name none. */
static size_t virtgpu2_cmd_resource_offset(u32 type)
{
	switch (type) {
	case VIRTIO_GPU_CMD_RESOURCE_CREATE_2D:
	case VIRTIO_GPU_CMD_RESOURCE_UNREF:
	case VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING:
	case VIRTIO_GPU_CMD_RESOURCE_DETACH_BACKING:
	case VIRTIO_GPU_CMD_RESOURCE_ASSIGN_UUID:
	case VIRTIO_GPU_CMD_RESOURCE_CREATE_BLOB:
	case VIRTIO_GPU_CMD_RESOURCE_CREATE_3D:
	case VIRTIO_GPU_CMD_CTX_ATTACH_RESOURCE:
	case VIRTIO_GPU_CMD_CTX_DETACH_RESOURCE:
	case VIRTIO_GPU_CMD_RESOURCE_MAP_BLOB:
	case VIRTIO_GPU_CMD_RESOURCE_UNMAP_BLOB:
		return sizeof(struct virtio_gpu_ctrl_hdr);
	case VIRTIO_GPU_CMD_RESOURCE_FLUSH:
		return offsetof(struct virtio_gpu_resource_flush, resource_id);
	case VIRTIO_GPU_CMD_SET_SCANOUT:
		return offsetof(struct virtio_gpu_set_scanout, resource_id);
	case VIRTIO_GPU_CMD_SET_SCANOUT_BLOB:
		return offsetof(struct virtio_gpu_set_scanout_blob, resource_id);
	case VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D:
		return offsetof(struct virtio_gpu_transfer_to_host_2d, resource_id);
	case VIRTIO_GPU_CMD_TRANSFER_TO_HOST_3D:
	case VIRTIO_GPU_CMD_TRANSFER_FROM_HOST_3D:
		return offsetof(struct virtio_gpu_transfer_host_3d, resource_id);
	case VIRTIO_GPU_CMD_UPDATE_CURSOR:
	case VIRTIO_GPU_CMD_MOVE_CURSOR:
		return offsetof(struct virtio_gpu_update_cursor, resource_id);
	default:
		return 0;
	}
}

/**
 * virtgpu2_cmd_resource_id() - the resource a command names, for the trace
 * @vbuf: the command
 *
 * Return: the host resource id, or 0 when the command names none.
 */
u32 virtgpu2_cmd_resource_id(const struct virtgpu2_vbuf *vbuf)
{
	const struct virtio_gpu_ctrl_hdr *hdr = vbuf->cmd;
	size_t off = virtgpu2_cmd_resource_offset(le32_to_cpu(hdr->type));
	__le32 id;

	if (!off || off + sizeof(id) > vbuf->cmd_size)
		return 0;
	memcpy(&id, (const u8 *)vbuf->cmd + off, sizeof(id));
	return le32_to_cpu(id);
}

/**
 * virtgpu2_vbuf_resp_type() - the type of the device's answer, for the trace
 * @vbuf: an answered command
 *
 * Return: the response type, or 0 when the answer is too short to have one.
 */
u32 virtgpu2_vbuf_resp_type(const struct virtgpu2_vbuf *vbuf)
{
	const struct virtio_gpu_ctrl_hdr *resp = vbuf->resp;

	return vbuf->resp_len >= sizeof(*resp) ? le32_to_cpu(resp->type) : 0;
}
