// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtgpu2_blob: RESOURCE_CREATE_BLOB, the host-visible window and its user
 * mappings, Venus-style shared memory, fence events of polled rings and
 * many contexts at once.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xf86drm.h>

#include "vgt_vgem.h"
#include "vgt_virtgpu.h"

#define FENCE_TIMEOUT_MS 10000
#define SHMEM_SIZE (64 * 1024)

/* The layout of the ioctl before Linux 7.2 added blob_hints and pad2. */
struct blob_v1 {
	u32 blob_mem, blob_flags, bo_handle, res_handle;
	u64 size;
	u32 pad, cmd_size;
	u64 cmd, blob_id;
};

#define IOCTL_CREATE_BLOB_V1 \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VIRTGPU_RESOURCE_CREATE_BLOB, struct blob_v1)

static int create_blob(int fd, struct drm_virtgpu_resource_create_blob *rc)
{
	return vgt_ioctl(fd, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB, rc);
}

static struct drm_virtgpu_resource_create_blob guest_blob(u64 size)
{
	struct drm_virtgpu_resource_create_blob rc = {
		.blob_mem = VIRTGPU_BLOB_MEM_GUEST,
		.blob_flags = VIRTGPU_BLOB_FLAG_USE_MAPPABLE |
			      VIRTGPU_BLOB_FLAG_USE_SHAREABLE,
		.size = size,
	};
	return rc;
}

/* Venus shared memory: a mappable HOST3D blob with blob_id 0. */
static struct drm_virtgpu_resource_create_blob venus_shmem(u64 size, u32 hints)
{
	struct drm_virtgpu_resource_create_blob rc = {
		.blob_mem = VIRTGPU_BLOB_MEM_HOST3D,
		.blob_flags = VIRTGPU_BLOB_FLAG_USE_MAPPABLE,
		.size = size,
		.blob_hints = hints,
	};
	return rc;
}

static int open_blob(void)
{
	int fd = vgt_open_render();

	vgt_require_f(vgt_param(fd, VIRTGPU_PARAM_RESOURCE_BLOB),
		      "the device has no RESOURCE_BLOB\n");
	return fd;
}

/* A render fd with a Venus context, or a skip naming what is missing. */
static int open_venus(void)
{
	int fd = open_blob();

	vgt_require_f(vgt_param(fd, VIRTGPU_PARAM_HOST_VISIBLE),
		      "the device has no host-visible window\n");
	vgt_require_capset(fd, VIRTGPU_DRM_CAPSET_VENUS);
	vgt_init_context(fd, VIRTGPU_DRM_CAPSET_VENUS, 64, 0);
	return fd;
}

static void check_info(int fd, u32 handle, u32 res, u32 blob_mem, u64 size)
{
	struct drm_virtgpu_resource_info info;

	vgt_assert_ok(vgt_resource_info(fd, handle, &info));
	vgt_assert_eq(info.res_handle, res);
	vgt_assert_eq(info.blob_mem, blob_mem);
	vgt_assert_gte(info.size, size);
}

static void fill(u32 *p, size_t words, u32 seed)
{
	size_t i;

	for (i = 0; i < words; i++)
		p[i] = seed ^ (u32)(i * 2654435761u);
}

static void check_fill(const u32 *p, size_t words, u32 seed)
{
	size_t i;

	for (i = 0; i < words; i++)
		if (p[i] != (seed ^ (u32)(i * 2654435761u)))
			vgt_fail("word %zu is 0x%08x, wrote 0x%08x\n", i, p[i],
				 seed ^ (u32)(i * 2654435761u));
}

/* Creation that works. */

static void test_create_guest(void)
{
	int fd = open_blob();
	struct drm_virtgpu_resource_create_blob rc = guest_blob(8192);
	u32 *map;

	vgt_assert_ok(create_blob(fd, &rc));
	vgt_assert_neq(rc.bo_handle, 0);
	vgt_assert_neq(rc.res_handle, 0);
	check_info(fd, rc.bo_handle, rc.res_handle, VIRTGPU_BLOB_MEM_GUEST, 8192);
	map = vgt_mmap_bo(fd, rc.bo_handle, 8192);
	fill(map, 2048, 0x1234);
	check_fill(map, 2048, 0x1234);
	munmap(map, 8192);
	vgt_assert_ok(vgt_gem_close(fd, rc.bo_handle));
	close(fd);
}

/* Callers built before Linux 7.2 pass 48 bytes; they must keep working. */
static void test_create_48_bytes(void)
{
	int fd = open_blob();
	struct blob_v1 rc = {
		.blob_mem = VIRTGPU_BLOB_MEM_GUEST,
		.blob_flags = VIRTGPU_BLOB_FLAG_USE_MAPPABLE,
		.size = 4096,
	};

	_Static_assert(sizeof(struct blob_v1) == 48, "old layout is 48 bytes");
	_Static_assert(sizeof(struct drm_virtgpu_resource_create_blob) == 56,
		       "new layout is 56 bytes");
	vgt_assert_ok(vgt_ioctl(fd, IOCTL_CREATE_BLOB_V1, &rc));
	vgt_assert_neq(rc.bo_handle, 0);
	check_info(fd, rc.bo_handle, rc.res_handle, VIRTGPU_BLOB_MEM_GUEST, 4096);
	close(fd);
}

static void test_create_cross_device(void)
{
	int fd = open_blob();
	struct drm_virtgpu_resource_create_blob rc = guest_blob(4096);

	rc.blob_flags |= VIRTGPU_BLOB_FLAG_USE_CROSS_DEVICE;
	if (!vgt_param(fd, VIRTGPU_PARAM_CROSS_DEVICE)) {
		vgt_assert_errno(create_blob(fd, &rc), EOPNOTSUPP);
		vgt_skip("the device has no RESOURCE_UUID: checked only the refusal\n");
	}
	vgt_assert_ok(create_blob(fd, &rc));
	close(fd);
}

/* Every field is checked with its own errno. */

static void expect_einval(struct drm_virtgpu_resource_create_blob rc)
{
	int fd = open_blob();

	vgt_assert_errno(create_blob(fd, &rc), EINVAL);
	close(fd);
}

static void test_bad_blob_mem(void)
{
	struct drm_virtgpu_resource_create_blob rc = guest_blob(4096);

	rc.blob_mem = 0;
	expect_einval(rc);
	rc.blob_mem = 4;
	expect_einval(rc);
}

static void test_bad_flags(void)
{
	struct drm_virtgpu_resource_create_blob rc = guest_blob(4096);

	rc.blob_flags = 0x8;
	expect_einval(rc);
}

static void test_bad_hints(void)
{
	struct drm_virtgpu_resource_create_blob rc = guest_blob(4096);

	rc.blob_hints = 0x2;
	expect_einval(rc);
}

static void test_bad_pads(void)
{
	struct drm_virtgpu_resource_create_blob rc = guest_blob(4096);

	rc.pad = 1;
	expect_einval(rc);
	rc.pad = 0;
	rc.pad2 = 1;
	expect_einval(rc);
}

static void test_bad_size(void)
{
	struct drm_virtgpu_resource_create_blob rc = guest_blob(0);

	expect_einval(rc);
	rc.size = 1ull << 40;
	expect_einval(rc);
}

static void test_size_alignment(void)
{
	int fd = open_blob();
	struct drm_virtgpu_resource_create_blob rc = guest_blob(4096);
	int align = 0;

	if (vgt_getparam(fd, VIRTGPU_PARAM_BLOB_ALIGNMENT, &align)) {
		vgt_assert_eq(errno, ENOENT);
		vgt_skip("the device states no blob alignment (GETPARAM 9: ENOENT)\n");
	}
	vgt_assert_gt(align, 0);
	vgt_assert_eq(align & (align - 1), 0);
	rc.size = align + 1;
	vgt_assert_errno(create_blob(fd, &rc), EINVAL);
	rc.size = align;
	vgt_assert_ok(create_blob(fd, &rc));
	close(fd);
}

static void test_bad_cmd_size(void)
{
	int fd = open_venus();
	struct drm_virtgpu_resource_create_blob rc = venus_shmem(SHMEM_SIZE, 0);
	u32 cmd[4] = { 0 };

	rc.cmd = (uintptr_t)cmd;
	rc.cmd_size = 6;
	vgt_assert_errno(create_blob(fd, &rc), EINVAL);
	rc.cmd_size = 1u << 20;
	vgt_assert_errno(create_blob(fd, &rc), E2BIG);
	close(fd);
}

static void test_bad_cmd_pointer(void)
{
	int fd = open_venus();
	struct drm_virtgpu_resource_create_blob rc = venus_shmem(SHMEM_SIZE, 0);

	rc.cmd = 8;
	rc.cmd_size = 16;
	vgt_assert_errno(create_blob(fd, &rc), EFAULT);
	close(fd);
}

static void test_guest_with_host_fields(void)
{
	struct drm_virtgpu_resource_create_blob rc = guest_blob(4096);
	u32 cmd[2] = { 0 };

	rc.blob_id = 1;
	expect_einval(rc);
	rc.blob_id = 0;
	rc.cmd = (uintptr_t)cmd;
	rc.cmd_size = sizeof(cmd);
	expect_einval(rc);
}

/* The host refuses: the ioctl fails, and the device is still fine. */
static void test_host_refuses(void)
{
	int fd = open_venus();
	struct drm_virtgpu_resource_create_blob rc = venus_shmem(SHMEM_SIZE, 0);

	rc.blob_id = 0xdead0000;	/* no such object in the context */
	vgt_assert_errno(create_blob(fd, &rc), EIO);
	vgt_assert_eq(rc.bo_handle, 0);
	rc = venus_shmem(SHMEM_SIZE, 0);
	vgt_assert_ok(create_blob(fd, &rc));
	close(fd);
}

/* The host-visible window. */

static u32 *map_shmem(int fd, u32 handle, size_t size)
{
	u64 offset;
	void *p;

	vgt_assert_ok(vgt_map_offset(fd, handle, &offset));
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
	vgt_assert_f(p != MAP_FAILED, "mmap of a host-visible blob failed\n");
	return p;
}

/* Written through one mapping, read back through a second one. */
static void test_hostmem_readback(void)
{
	int fd = open_venus();
	struct drm_virtgpu_resource_create_blob rc = venus_shmem(SHMEM_SIZE, 0);
	u32 *a, *b;

	vgt_assert_ok(create_blob(fd, &rc));
	check_info(fd, rc.bo_handle, rc.res_handle, VIRTGPU_BLOB_MEM_HOST3D,
		   SHMEM_SIZE);
	a = map_shmem(fd, rc.bo_handle, SHMEM_SIZE);
	fill(a, SHMEM_SIZE / 4, 0xabcd);
	munmap(a, SHMEM_SIZE);
	b = map_shmem(fd, rc.bo_handle, SHMEM_SIZE);
	check_fill(b, SHMEM_SIZE / 4, 0xabcd);
	munmap(b, SHMEM_SIZE);
	close(fd);
}

/*
 * Venus uses shared memory as a ring: a producer advances a tail, a
 * consumer follows it. Two mappings in two processes stand in for them.
 */
static void test_venus_shmem_ring(void)
{
	int fd = open_venus();
	struct drm_virtgpu_resource_create_blob rc = venus_shmem(SHMEM_SIZE, 0);
	volatile u32 *ring;
	u32 i, slots = SHMEM_SIZE / 4 - 2;
	pid_t pid;
	int status;

	vgt_assert_ok(create_blob(fd, &rc));
	ring = map_shmem(fd, rc.bo_handle, SHMEM_SIZE);
	ring[0] = 0;	/* tail */
	ring[1] = 0;	/* head */
	pid = fork();
	vgt_assert(pid >= 0);
	if (pid == 0) {
		for (i = 0; i < 4 * slots; i++) {
			while (ring[0] - ring[1] >= slots)
				;
			ring[2 + i % slots] = i ^ 0x5a5a5a5a;
			__atomic_store_n(&ring[0], i + 1, __ATOMIC_RELEASE);
		}
		_exit(0);
	}
	for (i = 0; i < 4 * slots; i++) {
		while (__atomic_load_n(&ring[0], __ATOMIC_ACQUIRE) == i)
			;
		if (ring[2 + i % slots] != (i ^ 0x5a5a5a5a))
			vgt_fail("slot %u holds 0x%x\n", i, ring[2 + i % slots]);
		ring[1] = i + 1;
	}
	vgt_assert_eq(waitpid(pid, &status, 0), pid);
	vgt_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(fd);
}

static void test_mmap_not_mappable(void)
{
	int fd = open_venus();
	struct drm_virtgpu_resource_create_blob rc = venus_shmem(SHMEM_SIZE, 0);
	u64 offset;

	rc.blob_flags = 0;
	if (create_blob(fd, &rc))
		vgt_skip("the host makes no unmappable shared memory (%s)\n",
			 vgt_errname(errno));
	vgt_assert_ok(vgt_map_offset(fd, rc.bo_handle, &offset));
	vgt_assert(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, offset) == MAP_FAILED);
	vgt_assert_eq(errno, EACCES);
	close(fd);
}

/* "used N" of the first virtgpu2_hostmem debugfs file, or -1. */
static long long window_used(void)
{
	return vgt_debugfs_number("virtgpu2_hostmem",
				  "base %*x size %*u align %*u used %lld");
}

static long long require_window_used(void)
{
	long long used = window_used();

	if (used < 0) {
		system("mount -t debugfs none /sys/kernel/debug 2>/dev/null");
		used = window_used();
	}
	vgt_require_f(used >= 0, "no dri/N/virtgpu2_hostmem in debugfs\n");
	return used;
}

/*
 * The window's use once the ranges of freed blobs are back. They come back
 * when the host has answered the blob's UNREF, a round trip after the
 * close; give it a second.
 */
static long long window_used_settled(long long want)
{
	long long used = window_used();
	int i;

	for (i = 0; i < 1000 && used != want; i++) {
		usleep(1000);
		used = window_used();
	}
	return used;
}

/* DEFER_MAPPING takes window space at the first mmap, not at create. */
static void test_defer_mapping(void)
{
	int fd = open_venus();
	struct drm_virtgpu_resource_create_blob rc =
		venus_shmem(SHMEM_SIZE, DRM_VIRTGPU_BLOB_FLAG_HINT_DEFER_MAPPING);
	long long before = require_window_used();
	u32 *p;

	vgt_assert_ok(create_blob(fd, &rc));
	vgt_assert_eq(window_used(), before);
	p = map_shmem(fd, rc.bo_handle, SHMEM_SIZE);
	vgt_assert_gte(window_used(), before + SHMEM_SIZE);
	fill(p, SHMEM_SIZE / 4, 7);
	check_fill(p, SHMEM_SIZE / 4, 7);
	munmap(p, SHMEM_SIZE);
	vgt_assert_ok(vgt_gem_close(fd, rc.bo_handle));
	vgt_assert_eq(window_used_settled(before), before);
	close(fd);
}

/* Without the hint the range is taken at create and given back at close. */
static void test_window_accounting(void)
{
	int fd = open_venus();
	struct drm_virtgpu_resource_create_blob rc = venus_shmem(SHMEM_SIZE, 0);
	long long before = require_window_used();

	vgt_assert_ok(create_blob(fd, &rc));
	vgt_assert_gte(window_used(), before + SHMEM_SIZE);
	vgt_assert_ok(vgt_gem_close(fd, rc.bo_handle));
	vgt_assert_eq(window_used_settled(before), before);
	close(fd);
}

/*
 * Make 64 MiB blobs until the window refuses one, at most @max of them;
 * their handles go to @handles when given. Returns how many fit, and the
 * refusal (0 if none came) in @ret.
 */
static int fill_window(int fd, u32 *handles, int max, int *ret)
{
	struct drm_virtgpu_resource_create_blob rc;
	int made;

	*ret = 0;
	for (made = 0; made < max; made++) {
		rc = venus_shmem(64ull << 20, 0);
		*ret = create_blob(fd, &rc);
		if (*ret)
			break;
		if (handles)
			handles[made] = rc.bo_handle;
	}
	return made;
}

/*
 * The window's ranges come back a round trip after their blob is closed:
 * a blob made right after closing another in a full window still fits,
 * many times over.
 */
static void test_window_reuse(void)
{
	const u64 chunk = 64ull << 20;
	int fd = open_venus();
	struct drm_virtgpu_resource_create_blob rc;
	u32 handles[64];
	int i, made, ret;

	made = fill_window(fd, handles, ARRAY_SIZE(handles), &ret);
	vgt_assert_eq(-ret, ENOSPC);
	vgt_assert_gt(made, 0);
	for (i = 0; i < 100; i++) {
		vgt_assert_ok(vgt_gem_close(fd, handles[i % made]));
		rc = venus_shmem(chunk, 0);
		ret = create_blob(fd, &rc);
		vgt_assert_f(!ret, "round %d: a blob in the space of the one just closed: %s\n",
			     i, strerror(-ret));
		handles[i % made] = rc.bo_handle;
	}
	close(fd);
}

/* A full window is a clean ENOSPC, at create or at the deferred mmap. */
static void test_window_exhausted(void)
{
	const u64 chunk = 64ull << 20;
	int fd = open_venus();
	struct drm_virtgpu_resource_create_blob rc;
	u64 offset;
	int made, ret;

	made = fill_window(fd, NULL, 64, &ret);
	vgt_assert_f(ret, "64 blobs of 64 MiB fit into the window\n");
	vgt_assert_eq(-ret, ENOSPC);
	vgt_assert_gt(made, 0);
	vgt_info("%d blobs of 64 MiB fit\n", made);
	rc = venus_shmem(chunk, DRM_VIRTGPU_BLOB_FLAG_HINT_DEFER_MAPPING);
	vgt_assert_ok(create_blob(fd, &rc));
	vgt_assert_ok(vgt_map_offset(fd, rc.bo_handle, &offset));
	vgt_assert(mmap(NULL, chunk, PROT_READ, MAP_SHARED, fd, offset) == MAP_FAILED);
	vgt_assert_eq(errno, ENOSPC);
	close(fd);
}

/* PRIME: a blob exported and imported again is the same resource. */
static void test_prime_roundtrip(void)
{
	int fd = open_venus(), fd2 = vgt_open_render();
	struct drm_virtgpu_resource_create_blob rc = venus_shmem(SHMEM_SIZE, 0);
	struct drm_prime_handle exp = { .flags = DRM_CLOEXEC | DRM_RDWR };
	struct drm_prime_handle imp = { 0 };
	struct drm_virtgpu_resource_info info;

	vgt_assert_ok(create_blob(fd, &rc));
	exp.handle = rc.bo_handle;
	vgt_assert_ok(vgt_ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &exp));
	imp.fd = exp.fd;
	vgt_assert_ok(vgt_ioctl(fd2, DRM_IOCTL_PRIME_FD_TO_HANDLE, &imp));
	vgt_assert_ok(vgt_resource_info(fd2, imp.handle, &info));
	vgt_assert_eq(info.res_handle, rc.res_handle);
	vgt_assert_eq(info.blob_mem, VIRTGPU_BLOB_MEM_HOST3D);
	close(exp.fd);
	close(fd2);
	close(fd);
}

static int import_fd(int fd, int dmabuf, u32 *handle)
{
	struct drm_prime_handle imp = { .fd = dmabuf };
	int ret = vgt_ioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &imp);

	*handle = imp.handle;
	return ret;
}

/*
 * PRIME: a foreign dma-buf (vgem's) becomes a guest blob over the
 * exporter's pages. It imports once, exports back as the same dma-buf, and
 * keeps the pages after the exporter let go of its handles. As DRM has it
 * for every imported object, the CPU maps it through its dma-buf, not MAP.
 */
static void test_prime_import_foreign(void)
{
	int fd = open_blob();
	struct drm_virtgpu_resource_info info;
	struct vgt_vgem_buffer b;
	u32 handle, again, vgem_handle;
	u64 offset;
	int reexport;
	u32 *cpu;

	vgt_vgem_buffer_create(&b, 64 * 1024);
	fill(b.map, b.size / 4, 0x1234);
	vgt_assert_ok(import_fd(fd, b.dmabuf, &handle));
	vgt_assert_neq(handle, 0);
	vgt_assert_ok(vgt_resource_info(fd, handle, &info));
	vgt_assert_neq(info.res_handle, 0);
	vgt_assert_eq(info.blob_mem, VIRTGPU_BLOB_MEM_GUEST);
	vgt_assert_eq(info.size, b.size);
	vgt_assert_ok(import_fd(fd, b.dmabuf, &again));
	vgt_assert_eq(again, handle);
	vgt_assert_errno(vgt_map_offset(fd, handle, &offset), EINVAL);

	vgt_assert_ok(drmPrimeHandleToFD(fd, handle, DRM_CLOEXEC | DRM_RDWR,
					 &reexport));
	vgt_assert_ok(drmPrimeFDToHandle(b.vgem_fd, reexport, &vgem_handle));
	vgt_assert_eq(vgem_handle, b.bo);

	/* The exporter lets go of everything; the import holds the pages. */
	vgt_vgem_buffer_destroy(&b);
	cpu = mmap(NULL, b.size, PROT_READ, MAP_SHARED, reexport, 0);
	vgt_assert(cpu != MAP_FAILED);
	check_fill(cpu, b.size / 4, 0x1234);
	munmap(cpu, b.size);
	close(reexport);
	vgt_assert_ok(vgt_gem_close(fd, handle));
	close(fd);
}

/* A device without guest blobs refuses a foreign dma-buf: EOPNOTSUPP. */
static void test_prime_import_foreign_no_3d(void)
{
	int fd = vgt_open_render();
	struct vgt_vgem_buffer b;
	u32 handle;

	vgt_require_f(!vgt_param(fd, VIRTGPU_PARAM_RESOURCE_BLOB),
		      "needs a device without RESOURCE_BLOB\n");
	vgt_vgem_buffer_create(&b, 4096);
	vgt_assert_errno(import_fd(fd, b.dmabuf, &handle), EOPNOTSUPP);
	vgt_vgem_buffer_destroy(&b);
	close(fd);
}

/*
 * virgl's coherent buffers: a HOST3D blob made from a pipe resource that
 * the embedded command creates under the same blob_id (what Mesa's virgl
 * winsys does with RESOURCE_BLOB and HOST_VISIBLE).
 */
#define VIRGL_CCMD_PIPE_RESOURCE_CREATE 48
#define VIRGL_PIPE_RES_CREATE_SIZE 11
#define VIRGL_RESOURCE_FLAG_MAP_PERSISTENT (1u << 1)
#define VIRGL_RESOURCE_FLAG_MAP_COHERENT (1u << 2)

/* A render fd with a virgl context, on a device with a host-visible window. */
static int open_virgl_hostmem(void)
{
	int fd = open_blob();

	vgt_require_f(vgt_param(fd, VIRTGPU_PARAM_HOST_VISIBLE),
		      "the device has no host-visible window\n");
	vgt_require_capset(fd, VIRTGPU_DRM_CAPSET_VIRGL2);
	vgt_init_context(fd, VIRTGPU_DRM_CAPSET_VIRGL2, 0, 0);
	return fd;
}

/*
 * A mappable HOST3D blob @blob_id whose cmd makes a coherent pipe buffer of
 * SHMEM_SIZE bytes as virgl blob @made_id. Returns the ioctl's result.
 */
static int create_virgl_coherent(int fd, u32 made_id, u64 blob_id,
				 struct drm_virtgpu_resource_create_blob *rc)
{
	u32 cmd[VIRGL_PIPE_RES_CREATE_SIZE + 1] = {
		VGT_VIRGL_CMD(VIRGL_CCMD_PIPE_RESOURCE_CREATE, 0,
			      VIRGL_PIPE_RES_CREATE_SIZE),
		VGT_PIPE_BUFFER, VGT_VIRGL_FORMAT_R8_UNORM,
		VGT_VIRGL_BIND_VERTEX_BUFFER, SHMEM_SIZE, 1, 1, 1, 0, 0,
		VIRGL_RESOURCE_FLAG_MAP_PERSISTENT | VIRGL_RESOURCE_FLAG_MAP_COHERENT,
		made_id,
	};

	*rc = venus_shmem(SHMEM_SIZE, 0);
	rc->blob_id = blob_id;
	rc->cmd = (uintptr_t)cmd;
	rc->cmd_size = sizeof(cmd);
	return create_blob(fd, rc);
}

static void test_virgl_coherent(void)
{
	int fd = open_virgl_hostmem();
	struct drm_virtgpu_resource_create_blob rc;
	u32 *a, *b;

	vgt_assert_ok(create_virgl_coherent(fd, 1, 1, &rc));
	check_info(fd, rc.bo_handle, rc.res_handle, VIRTGPU_BLOB_MEM_HOST3D,
		   SHMEM_SIZE);
	a = map_shmem(fd, rc.bo_handle, SHMEM_SIZE);
	b = map_shmem(fd, rc.bo_handle, SHMEM_SIZE);
	fill(a, SHMEM_SIZE / 4, 0x77);
	check_fill(b, SHMEM_SIZE / 4, 0x77);
	munmap(a, SHMEM_SIZE);
	munmap(b, SHMEM_SIZE);
	close(fd);
}

/*
 * A blob made by its cmd is not posted: the ioctl reads the host's verdict.
 * The cmd makes virgl blob 3 and the create names blob 4, which no cmd
 * made, so the host refuses it; then one that matches goes through.
 */
static void test_virgl_cmd_refused(void)
{
	int fd = open_virgl_hostmem();
	struct drm_virtgpu_resource_create_blob rc;

	vgt_assert_f(create_virgl_coherent(fd, 3, 4, &rc) < 0,
		     "a create the host refused returned 0 (handle %u)\n", rc.bo_handle);
	vgt_assert_ok(create_virgl_coherent(fd, 5, 5, &rc));
	check_info(fd, rc.bo_handle, rc.res_handle, VIRTGPU_BLOB_MEM_HOST3D,
		   SHMEM_SIZE);
	close(fd);
}

/* HOST3D_GUEST: a virgl pipe buffer whose storage is the guest's pages. */
static void test_create_host3d_guest(void)
{
	int fd = open_blob();
	u32 cmd[VIRGL_PIPE_RES_CREATE_SIZE + 1] = {
		VGT_VIRGL_CMD(VIRGL_CCMD_PIPE_RESOURCE_CREATE, 0,
			      VIRGL_PIPE_RES_CREATE_SIZE),
		VGT_PIPE_BUFFER, VGT_VIRGL_FORMAT_R8_UNORM,
		VGT_VIRGL_BIND_VERTEX_BUFFER, SHMEM_SIZE, 1, 1, 1, 0, 0, 0, 2,
	};
	struct drm_virtgpu_resource_create_blob rc = {
		.blob_mem = VIRTGPU_BLOB_MEM_HOST3D_GUEST,
		.blob_flags = VIRTGPU_BLOB_FLAG_USE_MAPPABLE,
		.size = SHMEM_SIZE,
		.blob_id = 2,
		.cmd = (uintptr_t)cmd,
		.cmd_size = sizeof(cmd),
	};
	u32 *p;

	vgt_require_capset(fd, VIRTGPU_DRM_CAPSET_VIRGL2);
	vgt_init_context(fd, VIRTGPU_DRM_CAPSET_VIRGL2, 0, 0);
	if (create_blob(fd, &rc)) {
		vgt_assert_neq(errno, EINVAL);	/* the request itself is valid */
		vgt_assert_eq(rc.bo_handle, 0);
		vgt_skip("the host refused a HOST3D_GUEST virgl buffer (%s)\n",
			 vgt_errname(errno));
	}
	check_info(fd, rc.bo_handle, rc.res_handle,
		   VIRTGPU_BLOB_MEM_HOST3D_GUEST, SHMEM_SIZE);
	p = vgt_mmap_bo(fd, rc.bo_handle, SHMEM_SIZE);
	fill(p, SHMEM_SIZE / 4, 3);
	check_fill(p, SHMEM_SIZE / 4, 3);
	munmap(p, SHMEM_SIZE);
	close(fd);
}

/* Fence events of polled rings. */

static int submit_ring(int fd, u32 ring, u32 flags, s32 *fence)
{
	u32 cmds[2] = { 0 };
	struct drm_virtgpu_execbuffer eb = {
		.flags = VIRTGPU_EXECBUF_RING_IDX | flags,
		.size = sizeof(cmds),
		.command = (uintptr_t)cmds,
		.fence_fd = -1,
		.ring_idx = ring,
	};
	int ret = vgt_execbuf(fd, &eb);

	if (!ret && fence)
		*fence = eb.fence_fd;
	return ret;
}

static void read_event(int fd)
{
	struct drm_event ev;

	vgt_assert_f(vgt_fd_ready(fd, FENCE_TIMEOUT_MS), "no fence event\n");
	vgt_assert_eq(read(fd, &ev, sizeof(ev)), sizeof(ev));
	vgt_assert_eq(ev.type, VIRTGPU_EVENT_FENCE_SIGNALED);
	vgt_assert_eq(ev.length, sizeof(ev));
}

/*
 * poll() wakes for the polled ring, and a context that polls another ring
 * stays quiet. The bed's hosts take fences only on ring 0 of a fresh
 * context, so the quiet one polls ring 1 and submits on ring 0.
 */
static void test_poll_polled_ring_only(void)
{
	int polled = vgt_open_render(), quiet = vgt_open_render();
	s32 fence = -1;

	vgt_require_capset(polled, VIRTGPU_DRM_CAPSET_VIRGL);
	vgt_init_context(polled, VIRTGPU_DRM_CAPSET_VIRGL, 2, 0x1);
	vgt_init_context(quiet, VIRTGPU_DRM_CAPSET_VIRGL, 2, 0x2);
	vgt_assert_ok(submit_ring(quiet, 0, VIRTGPU_EXECBUF_FENCE_FD_OUT, &fence));
	vgt_assert(vgt_sync_file_wait(fence, FENCE_TIMEOUT_MS));
	close(fence);
	vgt_assert_ok(submit_ring(polled, 0, 0, NULL));
	read_event(polled);
	vgt_assert(!vgt_fd_ready(polled, 100));
	vgt_assert(!vgt_fd_ready(quiet, 200));
	close(quiet);
	close(polled);
}

/* Events arrive in submission order across rings (needs a second ring). */
static void test_event_order_rings(void)
{
	int fd = vgt_open_render();

	vgt_require_capset(fd, VIRTGPU_DRM_CAPSET_VIRGL);
	vgt_init_context(fd, VIRTGPU_DRM_CAPSET_VIRGL, 2, 0x3);
	vgt_assert_ok(submit_ring(fd, 0, 0, NULL));
	read_event(fd);
	vgt_skip("the bed's hosts take fences only on ring 0 of a fresh context "
		 "(TESTBED.md: a fence on ring 1 breaks it); ring 0 checked\n");
}

/*
 * The DRM file's event space is finite (4 KiB: 512 fence events). When it
 * is full, EXECBUFFER on a polled ring fails with ENOMEM before anything
 * reaches the host; reading the events makes room again.
 */
static void test_event_space_exhausted(void)
{
	int fd = vgt_open_render(), i, queued = 0, ret = 0;

	vgt_require_capset(fd, VIRTGPU_DRM_CAPSET_VIRGL);
	vgt_init_context(fd, VIRTGPU_DRM_CAPSET_VIRGL, 1, 0x1);
	for (i = 0; i < 4096; i++) {
		ret = submit_ring(fd, 0, 0, NULL);
		if (ret)
			break;
		queued++;
	}
	vgt_assert_f(ret, "4096 events fit into the file's event space\n");
	vgt_assert_eq(-ret, ENOMEM);
	vgt_info("%d events fit\n", queued);
	for (i = 0; i < queued; i++)
		read_event(fd);
	vgt_assert(!vgt_fd_ready(fd, 100));
	vgt_assert_ok(submit_ring(fd, 0, 0, NULL));
	read_event(fd);
	close(fd);
}

/* A CROSS_DEVICE blob's dma-buf carries the host's UUID. */
static void test_prime_uuid(void)
{
	int fd = open_blob();
	struct drm_virtgpu_resource_create_blob rc = guest_blob(4096);
	struct drm_prime_handle exp = { .flags = DRM_CLOEXEC | DRM_RDWR };

	vgt_require_f(vgt_param(fd, VIRTGPU_PARAM_CROSS_DEVICE),
		      "the device has no RESOURCE_UUID\n");
	rc.blob_flags |= VIRTGPU_BLOB_FLAG_USE_CROSS_DEVICE;
	vgt_assert_ok(create_blob(fd, &rc));
	exp.handle = rc.bo_handle;
	vgt_assert_ok(vgt_ioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &exp));
	/* No uapi reads the UUID back; exporting must work and mmap too. */
	vgt_assert(mmap(NULL, 4096, PROT_READ, MAP_SHARED, exp.fd, 0) != MAP_FAILED);
	close(exp.fd);
	close(fd);
}

/* Many processes, each with its own context, blobs and fences, at once. */
static void one_client(u32 capset, int id)
{
	int fd = vgt_open_render();
	s32 fence = -1;
	int i;

	vgt_init_context(fd, capset, 1, 0x1);
	for (i = 0; i < 8; i++) {
		struct drm_virtgpu_resource_create_blob rc = guest_blob(4096 * (i + 1));
		u32 *p;

		vgt_assert_ok(create_blob(fd, &rc));
		p = vgt_mmap_bo(fd, rc.bo_handle, 4096);
		fill(p, 1024, id * 100 + i);
		check_fill(p, 1024, id * 100 + i);
		munmap(p, 4096);
		vgt_assert_ok(submit_ring(fd, 0, VIRTGPU_EXECBUF_FENCE_FD_OUT, &fence));
		vgt_assert(vgt_sync_file_wait(fence, FENCE_TIMEOUT_MS));
		close(fence);
		read_event(fd);
		vgt_assert_ok(vgt_gem_close(fd, rc.bo_handle));
	}
	close(fd);
}

static void test_many_processes(void)
{
	const int n = 8;
	int fd = open_blob(), i, status, failed = 0;
	pid_t pid;

	vgt_require_capset(fd, VIRTGPU_DRM_CAPSET_VIRGL);
	close(fd);
	for (i = 0; i < n; i++) {
		pid = fork();
		vgt_assert(pid >= 0);
		if (pid == 0) {
			one_client(i % 2 ? VIRTGPU_DRM_CAPSET_VIRGL2 :
					   VIRTGPU_DRM_CAPSET_VIRGL, i);
			_exit(0);
		}
	}
	for (i = 0; i < n; i++) {
		vgt_assert(wait(&status) > 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	}
	vgt_assert_eq(failed, 0);
}

/* Personalities the bed's host does not offer must skip, not pass. */
static void test_capset(u32 id)
{
	int fd = open_blob();

	vgt_require_capset(fd, id);
	vgt_init_context(fd, id, 2, 0);
	close(fd);
}

static void test_capset_gfxstream(void) { test_capset(3); }
static void test_capset_cross_domain(void) { test_capset(5); }
static void test_capset_drm(void) { test_capset(6); }

static const struct vgt_subtest tests[] = {
	VGT_SUBTEST("create-guest", test_create_guest,
		    "a GUEST blob is created, described and mapped"),
	VGT_SUBTEST("create-48-bytes", test_create_48_bytes,
		    "the pre-7.2 48-byte ioctl still works"),
	VGT_SUBTEST("create-host3d-guest", test_create_host3d_guest,
		    "a HOST3D_GUEST virgl buffer, mapped through its guest pages"),
	VGT_SUBTEST("create-cross-device", test_create_cross_device,
		    "CROSS_DEVICE needs RESOURCE_UUID"),
	VGT_SUBTEST("bad-blob-mem", test_bad_blob_mem, "unknown blob_mem: EINVAL"),
	VGT_SUBTEST("bad-flags", test_bad_flags, "unknown blob_flags: EINVAL"),
	VGT_SUBTEST("bad-hints", test_bad_hints, "unknown blob_hints: EINVAL"),
	VGT_SUBTEST("bad-pads", test_bad_pads, "pad or pad2 set: EINVAL"),
	VGT_SUBTEST("bad-size", test_bad_size, "size 0 or huge: EINVAL"),
	VGT_SUBTEST("size-alignment", test_size_alignment,
		    "sizes must be multiples of the stated blob alignment"),
	VGT_SUBTEST("bad-cmd-size", test_bad_cmd_size,
		    "cmd_size not a multiple of 4: EINVAL; too big: E2BIG"),
	VGT_SUBTEST("bad-cmd-pointer", test_bad_cmd_pointer, "bad cmd: EFAULT"),
	VGT_SUBTEST("guest-with-host-fields", test_guest_with_host_fields,
		    "blob_id or cmd on a GUEST blob: EINVAL"),
	VGT_SUBTEST("host-refuses", test_host_refuses,
		    "a create the host refuses fails the ioctl, nothing breaks"),
	VGT_SUBTEST("hostmem-readback", test_hostmem_readback,
		    "host-visible memory written and read through two mappings"),
	VGT_SUBTEST("venus-shmem-ring", test_venus_shmem_ring,
		    "Venus shared memory used as a ring by two processes"),
	VGT_SUBTEST("mmap-not-mappable", test_mmap_not_mappable,
		    "a HOST3D blob without MAPPABLE cannot be mmapped"),
	VGT_SUBTEST("defer-mapping", test_defer_mapping,
		    "DEFER_MAPPING takes window space at first mmap"),
	VGT_SUBTEST("window-accounting", test_window_accounting,
		    "window space comes back when the blob goes"),
	VGT_SUBTEST("window-reuse", test_window_reuse,
		    "a blob made right after one closed in a full window fits"),
	VGT_SUBTEST_TIMEOUT("window-exhausted", test_window_exhausted,
			    "a full window gives ENOSPC, never a hang", 180),
	VGT_SUBTEST("virgl-coherent", test_virgl_coherent,
		    "a virgl pipe buffer as a host-visible blob (coherent buffers)"),
	VGT_SUBTEST("virgl-cmd-refused", test_virgl_cmd_refused,
		    "a blob whose cmd made another id fails the ioctl (its verdict is read)"),
	VGT_SUBTEST("prime-roundtrip", test_prime_roundtrip,
		    "an exported blob imports as the same resource"),
	VGT_SUBTEST("poll-polled-ring-only", test_poll_polled_ring_only,
		    "poll wakes for a polled ring and stays quiet otherwise"),
	VGT_SUBTEST_TIMEOUT("event-space-exhausted", test_event_space_exhausted,
			    "a full event space gives ENOMEM, reading makes room",
			    180),
	VGT_SUBTEST("prime-import-foreign", test_prime_import_foreign,
		    "a vgem dma-buf imports as a guest blob over its pages"),
	VGT_SUBTEST("prime-import-foreign-no-3d", test_prime_import_foreign_no_3d,
		    "without guest blobs, a vgem dma-buf is refused: EOPNOTSUPP"),
	VGT_SUBTEST("prime-uuid", test_prime_uuid,
		    "a CROSS_DEVICE blob exports as a dma-buf (virtio UUID)"),
	VGT_SUBTEST("event-order-rings", test_event_order_rings,
		    "events arrive in completion order across rings"),
	VGT_SUBTEST_TIMEOUT("many-processes", test_many_processes,
			    "many contexts in many processes at once", 180),
	VGT_SUBTEST("capset-gfxstream-vulkan", test_capset_gfxstream,
		    "a capset-3 context (skips when the host lacks it)"),
	VGT_SUBTEST("capset-cross-domain", test_capset_cross_domain,
		    "a capset-5 context (skips when the host lacks it)"),
	VGT_SUBTEST("capset-drm", test_capset_drm,
		    "a capset-6 context (skips when the host lacks it)"),
};

VGT_MAIN(tests)
