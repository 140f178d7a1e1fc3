/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Transport: virtqueue buffers, submission and completion. Knows nothing
 * about what the commands mean.
 */
#ifndef VIRTGPU2_VQ_H
#define VIRTGPU2_VQ_H

#include <linux/hrtimer.h>
#include <linux/irq_work.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include "virtgpu2_vbuf.h"

struct seq_file;
struct virtqueue;
struct virtgpu2_device;

/**
 * struct virtgpu2_vq - one virtqueue and its submission state
 */
struct virtgpu2_vq {
	/**
	 * @vq: the virtqueue; NULL once the device is gone. Protected by
	 * @lock: only touched after checking @dead under it.
	 */
	struct virtqueue *vq;
	/**
	 * @lock: protects @vq and @dead; taken in interrupt context, so
	 * always with interrupts off.
	 */
	spinlock_t lock;
	/** @dev: the virtio device, for messages; outlives @vq. */
	struct device *dev;
	/** @ring_size: descriptors in the ring; constant once set up. */
	unsigned int ring_size;
	/** @indirect: the ring takes indirect descriptor tables. */
	bool indirect;
	/** @space: woken when descriptors are freed or the device dies. */
	wait_queue_head_t space;
	/** @dead: the device is going away; nothing more is queued. */
	bool dead;
	/**
	 * @stalled: a sender waited VIRTGPU2_VQ_TIMEOUT for room and no
	 * answer came since: senders needing room fail at once instead of
	 * each waiting as long, which behind a context's lock would add up to
	 * minutes. The next answer clears it. Written under @lock.
	 */
	bool stalled;
	/**
	 * @kick_owed: posted or batched buffers were added since the last
	 * kick. Protected by @lock.
	 */
	bool kick_owed;
	/**
	 * @kick_timer: pays a kick owed for posted buffers once
	 * VIRTGPU2_VQ_POSTED_DELAY_US have passed without another kick.
	 * Batched buffers arm no timer: their sender pays at once.
	 */
	struct hrtimer kick_timer;
	/**
	 * @owed: buffers of senders that must not wait, taken while the ring
	 * was full (see virtgpu2_vq_queue_owed()), oldest first. They go on
	 * the ring as answers free room, and until the list is empty every
	 * other sender waits behind it, so nothing overtakes them. Protected
	 * by @lock.
	 */
	struct list_head owed;
	/**
	 * @prompt: someone waits for an answer: the device interrupts for
	 * every answer until the ring is empty again. Otherwise it does not
	 * interrupt, and answers are collected by @collect_timer and by
	 * NOWAIT pollers (see virtgpu2_vq_rearm()). Protected by @lock.
	 */
	bool prompt;
	/**
	 * @collect_timer: collects the answers nobody waits for, at most
	 * VIRTGPU2_VQ_COLLECT_US after a buffer went on the ring while
	 * @prompt was off.
	 */
	struct hrtimer collect_timer;
	/** @collect_us: @collect_timer's delay, backed off; under @lock. */
	unsigned int collect_us;
	/**
	 * @inflight: buffers on the ring, oldest first, so that debugfs can
	 * say what a silent host holds. Protected by @lock.
	 */
	struct list_head inflight;
	/**
	 * @answers: collected, not yet finished, in ring order; see
	 * virtgpu2_vq_finish_answers(). Protected by @lock.
	 */
	struct list_head answers;
	/** @finishing: someone is finishing @answers. Protected by @lock. */
	bool finishing;
	/**
	 * @poll_work: collects answers that came while interrupts were held
	 * back, once someone starts waiting; in interrupt context, like the
	 * virtqueue callback.
	 */
	struct irq_work poll_work;
	/** @name: for log messages. */
	const char *name;
};

void virtgpu2_vq_make_prompt(struct virtgpu2_vq *q);
void virtgpu2_vq_collect(struct virtgpu2_vq *q);
void virtgpu2_vbuf_awaited(struct virtgpu2_vbuf *vbuf);

void virtgpu2_vq_init(struct virtgpu2_vq *q, const char *name);
void virtgpu2_vq_setup(struct virtgpu2_vq *q, struct virtqueue *vq);
unsigned int virtgpu2_vq_max_payload(const struct virtgpu2_vq *q);
void virtgpu2_vq_show(struct virtgpu2_vq *q, struct seq_file *m, const char *label);
int virtgpu2_vq_prepare(struct virtgpu2_vq *q, struct virtgpu2_vbuf *vbuf);
struct virtgpu2_vbuf *virtgpu2_vq_prepared(struct virtgpu2_vq *q,
					   struct virtgpu2_vbuf *vbuf);
int virtgpu2_vq_queue(struct virtgpu2_vq *q, struct virtgpu2_vbuf *vbuf,
		      bool interruptible);
int virtgpu2_vq_queue_owed(struct virtgpu2_vq *q, struct virtgpu2_vbuf *vbuf);
int virtgpu2_vq_queue_panic(struct virtgpu2_vq *q, struct virtgpu2_vbuf *vbuf);
int virtgpu2_vbuf_wait(struct virtgpu2_vbuf *vbuf, bool interruptible);
int virtgpu2_vbuf_wait_answer(struct virtgpu2_vbuf *vbuf);
void virtgpu2_vq_flush(struct virtgpu2_vq *q);
void virtgpu2_vq_done(struct virtgpu2_vq *q);
void virtgpu2_vq_kill(struct virtgpu2_vq *q);
void virtgpu2_vq_drain(struct virtgpu2_vq *q);
void virtgpu2_vq_forget(struct virtgpu2_vq *q);

#endif /* VIRTGPU2_VQ_H */
