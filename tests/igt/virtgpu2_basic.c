// SPDX-License-Identifier: GPL-2.0-only
/*
 * virtgpu2_basic: driver identity, GETPARAM and GET_CAPS.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>

#include "vgt_virtgpu.h"

/* Capset ids this test asks for, with the highest version each must offer. */
static const struct {
	u32 id;
	u32 max_version;
} known_capsets[] = {
	{ VIRTGPU_DRM_CAPSET_VIRGL, 1 },
	{ VIRTGPU_DRM_CAPSET_VIRGL2, 2 },
	{ VIRTGPU_DRM_CAPSET_VENUS, 0 },
};

#define CAPS_BUF_SIZE (64 * 1024)

static u64 capset_mask(int fd)
{
	return (u32)vgt_param(fd, VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs);
}

/* A virtio_gpu render node answers DRM_IOCTL_VERSION as Mesa expects. */
static void test_version(void)
{
	int fd = vgt_open_render();
	drmVersionPtr v = drmGetVersion(fd);

	vgt_assert(v);
	vgt_info("driver %s %d.%d.%d (%s)\n", v->name, v->version_major,
		 v->version_minor, v->version_patchlevel,
		 v->desc ? v->desc : "");
	vgt_assert(!strcmp(v->name, "virtio_gpu"));
	vgt_assert_eq(v->version_major, 0);
	vgt_assert_gte(v->version_minor, 1);
	drmFreeVersion(v);
	close(fd);
}

static void test_render_node(void)
{
	int fd = vgt_open_render();

	vgt_assert_eq(drmGetNodeTypeFromFd(fd), DRM_NODE_RENDER);
	close(fd);
}

/* Every parameter the uapi defines is known to the driver. */
static void test_getparam_known(void)
{
	int fd = vgt_open_render();
	u64 p;

	for (p = VIRTGPU_PARAM_3D_FEATURES;
	     p <= VIRTGPU_PARAM_EXPLICIT_DEBUG_NAME; p++) {
		int value = -1;

		vgt_assert_ok(vgt_getparam(fd, p, &value));
		vgt_info("param %llu = %d (%#x)\n", (unsigned long long)p,
			 value, value);
	}
	close(fd);
}

static bool is_pow2(u64 v)
{
	return v && !(v & (v - 1));
}

/*
 * BLOB_ALIGNMENT (Linux 7.2) is the device's blob alignment, or -ENOENT
 * when the device states none.
 */
static void test_getparam_blob_alignment(void)
{
	int fd = vgt_open_render();
	int value = 0;
	int ret;

	ret = vgt_getparam(fd, VIRTGPU_PARAM_BLOB_ALIGNMENT, &value);
	if (ret) {
		vgt_assert_eq(ret, -ENOENT);
		vgt_info("no blob alignment stated by the device\n");
	} else {
		vgt_info("blob alignment %d\n", value);
		vgt_assert(is_pow2((u32)value));
		vgt_assert_gte(value, getpagesize());
	}
	close(fd);
}

static void test_getparam_values(void)
{
	int fd = vgt_open_render();
	u64 p;

	vgt_assert_eq(vgt_param(fd, VIRTGPU_PARAM_CAPSET_QUERY_FIX), 1);
	for (p = VIRTGPU_PARAM_3D_FEATURES; p <= VIRTGPU_PARAM_CONTEXT_INIT;
	     p++) {
		int v = vgt_param(fd, p);

		vgt_assert_f(v == 0 || v == 1, "param %llu = %d\n",
			     (unsigned long long)p, v);
	}
	/* A debug name is part of context init. */
	vgt_assert_eq(vgt_param(fd, VIRTGPU_PARAM_EXPLICIT_DEBUG_NAME),
		      vgt_param(fd, VIRTGPU_PARAM_CONTEXT_INIT));
	/* Host-visible memory is only reachable through blobs. */
	if (vgt_param(fd, VIRTGPU_PARAM_HOST_VISIBLE))
		vgt_assert_eq(vgt_param(fd, VIRTGPU_PARAM_RESOURCE_BLOB), 1);
	/* A virgl device offers the virgl capset. */
	if (vgt_param(fd, VIRTGPU_PARAM_3D_FEATURES))
		vgt_assert(capset_mask(fd) &
			   VGT_CAPSET_BIT(VIRTGPU_DRM_CAPSET_VIRGL));
	else
		vgt_assert_eq(capset_mask(fd), 0);
	close(fd);
}

/* The answer is an int: the 4 bytes after it must stay untouched. */
static void test_getparam_writes_int(void)
{
	int fd = vgt_open_render();
	union {
		u64 q;
		int i[2];
	} buf;

	buf.q = ~0ull;
	vgt_assert_ok(vgt_getparam(fd, VIRTGPU_PARAM_CAPSET_QUERY_FIX,
				   &buf.i[0]));
	vgt_assert_eq(buf.i[0], 1);
	vgt_assert_eq(buf.i[1], -1);
	close(fd);
}

static void test_getparam_unknown(void)
{
	static const u64 bad[] = { 0, 10, 11, 0x100, 0xffffffffull,
				   0x100000001ull, ~0ull };
	int fd = vgt_open_render();
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		int value = 0x5a5a5a5a;

		vgt_info("param %#llx\n", (unsigned long long)bad[i]);
		vgt_assert_errno(vgt_getparam(fd, bad[i], &value), EINVAL);
		vgt_assert_eq(value, 0x5a5a5a5a);
	}
	close(fd);
}

static void test_getparam_bad_pointer(void)
{
	int fd = vgt_open_render();
	void *ro;

	vgt_assert_errno(vgt_getparam(fd, VIRTGPU_PARAM_CAPSET_QUERY_FIX,
				      NULL), EFAULT);
	vgt_assert_errno(vgt_getparam(fd, VIRTGPU_PARAM_3D_FEATURES,
				      (int *)(uintptr_t)0x10), EFAULT);
	ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	vgt_assert(ro != MAP_FAILED);
	vgt_assert_errno(vgt_getparam(fd, VIRTGPU_PARAM_CAPSET_QUERY_FIX, ro),
			 EFAULT);
	munmap(ro, 4096);
	close(fd);
}

/* Bit N of SUPPORTED_CAPSET_IDs is set exactly when GET_CAPS knows id N. */
static void test_capset_mask_matches(void)
{
	int fd = vgt_open_render();
	u64 mask;
	u32 id;
	u8 buf[16];

	vgt_require_3d(fd);
	mask = capset_mask(fd);
	vgt_info("capset mask %#llx\n", (unsigned long long)mask);
	vgt_assert_neq(mask, 0);
	for (id = 0; id < 64; id++) {
		bool offered = mask & VGT_CAPSET_BIT(id);
		int ret = vgt_get_caps(fd, id, 0, buf, sizeof(buf));

		vgt_assert_f(offered ? ret == 0 : ret == -EINVAL,
			     "capset %u: mask says %s, GET_CAPS v0 says %d\n",
			     id, offered ? "offered" : "absent", ret);
	}
	close(fd);
}

static bool all_zero(const u8 *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/*
 * Fill with 0x00, then with 0xff: the bytes the kernel wrote are the same in
 * both copies, the others keep the fill. Returns the number of bytes written
 * (assuming the kernel writes a prefix, which the caller checks).
 */
static size_t caps_extent(int fd, u32 id, u32 ver, u8 *a, u8 *b, u32 size)
{
	size_t i, n = 0;

	memset(a, 0x00, size);
	memset(b, 0xff, size);
	vgt_assert_ok(vgt_get_caps(fd, id, ver, a, size));
	vgt_assert_ok(vgt_get_caps(fd, id, ver, b, size));
	for (i = 0; i < size; i++)
		if (a[i] == b[i])
			n = i + 1;
	return n;
}

static void check_capset(int fd, u32 id, u32 ver, u8 *a, u8 *b)
{
	size_t n, i;

	n = caps_extent(fd, id, ver, a, b, CAPS_BUF_SIZE);
	vgt_info("capset %u v%u: %zu bytes\n", id, ver, n);
	vgt_assert_gt(n, 0);
	vgt_assert_lt(n, CAPS_BUF_SIZE);
	vgt_assert(!all_zero(a, n));
	/* Nothing past the capset is written... */
	for (i = n; i < CAPS_BUF_SIZE; i++)
		vgt_assert_f(a[i] == 0x00 && b[i] == 0xff, "byte %zu\n", i);
	/* ...and the capset is copied the same way each time. */
	vgt_assert(!memcmp(a, b, n));
}

static void test_get_caps_offered(void)
{
	u8 *a = malloc(CAPS_BUF_SIZE), *b = malloc(CAPS_BUF_SIZE);
	int fd = vgt_open_render();
	unsigned int checked = 0;
	u64 mask;
	size_t i;

	vgt_require_3d(fd);
	mask = capset_mask(fd);
	for (i = 0; i < ARRAY_SIZE(known_capsets); i++) {
		u32 id = known_capsets[i].id, v;

		if (!(mask & VGT_CAPSET_BIT(id))) {
			vgt_info("capset %u not offered by the host\n", id);
			continue;
		}
		for (v = 0; v <= known_capsets[i].max_version; v++)
			check_capset(fd, id, v, a, b);
		checked++;
	}
	vgt_assert_gt(checked, 0);
	free(a);
	free(b);
	close(fd);
}

/* Versions above the host's maximum are refused. */
static void test_get_caps_bad_version(void)
{
	int fd = vgt_open_render();
	u64 mask;
	size_t i;
	u8 buf[64];

	vgt_require_3d(fd);
	mask = capset_mask(fd);
	for (i = 0; i < ARRAY_SIZE(known_capsets); i++) {
		u32 id = known_capsets[i].id;
		u32 v = known_capsets[i].max_version;

		if (!(mask & VGT_CAPSET_BIT(id)))
			continue;
		vgt_assert_ok(vgt_get_caps(fd, id, v, buf, sizeof(buf)));
		vgt_assert_errno(vgt_get_caps(fd, id, v + 1, buf, sizeof(buf)),
				 EINVAL);
		vgt_assert_errno(vgt_get_caps(fd, id, 0xffffffff, buf,
					      sizeof(buf)), EINVAL);
	}
	close(fd);
}

static void test_get_caps_unknown_id(void)
{
	static const u32 ids[] = { 0, 3, 5, 6, 7, 63, 64, 1000, 0xffffffff };
	int fd = vgt_open_render();
	u64 mask;
	size_t i;
	u8 buf[64];

	vgt_require_3d(fd);
	mask = capset_mask(fd);
	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		if (ids[i] < 64 && (mask & VGT_CAPSET_BIT(ids[i])))
			continue;
		vgt_info("capset id %u\n", ids[i]);
		vgt_assert_errno(vgt_get_caps(fd, ids[i], 0, buf, sizeof(buf)),
				 EINVAL);
	}
	close(fd);
}

/* The in-tree driver refuses a zero size with -EINVAL ("don't allow 0"). */
static void test_get_caps_zero_size(void)
{
	int fd = vgt_open_render();
	u8 buf[16];

	vgt_require_3d(fd);
	memset(buf, 0x5a, sizeof(buf));
	vgt_assert_errno(vgt_get_caps(fd, VIRTGPU_DRM_CAPSET_VIRGL, 0, buf, 0),
			 EINVAL);
	vgt_assert_errno(vgt_get_caps(fd, VIRTGPU_DRM_CAPSET_VIRGL, 0, NULL, 0),
			 EINVAL);
	vgt_assert_eq(buf[0], 0x5a);
	close(fd);
}

/* A buffer smaller than the capset receives exactly its size. */
static void test_get_caps_short(void)
{
	static const u32 sizes[] = { 1, 4, 7, 16, 100 };
	int fd = vgt_open_render();
	u8 full[512], part[512];
	size_t i, j;

	vgt_require_3d(fd);
	vgt_assert_ok(vgt_get_caps(fd, VIRTGPU_DRM_CAPSET_VIRGL, 0, full,
				   sizeof(full)));
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		memset(part, 0xa5, sizeof(part));
		vgt_assert_ok(vgt_get_caps(fd, VIRTGPU_DRM_CAPSET_VIRGL, 0,
					   part, sizes[i]));
		vgt_assert(!memcmp(part, full, sizes[i]));
		for (j = sizes[i]; j < sizeof(part); j++)
			vgt_assert_f(part[j] == 0xa5,
				     "size %u: byte %zu was written\n",
				     sizes[i], j);
	}
	close(fd);
}

static void test_get_caps_bad_address(void)
{
	int fd = vgt_open_render();
	void *ro;

	vgt_require_3d(fd);
	vgt_assert_errno(vgt_get_caps(fd, VIRTGPU_DRM_CAPSET_VIRGL, 0, NULL,
				      64), EFAULT);
	vgt_assert_errno(vgt_get_caps(fd, VIRTGPU_DRM_CAPSET_VIRGL, 0,
				      (void *)(uintptr_t)0x10, 64), EFAULT);
	ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	vgt_assert(ro != MAP_FAILED);
	vgt_assert_errno(vgt_get_caps(fd, VIRTGPU_DRM_CAPSET_VIRGL, 0, ro, 64),
			 EFAULT);
	munmap(ro, 4096);
	close(fd);
}

/*
 * The uapi calls pad reserved and zero. Linux (through 7.2) never looks at
 * it, so a non-zero pad is accepted there; virtgpu2 rejects it.
 */
static void test_get_caps_pad(void)
{
	int fd = vgt_open_render();
	u8 buf[64];
	struct drm_virtgpu_get_caps gc = {
		.cap_set_id = VIRTGPU_DRM_CAPSET_VIRGL,
		.addr = (uintptr_t)buf,
		.size = sizeof(buf),
		.pad = 1,
	};

	vgt_require_3d(fd);
	vgt_assert_errno(vgt_ioctl(fd, DRM_IOCTL_VIRTGPU_GET_CAPS, &gc),
			 EINVAL);
	close(fd);
}

/* Without 3D there are no capsets: EOPNOTSUPP (in-tree says ENOSYS). */
static void test_get_caps_no_3d(void)
{
	int fd = vgt_open_render();
	u8 buf[64];

	vgt_require_no_3d(fd);
	vgt_assert_eq(capset_mask(fd), 0);
	vgt_assert_errno(vgt_get_caps(fd, VIRTGPU_DRM_CAPSET_VIRGL, 0, buf,
				      sizeof(buf)), EOPNOTSUPP);
	close(fd);
}

static const struct vgt_subtest tests[] = {
	VGT_SUBTEST("version", test_version,
		    "DRM_IOCTL_VERSION: name virtio_gpu, major 0, minor >= 1"),
	VGT_SUBTEST("render-node", test_render_node,
		    "a virtio_gpu render node exists"),
	VGT_SUBTEST("getparam-known", test_getparam_known,
		    "GETPARAM succeeds for parameters 1 to 8"),
	VGT_SUBTEST("getparam-blob-alignment", test_getparam_blob_alignment,
		    "GETPARAM BLOB_ALIGNMENT is a power of two or -ENOENT"),
	VGT_SUBTEST("getparam-values", test_getparam_values,
		    "GETPARAM answers are consistent"),
	VGT_SUBTEST("getparam-writes-int", test_getparam_writes_int,
		    "GETPARAM writes exactly 4 bytes"),
	VGT_SUBTEST("getparam-unknown", test_getparam_unknown,
		    "GETPARAM on unknown parameters fails with EINVAL"),
	VGT_SUBTEST("getparam-bad-pointer", test_getparam_bad_pointer,
		    "GETPARAM with a bad value pointer fails with EFAULT"),
	VGT_SUBTEST("capset-mask-matches", test_capset_mask_matches,
		    "SUPPORTED_CAPSET_IDs agrees with GET_CAPS for ids 0-63"),
	VGT_SUBTEST("get-caps-offered", test_get_caps_offered,
		    "GET_CAPS returns data of each offered known capset and version"),
	VGT_SUBTEST("get-caps-bad-version", test_get_caps_bad_version,
		    "GET_CAPS above the highest version fails with EINVAL"),
	VGT_SUBTEST("get-caps-unknown-id", test_get_caps_unknown_id,
		    "GET_CAPS of capsets not offered fails with EINVAL"),
	VGT_SUBTEST("get-caps-zero-size", test_get_caps_zero_size,
		    "GET_CAPS with size 0 fails with EINVAL, as in Linux"),
	VGT_SUBTEST("get-caps-short", test_get_caps_short,
		    "GET_CAPS into a small buffer copies only its size"),
	VGT_SUBTEST("get-caps-bad-address", test_get_caps_bad_address,
		    "GET_CAPS into a bad address fails with EFAULT"),
	VGT_SUBTEST("get-caps-pad", test_get_caps_pad,
		    "GET_CAPS with a non-zero pad fails with EINVAL (Linux ignores pad)"),
	VGT_SUBTEST("get-caps-no-3d", test_get_caps_no_3d,
		    "without 3D, GET_CAPS fails with EOPNOTSUPP (2D device only)"),
};

VGT_MAIN(tests)
