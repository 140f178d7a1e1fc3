// SPDX-License-Identifier: GPL-2.0-only
/*
 * Pending fences made with vgem; see vgt_vgem.h.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <linux/sync_file.h>
#include <xf86drm.h>

#include "drm/vgem_drm.h"
#include "vgt_vgem.h"

static int vgt_vgem_open(void)
{
	int fd = vgt_drm_open(VGT_NODE_PRIMARY, "vgem");
	int i;

	if (fd >= 0)
		return fd;
	if (system("modprobe vgem >/dev/null 2>&1") != 0)
		return -1;
	for (i = 0; i < 50 && fd < 0; i++) {
		usleep(20000);
		fd = vgt_drm_open(VGT_NODE_PRIMARY, "vgem");
	}
	return fd;
}

void vgt_vgem_fence_create(struct vgt_vgem_fence *f)
{
	struct drm_mode_create_dumb dumb = {
		.width = 16,
		.height = 16,
		.bpp = 32,
	};
	struct drm_vgem_fence_attach attach = { .flags = VGEM_FENCE_WRITE };
	struct dma_buf_export_sync_file exp = { .flags = DMA_BUF_SYNC_RW };
	int dmabuf;

	memset(f, 0, sizeof(*f));
	f->vgem_fd = vgt_vgem_open();
	vgt_require_f(f->vgem_fd >= 0,
		      "vgem is needed for a pending foreign fence\n");

	vgt_assert_ok(vgt_ioctl(f->vgem_fd, DRM_IOCTL_MODE_CREATE_DUMB, &dumb));
	f->bo = dumb.handle;
	attach.handle = f->bo;
	vgt_assert_ok(vgt_ioctl(f->vgem_fd, DRM_IOCTL_VGEM_FENCE_ATTACH,
				&attach));
	f->fence = attach.out_fence;

	vgt_assert_ok(drmPrimeHandleToFD(f->vgem_fd, f->bo, DRM_CLOEXEC,
					 &dmabuf));
	vgt_require_f(!vgt_ioctl(dmabuf, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &exp),
		      "DMA_BUF_IOCTL_EXPORT_SYNC_FILE (Linux 6.0) failed\n");
	close(dmabuf);
	f->sync_file = exp.fd;
	vgt_assert_eq(vgt_sync_file_status(f->sync_file), 0);
}

void vgt_vgem_fence_signal(struct vgt_vgem_fence *f)
{
	struct drm_vgem_fence_signal sig = { .fence = f->fence };

	vgt_assert_ok(vgt_ioctl(f->vgem_fd, DRM_IOCTL_VGEM_FENCE_SIGNAL, &sig));
}

void vgt_vgem_fence_destroy(struct vgt_vgem_fence *f)
{
	struct drm_vgem_fence_signal sig = { .fence = f->fence };

	/* Signalling twice fails harmlessly; make sure nothing is left. */
	vgt_ioctl(f->vgem_fd, DRM_IOCTL_VGEM_FENCE_SIGNAL, &sig);
	close(f->vgem_fd);
	f->vgem_fd = -1;
}

void vgt_vgem_buffer_create(struct vgt_vgem_buffer *b, size_t size)
{
	/* One row of 4-byte pixels per page. */
	struct drm_mode_create_dumb dumb = {
		.width = 1024,
		.height = size / 4096,
		.bpp = 32,
	};
	struct drm_mode_map_dumb map = { 0 };

	memset(b, 0, sizeof(*b));
	b->vgem_fd = vgt_vgem_open();
	vgt_require_f(b->vgem_fd >= 0, "vgem is needed for a foreign dma-buf\n");
	vgt_assert_ok(vgt_ioctl(b->vgem_fd, DRM_IOCTL_MODE_CREATE_DUMB, &dumb));
	vgt_assert(dumb.size >= size);
	b->bo = dumb.handle;
	b->size = dumb.size;
	map.handle = b->bo;
	vgt_assert_ok(vgt_ioctl(b->vgem_fd, DRM_IOCTL_MODE_MAP_DUMB, &map));
	b->map = mmap(NULL, b->size, PROT_READ | PROT_WRITE, MAP_SHARED,
		      b->vgem_fd, map.offset);
	vgt_assert(b->map != MAP_FAILED);
	vgt_assert_ok(drmPrimeHandleToFD(b->vgem_fd, b->bo,
					 DRM_CLOEXEC | DRM_RDWR, &b->dmabuf));
}

void vgt_vgem_buffer_destroy(struct vgt_vgem_buffer *b)
{
	munmap(b->map, b->size);
	close(b->dmabuf);
	close(b->vgem_fd);
	b->vgem_fd = -1;
}

int vgt_sync_file_status(int fd)
{
	struct sync_file_info info;

	memset(&info, 0, sizeof(info));
	vgt_assert_ok(vgt_ioctl(fd, SYNC_IOC_FILE_INFO, &info));
	return info.status;
}
