// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtgpu2_resource: classic (non-blob) resources, their GEM handles and
 * mappings, sharing, dumb buffers, 3D transfers and WAIT.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>

#include "vgt_virtgpu.h"
#include "vgt_vgem.h"

static size_t page_size(void)
{
	return getpagesize();
}

static size_t page_align(size_t n)
{
	return (n + page_size() - 1) & ~(page_size() - 1);
}

static u32 pattern_word(u32 seed, u32 i)
{
	return seed ^ (i * 0x9e3779b9u);
}

static void fill_pattern(u32 *p, size_t bytes, u32 seed)
{
	u32 i;

	for (i = 0; i < bytes / 4; i++)
		p[i] = pattern_word(seed, i);
}

static void check_pattern(const u32 *p, size_t bytes, u32 seed)
{
	u32 i;

	for (i = 0; i < bytes / 4; i++)
		vgt_assert_f(p[i] == pattern_word(seed, i),
			     "word %u is %#x, expected %#x\n", i, p[i],
			     pattern_word(seed, i));
}

static void check_info(int fd, u32 handle, u32 res_handle, size_t size)
{
	struct drm_virtgpu_resource_info info;

	vgt_assert_ok(vgt_resource_info(fd, handle, &info));
	vgt_assert_eq(info.bo_handle, handle);
	vgt_assert_eq(info.res_handle, res_handle);
	vgt_assert_eq(info.size, page_align(size));
	vgt_assert_eq(info.blob_mem, 0);
}

static void test_create_buffer(void)
{
	int fd = vgt_open_render();
	u32 res, bo;

	vgt_require_3d(fd);
	bo = vgt_create_buffer(fd, 4096, &res);
	vgt_assert_neq(res, 0);
	check_info(fd, bo, res, 4096);
	vgt_assert_ok(vgt_gem_close(fd, bo));
	close(fd);
}

static void test_create_texture_2d(void)
{
	int fd = vgt_open_render();
	u32 res, bo;

	vgt_require_3d(fd);
	bo = vgt_create_texture_2d(fd, 64, 64, &res);
	vgt_assert_neq(res, 0);
	check_info(fd, bo, res, 64 * 64 * 4);
	vgt_assert_ok(vgt_gem_close(fd, bo));
	close(fd);
}

static void test_create_texture_3d(void)
{
	struct drm_virtgpu_resource_create rc = {
		.target = VGT_PIPE_TEXTURE_3D,
		.format = VGT_VIRGL_FORMAT_B8G8R8A8_UNORM,
		.bind = VGT_VIRGL_BIND_SAMPLER_VIEW,
		.width = 16,
		.height = 16,
		.depth = 4,
		.array_size = 1,
		.size = 16 * 16 * 4 * 4,
		.stride = 16 * 4,
	};
	int fd = vgt_open_render();

	vgt_require_3d(fd);
	vgt_assert_ok(vgt_resource_create(fd, &rc));
	vgt_assert_neq(rc.bo_handle, 0);
	vgt_assert_neq(rc.res_handle, 0);
	check_info(fd, rc.bo_handle, rc.res_handle, rc.size);
	vgt_assert_ok(vgt_gem_close(fd, rc.bo_handle));
	close(fd);
}

/* The backing is the requested size rounded up to pages; 0 means a page. */
static void test_create_size_rounding(void)
{
	static const u32 sizes[] = { 0, 1, 4095, 4096, 4097, 65536 + 8 };
	int fd = vgt_open_render();
	size_t i;

	vgt_require_3d(fd);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct drm_virtgpu_resource_create rc = {
			.target = VGT_PIPE_BUFFER,
			.format = VGT_VIRGL_FORMAT_R8_UNORM,
			.bind = VGT_VIRGL_BIND_VERTEX_BUFFER,
			.width = sizes[i] ? sizes[i] : 1,
			.height = 1,
			.depth = 1,
			.array_size = 1,
			.size = sizes[i],
		};

		vgt_info("size %u\n", sizes[i]);
		vgt_assert_ok(vgt_resource_create(fd, &rc));
		check_info(fd, rc.bo_handle, rc.res_handle,
			   sizes[i] ? sizes[i] : page_size());
		vgt_assert_ok(vgt_gem_close(fd, rc.bo_handle));
	}
	close(fd);
}

/*
 * A texture without width or height cannot exist. Linux (through 7.2)
 * passes such requests to the host, which refuses them while the ioctl
 * succeeds; virtgpu2 refuses them with -EINVAL.
 */
static void test_create_invalid_dims(void)
{
	int fd = vgt_open_render();
	struct drm_virtgpu_resource_create rc = {
		.target = VGT_PIPE_TEXTURE_2D,
		.format = VGT_VIRGL_FORMAT_B8G8R8A8_UNORM,
		.bind = VGT_VIRGL_BIND_SAMPLER_VIEW,
		.depth = 1,
		.array_size = 1,
		.size = 4096,
	};

	vgt_require_3d(fd);
	rc.width = 0;
	rc.height = 16;
	vgt_assert_errno(vgt_resource_create(fd, &rc), EINVAL);
	rc.width = 16;
	rc.height = 0;
	vgt_assert_errno(vgt_resource_create(fd, &rc), EINVAL);
	close(fd);
}

static void test_res_handles_unique(void)
{
	int fd = vgt_open_render();
	u32 bo[16], res[16];
	size_t i, j;

	vgt_require_3d(fd);
	for (i = 0; i < ARRAY_SIZE(bo); i++) {
		bo[i] = vgt_create_buffer(fd, 4096, &res[i]);
		vgt_assert_neq(res[i], 0);
		for (j = 0; j < i; j++) {
			vgt_assert_neq(bo[i], bo[j]);
			vgt_assert_neq(res[i], res[j]);
		}
	}
	for (i = 0; i < ARRAY_SIZE(bo); i++)
		vgt_assert_ok(vgt_gem_close(fd, bo[i]));
	close(fd);
}

static void test_info_bad_handle(void)
{
	struct drm_virtgpu_resource_info info;
	int fd = vgt_open_render();

	vgt_assert_errno(vgt_resource_info(fd, 0, &info), ENOENT);
	vgt_assert_errno(vgt_resource_info(fd, 0xdeadbeef, &info), ENOENT);
	close(fd);
}

static void test_map_bad_handle(void)
{
	int fd = vgt_open_render();
	u64 offset;

	vgt_assert_errno(vgt_map_offset(fd, 0, &offset), ENOENT);
	vgt_assert_errno(vgt_map_offset(fd, 0xdeadbeef, &offset), ENOENT);
	close(fd);
}

/* The guest backing keeps what was written across unmap and remap. */
static void test_mmap_write_read(void)
{
	int fd = vgt_open_render();
	const size_t size = 16384;
	u64 off1, off2;
	u32 bo, *p;

	vgt_require_3d(fd);
	bo = vgt_create_buffer(fd, size, NULL);
	vgt_assert_ok(vgt_map_offset(fd, bo, &off1));
	vgt_assert_ok(vgt_map_offset(fd, bo, &off2));
	vgt_assert_eq(off1, off2);
	vgt_assert_eq(off1 % page_size(), 0);

	p = vgt_mmap_bo(fd, bo, size);
	fill_pattern(p, size, 0x1234);
	munmap(p, size);
	p = vgt_mmap_bo(fd, bo, size);
	check_pattern(p, size, 0x1234);
	munmap(p, size);
	vgt_assert_ok(vgt_gem_close(fd, bo));
	close(fd);
}

static void test_mmap_bad_offset(void)
{
	int fd = vgt_open_render();
	void *p;

	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 1ull << 40);
	vgt_assert(p == MAP_FAILED);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	vgt_assert(p == MAP_FAILED);
	close(fd);
}

/* A mapping beyond the end of the object is refused. */
static void test_mmap_too_large(void)
{
	int fd = vgt_open_render();
	u64 offset;
	void *p;
	u32 bo;

	vgt_require_3d(fd);
	bo = vgt_create_buffer(fd, 4096, NULL);
	vgt_assert_ok(vgt_map_offset(fd, bo, &offset));
	p = mmap(NULL, 2 * 4096, PROT_READ, MAP_SHARED, fd, offset);
	vgt_assert(p == MAP_FAILED);
	vgt_assert_ok(vgt_gem_close(fd, bo));
	close(fd);
}

static void test_gem_close(void)
{
	struct drm_virtgpu_resource_info info;
	int fd = vgt_open_render();
	u32 bo;

	vgt_require_3d(fd);
	bo = vgt_create_buffer(fd, 4096, NULL);
	vgt_assert_ok(vgt_gem_close(fd, bo));
	vgt_assert_errno(vgt_resource_info(fd, bo, &info), ENOENT);
	vgt_assert_errno(vgt_gem_close(fd, bo), EINVAL);
	vgt_assert_errno(vgt_gem_close(fd, 0xdeadbeef), EINVAL);
	close(fd);
}

/* A mapping keeps the object alive after its handle is closed. */
static void test_gem_close_mapped(void)
{
	int fd = vgt_open_render();
	u32 bo, *p;

	vgt_require_3d(fd);
	bo = vgt_create_buffer(fd, 8192, NULL);
	p = vgt_mmap_bo(fd, bo, 8192);
	fill_pattern(p, 8192, 0xabcd);
	vgt_assert_ok(vgt_gem_close(fd, bo));
	check_pattern(p, 8192, 0xabcd);
	fill_pattern(p, 8192, 0x4321);
	check_pattern(p, 8192, 0x4321);
	munmap(p, 8192);
	close(fd);
}

/* FLINK and GEM_OPEN need a primary node; the name resolves to the same
 * host resource in another file. */
static void test_flink_open(void)
{
	struct drm_virtgpu_resource_info info;
	struct drm_gem_flink flink = { 0 };
	struct drm_gem_open op = { 0 };
	int fd = vgt_open_card(), fd2;
	u32 res, bo;

	vgt_require_3d(fd);
	bo = vgt_create_buffer(fd, 8192, &res);
	flink.handle = bo;
	vgt_assert_ok(vgt_ioctl(fd, DRM_IOCTL_GEM_FLINK, &flink));
	vgt_assert_neq(flink.name, 0);

	fd2 = vgt_drm_open(VGT_NODE_PRIMARY, "virtio_gpu");
	vgt_assert(fd2 >= 0);
	op.name = flink.name;
	vgt_assert_ok(vgt_ioctl(fd2, DRM_IOCTL_GEM_OPEN, &op));
	vgt_assert_neq(op.handle, 0);
	vgt_assert_eq(op.size, 8192);
	vgt_assert_ok(vgt_resource_info(fd2, op.handle, &info));
	vgt_assert_eq(info.res_handle, res);

	op.name = 0x7fffffff;
	op.handle = 0;
	vgt_assert_errno(vgt_ioctl(fd2, DRM_IOCTL_GEM_OPEN, &op), ENOENT);
	close(fd2);
	vgt_assert_ok(vgt_gem_close(fd, bo));
	close(fd);
}

/* PRIME export and import into another file share one resource. */
static void test_prime_other_file(void)
{
	int fd = vgt_open_render(), fd2, dmabuf;
	struct drm_virtgpu_resource_info info;
	u32 res, bo, bo2, bo3;
	u32 *p, *p2;

	vgt_require_3d(fd);
	fd2 = vgt_drm_open(VGT_NODE_RENDER, "virtio_gpu");
	vgt_assert(fd2 >= 0);
	bo = vgt_create_buffer(fd, 8192, &res);
	vgt_assert_ok(drmPrimeHandleToFD(fd, bo, DRM_CLOEXEC | DRM_RDWR,
					 &dmabuf));
	vgt_assert_ok(drmPrimeFDToHandle(fd2, dmabuf, &bo2));
	vgt_assert_ok(drmPrimeFDToHandle(fd2, dmabuf, &bo3));
	vgt_assert_eq(bo2, bo3);
	vgt_assert_ok(vgt_resource_info(fd2, bo2, &info));
	vgt_assert_eq(info.res_handle, res);
	vgt_assert_eq(info.size, 8192);

	p = vgt_mmap_bo(fd, bo, 8192);
	p2 = vgt_mmap_bo(fd2, bo2, 8192);
	fill_pattern(p, 8192, 0x5555);
	check_pattern(p2, 8192, 0x5555);
	munmap(p, 8192);
	munmap(p2, 8192);
	close(dmabuf);
	close(fd2);
	close(fd);
}

/* Importing one's own export gives back the same handle. */
static void test_prime_self_import(void)
{
	int fd = vgt_open_render(), dmabuf;
	u32 bo, bo2;

	vgt_require_3d(fd);
	bo = vgt_create_buffer(fd, 4096, NULL);
	vgt_assert_ok(drmPrimeHandleToFD(fd, bo, DRM_CLOEXEC, &dmabuf));
	vgt_assert_ok(drmPrimeFDToHandle(fd, dmabuf, &bo2));
	vgt_assert_eq(bo, bo2);
	close(dmabuf);
	vgt_assert_ok(vgt_gem_close(fd, bo));
	close(fd);
}

static int dumb_create(int fd, u32 w, u32 h, u32 bpp,
		       struct drm_mode_create_dumb *d)
{
	memset(d, 0, sizeof(*d));
	d->width = w;
	d->height = h;
	d->bpp = bpp;
	return vgt_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, d);
}

static void test_dumb_create_map_destroy(void)
{
	struct drm_mode_destroy_dumb destroy = { 0 };
	struct drm_mode_map_dumb map = { 0 };
	struct drm_mode_create_dumb d;
	int fd = vgt_open_card();
	u32 *p;

	vgt_assert_ok(dumb_create(fd, 64, 32, 32, &d));
	vgt_assert_neq(d.handle, 0);
	vgt_assert_gte(d.pitch, 64 * 4);
	vgt_assert_gte(d.size, (u64)d.pitch * 32);

	map.handle = d.handle;
	vgt_assert_ok(vgt_ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &map));
	p = mmap(NULL, d.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 map.offset);
	vgt_assert(p != MAP_FAILED);
	fill_pattern(p, d.size, 0x77);
	check_pattern(p, d.size, 0x77);
	munmap(p, d.size);

	destroy.handle = d.handle;
	vgt_assert_ok(vgt_ioctl(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &destroy));
	vgt_assert_errno(vgt_ioctl(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &destroy),
			 EINVAL);
	close(fd);
}

static void test_dumb_invalid(void)
{
	struct drm_mode_create_dumb d;
	int fd = vgt_open_card();

	vgt_assert_errno(dumb_create(fd, 0, 32, 32, &d), EINVAL);
	vgt_assert_errno(dumb_create(fd, 32, 0, 32, &d), EINVAL);
	vgt_assert_errno(dumb_create(fd, 32, 32, 0, &d), EINVAL);
	vgt_assert_errno(dumb_create(fd, 0xffffffff, 0xffffffff, 32, &d),
			 EINVAL);
	close(fd);
}

/*
 * Write a pattern into the backing, copy it to the host, clear the backing,
 * copy it back and compare. The host keeps its own storage (a GL buffer or
 * texture), so the pattern can only come back through the host.
 */
static void roundtrip(int fd, u32 bo, size_t bytes,
		      const struct drm_virtgpu_3d_box *box)
{
	u32 *p = vgt_mmap_bo(fd, bo, bytes);

	fill_pattern(p, bytes, 0xc0ffee);
	vgt_assert_ok(vgt_transfer(fd, true, bo, box, 0, 0));
	vgt_assert_ok(vgt_wait_bo(fd, bo, 0));
	memset(p, 0, bytes);
	vgt_assert_ok(vgt_transfer(fd, false, bo, box, 0, 0));
	vgt_assert_ok(vgt_wait_bo(fd, bo, 0));
	check_pattern(p, bytes, 0xc0ffee);
	munmap(p, bytes);
}

static void test_transfer_buffer_roundtrip(void)
{
	const struct drm_virtgpu_3d_box box = { .w = 16384, .h = 1, .d = 1 };
	int fd = vgt_open_render();
	u32 bo;

	vgt_require_3d(fd);
	bo = vgt_create_buffer(fd, 16384, NULL);
	roundtrip(fd, bo, 16384, &box);
	vgt_assert_ok(vgt_gem_close(fd, bo));
	close(fd);
}

static void test_transfer_texture_roundtrip(void)
{
	const struct drm_virtgpu_3d_box box = { .w = 64, .h = 64, .d = 1 };
	int fd = vgt_open_render();
	u32 bo;

	vgt_require_3d(fd);
	bo = vgt_create_texture_2d(fd, 64, 64, NULL);
	roundtrip(fd, bo, 64 * 64 * 4, &box);
	vgt_assert_ok(vgt_gem_close(fd, bo));
	close(fd);
}

static void test_transfer_bad_handle(void)
{
	const struct drm_virtgpu_3d_box box = { .w = 4, .h = 1, .d = 1 };
	int fd = vgt_open_render();

	vgt_require_3d(fd);
	vgt_assert_errno(vgt_transfer(fd, true, 0, &box, 0, 0), ENOENT);
	vgt_assert_errno(vgt_transfer(fd, false, 0, &box, 0, 0), ENOENT);
	vgt_assert_errno(vgt_transfer(fd, true, 0xdead, &box, 0, 0), ENOENT);
	vgt_assert_errno(vgt_transfer(fd, false, 0xdead, &box, 0, 0), ENOENT);
	close(fd);
}

/* Only host 3D blobs take a guest stride; classic resources refuse one. */
static void test_transfer_stride_classic(void)
{
	const struct drm_virtgpu_3d_box box = { .w = 64, .h = 64, .d = 1 };
	struct drm_virtgpu_3d_transfer_to_host to = { .box = box };
	struct drm_virtgpu_3d_transfer_from_host from = { .box = box };
	int fd = vgt_open_render();
	u32 bo;

	vgt_require_3d(fd);
	bo = vgt_create_texture_2d(fd, 64, 64, NULL);
	to.bo_handle = from.bo_handle = bo;
	to.stride = from.stride = 256;
	vgt_assert_errno(vgt_ioctl(fd, DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST,
				   &to), EINVAL);
	vgt_assert_errno(vgt_ioctl(fd, DRM_IOCTL_VIRTGPU_TRANSFER_FROM_HOST,
				   &from), EINVAL);
	to.stride = from.stride = 0;
	to.layer_stride = from.layer_stride = 16384;
	vgt_assert_errno(vgt_ioctl(fd, DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST,
				   &to), EINVAL);
	vgt_assert_errno(vgt_ioctl(fd, DRM_IOCTL_VIRTGPU_TRANSFER_FROM_HOST,
				   &from), EINVAL);
	vgt_assert_ok(vgt_gem_close(fd, bo));
	close(fd);
}

static void test_wait_idle(void)
{
	int fd = vgt_open_render();
	u32 bo;

	vgt_require_3d(fd);
	bo = vgt_create_buffer(fd, 4096, NULL);
	vgt_assert_ok(vgt_wait_bo(fd, bo, 0));
	vgt_assert_ok(vgt_wait_bo(fd, bo, VIRTGPU_WAIT_NOWAIT));
	vgt_assert_ok(vgt_gem_close(fd, bo));
	close(fd);
}

/*
 * An object named by a submission that is held back by a pending foreign
 * fence is busy: NOWAIT says -EBUSY until the fence signals, and a
 * blocking WAIT then returns once the submission completes.
 */
static void test_wait_nowait_busy(void)
{
	u32 cmds[4] = { 0 };	/* virgl no-op headers */
	struct drm_virtgpu_execbuffer eb = {
		.flags = VIRTGPU_EXECBUF_FENCE_FD_IN,
		.size = sizeof(cmds),
		.command = (uintptr_t)cmds,
		.num_bo_handles = 1,
	};
	struct vgt_vgem_fence f;
	int fd = vgt_open_render();
	u32 bo;

	vgt_require_3d(fd);
	vgt_vgem_fence_create(&f);
	bo = vgt_create_buffer(fd, 4096, NULL);
	eb.bo_handles = (uintptr_t)&bo;
	eb.fence_fd = f.sync_file;
	vgt_assert_ok(vgt_execbuf(fd, &eb));
	vgt_assert_errno(vgt_wait_bo(fd, bo, VIRTGPU_WAIT_NOWAIT), EBUSY);
	usleep(200 * 1000);
	vgt_assert_errno(vgt_wait_bo(fd, bo, VIRTGPU_WAIT_NOWAIT), EBUSY);
	vgt_vgem_fence_signal(&f);
	vgt_assert_ok(vgt_wait_bo(fd, bo, 0));
	vgt_assert_ok(vgt_wait_bo(fd, bo, VIRTGPU_WAIT_NOWAIT));
	vgt_assert_ok(vgt_gem_close(fd, bo));
	close(f.sync_file);
	vgt_vgem_fence_destroy(&f);
	close(fd);
}

static void test_wait_bad_handle(void)
{
	int fd = vgt_open_render();

	vgt_assert_errno(vgt_wait_bo(fd, 0, 0), ENOENT);
	vgt_assert_errno(vgt_wait_bo(fd, 0xdead, VIRTGPU_WAIT_NOWAIT), ENOENT);
	close(fd);
}

/* Closing an object while the host still works on it must be safe. */
static void test_close_busy(void)
{
	const struct drm_virtgpu_3d_box box = { .w = 65536, .h = 1, .d = 1 };
	int fd = vgt_open_render();
	int i;

	vgt_require_3d(fd);
	for (i = 0; i < 16; i++) {
		u32 bo = vgt_create_buffer(fd, 65536, NULL);

		vgt_assert_ok(vgt_transfer(fd, true, bo, &box, 0, 0));
		vgt_assert_ok(vgt_transfer(fd, false, bo, &box, 0, 0));
		vgt_assert_ok(vgt_gem_close(fd, bo));
	}
	/* The device still works afterwards. */
	test_transfer_buffer_roundtrip();
	close(fd);
}

/*
 * A device without 3D makes 2D resources: the kernel itself refuses what a
 * 2D resource cannot be (another target, depth, layers, mipmaps, samples).
 */
static void test_create_no_3d(void)
{
	const struct drm_virtgpu_resource_create good = {
		.target = VGT_PIPE_TEXTURE_2D,
		.format = VGT_VIRTIO_GPU_FORMAT_B8G8R8A8_UNORM,
		.width = 64,
		.height = 64,
		.depth = 1,
		.array_size = 1,
		.size = 64 * 64 * 4,
		.stride = 64 * 4,
	};
	struct drm_virtgpu_resource_create rc = good;
	int fd = vgt_open_render();

	vgt_require_no_3d(fd);
	vgt_assert_ok(vgt_resource_create(fd, &rc));
	check_info(fd, rc.bo_handle, rc.res_handle, rc.size);
	vgt_assert_ok(vgt_gem_close(fd, rc.bo_handle));

	rc = good;
	rc.target = VGT_PIPE_BUFFER;
	vgt_assert_errno(vgt_resource_create(fd, &rc), EINVAL);
	rc = good;
	rc.depth = 2;
	vgt_assert_errno(vgt_resource_create(fd, &rc), EINVAL);
	rc = good;
	rc.array_size = 2;
	vgt_assert_errno(vgt_resource_create(fd, &rc), EINVAL);
	rc = good;
	rc.last_level = 2;
	vgt_assert_errno(vgt_resource_create(fd, &rc), EINVAL);
	rc = good;
	rc.nr_samples = 2;
	vgt_assert_errno(vgt_resource_create(fd, &rc), EINVAL);
	close(fd);
}

/* Without 3D, TRANSFER_TO_HOST is a 2D upload; FROM_HOST does not exist. */
static void test_transfer_no_3d(void)
{
	const struct drm_virtgpu_3d_box box = { .w = 64, .h = 64, .d = 1 };
	struct drm_virtgpu_resource_create rc = {
		.target = VGT_PIPE_TEXTURE_2D,
		.format = VGT_VIRTIO_GPU_FORMAT_B8G8R8A8_UNORM,
		.width = 64,
		.height = 64,
		.depth = 1,
		.array_size = 1,
		.size = 64 * 64 * 4,
	};
	int fd = vgt_open_render();
	u32 *p;

	vgt_require_no_3d(fd);
	vgt_assert_ok(vgt_resource_create(fd, &rc));
	p = vgt_mmap_bo(fd, rc.bo_handle, rc.size);
	fill_pattern(p, rc.size, 0x2d2d);
	vgt_assert_ok(vgt_transfer(fd, true, rc.bo_handle, &box, 0, 0));
	vgt_assert_ok(vgt_wait_bo(fd, rc.bo_handle, 0));
	vgt_assert_errno(vgt_transfer(fd, false, rc.bo_handle, &box, 0, 0),
			 EOPNOTSUPP);
	check_pattern(p, rc.size, 0x2d2d);
	munmap(p, rc.size);
	vgt_assert_ok(vgt_gem_close(fd, rc.bo_handle));
	close(fd);
}

static const struct vgt_subtest tests[] = {
	VGT_SUBTEST("create-buffer", test_create_buffer,
		    "RESOURCE_CREATE of a virgl buffer"),
	VGT_SUBTEST("create-texture-2d", test_create_texture_2d,
		    "RESOURCE_CREATE of a 2D BGRA texture"),
	VGT_SUBTEST("create-texture-3d", test_create_texture_3d,
		    "RESOURCE_CREATE of a 3D texture"),
	VGT_SUBTEST("create-size-rounding", test_create_size_rounding,
		    "backing size is the requested size in pages, 0 meaning one page"),
	VGT_SUBTEST("create-invalid-dims", test_create_invalid_dims,
		    "RESOURCE_CREATE with zero width or height fails with EINVAL"),
	VGT_SUBTEST("res-handles-unique", test_res_handles_unique,
		    "GEM handles and host resource ids are unique"),
	VGT_SUBTEST("info-bad-handle", test_info_bad_handle,
		    "RESOURCE_INFO of an unknown handle fails with ENOENT"),
	VGT_SUBTEST("map-bad-handle", test_map_bad_handle,
		    "MAP of an unknown handle fails with ENOENT"),
	VGT_SUBTEST("mmap-write-read", test_mmap_write_read,
		    "MAP + mmap: data survives unmap and remap"),
	VGT_SUBTEST("mmap-bad-offset", test_mmap_bad_offset,
		    "mmap at an offset MAP did not give fails"),
	VGT_SUBTEST("mmap-too-large", test_mmap_too_large,
		    "mmap beyond the object's size fails"),
	VGT_SUBTEST("gem-close", test_gem_close,
		    "GEM_CLOSE frees the handle; closing it again fails with EINVAL"),
	VGT_SUBTEST("gem-close-mapped", test_gem_close_mapped,
		    "a mapping outlives the handle"),
	VGT_SUBTEST("flink-open", test_flink_open,
		    "FLINK + GEM_OPEN on the primary node name the same resource"),
	VGT_SUBTEST("prime-other-file", test_prime_other_file,
		    "PRIME export and import share the resource and its backing"),
	VGT_SUBTEST("prime-self-import", test_prime_self_import,
		    "PRIME import of one's own export gives the same handle"),
	VGT_SUBTEST("dumb-create-map-destroy", test_dumb_create_map_destroy,
		    "dumb buffer create, map, write, destroy on the primary node"),
	VGT_SUBTEST("dumb-invalid", test_dumb_invalid,
		    "dumb buffers with zero or huge sizes fail with EINVAL"),
	VGT_SUBTEST("transfer-buffer-roundtrip", test_transfer_buffer_roundtrip,
		    "TRANSFER_TO_HOST then TRANSFER_FROM_HOST brings a buffer back"),
	VGT_SUBTEST("transfer-texture-roundtrip",
		    test_transfer_texture_roundtrip,
		    "TRANSFER_TO_HOST then TRANSFER_FROM_HOST brings a texture back"),
	VGT_SUBTEST("transfer-bad-handle", test_transfer_bad_handle,
		    "transfers on unknown handles fail with ENOENT"),
	VGT_SUBTEST("transfer-stride-classic", test_transfer_stride_classic,
		    "a stride on a classic resource fails with EINVAL"),
	VGT_SUBTEST("wait-idle", test_wait_idle,
		    "WAIT and WAIT NOWAIT on an idle object return 0"),
	VGT_SUBTEST("wait-nowait-busy", test_wait_nowait_busy,
		    "NOWAIT is EBUSY while a held-back submission uses the object"),
	VGT_SUBTEST("wait-bad-handle", test_wait_bad_handle,
		    "WAIT on an unknown handle fails with ENOENT"),
	VGT_SUBTEST("close-busy", test_close_busy,
		    "closing objects the host is still using is safe"),
	VGT_SUBTEST("create-no-3d", test_create_no_3d,
		    "without 3D only plain 2D textures (2D device only)"),
	VGT_SUBTEST("transfer-no-3d", test_transfer_no_3d,
		    "without 3D, uploads work, FROM_HOST is EOPNOTSUPP (2D device only)"),
};

VGT_MAIN(tests)
