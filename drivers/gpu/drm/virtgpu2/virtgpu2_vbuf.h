/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Command buffers: a command, its payload and room for the response, as
 * one allocation the transport hands to the device.
 */
#ifndef VIRTGPU2_VBUF_H
#define VIRTGPU2_VBUF_H

#include <linux/completion.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/scatterlist.h>
#include <linux/types.h>

struct dma_fence;
struct virtgpu2_vq;

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
	/** @queued_at: when it went on the ring, in jiffies, for debugfs. */
	unsigned long queued_at;
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
	 * @node: on &virtgpu2_vq.owed until the buffer is on the ring, on
	 * &virtgpu2_vq.inflight while it is, then on &virtgpu2_vq.answers
	 * or private to whoever finishes it.
	 */
	struct list_head node;
};

int virtgpu2_vbuf_cache_create(void);
void virtgpu2_vbuf_cache_destroy(void);
struct virtgpu2_vbuf *virtgpu2_vbuf_alloc(u32 cmd_size, u32 resp_size,
					  u32 expect, gfp_t gfp);
void virtgpu2_vbuf_put(struct virtgpu2_vbuf *vbuf);
void virtgpu2_vbuf_attach_data(struct virtgpu2_vbuf *vbuf, void *data,
			       u32 size);
int virtgpu2_vbuf_map_data(struct virtgpu2_vbuf *vbuf, unsigned int max_entries);

#endif /* VIRTGPU2_VBUF_H */
