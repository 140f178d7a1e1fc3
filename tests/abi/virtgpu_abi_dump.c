// SPDX-License-Identifier: GPL-2.0-only
/*
 * Print the binary interface described by <drm/virtgpu_drm.h>, one item per
 * line, in a form that can be compared with diff: the size and alignment of
 * every structure, the offset, size and C type of every member, and the
 * value and C type of every macro constant, ioctl request codes included.
 *
 * check.sh builds this file once against the project's header and once
 * against the system's, and compares the two outputs. It also checks that
 * the lists below name everything the system header defines, so a new item
 * in a future kernel header cannot slip through unchecked.
 */
#include <stddef.h>
#include <stdio.h>

#include <drm/virtgpu_drm.h>

/*
 * The C type of an expression, as a short name. __u32 and friends are
 * typedefs, so they show up as the type they stand for (unsigned int, ...).
 */
#define ABI_TYPE(x) _Generic((x),					\
	char: "char",							\
	signed char: "signed char",					\
	unsigned char: "unsigned char",					\
	short: "short",							\
	unsigned short: "unsigned short",				\
	int: "int",							\
	unsigned int: "unsigned int",					\
	long: "long",							\
	unsigned long: "unsigned long",					\
	long long: "long long",						\
	unsigned long long: "unsigned long long",			\
	struct drm_virtgpu_3d_box: "struct drm_virtgpu_3d_box",	\
	default: "unknown")

#define ABI_MEMBER(s, m)	(((struct s *)0)->m)

#define STRUCT(s)							\
	printf("struct %s size=%zu align=%zu\n", #s,			\
	       sizeof(struct s), _Alignof(struct s))

#define FIELD(s, m)							\
	printf("field %s.%s offset=%zu size=%zu type=%s\n", #s, #m,	\
	       offsetof(struct s, m), sizeof(ABI_MEMBER(s, m)),	\
	       ABI_TYPE(ABI_MEMBER(s, m)))

#define CONST(c)							\
	printf("macro %s value=0x%llx type=%s\n", #c,			\
	       (unsigned long long)(c), ABI_TYPE(c))

static void dump_structs(void)
{
	STRUCT(drm_virtgpu_map);
	FIELD(drm_virtgpu_map, offset);
	FIELD(drm_virtgpu_map, handle);
	FIELD(drm_virtgpu_map, pad);

	STRUCT(drm_virtgpu_execbuffer_syncobj);
	FIELD(drm_virtgpu_execbuffer_syncobj, handle);
	FIELD(drm_virtgpu_execbuffer_syncobj, flags);
	FIELD(drm_virtgpu_execbuffer_syncobj, point);

	STRUCT(drm_virtgpu_execbuffer);
	FIELD(drm_virtgpu_execbuffer, flags);
	FIELD(drm_virtgpu_execbuffer, size);
	FIELD(drm_virtgpu_execbuffer, command);
	FIELD(drm_virtgpu_execbuffer, bo_handles);
	FIELD(drm_virtgpu_execbuffer, num_bo_handles);
	FIELD(drm_virtgpu_execbuffer, fence_fd);
	FIELD(drm_virtgpu_execbuffer, ring_idx);
	FIELD(drm_virtgpu_execbuffer, syncobj_stride);
	FIELD(drm_virtgpu_execbuffer, num_in_syncobjs);
	FIELD(drm_virtgpu_execbuffer, num_out_syncobjs);
	FIELD(drm_virtgpu_execbuffer, in_syncobjs);
	FIELD(drm_virtgpu_execbuffer, out_syncobjs);

	STRUCT(drm_virtgpu_getparam);
	FIELD(drm_virtgpu_getparam, param);
	FIELD(drm_virtgpu_getparam, value);

	STRUCT(drm_virtgpu_resource_create);
	FIELD(drm_virtgpu_resource_create, target);
	FIELD(drm_virtgpu_resource_create, format);
	FIELD(drm_virtgpu_resource_create, bind);
	FIELD(drm_virtgpu_resource_create, width);
	FIELD(drm_virtgpu_resource_create, height);
	FIELD(drm_virtgpu_resource_create, depth);
	FIELD(drm_virtgpu_resource_create, array_size);
	FIELD(drm_virtgpu_resource_create, last_level);
	FIELD(drm_virtgpu_resource_create, nr_samples);
	FIELD(drm_virtgpu_resource_create, flags);
	FIELD(drm_virtgpu_resource_create, bo_handle);
	FIELD(drm_virtgpu_resource_create, res_handle);
	FIELD(drm_virtgpu_resource_create, size);
	FIELD(drm_virtgpu_resource_create, stride);

	STRUCT(drm_virtgpu_resource_info);
	FIELD(drm_virtgpu_resource_info, bo_handle);
	FIELD(drm_virtgpu_resource_info, res_handle);
	FIELD(drm_virtgpu_resource_info, size);
	FIELD(drm_virtgpu_resource_info, blob_mem);

	STRUCT(drm_virtgpu_3d_box);
	FIELD(drm_virtgpu_3d_box, x);
	FIELD(drm_virtgpu_3d_box, y);
	FIELD(drm_virtgpu_3d_box, z);
	FIELD(drm_virtgpu_3d_box, w);
	FIELD(drm_virtgpu_3d_box, h);
	FIELD(drm_virtgpu_3d_box, d);

	STRUCT(drm_virtgpu_3d_transfer_to_host);
	FIELD(drm_virtgpu_3d_transfer_to_host, bo_handle);
	FIELD(drm_virtgpu_3d_transfer_to_host, box);
	FIELD(drm_virtgpu_3d_transfer_to_host, level);
	FIELD(drm_virtgpu_3d_transfer_to_host, offset);
	FIELD(drm_virtgpu_3d_transfer_to_host, stride);
	FIELD(drm_virtgpu_3d_transfer_to_host, layer_stride);

	STRUCT(drm_virtgpu_3d_transfer_from_host);
	FIELD(drm_virtgpu_3d_transfer_from_host, bo_handle);
	FIELD(drm_virtgpu_3d_transfer_from_host, box);
	FIELD(drm_virtgpu_3d_transfer_from_host, level);
	FIELD(drm_virtgpu_3d_transfer_from_host, offset);
	FIELD(drm_virtgpu_3d_transfer_from_host, stride);
	FIELD(drm_virtgpu_3d_transfer_from_host, layer_stride);

	STRUCT(drm_virtgpu_3d_wait);
	FIELD(drm_virtgpu_3d_wait, handle);
	FIELD(drm_virtgpu_3d_wait, flags);

	STRUCT(drm_virtgpu_get_caps);
	FIELD(drm_virtgpu_get_caps, cap_set_id);
	FIELD(drm_virtgpu_get_caps, cap_set_ver);
	FIELD(drm_virtgpu_get_caps, addr);
	FIELD(drm_virtgpu_get_caps, size);
	FIELD(drm_virtgpu_get_caps, pad);

	STRUCT(drm_virtgpu_resource_create_blob);
	FIELD(drm_virtgpu_resource_create_blob, blob_mem);
	FIELD(drm_virtgpu_resource_create_blob, blob_flags);
	FIELD(drm_virtgpu_resource_create_blob, bo_handle);
	FIELD(drm_virtgpu_resource_create_blob, res_handle);
	FIELD(drm_virtgpu_resource_create_blob, size);
	FIELD(drm_virtgpu_resource_create_blob, pad);
	FIELD(drm_virtgpu_resource_create_blob, cmd_size);
	FIELD(drm_virtgpu_resource_create_blob, cmd);
	FIELD(drm_virtgpu_resource_create_blob, blob_id);
	FIELD(drm_virtgpu_resource_create_blob, blob_hints);
	FIELD(drm_virtgpu_resource_create_blob, pad2);

	STRUCT(drm_virtgpu_context_set_param);
	FIELD(drm_virtgpu_context_set_param, param);
	FIELD(drm_virtgpu_context_set_param, value);

	STRUCT(drm_virtgpu_context_init);
	FIELD(drm_virtgpu_context_init, num_params);
	FIELD(drm_virtgpu_context_init, pad);
	FIELD(drm_virtgpu_context_init, ctx_set_params);
}

static void dump_constants(void)
{
#ifdef VIRTGPU_DRM_H
	printf("macro VIRTGPU_DRM_H guard\n");
#endif
	CONST(DRM_VIRTGPU_MAP);
	CONST(DRM_VIRTGPU_EXECBUFFER);
	CONST(DRM_VIRTGPU_GETPARAM);
	CONST(DRM_VIRTGPU_RESOURCE_CREATE);
	CONST(DRM_VIRTGPU_RESOURCE_INFO);
	CONST(DRM_VIRTGPU_TRANSFER_FROM_HOST);
	CONST(DRM_VIRTGPU_TRANSFER_TO_HOST);
	CONST(DRM_VIRTGPU_WAIT);
	CONST(DRM_VIRTGPU_GET_CAPS);
	CONST(DRM_VIRTGPU_RESOURCE_CREATE_BLOB);
	CONST(DRM_VIRTGPU_CONTEXT_INIT);

	CONST(VIRTGPU_EXECBUF_FENCE_FD_IN);
	CONST(VIRTGPU_EXECBUF_FENCE_FD_OUT);
	CONST(VIRTGPU_EXECBUF_RING_IDX);
	CONST(VIRTGPU_EXECBUF_FLAGS);
	CONST(VIRTGPU_EXECBUF_SYNCOBJ_RESET);
	CONST(VIRTGPU_EXECBUF_SYNCOBJ_FLAGS);

	CONST(VIRTGPU_PARAM_3D_FEATURES);
	CONST(VIRTGPU_PARAM_CAPSET_QUERY_FIX);
	CONST(VIRTGPU_PARAM_RESOURCE_BLOB);
	CONST(VIRTGPU_PARAM_HOST_VISIBLE);
	CONST(VIRTGPU_PARAM_CROSS_DEVICE);
	CONST(VIRTGPU_PARAM_CONTEXT_INIT);
	CONST(VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs);
	CONST(VIRTGPU_PARAM_EXPLICIT_DEBUG_NAME);
	CONST(VIRTGPU_PARAM_BLOB_ALIGNMENT);

	CONST(VIRTGPU_WAIT_NOWAIT);

	CONST(VIRTGPU_DRM_CAPSET_VIRGL);
	CONST(VIRTGPU_DRM_CAPSET_VIRGL2);
	CONST(VIRTGPU_DRM_CAPSET_GFXSTREAM_VULKAN);
	CONST(VIRTGPU_DRM_CAPSET_VENUS);
	CONST(VIRTGPU_DRM_CAPSET_CROSS_DOMAIN);
	CONST(VIRTGPU_DRM_CAPSET_DRM);

	CONST(VIRTGPU_BLOB_MEM_GUEST);
	CONST(VIRTGPU_BLOB_MEM_HOST3D);
	CONST(VIRTGPU_BLOB_MEM_HOST3D_GUEST);
	CONST(VIRTGPU_BLOB_FLAG_USE_MAPPABLE);
	CONST(VIRTGPU_BLOB_FLAG_USE_SHAREABLE);
	CONST(VIRTGPU_BLOB_FLAG_USE_CROSS_DEVICE);
	CONST(DRM_VIRTGPU_BLOB_FLAG_HINT_DEFER_MAPPING);

	CONST(VIRTGPU_CONTEXT_PARAM_CAPSET_ID);
	CONST(VIRTGPU_CONTEXT_PARAM_NUM_RINGS);
	CONST(VIRTGPU_CONTEXT_PARAM_POLL_RINGS_MASK);
	CONST(VIRTGPU_CONTEXT_PARAM_DEBUG_NAME);

	CONST(VIRTGPU_EVENT_FENCE_SIGNALED);

	CONST(DRM_IOCTL_VIRTGPU_MAP);
	CONST(DRM_IOCTL_VIRTGPU_EXECBUFFER);
	CONST(DRM_IOCTL_VIRTGPU_GETPARAM);
	CONST(DRM_IOCTL_VIRTGPU_RESOURCE_CREATE);
	CONST(DRM_IOCTL_VIRTGPU_RESOURCE_INFO);
	CONST(DRM_IOCTL_VIRTGPU_TRANSFER_FROM_HOST);
	CONST(DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST);
	CONST(DRM_IOCTL_VIRTGPU_WAIT);
	CONST(DRM_IOCTL_VIRTGPU_GET_CAPS);
	CONST(DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB);
	CONST(DRM_IOCTL_VIRTGPU_CONTEXT_INIT);
}

int main(void)
{
	dump_structs();
	dump_constants();
	return 0;
}
