/* SPDX-License-Identifier: GPL-2.0-only */
/* Per-file host contexts: personality, rings, poll mask, debug name. */
#ifndef VIRTGPU2_CONTEXT_H
#define VIRTGPU2_CONTEXT_H

#include <linux/mutex.h>
#include <linux/types.h>

struct drm_file;
struct virtgpu2_device;
struct virtgpu2_object;
struct virtgpu2_queue;
struct virtgpu2_timeline;

/** The most rings a context can have (the header's ring_idx is a u8). */
#define VIRTGPU2_MAX_RINGS 64

/**
 * struct virtgpu2_context - a host context, immutable once published
 */
struct virtgpu2_context {
	/** @ctx_id: host context id. */
	u32 ctx_id;
	/** @capset_id: personality, 0 for the device's default. */
	u32 capset_id;
	/** @num_rings: rings the context asked for (0: none). */
	u32 num_rings;
	/** @poll_mask: rings whose completions become DRM events. */
	u64 poll_mask;
	/** @q: the order in which the context's commands are sent. */
	struct virtgpu2_queue *q;
	/** @default_tl: timeline of submissions without a ring. */
	struct virtgpu2_timeline *default_tl;
	/**
	 * @destroy_cmd: the CTX_DESTROY of postclose, made with the context:
	 * were it allocated at close and failed, the host would keep the
	 * context while its id went back to the pool for reuse.
	 */
	struct virtgpu2_vbuf *destroy_cmd;
	/** @rings: one timeline per ring, @num_rings of them. */
	struct virtgpu2_timeline *rings[];
};

/**
 * struct virtgpu2_context_params - what CONTEXT_INIT asked for
 */
struct virtgpu2_context_params {
	/** @capset_id: 0 when not given. */
	u32 capset_id;
	/** @num_rings: 0 when not given. */
	u32 num_rings;
	/** @poll_mask: 0 when not given. */
	u64 poll_mask;
	/** @debug_name: NUL-terminated; empty means the process name. */
	char debug_name[64];
};

/**
 * struct virtgpu2_file - per-open-file driver state
 */
struct virtgpu2_file {
	/** @vgdev: the device. */
	struct virtgpu2_device *vgdev;
	/** @file: the DRM file. */
	struct drm_file *file;
	/**
	 * @ctx_lock: serialises creation of @ctx and the attach/detach
	 * commands that depend on whether it exists.
	 */
	struct mutex ctx_lock;
	/**
	 * @ctx: the host context, NULL until created. Written once under
	 * @ctx_lock with release semantics; read with virtgpu2_file_ctx().
	 */
	struct virtgpu2_context *ctx;
	/**
	 * @early: the file's handles opened before @ctx existed, as
	 * &struct virtgpu2_early_handle; attached when @ctx is created.
	 * Protected by @ctx_lock.
	 */
	struct list_head early;
};

static inline struct virtgpu2_context *virtgpu2_file_ctx(struct virtgpu2_file *vfile)
{
	/* Pairs with the release in context creation: see a whole context. */
	return smp_load_acquire(&vfile->ctx);
}

int virtgpu2_file_open(struct virtgpu2_device *vgdev, struct drm_file *file);
void virtgpu2_file_close(struct virtgpu2_file *vfile);
struct virtgpu2_context *virtgpu2_context_get(struct virtgpu2_file *vfile);
int virtgpu2_context_init(struct virtgpu2_file *vfile,
			  const struct virtgpu2_context_params *p);
int virtgpu2_context_attach(struct virtgpu2_file *vfile,
			    struct virtgpu2_object *bo);
void virtgpu2_context_detach(struct virtgpu2_file *vfile,
			     struct virtgpu2_object *bo);

#endif /* VIRTGPU2_CONTEXT_H */
