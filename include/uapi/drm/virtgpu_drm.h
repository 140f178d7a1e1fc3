/* SPDX-License-Identifier: MIT */
#ifndef VIRTGPU_DRM_H
#define VIRTGPU_DRM_H

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/**
 * DOC: virtgpu uapi overview
 *
 * This is the userspace interface of a virtio-gpu DRM driver. It is
 * binary-compatible with the virtio-gpu uapi header of Linux 7.2: every
 * structure, ioctl number and constant below has the same name, layout and
 * value, so Mesa (virgl, Venus, DRM native contexts), gfxstream, cross-domain
 * clients and IGT work unchanged against either driver. tests/abi/check.sh
 * compares this file with the system copy of the kernel header.
 *
 * General rules shared by all the ioctls:
 *
 * - The device is exposed as the DRM driver "virtio_gpu", major version 0.
 *   Every ioctl is allowed on render nodes.
 * - Every ioctl is DRM_IOWR: the kernel reads the whole structure and writes
 *   it back. Fields are marked "In" (read by the kernel), "Out" (written by
 *   the kernel on success) or "In/out".
 * - User memory is passed as a __u64 holding the address, never as a pointer
 *   type, so that 32-bit processes on 64-bit kernels use the same layout.
 * - Fields named pad are reserved and must be zero.
 * - Structures only grow at the end. The DRM core zero-fills the part of a
 *   structure that an older caller did not pass, and a zero in a new field
 *   always keeps the behaviour from before the field existed.
 */

/**
 * DOC: virtgpu ioctl numbers
 *
 * Offsets of the driver's ioctls from %DRM_COMMAND_BASE. Userspace uses the
 * full request codes, the DRM_IOCTL_VIRTGPU_* macros at the end of this
 * file, rather than these numbers.
 *
 * .. c:macro:: DRM_VIRTGPU_MAP
 *
 * Get the mmap offset of a buffer object (&struct drm_virtgpu_map).
 *
 * .. c:macro:: DRM_VIRTGPU_EXECBUFFER
 *
 * Submit a command stream to the host (&struct drm_virtgpu_execbuffer).
 *
 * .. c:macro:: DRM_VIRTGPU_GETPARAM
 *
 * Query a driver or device property (&struct drm_virtgpu_getparam).
 *
 * .. c:macro:: DRM_VIRTGPU_RESOURCE_CREATE
 *
 * Create a classic (non-blob) resource and its buffer object
 * (&struct drm_virtgpu_resource_create).
 *
 * .. c:macro:: DRM_VIRTGPU_RESOURCE_INFO
 *
 * Describe an existing buffer object (&struct drm_virtgpu_resource_info).
 *
 * .. c:macro:: DRM_VIRTGPU_TRANSFER_FROM_HOST
 *
 * Copy a box of a resource from host storage into the guest backing
 * (&struct drm_virtgpu_3d_transfer_from_host).
 *
 * .. c:macro:: DRM_VIRTGPU_TRANSFER_TO_HOST
 *
 * Copy a box of a resource from the guest backing into host storage
 * (&struct drm_virtgpu_3d_transfer_to_host).
 *
 * .. c:macro:: DRM_VIRTGPU_WAIT
 *
 * Wait for, or poll, the work pending on a buffer object
 * (&struct drm_virtgpu_3d_wait).
 *
 * .. c:macro:: DRM_VIRTGPU_GET_CAPS
 *
 * Read a capability set reported by the host (&struct drm_virtgpu_get_caps).
 *
 * .. c:macro:: DRM_VIRTGPU_RESOURCE_CREATE_BLOB
 *
 * Create a blob resource (&struct drm_virtgpu_resource_create_blob).
 *
 * .. c:macro:: DRM_VIRTGPU_CONTEXT_INIT
 *
 * Create the file's rendering context with explicit parameters
 * (&struct drm_virtgpu_context_init).
 */
#define DRM_VIRTGPU_MAP         0x01
#define DRM_VIRTGPU_EXECBUFFER  0x02
#define DRM_VIRTGPU_GETPARAM    0x03
#define DRM_VIRTGPU_RESOURCE_CREATE 0x04
#define DRM_VIRTGPU_RESOURCE_INFO     0x05
#define DRM_VIRTGPU_TRANSFER_FROM_HOST 0x06
#define DRM_VIRTGPU_TRANSFER_TO_HOST 0x07
#define DRM_VIRTGPU_WAIT     0x08
#define DRM_VIRTGPU_GET_CAPS  0x09
#define DRM_VIRTGPU_RESOURCE_CREATE_BLOB 0x0a
#define DRM_VIRTGPU_CONTEXT_INIT 0x0b

/**
 * DOC: execbuffer flags
 *
 * Bits of &drm_virtgpu_execbuffer.flags.
 *
 * .. c:macro:: VIRTGPU_EXECBUF_FENCE_FD_IN
 *
 * &drm_virtgpu_execbuffer.fence_fd holds a sync_file descriptor on input.
 * The commands are not handed to the host before that fence has signalled.
 *
 * .. c:macro:: VIRTGPU_EXECBUF_FENCE_FD_OUT
 *
 * On success, &drm_virtgpu_execbuffer.fence_fd receives a new sync_file
 * descriptor (opened close-on-exec) that signals when the host has finished
 * the submission.
 *
 * .. c:macro:: VIRTGPU_EXECBUF_RING_IDX
 *
 * &drm_virtgpu_execbuffer.ring_idx selects the ring of the context that the
 * submission goes to; the submission's fence is a point on that ring's
 * timeline. Only valid after %DRM_IOCTL_VIRTGPU_CONTEXT_INIT set
 * %VIRTGPU_CONTEXT_PARAM_NUM_RINGS. Without this flag the submission is
 * ordered on a single device-wide timeline.
 *
 * .. c:macro:: VIRTGPU_EXECBUF_FLAGS
 *
 * All the bits above. A submission with any other bit set fails with
 * -EINVAL.
 */
#define VIRTGPU_EXECBUF_FENCE_FD_IN	0x01
#define VIRTGPU_EXECBUF_FENCE_FD_OUT	0x02
#define VIRTGPU_EXECBUF_RING_IDX	0x04
#define VIRTGPU_EXECBUF_FLAGS	(VIRTGPU_EXECBUF_FENCE_FD_IN | \
				 VIRTGPU_EXECBUF_FENCE_FD_OUT | \
				 VIRTGPU_EXECBUF_RING_IDX)

/**
 * struct drm_virtgpu_map - Get the mmap offset of a buffer object
 *
 * Argument of %DRM_IOCTL_VIRTGPU_MAP. The offset is a token of the DRM file
 * descriptor: passing it to mmap() on the same descriptor maps the object.
 * For a host blob the mapping shows host memory through the device's
 * host-visible window, and mmap() only succeeds when the blob was created
 * with %VIRTGPU_BLOB_FLAG_USE_MAPPABLE.
 */
struct drm_virtgpu_map {
	/** @offset: Out: the offset to give to mmap(). */
	__u64 offset;
	/** @handle: In: GEM handle of the object. */
	__u32 handle;
	/** @pad: Reserved, must be zero. */
	__u32 pad;
};

/**
 * DOC: execbuffer syncobj flags
 *
 * Bits of &drm_virtgpu_execbuffer_syncobj.flags.
 *
 * .. c:macro:: VIRTGPU_EXECBUF_SYNCOBJ_RESET
 *
 * Only for wait entries: once the submission has been queued, replace the
 * syncobj's fence with none, so that it can be signalled again.
 *
 * .. c:macro:: VIRTGPU_EXECBUF_SYNCOBJ_FLAGS
 *
 * All the bits above. An entry with any other bit set makes the submission
 * fail with -EINVAL.
 */
#define VIRTGPU_EXECBUF_SYNCOBJ_RESET		0x01
#define VIRTGPU_EXECBUF_SYNCOBJ_FLAGS	(VIRTGPU_EXECBUF_SYNCOBJ_RESET)

/**
 * struct drm_virtgpu_execbuffer_syncobj - A syncobj a submission waits for or
 * signals
 *
 * Element of the arrays that &drm_virtgpu_execbuffer.in_syncobjs and
 * &drm_virtgpu_execbuffer.out_syncobjs point to. The arrays are walked with
 * &drm_virtgpu_execbuffer.syncobj_stride, so this structure may grow at the
 * end without breaking older callers.
 */
struct drm_virtgpu_execbuffer_syncobj {
	/** @handle: In: DRM syncobj handle on the same file. */
	__u32 handle;
	/**
	 * @flags: In: %VIRTGPU_EXECBUF_SYNCOBJ_* bits for wait entries; must be
	 * zero for signal entries.
	 */
	__u32 flags;
	/**
	 * @point: In: timeline point to wait for, or to add with the
	 * submission's fence. Zero means the syncobj is used as a binary
	 * syncobj: its current fence is waited for, or replaced.
	 */
	__u64 point;
};

/**
 * struct drm_virtgpu_execbuffer - Submit a command stream to the host
 *
 * Argument of %DRM_IOCTL_VIRTGPU_EXECBUFFER. The command stream is opaque to
 * the kernel: it is copied and sent to the host as one submission on the
 * file's context, in the protocol of the context's capset (virgl, Venus,
 * DRM native context, ...). If the file has no context yet, one is created
 * with the device's default capset. Needs %VIRTGPU_PARAM_3D_FEATURES;
 * without it the ioctl fails (Linux: -ENOSYS; virtgpu2: -EOPNOTSUPP).
 *
 * Each submission gets a fence that signals when the host has completed it.
 * That fence is attached to the listed buffer objects, can be returned as a
 * sync_file and can be put into syncobjs. If the submission's ring is in the
 * context's %VIRTGPU_CONTEXT_PARAM_POLL_RINGS_MASK, a
 * %VIRTGPU_EVENT_FENCE_SIGNALED event is also queued on the DRM file when
 * the fence signals.
 */
struct drm_virtgpu_execbuffer {
	/** @flags: In: %VIRTGPU_EXECBUF_* bits. */
	__u32 flags;
	/** @size: In: length of the command stream in bytes. */
	__u32 size;
	/** @command: In: user address of the command stream. */
	__u64 command;
	/**
	 * @bo_handles: In: user address of an array of @num_bo_handles __u32
	 * GEM handles. These are the objects the commands use: they stay alive
	 * until the submission completes and carry its fence for implicit
	 * synchronisation. An unknown handle fails with -ENOENT.
	 */
	__u64 bo_handles;
	/** @num_bo_handles: In: number of entries at @bo_handles; may be 0. */
	__u32 num_bo_handles;
	/**
	 * @fence_fd: In/out. In: with %VIRTGPU_EXECBUF_FENCE_FD_IN, a sync_file
	 * descriptor to wait for. Out: with %VIRTGPU_EXECBUF_FENCE_FD_OUT, a
	 * new sync_file descriptor for the submission's fence; otherwise left
	 * as the caller set it.
	 */
	__s32 fence_fd;
	/**
	 * @ring_idx: In: with %VIRTGPU_EXECBUF_RING_IDX, the ring to submit to,
	 * below the context's %VIRTGPU_CONTEXT_PARAM_NUM_RINGS. Ignored without
	 * the flag.
	 */
	__u32 ring_idx;
	/**
	 * @syncobj_stride: In: distance in bytes between two entries of
	 * @in_syncobjs and @out_syncobjs, normally
	 * sizeof(struct drm_virtgpu_execbuffer_syncobj). The kernel reads at
	 * most the size of its own structure from each entry. Only used when
	 * one of the counts is non-zero.
	 */
	__u32 syncobj_stride;
	/**
	 * @num_in_syncobjs: In: number of entries at @in_syncobjs; may be 0.
	 */
	__u32 num_in_syncobjs;
	/**
	 * @num_out_syncobjs: In: number of entries at @out_syncobjs; may be 0.
	 */
	__u32 num_out_syncobjs;
	/**
	 * @in_syncobjs: In: user address of the &struct
	 * drm_virtgpu_execbuffer_syncobj entries the submission waits for
	 * before it is handed to the host.
	 */
	__u64 in_syncobjs;
	/**
	 * @out_syncobjs: In: user address of the &struct
	 * drm_virtgpu_execbuffer_syncobj entries that receive the submission's
	 * fence, as the new fence of a binary syncobj or as a new timeline
	 * point.
	 */
	__u64 out_syncobjs;
};

/**
 * DOC: getparam parameters
 *
 * Values of &drm_virtgpu_getparam.param. Unless said otherwise, the answer is
 * 1 when the feature is there and 0 when it is not. An unknown parameter
 * fails with -EINVAL, so it also tells that the kernel is too old to know it.
 *
 * .. c:macro:: VIRTGPU_PARAM_3D_FEATURES
 *
 * The device has 3D support (virtio-gpu feature VIRGL): rendering contexts,
 * %DRM_IOCTL_VIRTGPU_EXECBUFFER, %DRM_IOCTL_VIRTGPU_GET_CAPS and 3D
 * transfers are available.
 *
 * .. c:macro:: VIRTGPU_PARAM_CAPSET_QUERY_FIX
 *
 * Always 1: %DRM_IOCTL_VIRTGPU_GET_CAPS honours
 * &drm_virtgpu_get_caps.cap_set_ver. Kernels that do not know this parameter
 * could return the wrong version of a capset.
 *
 * .. c:macro:: VIRTGPU_PARAM_RESOURCE_BLOB
 *
 * %DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB is available (device feature
 * RESOURCE_BLOB).
 *
 * .. c:macro:: VIRTGPU_PARAM_HOST_VISIBLE
 *
 * The device has a host-visible memory window, so %VIRTGPU_BLOB_MEM_HOST3D
 * blobs created with %VIRTGPU_BLOB_FLAG_USE_MAPPABLE can be mapped.
 *
 * .. c:macro:: VIRTGPU_PARAM_CROSS_DEVICE
 *
 * Blobs can be shared with other virtio devices through
 * %VIRTGPU_BLOB_FLAG_USE_CROSS_DEVICE (device feature RESOURCE_UUID).
 *
 * .. c:macro:: VIRTGPU_PARAM_CONTEXT_INIT
 *
 * %DRM_IOCTL_VIRTGPU_CONTEXT_INIT is available (device feature
 * CONTEXT_INIT).
 *
 * .. c:macro:: VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs
 *
 * Bit mask of the capsets the host offers: bit N is set when capset id N
 * (one of the VIRTGPU_DRM_CAPSET_* values) can be used.
 *
 * .. c:macro:: VIRTGPU_PARAM_EXPLICIT_DEBUG_NAME
 *
 * %VIRTGPU_CONTEXT_PARAM_DEBUG_NAME is accepted by
 * %DRM_IOCTL_VIRTGPU_CONTEXT_INIT.
 *
 * .. c:macro:: VIRTGPU_PARAM_BLOB_ALIGNMENT
 *
 * Alignment in bytes, a power of two, that the device requires for blob
 * sizes and for their place in the host-visible window (device feature
 * BLOB_ALIGNMENT). Fails with -ENOENT when the device states no
 * alignment, in which case nothing beyond the guest page size is needed.
 * New in Linux 7.2.
 */
#define VIRTGPU_PARAM_3D_FEATURES 1
#define VIRTGPU_PARAM_CAPSET_QUERY_FIX 2
#define VIRTGPU_PARAM_RESOURCE_BLOB 3
#define VIRTGPU_PARAM_HOST_VISIBLE 4
#define VIRTGPU_PARAM_CROSS_DEVICE 5
#define VIRTGPU_PARAM_CONTEXT_INIT 6
#define VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs 7
#define VIRTGPU_PARAM_EXPLICIT_DEBUG_NAME 8
#define VIRTGPU_PARAM_BLOB_ALIGNMENT 9

/**
 * struct drm_virtgpu_getparam - Query a driver or device property
 *
 * Argument of %DRM_IOCTL_VIRTGPU_GETPARAM. Note that the answer is not
 * returned in this structure: @value is the address where the kernel stores
 * it.
 */
struct drm_virtgpu_getparam {
	/** @param: In: one of the VIRTGPU_PARAM_* values. */
	__u64 param;
	/**
	 * @value: In: user address of a 32-bit int that receives the answer.
	 * Exactly 4 bytes are written there.
	 */
	__u64 value;
};

/**
 * struct drm_virtgpu_resource_create - Create a classic resource
 *
 * Argument of %DRM_IOCTL_VIRTGPU_RESOURCE_CREATE. The kernel allocates guest
 * memory for the backing, asks the host to create the resource (a 3D
 * resource when %VIRTGPU_PARAM_3D_FEATURES is set, a 2D one otherwise),
 * attaches the backing and returns a GEM handle for it. With 3D, the
 * resource is also attached to the file's context, which is created first
 * if needed. The description fields are passed to the host as they are;
 * only their 2D limits are checked by the kernel.
 */
struct drm_virtgpu_resource_create {
	/**
	 * @target: In: texture target, in the host renderer's numbering
	 * (gallium's pipe_texture_target for virgl). Without 3D it must be 2,
	 * a 2D texture.
	 */
	__u32 target;
	/**
	 * @format: In: pixel format: a virgl format with 3D, a
	 * VIRTIO_GPU_FORMAT_* value without.
	 */
	__u32 format;
	/**
	 * @bind: In: virgl bind flags saying how the resource is used (3D
	 * only).
	 */
	__u32 bind;
	/** @width: In: width in pixels. */
	__u32 width;
	/** @height: In: height in pixels. */
	__u32 height;
	/**
	 * @depth: In: depth in pixels for 3D textures; at most 1 without 3D.
	 */
	__u32 depth;
	/** @array_size: In: number of array layers; at most 1 without 3D. */
	__u32 array_size;
	/**
	 * @last_level: In: index of the smallest mipmap level (0 when the
	 * resource has only its base level); at most 1 without 3D.
	 */
	__u32 last_level;
	/**
	 * @nr_samples: In: samples per pixel, 0 or 1 when not multisampled; at
	 * most 1 without 3D.
	 */
	__u32 nr_samples;
	/**
	 * @flags: In: virgl resource flags, such as a bottom-up row order (3D
	 * only).
	 */
	__u32 flags;
	/** @bo_handle: Out: GEM handle of the new buffer object. */
	__u32 bo_handle;
	/** @res_handle: Out: id of the new resource on the host. */
	__u32 res_handle;
	/**
	 * @size: In: size in bytes of the guest backing to allocate, rounded
	 * up to whole pages; 0 allocates a single page.
	 */
	__u32 size;
	/**
	 * @stride: In: row pitch in bytes. Informative only: the kernel does
	 * not use it.
	 */
	__u32 stride;
};

/**
 * struct drm_virtgpu_resource_info - Describe a buffer object
 *
 * Argument of %DRM_IOCTL_VIRTGPU_RESOURCE_INFO. Works on classic resources
 * and on blobs.
 */
struct drm_virtgpu_resource_info {
	/** @bo_handle: In: GEM handle of the object. */
	__u32 bo_handle;
	/** @res_handle: Out: id of the resource on the host. */
	__u32 res_handle;
	/** @size: Out: size of the object in bytes, truncated to 32 bits. */
	__u32 size;
	/**
	 * @blob_mem: Out: the VIRTGPU_BLOB_MEM_* type of a blob; 0 for a
	 * classic resource. Linux leaves the field untouched for classic
	 * resources, so callers should clear it before the call.
	 */
	__u32 blob_mem;
};

/**
 * struct drm_virtgpu_3d_box - A box inside a resource
 *
 * The region a transfer copies. Coordinates and sizes are in pixels (blocks
 * for compressed formats) of the selected mipmap level; for array textures
 * @z and @d count layers.
 */
struct drm_virtgpu_3d_box {
	/** @x: Left edge. */
	__u32 x;
	/** @y: Top edge. */
	__u32 y;
	/** @z: Front slice or first layer. */
	__u32 z;
	/** @w: Width. */
	__u32 w;
	/** @h: Height. */
	__u32 h;
	/** @d: Depth or number of layers; 1 for a 2D box. */
	__u32 d;
};

/**
 * struct drm_virtgpu_3d_transfer_to_host - Copy guest data into a resource
 *
 * Argument of %DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST. Queues a copy of @box from
 * the object's guest backing into the host's storage of the resource and
 * returns without waiting. With %VIRTGPU_PARAM_3D_FEATURES the copy's fence
 * is attached to the object, so %DRM_IOCTL_VIRTGPU_WAIT on it waits for the
 * copy; without, this is a 2D transfer that uses only x, y, w and h of the
 * box and @offset. Blobs whose only storage is guest memory
 * (%VIRTGPU_BLOB_MEM_GUEST) are refused with -EINVAL.
 */
struct drm_virtgpu_3d_transfer_to_host {
	/** @bo_handle: In: GEM handle of the object. */
	__u32 bo_handle;
	/** @box: In: region of the resource to update. */
	struct drm_virtgpu_3d_box box;
	/** @level: In: mipmap level. */
	__u32 level;
	/**
	 * @offset: In: byte offset in the guest backing where the data starts.
	 */
	__u32 offset;
	/**
	 * @stride: In: bytes between two rows in the guest backing, or 0 to
	 * let the host use the resource's own layout. Must be 0 unless the
	 * object is a %VIRTGPU_BLOB_MEM_HOST3D or
	 * %VIRTGPU_BLOB_MEM_HOST3D_GUEST blob.
	 */
	__u32 stride;
	/**
	 * @layer_stride: In: bytes between two slices or layers in the guest
	 * backing, or 0. Same restriction as @stride.
	 */
	__u32 layer_stride;
};

/**
 * struct drm_virtgpu_3d_transfer_from_host - Copy a resource into guest memory
 *
 * Argument of %DRM_IOCTL_VIRTGPU_TRANSFER_FROM_HOST: the reverse of &struct
 * drm_virtgpu_3d_transfer_to_host, with the same fields and rules. Needs
 * %VIRTGPU_PARAM_3D_FEATURES (otherwise -ENOSYS; -EOPNOTSUPP on virtgpu2).
 * The copy is asynchronous: wait on the object before reading its backing.
 */
struct drm_virtgpu_3d_transfer_from_host {
	/** @bo_handle: In: GEM handle of the object. */
	__u32 bo_handle;
	/** @box: In: region of the resource to read. */
	struct drm_virtgpu_3d_box box;
	/** @level: In: mipmap level. */
	__u32 level;
	/**
	 * @offset: In: byte offset in the guest backing where the data goes.
	 */
	__u32 offset;
	/**
	 * @stride: In: bytes between two rows in the guest backing, or 0. Must
	 * be 0 unless the object is a host 3D blob.
	 */
	__u32 stride;
	/**
	 * @layer_stride: In: bytes between two slices or layers in the guest
	 * backing, or 0. Same restriction as @stride.
	 */
	__u32 layer_stride;
};

/**
 * DOC: wait flags
 *
 * Bits of &drm_virtgpu_3d_wait.flags.
 *
 * .. c:macro:: VIRTGPU_WAIT_NOWAIT
 *
 * Do not sleep: only report whether the object is idle. Userspace uses this
 * as a busy query.
 */
#define VIRTGPU_WAIT_NOWAIT 1

/**
 * struct drm_virtgpu_3d_wait - Wait until a buffer object is idle
 *
 * Argument of %DRM_IOCTL_VIRTGPU_WAIT. Waits for all the fences attached to
 * the object (submissions and transfers that use it). Returns 0 when the
 * object is idle, -EBUSY when it is still busy (at once with
 * %VIRTGPU_WAIT_NOWAIT, otherwise after a timeout of some seconds) and
 * -ENOENT for an unknown handle.
 */
struct drm_virtgpu_3d_wait {
	/**
	 * @handle: In: GEM handle of the object. Zero is never a valid handle.
	 */
	__u32 handle;
	/** @flags: In: VIRTGPU_WAIT_* bits. */
	__u32 flags;
};

/**
 * DOC: capset ids
 *
 * Ids of capability sets, the protocols a host can offer to rendering
 * contexts. They are used in &drm_virtgpu_get_caps.cap_set_id, in
 * %VIRTGPU_CONTEXT_PARAM_CAPSET_ID and as bit numbers in the
 * %VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs mask. The kernel does not interpret
 * them, and a host may offer ids that have no name here.
 *
 * .. c:macro:: VIRTGPU_DRM_CAPSET_VIRGL
 *
 * virgl (OpenGL) protocol, first version.
 *
 * .. c:macro:: VIRTGPU_DRM_CAPSET_VIRGL2
 *
 * virgl protocol, second version with a larger capability structure.
 *
 * .. c:macro:: VIRTGPU_DRM_CAPSET_GFXSTREAM_VULKAN
 *
 * gfxstream's Vulkan protocol.
 *
 * .. c:macro:: VIRTGPU_DRM_CAPSET_VENUS
 *
 * Venus, the Vulkan protocol of Mesa and virglrenderer.
 *
 * .. c:macro:: VIRTGPU_DRM_CAPSET_CROSS_DOMAIN
 *
 * Cross-domain: sharing of buffers and channels (such as Wayland) with the
 * host.
 *
 * .. c:macro:: VIRTGPU_DRM_CAPSET_DRM
 *
 * DRM native context: the host's own DRM driver protocol, passed through.
 */
#define VIRTGPU_DRM_CAPSET_VIRGL 1
#define VIRTGPU_DRM_CAPSET_VIRGL2 2
#define VIRTGPU_DRM_CAPSET_GFXSTREAM_VULKAN 3
#define VIRTGPU_DRM_CAPSET_VENUS 4
#define VIRTGPU_DRM_CAPSET_CROSS_DOMAIN 5
#define VIRTGPU_DRM_CAPSET_DRM 6

/**
 * struct drm_virtgpu_get_caps - Read a capability set
 *
 * Argument of %DRM_IOCTL_VIRTGPU_GET_CAPS. The kernel fetches the capset from
 * the host on first use and caches it. Fails with -ENOSYS (virtgpu2:
 * -EOPNOTSUPP) when the host offers no capsets and -EINVAL when the id or version is not offered.
 */
struct drm_virtgpu_get_caps {
	/**
	 * @cap_set_id: In: capset id, one of the VIRTGPU_DRM_CAPSET_* values.
	 */
	__u32 cap_set_id;
	/**
	 * @cap_set_ver: In: version of the capset to read; must not exceed the
	 * highest version the host offers for that id.
	 */
	__u32 cap_set_ver;
	/** @addr: In: user address of the buffer that receives the capset. */
	__u64 addr;
	/**
	 * @size: In: size of that buffer in bytes; must not be 0. The kernel
	 * copies the smaller of this and the capset's size.
	 */
	__u32 size;
	/** @pad: Reserved, must be zero. */
	__u32 pad;
};

/**
 * DOC: blob memory types
 *
 * Values of &drm_virtgpu_resource_create_blob.blob_mem, also reported by
 * &drm_virtgpu_resource_info.blob_mem. Zero is not a valid type.
 *
 * .. c:macro:: VIRTGPU_BLOB_MEM_GUEST
 *
 * The blob is only guest memory, allocated by the kernel and shared with the
 * host. &drm_virtgpu_resource_create_blob.blob_id and
 * &drm_virtgpu_resource_create_blob.cmd_size must be zero.
 *
 * .. c:macro:: VIRTGPU_BLOB_MEM_HOST3D
 *
 * The blob is host memory: an object the file's context created, named by
 * &drm_virtgpu_resource_create_blob.blob_id. With
 * %VIRTGPU_BLOB_FLAG_USE_MAPPABLE it can be mapped through the host-visible
 * window. Needs %VIRTGPU_PARAM_3D_FEATURES.
 *
 * .. c:macro:: VIRTGPU_BLOB_MEM_HOST3D_GUEST
 *
 * Like %VIRTGPU_BLOB_MEM_HOST3D, but the host object is backed by guest
 * memory that the kernel allocates.
 */
#define VIRTGPU_BLOB_MEM_GUEST             0x0001
#define VIRTGPU_BLOB_MEM_HOST3D            0x0002
#define VIRTGPU_BLOB_MEM_HOST3D_GUEST      0x0003

/**
 * DOC: blob flags
 *
 * Bits of &drm_virtgpu_resource_create_blob.blob_flags, passed on to the
 * host. Any other bit makes the creation fail with -EINVAL.
 *
 * .. c:macro:: VIRTGPU_BLOB_FLAG_USE_MAPPABLE
 *
 * The blob will be mapped by the guest CPU.
 *
 * .. c:macro:: VIRTGPU_BLOB_FLAG_USE_SHAREABLE
 *
 * The blob may be shared with other contexts or processes, for example
 * through a dma-buf.
 *
 * .. c:macro:: VIRTGPU_BLOB_FLAG_USE_CROSS_DEVICE
 *
 * The blob may be shared with other virtio devices; the kernel asks the host
 * for a UUID for it. Needs %VIRTGPU_PARAM_CROSS_DEVICE.
 */
#define VIRTGPU_BLOB_FLAG_USE_MAPPABLE     0x0001
#define VIRTGPU_BLOB_FLAG_USE_SHAREABLE    0x0002
#define VIRTGPU_BLOB_FLAG_USE_CROSS_DEVICE 0x0004

/**
 * DOC: blob hints
 *
 * Bits of &drm_virtgpu_resource_create_blob.blob_hints (Linux 7.2). Hints
 * change when the kernel does some work, not what the blob is.
 *
 * .. c:macro:: DRM_VIRTGPU_BLOB_FLAG_HINT_DEFER_MAPPING
 *
 * For a mappable host blob: do not place it in the host-visible window when
 * it is created, but when it is first mapped (%DRM_IOCTL_VIRTGPU_MAP or
 * mmap()). Blobs that are never mapped by the CPU then use no window space.
 */
#define DRM_VIRTGPU_BLOB_FLAG_HINT_DEFER_MAPPING        0x0001

/**
 * struct drm_virtgpu_resource_create_blob - Create a blob resource
 *
 * Argument of %DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB; needs
 * %VIRTGPU_PARAM_RESOURCE_BLOB. A blob is a resource that is a plain range of
 * bytes with no format: guest memory, host memory, or both (see the
 * VIRTGPU_BLOB_MEM_* types). For host blobs, the file's context is created
 * first if needed and @cmd is submitted on it before the blob is made.
 *
 * The structure is 56 bytes since Linux 7.2, which added @blob_hints and
 * @pad2. Callers built against the older 48-byte layout pass a request code
 * with the smaller size in it; the DRM core zero-fills the missing tail, so
 * they are served as if both fields were zero.
 */
struct drm_virtgpu_resource_create_blob {
	/** @blob_mem: In: one of the VIRTGPU_BLOB_MEM_* types. */
	__u32 blob_mem;
	/** @blob_flags: In: VIRTGPU_BLOB_FLAG_USE_* bits. */
	__u32 blob_flags;
	/** @bo_handle: Out: GEM handle of the new buffer object. */
	__u32 bo_handle;
	/** @res_handle: Out: id of the new resource on the host. */
	__u32 res_handle;
	/**
	 * @size: In: size in bytes. When the device states an alignment
	 * (%VIRTGPU_PARAM_BLOB_ALIGNMENT) it must be a multiple of it.
	 */
	__u64 size;
	/** @pad: Reserved, must be zero. */
	__u32 pad;
	/**
	 * @cmd_size: In: length of @cmd in bytes, a multiple of 4. Must be 0
	 * for %VIRTGPU_BLOB_MEM_GUEST.
	 */
	__u32 cmd_size;
	/**
	 * @cmd: In: user address of a command stream, in the context's
	 * protocol, submitted before the blob is created. It usually creates
	 * the host object that @blob_id names. Only read when @cmd_size is not
	 * 0.
	 */
	__u64 cmd;
	/**
	 * @blob_id: In: for host blobs, the context's name for the host object
	 * that becomes the blob. Must be 0 for %VIRTGPU_BLOB_MEM_GUEST.
	 */
	__u64 blob_id;
	/**
	 * @blob_hints: In: DRM_VIRTGPU_BLOB_FLAG_HINT_* bits; 0 for no hints.
	 */
	__u32 blob_hints;
	/** @pad2: Reserved, must be zero. */
	__u32 pad2;
};

/**
 * DOC: context init parameters
 *
 * Values of &drm_virtgpu_context_set_param.param. Each parameter may appear
 * at most once in a %DRM_IOCTL_VIRTGPU_CONTEXT_INIT call.
 *
 * .. c:macro:: VIRTGPU_CONTEXT_PARAM_CAPSET_ID
 *
 * The value is the capset id, the protocol of the context. It must be set in
 * %VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs. Without it the host picks its default
 * protocol.
 *
 * .. c:macro:: VIRTGPU_CONTEXT_PARAM_NUM_RINGS
 *
 * The value is the number of rings (independent fence timelines) of the
 * context, at most 64. Submissions choose one with
 * %VIRTGPU_EXECBUF_RING_IDX.
 *
 * .. c:macro:: VIRTGPU_CONTEXT_PARAM_POLL_RINGS_MASK
 *
 * The value is a bit mask of rings, all below the number of rings. Every
 * submission on one of those rings queues a %VIRTGPU_EVENT_FENCE_SIGNALED
 * event on the DRM file when it completes, so the file can be polled.
 * Events that are not read take up the file's event space (DRM core keeps
 * 4 KiB per file, 512 of these events); while it is full, EXECBUFFER on a
 * polled ring fails with -ENOMEM before anything reaches the host, and
 * reading events makes room again.
 *
 * .. c:macro:: VIRTGPU_CONTEXT_PARAM_DEBUG_NAME
 *
 * The value is the user address of a NUL-terminated name for the context,
 * shown in host logs; at most 64 bytes are used. Without it the name of the
 * calling process is used. Accepted when %VIRTGPU_PARAM_EXPLICIT_DEBUG_NAME
 * is 1.
 */
#define VIRTGPU_CONTEXT_PARAM_CAPSET_ID       0x0001
#define VIRTGPU_CONTEXT_PARAM_NUM_RINGS       0x0002
#define VIRTGPU_CONTEXT_PARAM_POLL_RINGS_MASK 0x0003
#define VIRTGPU_CONTEXT_PARAM_DEBUG_NAME      0x0004

/**
 * struct drm_virtgpu_context_set_param - One context parameter
 *
 * Element of the array that &drm_virtgpu_context_init.ctx_set_params points
 * to.
 */
struct drm_virtgpu_context_set_param {
	/** @param: In: one of the VIRTGPU_CONTEXT_PARAM_* values. */
	__u64 param;
	/** @value: In: the parameter's value; its meaning depends on @param. */
	__u64 value;
};

/**
 * struct drm_virtgpu_context_init - Create the file's context
 *
 * Argument of %DRM_IOCTL_VIRTGPU_CONTEXT_INIT; needs
 * %VIRTGPU_PARAM_CONTEXT_INIT. Each DRM file has at most one rendering
 * context on the host. Other ioctls create it implicitly with default
 * parameters; this one creates it explicitly and must come first: once the
 * context exists it fails with -EEXIST. Unknown, repeated or invalid
 * parameters fail with -EINVAL.
 */
struct drm_virtgpu_context_init {
	/** @num_params: In: number of entries at @ctx_set_params. */
	__u32 num_params;
	/** @pad: Reserved, must be zero. */
	__u32 pad;
	/**
	 * @ctx_set_params: In: user address of an array of @num_params
	 * &struct drm_virtgpu_context_set_param.
	 */
	__u64 ctx_set_params;
};

/**
 * DOC: fence signalled event
 *
 * .. c:macro:: VIRTGPU_EVENT_FENCE_SIGNALED
 *
 * Type of the DRM event that read() returns on the DRM file when a
 * submission on a ring of %VIRTGPU_CONTEXT_PARAM_POLL_RINGS_MASK completes.
 * The event is a bare &struct drm_event (length 8) with no payload; poll()
 * reports POLLIN while one is pending.
 */
#define VIRTGPU_EVENT_FENCE_SIGNALED 0x90000000

/**
 * DOC: virtgpu ioctl request codes
 *
 * Request codes to pass to ioctl() (or drmIoctl()) on the DRM file. All are
 * read-write and encode the size of their argument structure.
 *
 * .. c:macro:: DRM_IOCTL_VIRTGPU_MAP
 *
 * Takes &struct drm_virtgpu_map.
 *
 * .. c:macro:: DRM_IOCTL_VIRTGPU_EXECBUFFER
 *
 * Takes &struct drm_virtgpu_execbuffer.
 *
 * .. c:macro:: DRM_IOCTL_VIRTGPU_GETPARAM
 *
 * Takes &struct drm_virtgpu_getparam.
 *
 * .. c:macro:: DRM_IOCTL_VIRTGPU_RESOURCE_CREATE
 *
 * Takes &struct drm_virtgpu_resource_create.
 *
 * .. c:macro:: DRM_IOCTL_VIRTGPU_RESOURCE_INFO
 *
 * Takes &struct drm_virtgpu_resource_info.
 *
 * .. c:macro:: DRM_IOCTL_VIRTGPU_TRANSFER_FROM_HOST
 *
 * Takes &struct drm_virtgpu_3d_transfer_from_host.
 *
 * .. c:macro:: DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST
 *
 * Takes &struct drm_virtgpu_3d_transfer_to_host.
 *
 * .. c:macro:: DRM_IOCTL_VIRTGPU_WAIT
 *
 * Takes &struct drm_virtgpu_3d_wait.
 *
 * .. c:macro:: DRM_IOCTL_VIRTGPU_GET_CAPS
 *
 * Takes &struct drm_virtgpu_get_caps.
 *
 * .. c:macro:: DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB
 *
 * Takes &struct drm_virtgpu_resource_create_blob (56 bytes since Linux 7.2,
 * which changed this code; the 48-byte code of older headers is still
 * accepted).
 *
 * .. c:macro:: DRM_IOCTL_VIRTGPU_CONTEXT_INIT
 *
 * Takes &struct drm_virtgpu_context_init.
 */
#define DRM_IOCTL_VIRTGPU_MAP \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VIRTGPU_MAP, struct drm_virtgpu_map)

#define DRM_IOCTL_VIRTGPU_EXECBUFFER \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VIRTGPU_EXECBUFFER, \
		 struct drm_virtgpu_execbuffer)

#define DRM_IOCTL_VIRTGPU_GETPARAM \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VIRTGPU_GETPARAM, \
		 struct drm_virtgpu_getparam)

#define DRM_IOCTL_VIRTGPU_RESOURCE_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VIRTGPU_RESOURCE_CREATE, \
		 struct drm_virtgpu_resource_create)

#define DRM_IOCTL_VIRTGPU_RESOURCE_INFO \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VIRTGPU_RESOURCE_INFO, \
		 struct drm_virtgpu_resource_info)

#define DRM_IOCTL_VIRTGPU_TRANSFER_FROM_HOST \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VIRTGPU_TRANSFER_FROM_HOST, \
		 struct drm_virtgpu_3d_transfer_from_host)

#define DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VIRTGPU_TRANSFER_TO_HOST, \
		 struct drm_virtgpu_3d_transfer_to_host)

#define DRM_IOCTL_VIRTGPU_WAIT \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VIRTGPU_WAIT, \
		 struct drm_virtgpu_3d_wait)

#define DRM_IOCTL_VIRTGPU_GET_CAPS \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VIRTGPU_GET_CAPS, \
		 struct drm_virtgpu_get_caps)

#define DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VIRTGPU_RESOURCE_CREATE_BLOB, \
		 struct drm_virtgpu_resource_create_blob)

#define DRM_IOCTL_VIRTGPU_CONTEXT_INIT \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_VIRTGPU_CONTEXT_INIT, \
		 struct drm_virtgpu_context_init)

#if defined(__cplusplus)
}
#endif

#endif /* VIRTGPU_DRM_H */
