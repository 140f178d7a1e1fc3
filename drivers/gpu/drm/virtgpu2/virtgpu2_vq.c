// SPDX-License-Identifier: GPL-2.0-only
/*
 * Transport: put command buffers on a virtqueue, wait for room, and hand
 * each answer back to whoever asked, with the host's verdict as an errno.
 */

#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_gpu.h>
#include <linux/virtio_ring.h>

#include "virtgpu2_vq.h"

/* How long a kernel-internal submission waits for room before giving up. */
#define VIRTGPU2_VQ_TIMEOUT (10 * HZ)

/**
 * virtgpu2_vbuf_alloc() - allocate a command buffer and its response buffer
 * @cmd_size: bytes of command, header included
 * @resp_size: bytes of response, header included
 * @expect: response type that means success
 * @gfp: allocation flags
 *
 * Return: the buffer, zeroed, with one reference for the caller, or NULL.
 */
struct virtgpu2_vbuf *virtgpu2_vbuf_alloc(u32 cmd_size, u32 resp_size,
					  u32 expect, gfp_t gfp)
{
	struct virtgpu2_vbuf *vbuf;

	resp_size = max_t(u32, resp_size, sizeof(struct virtio_gpu_ctrl_hdr));
	vbuf = kzalloc(sizeof(*vbuf) + cmd_size + resp_size, gfp);
	if (!vbuf)
		return NULL;
	kref_init(&vbuf->ref);
	init_completion(&vbuf->done);
	vbuf->cmd = vbuf + 1;
	vbuf->cmd_size = cmd_size;
	vbuf->resp = vbuf->cmd + cmd_size;
	vbuf->resp_size = resp_size;
	vbuf->expect = expect;
	return vbuf;
}

static void virtgpu2_vbuf_release(struct kref *ref)
{
	struct virtgpu2_vbuf *vbuf = container_of(ref, struct virtgpu2_vbuf, ref);

	kvfree(vbuf->data);
	kfree(vbuf);
}

void virtgpu2_vbuf_put(struct virtgpu2_vbuf *vbuf)
{
	kref_put(&vbuf->ref, virtgpu2_vbuf_release);
}

/**
 * virtgpu2_vbuf_attach_data() - give a payload to a command buffer
 * @vbuf: the buffer
 * @data: kmalloc() or kvmalloc() memory; the buffer frees it with kvfree()
 * @size: bytes to send
 *
 * The payload is owned by @vbuf from here on.
 */
void virtgpu2_vbuf_attach_data(struct virtgpu2_vbuf *vbuf, void *data, u32 size)
{
	vbuf->data = data;
	vbuf->data_size = size;
}

/* A vmalloc()ed payload is only virtually contiguous: one entry a page. */
static struct scatterlist *virtgpu2_data_sgl(void *data, u32 size,
					     unsigned int *nents)
{
	unsigned int i, n, off, len;
	struct scatterlist *sgl;

	if (!is_vmalloc_addr(data)) {
		sgl = kmalloc(sizeof(*sgl), GFP_KERNEL);
		if (sgl)
			sg_init_one(sgl, data, size);
		*nents = 1;
		return sgl;
	}
	off = offset_in_page(data);
	n = DIV_ROUND_UP(off + size, PAGE_SIZE);
	sgl = kmalloc_array(n, sizeof(*sgl), GFP_KERNEL);
	if (!sgl)
		return NULL;
	sg_init_table(sgl, n);
	for (i = 0; i < n; i++) {
		len = min_t(u32, size, PAGE_SIZE - off);
		sg_set_page(&sgl[i], vmalloc_to_page(data), len, off);
		data += len;
		size -= len;
		off = 0;
	}
	*nents = n;
	return sgl;
}

static bool virtgpu2_vq_has_room(struct virtgpu2_vq *q, unsigned int need)
{
	return READ_ONCE(q->dead) || READ_ONCE(q->vq->num_free) >= need;
}

static int virtgpu2_vq_wait_room(struct virtgpu2_vq *q, unsigned int need,
				 bool interruptible)
{
	if (interruptible)
		return wait_event_interruptible(q->space,
						virtgpu2_vq_has_room(q, need));
	if (!wait_event_timeout(q->space, virtgpu2_vq_has_room(q, need),
				VIRTGPU2_VQ_TIMEOUT)) {
		dev_err_ratelimited(&q->vq->vdev->dev,
				    "%s queue: no room for %u s, device stuck?\n",
				    q->name, VIRTGPU2_VQ_TIMEOUT / HZ);
		return -ETIMEDOUT;
	}
	return 0;
}

static int virtgpu2_vq_add(struct virtgpu2_vq *q, struct virtgpu2_vbuf *vbuf,
			   struct scatterlist **sgs, unsigned int outcnt,
			   unsigned int incnt, unsigned int need,
			   bool interruptible)
{
	unsigned long flags;
	bool notify;
	int ret;

	for (;;) {
		spin_lock_irqsave(&q->lock, flags);
		if (q->dead) {
			spin_unlock_irqrestore(&q->lock, flags);
			return -ENODEV;
		}
		ret = virtqueue_add_sgs(q->vq, sgs, outcnt, incnt, vbuf, GFP_ATOMIC);
		if (ret != -ENOSPC)
			break;
		spin_unlock_irqrestore(&q->lock, flags);
		ret = virtgpu2_vq_wait_room(q, need, interruptible);
		if (ret)
			return ret;
	}
	notify = !ret && virtqueue_kick_prepare(q->vq);
	spin_unlock_irqrestore(&q->lock, flags);
	if (notify)
		virtqueue_notify(q->vq);
	return ret;
}

/**
 * virtgpu2_vq_queue() - hand a command buffer to the device
 * @q: the queue
 * @vbuf: the buffer; the caller keeps its own reference
 * @interruptible: whether waiting for room may be cut short by a signal
 *
 * Waits for room in the ring when it is full. A kernel-internal caller
 * (@interruptible false) waits at most VIRTGPU2_VQ_TIMEOUT.
 *
 * Return: 0 once queued; -ENODEV if the device is gone, -ERESTARTSYS,
 * -ETIMEDOUT, -E2BIG if the payload can never fit, or -ENOMEM. On error the
 * device never sees the buffer and @vbuf->on_done is not called.
 */
int virtgpu2_vq_queue(struct virtgpu2_vq *q, struct virtgpu2_vbuf *vbuf,
		      bool interruptible)
{
	struct scatterlist cmd_sg, resp_sg, *data_sgl = NULL;
	struct scatterlist *sgs[3];
	unsigned int outcnt = 0, incnt, nents = 0, need;
	int ret;

	sg_init_one(&cmd_sg, vbuf->cmd, vbuf->cmd_size);
	sgs[outcnt++] = &cmd_sg;
	if (vbuf->data_size) {
		data_sgl = virtgpu2_data_sgl(vbuf->data, vbuf->data_size, &nents);
		if (!data_sgl)
			return -ENOMEM;
		sgs[outcnt++] = data_sgl;
	}
	sg_init_one(&resp_sg, vbuf->resp, vbuf->resp_size);
	sgs[outcnt] = &resp_sg;
	incnt = vbuf->expect == VIRTGPU2_NO_RESPONSE ? 0 : 1;

	need = nents + 1 + incnt;
	if (need > virtqueue_get_vring_size(q->vq)) {
		ret = -E2BIG;
		goto out_free_sgl;
	}
	if (virtio_has_feature(q->vq->vdev, VIRTIO_RING_F_INDIRECT_DESC))
		need = 1;

	kref_get(&vbuf->ref);	/* the queue's reference */
	ret = virtgpu2_vq_add(q, vbuf, sgs, outcnt, incnt, need, interruptible);
	if (ret)
		virtgpu2_vbuf_put(vbuf);
out_free_sgl:
	kfree(data_sgl);
	return ret;
}

/**
 * virtgpu2_vq_queue_panic() - queue a command from a panic, never waiting
 * @q: the queue
 * @vbuf: a command without payload; the caller keeps its reference
 *
 * The lock is only tried: the CPU holding it may have been stopped for
 * good. The answer is never waited for.
 *
 * Return: 0 once queued and kicked; -EBUSY when the lock is taken, the
 * ring is full or the device is gone.
 */
int virtgpu2_vq_queue_panic(struct virtgpu2_vq *q, struct virtgpu2_vbuf *vbuf)
{
	struct scatterlist cmd_sg, resp_sg;
	struct scatterlist *sgs[2] = { &cmd_sg, &resp_sg };
	unsigned long flags;
	int ret = -EBUSY;

	if (!spin_trylock_irqsave(&q->lock, flags))
		return -EBUSY;
	if (!q->dead) {
		sg_init_one(&cmd_sg, vbuf->cmd, vbuf->cmd_size);
		sg_init_one(&resp_sg, vbuf->resp, vbuf->resp_size);
		kref_get(&vbuf->ref);	/* the queue's reference */
		ret = virtqueue_add_sgs(q->vq, sgs, 1, 1, vbuf, GFP_ATOMIC);
		if (ret)
			kref_put(&vbuf->ref, virtgpu2_vbuf_release);
		else if (virtqueue_kick_prepare(q->vq))
			virtqueue_notify(q->vq);
	}
	spin_unlock_irqrestore(&q->lock, flags);
	return ret ? -EBUSY : 0;
}

/**
 * virtgpu2_vbuf_wait() - wait for the device's answer to a queued buffer
 * @vbuf: a queued buffer
 * @interruptible: let a signal end the wait (the buffer stays queued)
 *
 * A kernel-internal wait gives up after VIRTGPU2_VQ_TIMEOUT.
 *
 * Return: the decoded status of the answer, or -ERESTARTSYS / -ETIMEDOUT.
 */
int virtgpu2_vbuf_wait(struct virtgpu2_vbuf *vbuf, bool interruptible)
{
	long ret;

	if (interruptible) {
		ret = wait_for_completion_interruptible(&vbuf->done);
		if (ret)
			return ret;
	} else if (!wait_for_completion_timeout(&vbuf->done, VIRTGPU2_VQ_TIMEOUT)) {
		return -ETIMEDOUT;
	}
	return vbuf->status;
}

static int virtgpu2_resp_errno(u32 type)
{
	switch (type) {
	case VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY:
		return -ENOMEM;
	case VIRTIO_GPU_RESP_ERR_INVALID_SCANOUT_ID:
	case VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID:
	case VIRTIO_GPU_RESP_ERR_INVALID_CONTEXT_ID:
		return -ENOENT;
	case VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER:
		return -EINVAL;
	case VIRTIO_GPU_RESP_ERR_UNSPEC:
		return -EIO;
	default:
		return -EPROTO;	/* not an answer this protocol knows */
	}
}

static int virtgpu2_vbuf_decode(struct virtgpu2_vq *q, struct virtgpu2_vbuf *vbuf,
				u32 len)
{
	const struct virtio_gpu_ctrl_hdr *cmd = vbuf->cmd;
	const struct virtio_gpu_ctrl_hdr *resp = vbuf->resp;
	u32 type;
	int err;

	if (vbuf->expect == VIRTGPU2_NO_RESPONSE)
		return 0;
	vbuf->resp_len = min(len, vbuf->resp_size);
	if (vbuf->resp_len < sizeof(*resp)) {
		dev_err_ratelimited(&q->vq->vdev->dev,
				    "command 0x%x: short response (%u bytes)\n",
				    le32_to_cpu(cmd->type), len);
		return -EPROTO;
	}
	type = le32_to_cpu(resp->type);
	if (type == vbuf->expect)
		return 0;
	err = virtgpu2_resp_errno(type);
	dev_info_ratelimited(&q->vq->vdev->dev,
			     "command 0x%x (context %u) failed: response 0x%x (%d)\n",
			     le32_to_cpu(cmd->type), le32_to_cpu(cmd->ctx_id),
			     type, err);
	return err;
}

static void virtgpu2_vbuf_finish(struct virtgpu2_vbuf *vbuf, int status)
{
	vbuf->status = status;
	if (vbuf->on_done)
		vbuf->on_done(vbuf);
	complete_all(&vbuf->done);
	virtgpu2_vbuf_put(vbuf);	/* the queue's reference */
}

/**
 * virtgpu2_vq_done() - collect and finish answers; the virtqueue callback
 * @q: the queue
 *
 * Answers are decoded and their owners called right here, in interrupt
 * context, so fences signal without a trip through a workqueue.
 */
void virtgpu2_vq_done(struct virtgpu2_vq *q)
{
	struct virtqueue *vq = q->vq;
	struct virtgpu2_vbuf *vbuf, *tmp;
	unsigned long flags;
	LIST_HEAD(done);
	unsigned int len;

	spin_lock_irqsave(&q->lock, flags);
	do {
		virtqueue_disable_cb(vq);
		while ((vbuf = virtqueue_get_buf(vq, &len))) {
			vbuf->resp_len = len;
			list_add_tail(&vbuf->node, &done);
		}
	} while (!virtqueue_enable_cb(vq));
	spin_unlock_irqrestore(&q->lock, flags);

	if (list_empty(&done))
		return;
	wake_up_all(&q->space);
	list_for_each_entry_safe(vbuf, tmp, &done, node)
		virtgpu2_vbuf_finish(vbuf, virtgpu2_vbuf_decode(q, vbuf, vbuf->resp_len));
}

void virtgpu2_vq_init(struct virtgpu2_vq *q, const char *name)
{
	spin_lock_init(&q->lock);
	init_waitqueue_head(&q->space);
	q->name = name;
}

/**
 * virtgpu2_vq_kill() - refuse new buffers and wake everyone waiting for room
 * @q: the queue
 */
void virtgpu2_vq_kill(struct virtgpu2_vq *q)
{
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	WRITE_ONCE(q->dead, true);
	spin_unlock_irqrestore(&q->lock, flags);
	wake_up_all(&q->space);
}

/**
 * virtgpu2_vq_drain() - finish every buffer after the device was reset
 * @q: a killed queue whose device no longer runs
 *
 * Answers that arrived are finished normally; buffers the device never
 * answered are finished with -ENODEV, so no waiter and no fence is left.
 */
void virtgpu2_vq_drain(struct virtgpu2_vq *q)
{
	struct virtgpu2_vbuf *vbuf;

	virtgpu2_vq_done(q);
	while ((vbuf = virtqueue_detach_unused_buf(q->vq)))
		virtgpu2_vbuf_finish(vbuf, -ENODEV);
}
