/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Fence timelines: one per (context, ring), one per context for submissions
 * without a ring, and one for the driver's own commands.
 */
#ifndef VIRTGPU2_FENCE_H
#define VIRTGPU2_FENCE_H

#include <linux/dma-fence.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

struct virtgpu2_device;
struct virtgpu2_queue;
struct virtgpu2_job;
struct virtgpu2_vbuf;

/** Bytes of a timeline's name, its NUL included. */
#define VIRTGPU2_TIMELINE_NAME_LEN 32

/** The ring index of a timeline that is not a ring of its context. */
#define VIRTGPU2_NO_RING (-1)

/**
 * struct virtgpu2_timeline - a dma-fence context: one ring of a context
 *
 * Fences are retired in the order they were sent, which is seqno order:
 * completing one retires every earlier fence of the same timeline.
 */
struct virtgpu2_timeline {
	/** @ref: held by the owner, by every fence and by every queued job. */
	struct kref ref;
	/** @vgdev: the device. */
	struct virtgpu2_device *vgdev;
	/** @context: the dma-fence context. */
	u64 context;
	/** @ctx_id: host context id, 0 for the driver's own commands. */
	u32 ctx_id;
	/** @ring: ring index on the host, or %VIRTGPU2_NO_RING. */
	int ring;
	/**
	 * @lock: protects @next_seqno, @next_wire_id and @sent, and is the
	 * lock of every fence on this timeline. Taken in interrupt context.
	 */
	spinlock_t lock;
	/** @next_seqno: seqno of the next fence created. */
	u64 next_seqno;
	/** @next_wire_id: next fence_id sent for a ring timeline. */
	u64 next_wire_id;
	/**
	 * @sent: fences sent to the device (or given up on) and not yet
	 * signalled, in seqno order.
	 */
	struct list_head sent;
	/**
	 * @q: the submission queue of the timeline's context, referenced;
	 * its lock orders arming and sending.
	 */
	struct virtgpu2_queue *q;
	/** @name: for sync_file and debugfs. */
	char name[VIRTGPU2_TIMELINE_NAME_LEN];
	/** @rcu: fence users may read @name under RCU until freed. */
	struct rcu_head rcu;
};

/**
 * struct virtgpu2_fence - a fence completed by a device answer
 */
struct virtgpu2_fence {
	/** @base: the dma-fence; its lock is @tl->lock. */
	struct dma_fence base;
	/** @tl: the timeline, referenced. */
	struct virtgpu2_timeline *tl;
	/**
	 * @node: in @tl->sent from sending (or cancelling) until signalled.
	 * Protected by @tl->lock.
	 */
	struct list_head node;
	/**
	 * @unsent: the command never reached the device, so no answer will
	 * signal this fence: it signals, with its error, as soon as every
	 * earlier fence of the timeline has. Protected by @tl->lock.
	 */
	bool unsent;
	/**
	 * @job: the job that sends it, told right after the fence signals
	 * (virtgpu2_job_done()); set when armed. A job is told so, rather
	 * than through a dma-fence callback, so that only real waiters
	 * enable signalling (see virtgpu2_fence_enable_signaling()).
	 * Protected by @tl->lock once armed.
	 */
	struct virtgpu2_job *job;
};

struct virtgpu2_timeline *virtgpu2_timeline_create(struct virtgpu2_queue *q,
						   u32 ctx_id, int ring);
void virtgpu2_timeline_put(struct virtgpu2_timeline *tl);
struct virtgpu2_fence *virtgpu2_fence_alloc(struct virtgpu2_timeline *tl);
void virtgpu2_fence_arm(struct virtgpu2_fence *fence);
void virtgpu2_fence_free_unarmed(struct virtgpu2_fence *fence);
void virtgpu2_fence_cancel(struct virtgpu2_fence *fence, int error);
void virtgpu2_fence_send(struct virtgpu2_fence *fence, struct virtgpu2_vbuf *vbuf);
void virtgpu2_fence_fail(struct virtgpu2_fence *fence, int error);
bool virtgpu2_is_fence(struct dma_fence *f);

static inline struct virtgpu2_fence *to_virtgpu2_fence(struct dma_fence *f)
{
	return container_of(f, struct virtgpu2_fence, base);
}

#endif /* VIRTGPU2_FENCE_H */
