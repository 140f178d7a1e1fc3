/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jobs: fenced commands queued on a timeline. A job is sent once its
 * in-fences have signalled and every earlier job of its timeline was sent;
 * nobody waits for in-fences on the CPU.
 */
#ifndef VIRTGPU2_JOB_H
#define VIRTGPU2_JOB_H

#include <linux/dma-fence.h>
#include <linux/list.h>
#include <linux/workqueue.h>

struct drm_gem_object;
struct drm_pending_event;
struct virtgpu2_fence;
struct virtgpu2_timeline;
struct virtgpu2_vbuf;

/**
 * struct virtgpu2_job_dep - one in-fence of a job
 */
struct virtgpu2_job_dep {
	/** @cb: on @fence. */
	struct dma_fence_cb cb;
	/** @fence: referenced until the job is freed. */
	struct dma_fence *fence;
	/** @job: the owner. */
	struct virtgpu2_job *job;
};

/**
 * struct virtgpu2_job - a fenced command and what it holds on to
 */
struct virtgpu2_job {
	/** @tl: the timeline, referenced. */
	struct virtgpu2_timeline *tl;
	/** @node: in @tl->queue until sent. */
	struct list_head node;
	/** @vbuf: the command; NULL once sent. */
	struct virtgpu2_vbuf *vbuf;
	/** @fence: completes with the command. */
	struct virtgpu2_fence *fence;
	/** @bos: objects the command uses, referenced until it completes. */
	struct drm_gem_object **bos;
	/** @nr_bos: entries in @bos. */
	u32 nr_bos;
	/** @event: DRM event sent on completion, or NULL. */
	struct drm_pending_event *event;
	/** @pending: in-fences not yet signalled, plus one until pushed. */
	atomic_t pending;
	/** @nr_deps: entries in @deps. */
	u32 nr_deps;
	/** @deps: the in-fences. */
	struct virtgpu2_job_dep *deps;
	/** @done_cb: on @fence: releases the job. */
	struct dma_fence_cb done_cb;
	/** @release_work: drops the references from process context. */
	struct work_struct release_work;
};

struct virtgpu2_job *virtgpu2_job_create(struct virtgpu2_timeline *tl,
					 struct virtgpu2_vbuf *vbuf,
					 struct drm_gem_object **bos, u32 nr_bos,
					 u32 max_deps);
void virtgpu2_job_add_dep(struct virtgpu2_job *job, struct dma_fence *fence);
struct dma_fence *virtgpu2_job_push(struct virtgpu2_job *job);
void virtgpu2_job_abort(struct virtgpu2_job *job);
void virtgpu2_timeline_cancel(struct virtgpu2_timeline *tl);
void virtgpu2_timeline_queue_work(struct work_struct *work);

#endif /* VIRTGPU2_JOB_H */
