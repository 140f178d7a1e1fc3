/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Encoders: one function per VIRTIO_GPU_CMD_*. Each allocates a buffer and
 * fills it; none takes a lock or sends anything.
 */
#ifndef VIRTGPU2_CMD_H
#define VIRTGPU2_CMD_H

#include <linux/virtio_gpu.h>

#include "virtgpu2_vq.h"

struct virtgpu2_vbuf *virtgpu2_cmd_get_capset_info(u32 index);
struct virtgpu2_vbuf *virtgpu2_cmd_get_capset(u32 id, u32 version, u32 size);

#endif /* VIRTGPU2_CMD_H */
