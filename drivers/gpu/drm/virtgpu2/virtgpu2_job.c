// SPDX-License-Identifier: GPL-2.0-only
/*
 * The submission queue of a timeline. Userspace's in-fences are waited on
 * by callbacks, never by the submitting thread: a job whose fences are not
 * ready is parked, and the last fence to signal kicks the timeline's work.
 */

#include <linux/dma-resv.h>
#include <linux/slab.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>

#include "virtgpu2_drv.h"
#include "virtgpu2_fence.h"
#include "virtgpu2_job.h"

/**
 * virtgpu2_job_create() - wrap a command in a job
 * @tl: the timeline it goes out on
 * @vbuf: the command; owned by the job on success
 * @bos: kvmalloc()ed array of referenced objects; owned by the job on success
 * @nr_bos: entries in @bos
 * @max_deps: how many in-fences virtgpu2_job_add_dep() may add
 *
 * Return: the job, or NULL (the caller still owns @vbuf and @bos).
 */
struct virtgpu2_job *virtgpu2_job_create(struct virtgpu2_timeline *tl,
					 struct virtgpu2_vbuf *vbuf,
					 struct drm_gem_object **bos, u32 nr_bos,
					 u32 max_deps)
{
	struct virtgpu2_job *job = kzalloc(sizeof(*job), GFP_KERNEL);

	if (!job)
		return NULL;
	job->deps = kvcalloc(max_deps, sizeof(*job->deps), GFP_KERNEL);
	job->fence = virtgpu2_fence_alloc(tl);
	if ((max_deps && !job->deps) || !job->fence) {
		if (job->fence)
			virtgpu2_fence_free_unarmed(job->fence);
		kvfree(job->deps);
		kfree(job);
		return NULL;
	}
	kref_get(&tl->ref);
	job->tl = tl;
	job->vbuf = vbuf;
	job->bos = bos;
	job->nr_bos = nr_bos;
	atomic_set(&job->pending, 1);
	INIT_LIST_HEAD(&job->node);
	return job;
}

/**
 * virtgpu2_job_add_dep() - make the job wait for a fence
 * @job: a job not yet pushed
 * @fence: the in-fence; the job takes over the caller's reference
 */
void virtgpu2_job_add_dep(struct virtgpu2_job *job, struct dma_fence *fence)
{
	struct virtgpu2_job_dep *dep;

	/* Nothing to wait for, or the timeline's own order covers it. */
	if (dma_fence_is_signaled(fence) || fence->context == job->tl->context) {
		dma_fence_put(fence);
		return;
	}
	dep = &job->deps[job->nr_deps++];
	dep->fence = fence;
	dep->job = job;
}

/* Drop everything but the fence. */
static void virtgpu2_job_free(struct virtgpu2_job *job)
{
	u32 i;

	for (i = 0; i < job->nr_bos; i++)
		drm_gem_object_put(job->bos[i]);
	kvfree(job->bos);
	for (i = 0; i < job->nr_deps; i++)
		dma_fence_put(job->deps[i].fence);
	kvfree(job->deps);
	if (job->vbuf)
		virtgpu2_vbuf_put(job->vbuf);
	virtgpu2_timeline_put(job->tl);
	kfree(job);
}

static void virtgpu2_job_release(struct work_struct *work)
{
	struct virtgpu2_job *job = container_of(work, struct virtgpu2_job,
						release_work);

	dma_fence_put(&job->fence->base);
	virtgpu2_job_free(job);
}

/* Runs when the job's fence signals, often in interrupt context. */
static void virtgpu2_job_done(struct dma_fence *f, struct dma_fence_cb *cb)
{
	struct virtgpu2_job *job = container_of(cb, struct virtgpu2_job, done_cb);
	struct virtgpu2_device *vgdev = job->tl->vgdev;

	if (job->event)
		drm_send_event(&vgdev->drm, job->event);
	INIT_WORK(&job->release_work, virtgpu2_job_release);
	queue_work(vgdev->wq, &job->release_work);
}

/**
 * virtgpu2_job_abort() - free a job that was never pushed
 * @job: the job, with everything it owns
 */
void virtgpu2_job_abort(struct virtgpu2_job *job)
{
	if (job->event)
		drm_event_cancel_free(&job->tl->vgdev->drm, job->event);
	virtgpu2_fence_free_unarmed(job->fence);
	virtgpu2_job_free(job);
}

/*
 * Once queued, the answer may complete the fence and release the job on
 * another CPU at any moment: touch nothing of the job after that.
 */
static void virtgpu2_job_send(struct virtgpu2_job *job)
{
	struct virtgpu2_device *vgdev = job->tl->vgdev;
	struct virtgpu2_fence *fence = job->fence;
	struct virtgpu2_vbuf *vbuf = job->vbuf;
	int ret;

	job->vbuf = NULL;
	virtgpu2_fence_send(fence, vbuf);
	ret = virtgpu2_vq_queue(&vgdev->ctrlq, vbuf, false);
	if (ret)
		virtgpu2_fence_fail(fence, ret);
	virtgpu2_vbuf_put(vbuf);
}

/* Send every job at the head of the queue whose in-fences are done. */
static void virtgpu2_timeline_run_locked(struct virtgpu2_timeline *tl)
{
	struct virtgpu2_job *job;

	lockdep_assert_held(&tl->queue_lock);
	while ((job = list_first_entry_or_null(&tl->queue, struct virtgpu2_job, node)) &&
	       !atomic_read(&job->pending)) {
		list_del_init(&job->node);
		virtgpu2_job_send(job);
	}
}

void virtgpu2_timeline_queue_work(struct work_struct *work)
{
	struct virtgpu2_timeline *tl = container_of(work, struct virtgpu2_timeline,
						    queue_work);

	mutex_lock(&tl->queue_lock);
	virtgpu2_timeline_run_locked(tl);
	mutex_unlock(&tl->queue_lock);
	virtgpu2_timeline_put(tl);	/* taken by whoever queued the work */
}

static void virtgpu2_job_dep_signalled(struct dma_fence *f, struct dma_fence_cb *cb)
{
	struct virtgpu2_job_dep *dep = container_of(cb, struct virtgpu2_job_dep, cb);
	struct virtgpu2_timeline *tl = dep->job->tl;

	if (!atomic_dec_and_test(&dep->job->pending))
		return;
	kref_get(&tl->ref);
	if (!queue_work(tl->vgdev->wq, &tl->queue_work))
		virtgpu2_timeline_put(tl);
}

/* Put the job's fence on its objects, for WAIT and implicit sync. */
static int virtgpu2_job_lock_bos(struct virtgpu2_job *job,
				 struct ww_acquire_ctx *ticket)
{
	u32 i;
	int ret;

	if (!job->nr_bos)
		return 0;
	ret = drm_gem_lock_reservations(job->bos, job->nr_bos, ticket);
	if (ret)
		return ret;
	for (i = 0; i < job->nr_bos; i++) {
		ret = dma_resv_reserve_fences(job->bos[i]->resv, 1);
		if (ret) {
			drm_gem_unlock_reservations(job->bos, job->nr_bos, ticket);
			return ret;
		}
	}
	return 0;
}

/**
 * virtgpu2_job_push() - arm the job's fence and queue the job
 * @job: a job with all its in-fences added
 *
 * On success the job belongs to its timeline and may be gone by the time
 * this returns; its fence is on every object's reservation.
 *
 * Return: a new reference to the job's fence, or ERR_PTR(-ERESTARTSYS) or
 * ERR_PTR(-ENOMEM) (then the caller still owns the job: abort it).
 */
struct dma_fence *virtgpu2_job_push(struct virtgpu2_job *job)
{
	struct dma_fence *fence = &job->fence->base;
	struct virtgpu2_timeline *tl = job->tl;
	struct ww_acquire_ctx ticket;
	u32 i;
	int ret;

	ret = virtgpu2_job_lock_bos(job, &ticket);
	if (ret)
		return ERR_PTR(ret);
	mutex_lock(&tl->queue_lock);
	virtgpu2_fence_arm(job->fence);
	for (i = 0; i < job->nr_bos; i++)
		dma_resv_add_fence(job->bos[i]->resv, &job->fence->base,
				   DMA_RESV_USAGE_WRITE);
	if (job->nr_bos)
		drm_gem_unlock_reservations(job->bos, job->nr_bos, &ticket);

	dma_fence_get(fence);	/* the caller's */
	dma_fence_add_callback(fence, &job->done_cb, virtgpu2_job_done);
	for (i = 0; i < job->nr_deps; i++) {
		atomic_inc(&job->pending);
		if (dma_fence_add_callback(job->deps[i].fence, &job->deps[i].cb,
					   virtgpu2_job_dep_signalled))
			atomic_dec(&job->pending);	/* already signalled */
	}
	list_add_tail(&job->node, &tl->queue);
	atomic_dec(&job->pending);	/* the bias from virtgpu2_job_create() */
	virtgpu2_timeline_run_locked(tl);
	mutex_unlock(&tl->queue_lock);
	return fence;
}

/**
 * virtgpu2_timeline_cancel() - drop the jobs still waiting for in-fences
 * @tl: a timeline whose context is going away
 *
 * Their fences signal with -ECANCELED.
 */
void virtgpu2_timeline_cancel(struct virtgpu2_timeline *tl)
{
	struct virtgpu2_job *job, *tmp;
	u32 i;

	mutex_lock(&tl->queue_lock);
	list_for_each_entry_safe(job, tmp, &tl->queue, node) {
		list_del_init(&job->node);
		for (i = 0; i < job->nr_deps; i++)
			dma_fence_remove_callback(job->deps[i].fence, &job->deps[i].cb);
		virtgpu2_fence_cancel(job->fence, -ECANCELED);
	}
	mutex_unlock(&tl->queue_lock);
}
