// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fences and their timelines. A fence is tied to the command that carries
 * its fence_id, and is signalled when the device's answer to that command
 * is collected: at once, from the interrupt, once the fence has a waiter;
 * within a millisecond or so otherwise, by a timer, when lazy_answers is on
 * (virtgpu2_vq.c); by default every answer interrupts.
 */

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/virtio_gpu.h>

#include "virtgpu2_drv.h"
#include "virtgpu2_fence.h"
#include "virtgpu2_job.h"
#include "virtgpu2_live.h"
#include "virtgpu2_trace.h"

static const char *virtgpu2_fence_driver_name(struct dma_fence *f)
{
	return KBUILD_MODNAME;
}

static const char *virtgpu2_fence_timeline_name(struct dma_fence *f)
{
	return to_virtgpu2_fence(f)->tl->name;
}

static void virtgpu2_fence_release(struct dma_fence *f)
{
	struct virtgpu2_fence *fence = to_virtgpu2_fence(f);

	virtgpu2_timeline_put(fence->tl);
	dma_fence_free(f);
	virtgpu2_live_dec(VIRTGPU2_LIVE_FENCES);
	/* dma_fence_release() calls us under an RCU read lock: unload waits. */
	module_put(THIS_MODULE);
}

/*
 * The fence's first waiter: from now on the control queue interrupts for
 * every answer (virtgpu2_vq_make_prompt()), so the fence signals as soon
 * as the host answers. Until then answers nobody waits for are collected
 * in batches. Called under the fence's lock, only while the fence is
 * unsignalled, so the device is still there: its teardown signals every
 * fence, under that lock, before it goes. (No .signaled op for polls:
 * the core calls it without the lock. VIRTGPU_WAIT's NOWAIT collects the
 * answers itself.) The queue's lock nests inside the fence's.
 */
static bool virtgpu2_fence_enable_signaling(struct dma_fence *f)
{
	virtgpu2_vq_make_prompt(&to_virtgpu2_fence(f)->tl->vgdev->ctrlq);
	return true;
}

static const struct dma_fence_ops virtgpu2_fence_ops = {
	.get_driver_name = virtgpu2_fence_driver_name,
	.get_timeline_name = virtgpu2_fence_timeline_name,
	.enable_signaling = virtgpu2_fence_enable_signaling,
	.release = virtgpu2_fence_release,
};

bool virtgpu2_is_fence(struct dma_fence *f)
{
	/*
	 * Only compared, never followed, so no read-side section. The cast
	 * fits both kinds of kernel: ops is __rcu on newer ones, where
	 * rcu_access_pointer() belongs, and plain before, where sparse
	 * refuses it.
	 */
	return (__force const void *)READ_ONCE(f->ops) == &virtgpu2_fence_ops;
}

/**
 * virtgpu2_timeline_create() - a new timeline with its own fence context
 * @q: the submission queue of the timeline's context
 * @ctx_id: host context the timeline's commands belong to, 0 for the driver
 * @ring: host ring index, or %VIRTGPU2_NO_RING
 *
 * Return: the timeline with one reference, or NULL.
 */
struct virtgpu2_timeline *virtgpu2_timeline_create(struct virtgpu2_queue *q,
						   u32 ctx_id, int ring)
{
	struct virtgpu2_timeline *tl = kzalloc(sizeof(*tl), GFP_KERNEL_ACCOUNT);

	if (!tl)
		return NULL;
	virtgpu2_live_inc(VIRTGPU2_LIVE_TIMELINES);
	kref_init(&tl->ref);
	tl->vgdev = q->vgdev;
	tl->q = virtgpu2_queue_get(q);
	tl->context = dma_fence_context_alloc(1);
	tl->ctx_id = ctx_id;
	tl->ring = ring;
	tl->next_seqno = 1;
	tl->next_wire_id = 1;
	spin_lock_init(&tl->lock);
	INIT_LIST_HEAD(&tl->sent);
	if (ring == VIRTGPU2_NO_RING)
		snprintf(tl->name, sizeof(tl->name), "ctx%u", ctx_id);
	else
		snprintf(tl->name, sizeof(tl->name), "ctx%u-ring%d", ctx_id, ring);
	return tl;
}

static void virtgpu2_timeline_release(struct kref *ref)
{
	struct virtgpu2_timeline *tl = container_of(ref, struct virtgpu2_timeline, ref);

	virtgpu2_queue_put(tl->q);
	kfree_rcu(tl, rcu);
	virtgpu2_live_dec(VIRTGPU2_LIVE_TIMELINES);
}

void virtgpu2_timeline_put(struct virtgpu2_timeline *tl)
{
	kref_put(&tl->ref, virtgpu2_timeline_release);
}

/**
 * virtgpu2_fence_alloc() - memory for the next fence of a timeline
 * @tl: the timeline
 *
 * The fence gets its seqno from virtgpu2_fence_arm(), under the timeline's
 * queue's lock, so seqno order is always the order of sending.
 *
 * Return: the unarmed fence, or NULL.
 */
struct virtgpu2_fence *virtgpu2_fence_alloc(struct virtgpu2_timeline *tl)
{
	struct virtgpu2_fence *fence = kzalloc(sizeof(*fence), GFP_KERNEL_ACCOUNT);

	if (!fence)
		return NULL;
	virtgpu2_live_inc(VIRTGPU2_LIVE_FENCES);
	kref_get(&tl->ref);
	fence->tl = tl;
	INIT_LIST_HEAD(&fence->node);
	return fence;
}

/* For error paths: a fence that was never armed is plain memory. */
void virtgpu2_fence_free_unarmed(struct virtgpu2_fence *fence)
{
	virtgpu2_timeline_put(fence->tl);
	kfree(fence);
	virtgpu2_live_dec(VIRTGPU2_LIVE_FENCES);
}

/**
 * virtgpu2_fence_arm() - give the fence its place on the timeline
 * @fence: an unarmed fence; from here on it is reference counted
 */
void virtgpu2_fence_arm(struct virtgpu2_fence *fence)
{
	struct virtgpu2_timeline *tl = fence->tl;
	unsigned long flags;
	u64 seqno;

	lockdep_assert_held(&tl->q->lock);
	spin_lock_irqsave(&tl->lock, flags);
	seqno = tl->next_seqno++;
	spin_unlock_irqrestore(&tl->lock, flags);
	/*
	 * A fence calls into this module (names, release) for as long as
	 * anyone holds it, sync_files of other processes included: each
	 * armed fence pins the module until released.
	 */
	__module_get(THIS_MODULE);
	dma_fence_init(&fence->base, &virtgpu2_fence_ops, &tl->lock, tl->context,
		       seqno);
}

/* Put an armed fence at the end of the timeline's list of pending fences. */
static void virtgpu2_fence_enlist_locked(struct virtgpu2_fence *fence)
{
	lockdep_assert_held(&fence->tl->lock);
	dma_fence_get(&fence->base);	/* for the list */
	list_add_tail(&fence->node, &fence->tl->sent);
}

static void virtgpu2_fence_signal_locked(struct virtgpu2_fence *f)
{
	struct virtgpu2_job *job = f->job;

	list_del_init(&f->node);
	dma_fence_signal_locked(&f->base);
	trace_virtgpu2_fence_signalled(f);
	if (job) {
		f->job = NULL;
		virtgpu2_job_done(job);
	}
	dma_fence_put(&f->base);	/* the list's reference */
}

/*
 * Signal the given-up fences at the head of the list: nothing earlier is
 * pending any more, so their turn has come.
 */
static void virtgpu2_timeline_signal_unsent_locked(struct virtgpu2_timeline *tl)
{
	struct virtgpu2_fence *f;

	lockdep_assert_held(&tl->lock);
	while ((f = list_first_entry_or_null(&tl->sent, struct virtgpu2_fence, node)) &&
	       f->unsent)
		virtgpu2_fence_signal_locked(f);
}

/* A pending fence will get no answer: it signals with @error in its turn. */
static void virtgpu2_fence_give_up_locked(struct virtgpu2_fence *fence, int error)
{
	dma_fence_set_error(&fence->base, error);
	fence->unsent = true;
	virtgpu2_timeline_signal_unsent_locked(fence->tl);
}

/**
 * virtgpu2_fence_cancel() - a fence whose command will never be sent
 * @fence: an armed, unsent fence
 * @error: why
 *
 * The fence signals with @error once every fence sent before it has
 * signalled, so a timeline's fences always signal in seqno order.
 */
void virtgpu2_fence_cancel(struct virtgpu2_fence *fence, int error)
{
	struct virtgpu2_timeline *tl = fence->tl;
	unsigned long flags;

	spin_lock_irqsave(&tl->lock, flags);
	virtgpu2_fence_enlist_locked(fence);
	virtgpu2_fence_give_up_locked(fence, error);
	spin_unlock_irqrestore(&tl->lock, flags);
}

/*
 * The device answered @fence's command: signal it and every fence before
 * it on its timeline (the host completes a timeline in order), then any
 * given-up fences right behind it.
 */
static void virtgpu2_fence_retire(struct virtgpu2_fence *fence, int error)
{
	struct virtgpu2_timeline *tl = fence->tl;
	struct virtgpu2_fence *f, *tmp;
	unsigned long flags;

	spin_lock_irqsave(&tl->lock, flags);
	if (list_empty(&fence->node)) {	/* already retired by a later one */
		spin_unlock_irqrestore(&tl->lock, flags);
		return;
	}
	if (error)
		dma_fence_set_error(&fence->base, error);
	list_for_each_entry_safe(f, tmp, &tl->sent, node) {
		virtgpu2_fence_signal_locked(f);
		if (f == fence)
			break;
	}
	virtgpu2_timeline_signal_unsent_locked(tl);
	spin_unlock_irqrestore(&tl->lock, flags);
}

static void virtgpu2_fence_done(struct virtgpu2_vbuf *vbuf)
{
	virtgpu2_fence_retire(vbuf->priv, vbuf->status);
	dma_fence_put(vbuf->priv);
}

/**
 * virtgpu2_fence_send() - attach a fence to the command about to be queued
 * @fence: the oldest unsent fence of its timeline
 * @vbuf: the command; its header gets the fence flags and fence_id
 *
 * Call with the timeline's queue lock held, immediately before queueing
 * @vbuf. If queueing fails, call virtgpu2_fence_fail().
 */
void virtgpu2_fence_send(struct virtgpu2_fence *fence, struct virtgpu2_vbuf *vbuf)
{
	struct virtgpu2_timeline *tl = fence->tl;
	struct virtio_gpu_ctrl_hdr *hdr = vbuf->cmd;
	u32 flags = VIRTIO_GPU_FLAG_FENCE;
	unsigned long irqflags;
	u64 wire_id = 0;

	lockdep_assert_held(&tl->q->lock);
	spin_lock_irqsave(&tl->lock, irqflags);
	if (tl->ring != VIRTGPU2_NO_RING)
		wire_id = tl->next_wire_id++;
	virtgpu2_fence_enlist_locked(fence);
	spin_unlock_irqrestore(&tl->lock, irqflags);

	if (tl->ring != VIRTGPU2_NO_RING) {
		/* One timeline per ring, sent under its queue's lock: in order. */
		flags |= VIRTIO_GPU_FLAG_INFO_RING_IDX;
		hdr->ring_idx = tl->ring;
		hdr->fence_id = cpu_to_le64(wire_id);
	} else {
		/* Shared by every context: numbered on the ring itself. */
		vbuf->fence_ids = &tl->vgdev->fence_wire_id;
	}
	hdr->flags |= cpu_to_le32(flags);
	vbuf->on_done = virtgpu2_fence_done;
	vbuf->priv = &fence->base;
	vbuf->awaited = &fence->base;
	trace_virtgpu2_fence_emitted(fence);
	dma_fence_get(&fence->base);	/* for the command */
}

/**
 * virtgpu2_fence_fail() - a sent fence's command never reached the device
 * @fence: the fence given to virtgpu2_fence_send()
 * @error: why
 *
 * Only @fence gets @error, and only once every earlier fence of its
 * timeline has signalled: those commands are still on the device.
 */
void virtgpu2_fence_fail(struct virtgpu2_fence *fence, int error)
{
	struct virtgpu2_timeline *tl = fence->tl;
	unsigned long flags;

	spin_lock_irqsave(&tl->lock, flags);
	virtgpu2_fence_give_up_locked(fence, error);
	spin_unlock_irqrestore(&tl->lock, flags);
	dma_fence_put(&fence->base);	/* the command's reference */
}
