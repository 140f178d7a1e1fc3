// SPDX-License-Identifier: GPL-2.0-only
/*
 * Encoders for the virtio-gpu control and cursor commands. They only lay
 * out bytes; the callers decide when and where to send them.
 */

#include <linux/slab.h>

#include "virtgpu2_cmd.h"

/* Allocate a command of @size bytes and fill the common header. */
static struct virtgpu2_vbuf *virtgpu2_cmd_new(u32 type, u32 ctx_id, u32 size,
					      u32 resp_size, u32 expect)
{
	struct virtgpu2_vbuf *vbuf;
	struct virtio_gpu_ctrl_hdr *hdr;

	vbuf = virtgpu2_vbuf_alloc(size, resp_size, expect, GFP_KERNEL);
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
