/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Transport: virtqueue buffers, submission and completion. Knows nothing
 * about what the commands mean.
 */
#ifndef VIRTGPU2_VQ_H
#define VIRTGPU2_VQ_H

#include <linux/completion.h>
#include <linux/hrtimer.h>
#include <linux/irq_work.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/scatterlist.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

struct virtqueue;
struct virtgpu2_device;

/*
 * &virtgpu2_vbuf.expect of a command the device completes without writing
 * a response (the cursor queue's commands).
 */
#define VIRTGPU2_NO_RESPONSE 0

struct virtgpu2_vbuf;

/**
 * typedef virtgpu2_vbuf_done_t - called when the device answered a buffer
 * @vbuf: the buffer; @vbuf->status holds the decoded result
 *
 * Runs in interrupt context, or with bottom halves off (see
 * virtgpu2_vq_done()): it must not sleep.
 */
typedef void (*virtgpu2_vbuf_done_t)(struct virtgpu2_vbuf *vbuf);

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

/**
 * struct virtgpu2_vbuf - one command, its payload and its response
 *
 * A buffer holds one reference for whoever submitted it and one for the
 * queue while the device owns it, so a waiter that gives up (a signal, a
 * timeout) never frees memory the device may still write.
 */
struct virtgpu2_vbuf {
	/** @ref: see above. */
	struct kref ref;
	/** @cmd: the command, starting with struct virtio_gpu_ctrl_hdr. */
	void *cmd;
	/** @cmd_size: bytes in @cmd. */
	u32 cmd_size;
	/** @resp: the response buffer, starting with the control header. */
	void *resp;
	/** @resp_size: bytes in @resp. */
	u32 resp_size;
	/** @resp_len: bytes the device wrote into @resp. */
	u32 resp_len;
	/** @expect: the response type that means success. */
	u32 expect;
	/** @data: optional payload sent after @cmd (kmalloc or vmalloc). */
	void *data;
	/** @data_size: bytes in @data. */
	u32 data_size;
	/**
	 * @data_sgl: @data as a scatter list, built by virtgpu2_vq_prepare():
	 * @data_sg for a kmalloc()ed payload, else kmalloc()ed.
	 */
	struct scatterlist *data_sgl;
	/** @data_sg: the one entry of a kmalloc()ed payload. */
	struct scatterlist data_sg;
	/** @cached: from the buffer cache, not kmalloc(). */
	bool cached;
	/**
	 * @prompt: its answer is awaited, so the queue turns prompt when the
	 * buffer goes on the ring (see &virtgpu2_vq.prompt).
	 */
	bool prompt;
	/** @q: the queue it went to, for waiters; set when queued. */
	struct virtgpu2_vq *q;
	/**
	 * @awaited: the fence the answer signals, if any: once it has a
	 * waiter, the buffer goes on the ring prompt. Referenced through
	 * @priv.
	 */
	struct dma_fence *awaited;
	/** @queued_ns: when it went on the ring, for the trace; or 0. */
	u64 queued_ns;
	/** @data_nents: entries in @data_sgl. */
	unsigned int data_nents;
	/** @status: 0 or a negative errno, valid once @done completed. */
	int status;
	/** @done: completed after the device answered or the queue died. */
	struct completion done;
	/**
	 * @fence_ids: when set, the command's fence_id is drawn from this
	 * counter under the queue's lock, right before the buffer goes on
	 * the ring, so that ids reach the device in increasing order.
	 */
	atomic64_t *fence_ids;
	/**
	 * @posted: nobody waits for the answer, so the kick may be put off
	 * to share it with the next command (see virtgpu2_vq_queue()).
	 */
	bool posted;
	/**
	 * @batched: one of a burst whose sender calls virtgpu2_vq_flush()
	 * right after: no kick, and no timer, for this buffer.
	 */
	bool batched;
	/** @on_done: optional callback, see &virtgpu2_vbuf_done_t. */
	virtgpu2_vbuf_done_t on_done;
	/** @priv: for @on_done. */
	void *priv;
	/**
	 * @node: on &virtgpu2_vq.owed until the buffer is on the ring, then
	 * private to the completion handler.
	 */
	struct list_head node;
};

void virtgpu2_vq_make_prompt(struct virtgpu2_vq *q);
void virtgpu2_vq_collect(struct virtgpu2_vq *q);
void virtgpu2_vbuf_awaited(struct virtgpu2_vbuf *vbuf);
int virtgpu2_vbuf_cache_create(void);
void virtgpu2_vbuf_cache_destroy(void);
struct virtgpu2_vbuf *virtgpu2_vbuf_alloc(u32 cmd_size, u32 resp_size,
					  u32 expect, gfp_t gfp);
void virtgpu2_vbuf_put(struct virtgpu2_vbuf *vbuf);
void virtgpu2_vbuf_attach_data(struct virtgpu2_vbuf *vbuf, void *data,
			       u32 size);

void virtgpu2_vq_init(struct virtgpu2_vq *q, const char *name);
void virtgpu2_vq_setup(struct virtgpu2_vq *q, struct virtqueue *vq);
unsigned int virtgpu2_vq_max_payload(const struct virtgpu2_vq *q);
unsigned int virtgpu2_vq_free_descs(struct virtgpu2_vq *q);
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
