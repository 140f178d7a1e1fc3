/* SPDX-License-Identifier: GPL-2.0-only */
/* Resources: GEM objects the host knows by a resource id. */
#ifndef VIRTGPU2_OBJECT_H
#define VIRTGPU2_OBJECT_H

#include <linux/mutex.h>
#include <linux/uuid.h>
#include <drm/drm_gem_shmem_helper.h>

struct drm_mm_node;
struct sg_table;
struct virtgpu2_device;
struct virtgpu2_vbuf;
struct virtio_gpu_mem_entry;

/**
 * struct virtgpu2_object - a resource and its guest backing
 *
 * The host's copy is unreferenced only when the last GEM reference is gone;
 * every in-flight command that uses the object holds one of those, so the
 * host never sees a resource vanish under a command.
 */
struct virtgpu2_object {
	/** @shmem: GEM object with shmem pages (unused for host-only blobs). */
	struct drm_gem_shmem_object shmem;
	/** @res_id: host resource id; constant. */
	u32 res_id;
	/**
	 * @host_created: the create went to the host, so free sends UNREF
	 * (whatever the host answered: see virtgpu2_object_unref_done()).
	 */
	bool host_created;
	/** @backing: the pages given to the host, or NULL. */
	struct sg_table *backing;
	/** @dma_mapped: @backing is mapped through the DMA API. */
	bool dma_mapped;
	/**
	 * @dumb: a 2D resource whose content lives in the guest pages, so the
	 * display copies damage to the host before flushing it; constant.
	 */
	bool dumb;
	/** @blob_mem: VIRTGPU_BLOB_MEM_* for blobs, 0 otherwise. */
	u32 blob_mem;
	/** @blob_flags: VIRTGPU_BLOB_FLAG_USE_* for blobs; constant. */
	u32 blob_flags;
	/** @uuid: from RESOURCE_ASSIGN_UUID when @has_uuid; constant. */
	uuid_t uuid;
	/** @has_uuid: the host assigned @uuid. */
	bool has_uuid;
	/**
	 * @create_cmd: a posted create whose answer nobody has read yet, or
	 * NULL; see virtgpu2_object_verdict(). Cleared under @map_lock.
	 */
	struct virtgpu2_vbuf *create_cmd;
	/** @create_err: the host's verdict on the create, once read. */
	int create_err;
	/**
	 * @map_lock: protects @hostmem_node, @map_info, and the clearing of
	 * @create_cmd; held across the MAP_BLOB round trip so a blob is
	 * mapped once. Taken before &virtgpu2_hostmem.lock.
	 */
	struct mutex map_lock;
	/**
	 * @hostmem_node: the blob's range of the host-visible window while
	 * the host has it mapped, or NULL. Allocated separately: it outlives
	 * the object if the host fails to unmap.
	 */
	struct drm_mm_node *hostmem_node;
	/** @map_info: VIRTIO_GPU_MAP_CACHE_* from the host's MAP_INFO. */
	u32 map_info;
	/**
	 * @unref_cmd: the UNREF that frees the resource, made with the id,
	 * so that release never allocates: a free that cannot fail leaks
	 * nothing when memory is short.
	 */
	struct virtgpu2_vbuf *unref_cmd;
	/**
	 * @unmap_cmd: the UNMAP_BLOB of @hostmem_node, made with the map
	 * for the same reason; under @map_lock until release, and kept
	 * until destroy, which reads the host's answer.
	 */
	struct virtgpu2_vbuf *unmap_cmd;
	/** @unmap_sent: @unmap_cmd went out; set once, by the free path. */
	bool unmap_sent;
	/** @release_work: sends UNREF and frees, from process context. */
	struct work_struct release_work;
};

static inline struct virtgpu2_object *to_virtgpu2_object(struct drm_gem_object *obj)
{
	return container_of(obj, struct virtgpu2_object, shmem.base);
}

struct drm_gem_object *virtgpu2_gem_create_object(struct drm_device *drm,
						  size_t size);
int virtgpu2_object_assign_id(struct virtgpu2_device *vgdev,
			      struct virtgpu2_object *bo);
struct virtgpu2_object *virtgpu2_object_alloc(struct virtgpu2_device *vgdev,
					      size_t size);
int virtgpu2_object_create_wait(struct virtgpu2_object *bo,
				struct virtgpu2_vbuf *create);
int virtgpu2_object_create_host(struct virtgpu2_device *vgdev,
				struct virtgpu2_object *bo,
				struct virtgpu2_vbuf *create);
struct virtio_gpu_mem_entry *virtgpu2_sgt_entries(struct sg_table *sgt,
						  bool dma, u32 *nr);
int virtgpu2_object_guest_entries(struct virtgpu2_device *vgdev,
				  struct virtgpu2_object *bo,
				  struct virtio_gpu_mem_entry **entries, u32 *nr);
void virtgpu2_object_use_hostmem(struct virtgpu2_object *bo);
void virtgpu2_object_posted(struct virtgpu2_object *bo, struct virtgpu2_vbuf *create);
int virtgpu2_object_verdict(struct virtgpu2_object *bo, bool wait);
int virtgpu2_object_create_shmem(struct virtgpu2_device *vgdev,
				 struct virtgpu2_object *bo,
				 struct virtgpu2_vbuf *create);
void virtgpu2_object_sync_for_device(struct virtgpu2_device *vgdev,
				     struct virtgpu2_object *bo);
int virtgpu2_object_handle(struct drm_file *file, struct virtgpu2_object *bo,
			   u32 *handle);

#endif /* VIRTGPU2_OBJECT_H */
