// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fences that stay unsignalled until the test says so.
 *
 * Debian kernels have no sw_sync, so the only way to get a foreign fence
 * that is not yet signalled is vgem: a fence attached to a vgem buffer
 * stays pending until DRM_IOCTL_VGEM_FENCE_SIGNAL (or until vgem's own
 * timeout of about ten seconds). Exporting the buffer as a dma-buf and
 * asking the dma-buf for a sync_file (DMA_BUF_IOCTL_EXPORT_SYNC_FILE, Linux
 * 6.0) turns that fence into a sync_file, which can also be imported into a
 * DRM syncobj.
 */
#ifndef VGT_VGEM_H
#define VGT_VGEM_H

#include "vgt.h"

struct vgt_vgem_fence {
	int vgem_fd;	/* primary node of vgem */
	u32 bo;		/* vgem buffer carrying the fence */
	u32 fence;	/* vgem fence id, for FENCE_SIGNAL */
	int sync_file;	/* sync_file fd of the fence, owned by the caller */
};

/*
 * Set up a pending fence; skips the subtest when vgem is not available
 * (loading the module with modprobe is tried first).
 */
void vgt_vgem_fence_create(struct vgt_vgem_fence *f);

/* Signal the fence. */
void vgt_vgem_fence_signal(struct vgt_vgem_fence *f);

/* Release the vgem side (does not close f->sync_file). */
void vgt_vgem_fence_destroy(struct vgt_vgem_fence *f);

/* A vgem buffer exported as a dma-buf, and mapped for the CPU. */
struct vgt_vgem_buffer {
	int vgem_fd;	/* primary node of vgem */
	u32 bo;		/* the vgem handle */
	int dmabuf;	/* the dma-buf fd */
	void *map;	/* vgem's CPU mapping of the buffer */
	size_t size;	/* bytes */
};

/* A buffer of @size bytes (a multiple of 4 KiB); skips without vgem. */
void vgt_vgem_buffer_create(struct vgt_vgem_buffer *b, size_t size);

/* Unmap, close the dma-buf and vgem. */
void vgt_vgem_buffer_destroy(struct vgt_vgem_buffer *b);

/* sync_file status: 1 signalled, 0 pending, negative an error. */
int vgt_sync_file_status(int fd);

#endif /* VGT_VGEM_H */
