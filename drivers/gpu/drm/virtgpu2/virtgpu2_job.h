/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Jobs and submission queues. A job is a fenced command; it is sent once
 * its in-fences have signalled and every earlier command of its context
 * was sent. Nobody waits for in-fences on the CPU.
 */
#ifndef VIRTGPU2_JOB_H
#define VIRTGPU2_JOB_H

#include <linux/dma-fence.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/mutex.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

struct drm_gem_object;
struct drm_pending_event;
struct virtgpu2_device;
struct virtgpu2_fence;
struct virtgpu2_timeline;
struct virtgpu2_vbuf;

/*
 * Bounds on what is held back behind unsignalled in-fences, past which
 * EXECBUFFER fails at once with -ENOSPC: per context, jobs and bytes; per
 * device, bytes, at most a sixteenth of RAM (virtgpu2_parked_budget()), so
 * that many files together cannot pin more than one may. A job's bytes
 * are what it holds that the user sized: itself, its stream, its object
 * and in-fence arrays.
 * What was sent waits for the host in ring slots, so the ring bounds it.
 */
#define VIRTGPU2_MAX_PARKED_JOBS 4096
#define VIRTGPU2_MAX_PARKED_BYTES SZ_32M
#define VIRTGPU2_MAX_DEVICE_PARKED_BYTES SZ_256M
/* The largest stream: an eighth of what a context may hold back. */
#define VIRTGPU2_MAX_STREAM (VIRTGPU2_MAX_PARKED_BYTES / 8)

/**
 * struct virtgpu2_queue - the order in which one context's commands are sent
 *
 * The host decodes a context's commands in the order they arrive, whatever
 * ring they name. So a job parked on its in-fences holds back every later
 * command of its context: jobs on its other rings, transfers, and the
 * attach and detach commands of its objects.
 */
struct virtgpu2_queue {
	/** @ref: held by the context and by each of its timelines. */
	struct kref ref;
	/** @vgdev: the device. */
	struct virtgpu2_device *vgdev;
	/**
	 * @lock: protects @jobs, @nr_parked and @parked_bytes, and
	 * serialises sending: every command of the context reaches the
	 * device under it.
	 */
	struct mutex lock;
	/** @jobs: jobs not yet sent, in submission order. */
	struct list_head jobs;
	/** @nr_parked: entries in @jobs; read without @lock as a hint. */
	u32 nr_parked;
	/** @parked_bytes: what the jobs in @jobs hold (their @cost). */
	u64 parked_bytes;
	/** @nr_charged: jobs in @jobs charged to the device's bound. */
	u32 nr_charged;
	/**
	 * @error: a command of the context could not be sent (the ring
	 * stayed full past the bound): nothing after it is sent either, so
	 * the host never sees a stream with a hole in it. Protected by @lock.
	 */
	int error;
	/**
	 * @in_flight: fenced jobs sent and not yet completed, at most
	 * virtgpu2_queue_max_in_flight(). Raised under @lock, lowered when
	 * their fences signal, often in interrupt context.
	 */
	atomic_t in_flight;
	/**
	 * @throttled: set when @jobs waits for @in_flight to drop; the
	 * completion that lowers @in_flight then runs @work.
	 */
	atomic_t throttled;
	/** @work: sends the jobs at the head of @jobs that are ready. */
	struct work_struct work;
	/** @idle: woken when @jobs becomes empty or jobs of it were sent. */
	wait_queue_head_t idle;
};

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
 * struct virtgpu2_job - a command waiting for its turn, and what it holds
 *
 * A job without a fence is a plain command (attach, detach) kept in its
 * context's order; it is freed as soon as it is sent.
 */
struct virtgpu2_job {
	/** @q: the queue, referenced. */
	struct virtgpu2_queue *q;
	/** @tl: the fence's timeline, referenced, or NULL without a fence. */
	struct virtgpu2_timeline *tl;
	/** @node: in @q->jobs until sent. */
	struct list_head node;
	/** @vbuf: the command, prepared for sending; NULL once sent. */
	struct virtgpu2_vbuf *vbuf;
	/** @fence: completes with the command, or NULL. */
	struct virtgpu2_fence *fence;
	/**
	 * @obj: the object a plain command names, referenced until it is
	 * sent, so that its UNREF cannot overtake it; NULL for jobs.
	 */
	struct drm_gem_object *obj;
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
	/** @cost: bytes the job holds, counted while it is parked. */
	u32 cost;
	/** @sent: counted in &virtgpu2_queue.in_flight until it completes. */
	bool sent;
	/** @charged: counted in &virtgpu2_device.parked_bytes while parked. */
	bool charged;
	/** @parked_ns: when the trace saw it parked, or 0 (see virtgpu2_trace.h). */
	u64 parked_ns;
	/** @deps: the in-fences. */
	struct virtgpu2_job_dep *deps;
	/** @free_node: on the device's list of jobs to release. */
	struct llist_node free_node;
};

struct virtgpu2_queue *virtgpu2_queue_create(struct virtgpu2_device *vgdev);
struct virtgpu2_queue *virtgpu2_queue_get(struct virtgpu2_queue *q);
void virtgpu2_queue_put(struct virtgpu2_queue *q);
int virtgpu2_queue_cmd(struct virtgpu2_queue *q, struct virtgpu2_vbuf *vbuf,
		       struct drm_gem_object *obj);
int virtgpu2_queue_lock_idle(struct virtgpu2_queue *q);
int virtgpu2_queue_send_locked(struct virtgpu2_queue *q, struct virtgpu2_vbuf *vbuf);
void virtgpu2_queue_cancel(struct virtgpu2_queue *q);
void virtgpu2_job_done(struct virtgpu2_job *job);
void virtgpu2_job_reap(struct virtgpu2_device *vgdev);
void virtgpu2_job_free_work(struct work_struct *work);
void virtgpu2_job_reap_work(struct work_struct *work);
u64 virtgpu2_parked_budget(void);

struct virtgpu2_job *virtgpu2_job_create(struct virtgpu2_timeline *tl,
					 struct virtgpu2_vbuf *vbuf,
					 struct drm_gem_object **bos, u32 nr_bos,
					 u32 max_deps);
void virtgpu2_job_add_dep(struct virtgpu2_job *job, struct dma_fence *fence);
struct dma_fence *virtgpu2_job_push(struct virtgpu2_job *job);
void virtgpu2_job_abort(struct virtgpu2_job *job);

#endif /* VIRTGPU2_JOB_H */
