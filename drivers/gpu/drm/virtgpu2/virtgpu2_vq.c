// SPDX-License-Identifier: GPL-2.0-only
/*
 * Transport: put command buffers on a virtqueue, wait for room, and hand
 * each answer back to whoever asked, with the host's verdict as an errno.
 */

#include <linux/atomic.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/virtio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_gpu.h>
#include <linux/virtio_ring.h>

#include "virtgpu2_compat.h"
#include "virtgpu2_vq.h"
#include "virtgpu2_live.h"
#include "virtgpu2_trace.h"

/* How long a sender or a waiter gives a silent device before giving up. */
#define VIRTGPU2_VQ_TIMEOUT (10 * HZ)

/* How a sender waits when the ring is full. */
enum virtgpu2_vq_wait {
	/* until room comes, or a signal */
	VIRTGPU2_VQ_WAIT_INTERRUPTIBLE,
	/* at most VIRTGPU2_VQ_TIMEOUT */
	VIRTGPU2_VQ_WAIT_TIMED,
	/* never: the buffer joins &virtgpu2_vq.owed */
	VIRTGPU2_VQ_WAIT_NONE,
};

/*
 * How long a posted buffer may sit in the ring before the device is told.
 * Long enough for the next command of a create/destroy cycle to share the
 * kick, short enough that pages waiting for an UNREF's answer come back
 * quickly.
 */
#define VIRTGPU2_VQ_POSTED_DELAY_US 500
/* How soon owed buffers are tried again when no answer will come to pay them. */
#define VIRTGPU2_VQ_OWED_RETRY_US 1000
/*
 * How long an answer nobody waits for may stay uncollected when no sender
 * comes by: what it holds (a job, descriptors, pages) is released this
 * late at most.
 */
#define VIRTGPU2_VQ_COLLECT_US 1000
/* ... and how long when answers are slow to come: the timer backs off. */
#define VIRTGPU2_VQ_COLLECT_MAX_US 16000
/*
 * A payload this large is collected as soon as it is answered: its memory
 * matters more than an interrupt. A stream of 4 MiB streams left to the
 * timer held a debug guest's memory until it ran out (the fuzz tier).
 */
#define VIRTGPU2_VQ_PROMPT_PAYLOAD SZ_64K

/*
 * Off by default: with it on, the debug tier's fuzzer ran the guest out of
 * memory (OOM kills of every seed at 6f7990e), cause not found yet. Off,
 * the queue is prompt for good: an interrupt per answer, as before.
 */
static bool virtgpu2_vq_lazy;
module_param_named(lazy_answers, virtgpu2_vq_lazy, bool, 0400);
MODULE_PARM_DESC(lazy_answers, "Collect answers nobody waits for by a timer instead of an interrupt (experimental)");

/* Descriptors the command, its payload and its response take without indirection. */
static unsigned int virtgpu2_vbuf_descs(const struct virtgpu2_vbuf *vbuf)
{
	return 1 + vbuf->data_nents + (vbuf->expect != VIRTGPU2_NO_RESPONSE);
}

/*
 * Descriptors of the ring not held by the device, or 0 once it is gone;
 * under the lock. Descriptors a host never gives back stay counted as
 * taken.
 */
static unsigned int virtgpu2_vq_free_descs_locked(struct virtgpu2_vq *q)
{
	lockdep_assert_held(&q->lock);
	return !q->dead && q->vq ? q->vq->num_free : 0;
}

/* Buffers on @list; under the lock that protects it. */
static unsigned int virtgpu2_vbuf_count(const struct list_head *list)
{
	const struct virtgpu2_vbuf *vbuf;
	unsigned int n = 0;

	list_for_each_entry(vbuf, list, node)
		n++;
	return n;
}

/**
 * virtgpu2_vq_max_payload() - the largest payload the queue always takes
 * @q: a set-up queue
 *
 * A vmalloc()ed payload takes one descriptor a page, and a chain may not
 * be longer than the ring, so this is what fits whatever the allocator
 * returned. Callers refuse anything larger up front.
 *
 * Return: bytes.
 */
unsigned int virtgpu2_vq_max_payload(const struct virtgpu2_vq *q)
{
	/* The command, the response, and a payload that starts mid-page. */
	return q->ring_size > 3 ? (q->ring_size - 3) * PAGE_SIZE : 0;
}

/**
 * virtgpu2_vq_prepare() - build the payload's scatter list ahead of sending
 * @q: the queue the buffer goes to
 * @vbuf: the buffer, with its payload attached
 *
 * Fenced commands call this before their fence is published, so that
 * sending them later needs no memory and only fails if the device is gone.
 * virtgpu2_vq_queue() calls it for buffers that were not prepared.
 *
 * Return: 0, -E2BIG if the buffer can never fit in the ring, or -ENOMEM.
 */
int virtgpu2_vq_prepare(struct virtgpu2_vq *q, struct virtgpu2_vbuf *vbuf)
{
	/* A chain never outgrows the ring: the command, the payload, the response. */
	return virtgpu2_vbuf_map_data(vbuf, q->ring_size > 2 ? q->ring_size - 2 : 0);
}

/**
 * virtgpu2_vq_prepared() - a freshly encoded buffer, prepared, or why not
 * @q: the queue the buffer goes to
 * @vbuf: the encoder's result: a buffer, or NULL when it ran out of memory
 *
 * For builders that hand out ready-to-send buffers: on failure the buffer
 * (and so its payload) is put.
 *
 * Return: @vbuf, prepared, or an ERR_PTR (-ENOMEM, or virtgpu2_vq_prepare()'s).
 */
struct virtgpu2_vbuf *virtgpu2_vq_prepared(struct virtgpu2_vq *q,
					   struct virtgpu2_vbuf *vbuf)
{
	int ret;

	if (!vbuf)
		return ERR_PTR(-ENOMEM);
	ret = virtgpu2_vq_prepare(q, vbuf);
	if (ret) {
		virtgpu2_vbuf_put(vbuf);
		return ERR_PTR(ret);
	}
	return vbuf;
}

/* In-flight buffers debugfs lists, oldest first: enough to name a stall's cause. */
#define VIRTGPU2_VQ_SHOW_OLDEST 8

static void virtgpu2_vbuf_show(struct seq_file *m, const struct virtgpu2_vbuf *vbuf)
{
	const struct virtio_gpu_ctrl_hdr *hdr = vbuf->cmd;

	seq_printf(m, "  cmd 0x%04x ctx %u flags 0x%x ring %u fence %llu, %u ms\n",
		   le32_to_cpu(hdr->type), le32_to_cpu(hdr->ctx_id),
		   le32_to_cpu(hdr->flags), hdr->ring_idx, le64_to_cpu(hdr->fence_id),
		   jiffies_to_msecs(jiffies - vbuf->queued_at));
}

/**
 * virtgpu2_vq_show() - the queue's state, for debugfs
 * @q: the queue
 * @m: where to print
 * @label: the line's first word
 *
 * Free descriptors, buffers in flight and owed, whether answers interrupt,
 * and the oldest commands the host holds: what a bug report about a
 * stalled device needs.
 */
void virtgpu2_vq_show(struct virtgpu2_vq *q, struct seq_file *m, const char *label)
{
	const struct virtgpu2_vbuf *vbuf;
	unsigned long flags;
	unsigned int n = 0;

	spin_lock_irqsave(&q->lock, flags);
	seq_printf(m, "%-6s free %u of %u, %u in flight, %u owed, %s\n", label,
		   virtgpu2_vq_free_descs_locked(q), q->ring_size,
		   virtgpu2_vbuf_count(&q->inflight), virtgpu2_vbuf_count(&q->owed),
		   q->prompt ? "prompt" : "lazy");
	list_for_each_entry(vbuf, &q->inflight, node) {
		if (n++ == VIRTGPU2_VQ_SHOW_OLDEST)
			break;
		virtgpu2_vbuf_show(m, vbuf);
	}
	spin_unlock_irqrestore(&q->lock, flags);
}

/*
 * Room for @need descriptors behind the owed buffers, or a dead queue.
 * Checked under the lock: the virtqueue is freed once the device is gone,
 * so it is only read while the queue is known to be alive.
 */
static bool virtgpu2_vq_has_room_locked(struct virtgpu2_vq *q, unsigned int need)
{
	lockdep_assert_held(&q->lock);
	return q->dead || (list_empty(&q->owed) && q->vq->num_free >= need);
}

static bool virtgpu2_vq_has_room(struct virtgpu2_vq *q, unsigned int need)
{
	unsigned long flags;
	bool ret;

	spin_lock_irqsave(&q->lock, flags);
	ret = virtgpu2_vq_has_room_locked(q, need);
	spin_unlock_irqrestore(&q->lock, flags);
	return ret;
}

/*
 * Both waits end after VIRTGPU2_VQ_TIMEOUT. The timed one ignores signals,
 * even fatal ones: its senders are past the point where failing is
 * harmless (a job whose fence is out, a command whose context would then
 * be marked broken for every user of it), so a stuck host costs them ten
 * seconds, and the free path, which must not wait at all, owes its
 * commands instead. The interruptible one is bounded too: its sender may
 * hold a context's queue lock (a blob's cmd), which GEM close and the
 * queue's worker take without a timeout of their own. Once one wait ran
 * out, the others fail at once until an answer comes (&virtgpu2_vq.stalled):
 * a host that stopped answering costs ten seconds once, not ten seconds
 * for each sender queued on a lock behind the first.
 */
static int virtgpu2_vq_wait_room(struct virtgpu2_vq *q, unsigned int need,
				 enum virtgpu2_vq_wait how)
{
	unsigned int free, owed;
	unsigned long flags;
	long ret;

	if (READ_ONCE(q->stalled))
		return -ETIMEDOUT;
	if (how == VIRTGPU2_VQ_WAIT_INTERRUPTIBLE)
		ret = wait_event_interruptible_timeout(q->space,
						       virtgpu2_vq_has_room(q, need),
						       VIRTGPU2_VQ_TIMEOUT);
	else
		ret = wait_event_timeout(q->space, virtgpu2_vq_has_room(q, need),
					 VIRTGPU2_VQ_TIMEOUT);
	if (ret < 0)
		return ret;	/* -ERESTARTSYS */
	if (!ret) {
		/*
		 * Unless an answer made room since the wait's last look. The
		 * message's figures say whether the host keeps descriptors
		 * or the guest owes buffers.
		 */
		spin_lock_irqsave(&q->lock, flags);
		if (!virtgpu2_vq_has_room_locked(q, need))
			q->stalled = true;
		free = virtgpu2_vq_free_descs_locked(q);
		owed = virtgpu2_vbuf_count(&q->owed);
		spin_unlock_irqrestore(&q->lock, flags);
		dev_err_ratelimited(q->dev, "%s queue: no room for %u s (%u of %u descriptors free, %u commands owed), device stuck? Senders fail at once until it answers\n",
				    q->name, VIRTGPU2_VQ_TIMEOUT / HZ, free,
				    q->ring_size, owed);
		return -ETIMEDOUT;
	}
	return 0;
}

/*
 * The host retires fences without a ring in one device-wide order: "done
 * up to id N" answers every fenced command with an id <= N. So ids must
 * reach the ring in increasing order, which only the queue's lock ensures.
 * A command that waited for room draws a fresh id when it is retried.
 */
static void virtgpu2_vbuf_set_fence_id(struct virtgpu2_vbuf *vbuf)
{
	struct virtio_gpu_ctrl_hdr *hdr = vbuf->cmd;

	hdr->fence_id = cpu_to_le64(atomic64_inc_return(vbuf->fence_ids));
}

/* Whether the device must be told now of everything added; under the lock. */
static bool virtgpu2_vq_take_kick(struct virtgpu2_vq *q)
{
	lockdep_assert_held(&q->lock);
	q->kick_owed = false;
	return virtqueue_kick_prepare(q->vq);
}

/*
 * A posted buffer: leave the kick to the next command, or to the timer if
 * none comes soon. Under the lock; always returns false (no kick now).
 */
static bool virtgpu2_vq_defer_kick(struct virtgpu2_vq *q)
{
	lockdep_assert_held(&q->lock);
	if (!q->kick_owed) {
		q->kick_owed = true;
		hrtimer_start(&q->kick_timer,
			      ns_to_ktime(VIRTGPU2_VQ_POSTED_DELAY_US * NSEC_PER_USEC),
			      HRTIMER_MODE_REL_SOFT);
	}
	return false;
}

/**
 * virtgpu2_vq_flush() - pay the kick owed for buffers added without one
 * @q: the queue
 *
 * For a sender that queued a burst of batched buffers: one kick for all of
 * them; and for a caller about to wait for a posted buffer's answer.
 */
void virtgpu2_vq_flush(struct virtgpu2_vq *q)
{
	struct virtqueue *vq = NULL;
	unsigned long flags;

	rcu_read_lock();	/* as for senders: see virtgpu2_vq_kill() */
	spin_lock_irqsave(&q->lock, flags);
	if (!q->dead && q->kick_owed && virtgpu2_vq_take_kick(q))
		vq = q->vq;
	spin_unlock_irqrestore(&q->lock, flags);
	if (vq)
		virtqueue_notify(vq);
	rcu_read_unlock();
}

/*
 * Interrupt for the next answer from now on. Answers the device gave while
 * interrupts were held back raise none: collect them at once. Under the
 * lock, on a live queue.
 */
static void virtgpu2_vq_prompt_locked(struct virtgpu2_vq *q)
{
	lockdep_assert_held(&q->lock);
	if (q->prompt)
		return;
	q->prompt = true;
	if (!virtqueue_enable_cb(q->vq))
		irq_work_queue(&q->poll_work);
}

/**
 * virtgpu2_vq_make_prompt() - someone waits for an answer in flight
 * @q: the queue
 *
 * Until the ring is empty again, every answer interrupts. For the first
 * waiter of a fence, for waiters of a buffer, and for senders waiting for
 * room. Any context; takes the queue's lock, so it nests inside a fence's
 * lock, never the other way. Always under the lock: a look without it
 * could see a prompt period that an empty ring is just ending.
 */
void virtgpu2_vq_make_prompt(struct virtgpu2_vq *q)
{
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	if (!q->dead && q->vq)
		virtgpu2_vq_prompt_locked(q);
	spin_unlock_irqrestore(&q->lock, flags);
}

/* Collect what nobody waits for in @q->collect_us; under the lock. */
static void virtgpu2_vq_collect_later(struct virtgpu2_vq *q)
{
	lockdep_assert_held(&q->lock);
	if (!q->dead && !hrtimer_is_queued(&q->collect_timer))
		hrtimer_start(&q->collect_timer, ns_to_ktime(q->collect_us * NSEC_PER_USEC),
			      HRTIMER_MODE_REL_SOFT);
}

/*
 * After collecting (@got: some answers came): with a waiter, let the
 * device interrupt for the next answer. With none, it does not interrupt
 * at all: the collect timer, or a NOWAIT poll, picks the answers up, so
 * a stream of submissions nobody waits for (Venus wakes its ring so) costs
 * no interrupt. The timer backs off while it finds nothing, so a command
 * the host keeps for good costs a few wake-ups a second, not a thousand.
 * An empty ring ends the prompt period. Under the lock. Returns false when
 * more answers came meanwhile.
 */
static bool virtgpu2_vq_rearm(struct virtgpu2_vq *q, bool got)
{
	bool empty = q->vq->num_free == q->ring_size && list_empty(&q->owed);

	lockdep_assert_held(&q->lock);
	if (empty && virtgpu2_vq_lazy)
		q->prompt = false;
	if (q->prompt)
		return virtqueue_enable_cb(q->vq);
	if (got || empty)
		q->collect_us = VIRTGPU2_VQ_COLLECT_US;
	else
		q->collect_us = min(2 * q->collect_us, VIRTGPU2_VQ_COLLECT_MAX_US);
	if (!empty)
		virtgpu2_vq_collect_later(q);
	return true;
}

/*
 * Put @vbuf on the ring, after everything owed; under the lock, on a live
 * queue. The scatter lists only describe the buffer for the call: the ring
 * keeps addresses, so an owed buffer is described again when its turn
 * comes.
 */
static int virtgpu2_vbuf_add(struct virtgpu2_vq *q, struct virtgpu2_vbuf *vbuf)
{
	struct scatterlist cmd_sg, resp_sg;
	struct scatterlist *sgs[3];
	unsigned int outcnt = 0;

	lockdep_assert_held(&q->lock);
	sg_init_one(&cmd_sg, vbuf->cmd, vbuf->cmd_size);
	sgs[outcnt++] = &cmd_sg;
	if (vbuf->data_sgl)
		sgs[outcnt++] = vbuf->data_sgl;
	sg_init_one(&resp_sg, vbuf->resp, vbuf->resp_size);
	sgs[outcnt] = &resp_sg;
	if (vbuf->fence_ids)
		virtgpu2_vbuf_set_fence_id(vbuf);
	vbuf->q = q;
	return virtqueue_add_sgs(q->vq, sgs, outcnt,
				 vbuf->expect == VIRTGPU2_NO_RESPONSE ? 0 : 1,
				 vbuf, GFP_ATOMIC);
}

/* @vbuf went on the ring: keep it in sight for debugfs. Under the lock. */
static void virtgpu2_vbuf_on_ring(struct virtgpu2_vq *q, struct virtgpu2_vbuf *vbuf)
{
	lockdep_assert_held(&q->lock);
	vbuf->queued_at = jiffies;
	list_add_tail(&vbuf->node, &q->inflight);
}

/*
 * @vbuf went on the ring: have its answer collected as promptly as someone
 * waits for it. Under the lock. Not for the panic path, which must not
 * touch timers.
 */
static void virtgpu2_vbuf_added(struct virtgpu2_vq *q, struct virtgpu2_vbuf *vbuf)
{
	virtgpu2_vbuf_on_ring(q, vbuf);
	/*
	 * A fence's waiter sets the bit before it takes this lock in
	 * virtgpu2_vq_make_prompt(): either it is seen here, or that call
	 * comes after and finds this buffer on the ring.
	 */
	if (vbuf->prompt || vbuf->data_size >= VIRTGPU2_VQ_PROMPT_PAYLOAD ||
	    (vbuf->awaited &&
	     test_bit(DMA_FENCE_FLAG_ENABLE_SIGNAL_BIT, &vbuf->awaited->flags))) {
		virtgpu2_vq_prompt_locked(q);
	} else if (!q->prompt) {
		/* Activity again: the backed-off timer comes back to its pace. */
		if (q->collect_us != VIRTGPU2_VQ_COLLECT_US) {
			q->collect_us = VIRTGPU2_VQ_COLLECT_US;
			hrtimer_try_to_cancel(&q->collect_timer);
		}
		virtgpu2_vq_collect_later(q);
	}
	if (trace_virtgpu2_cmd_answered_enabled())
		vbuf->queued_ns = ktime_get_ns();
	trace_virtgpu2_cmd_queued(q, vbuf);
}

/*
 * Answers pay what is owed. With nothing on the ring no answer will come:
 * the head was refused for want of atomic memory for its indirect table
 * (a chain longer than the ring needs one), not of room. The kick timer
 * tries again, so the queue never stalls behind it. Under the lock.
 */
static void virtgpu2_vq_owed_retry(struct virtgpu2_vq *q)
{
	lockdep_assert_held(&q->lock);
	if (!list_empty(&q->owed) && q->vq->num_free == q->ring_size)
		hrtimer_start(&q->kick_timer,
			      ns_to_ktime(VIRTGPU2_VQ_OWED_RETRY_US * NSEC_PER_USEC),
			      HRTIMER_MODE_REL_SOFT);
}

/*
 * Put what is owed on the ring while it fits, oldest first; under the
 * lock, on a live queue. Buffers the ring refuses for good are moved to
 * @failed. Returns whether any went on the ring.
 */
static bool virtgpu2_vq_pay_owed(struct virtgpu2_vq *q, struct list_head *failed)
{
	struct virtgpu2_vbuf *vbuf, *tmp;
	bool added = false;
	int ret;

	lockdep_assert_held(&q->lock);
	list_for_each_entry_safe(vbuf, tmp, &q->owed, node) {
		ret = virtgpu2_vbuf_add(q, vbuf);
		if (ret == -ENOSPC)
			break;
		list_del(&vbuf->node);
		if (ret) {
			vbuf->status = ret;
			list_add_tail(&vbuf->node, failed);
		} else {
			virtgpu2_vbuf_added(q, vbuf);
		}
		added |= !ret;
	}
	virtgpu2_vq_owed_retry(q);
	return added;
}

static void virtgpu2_vbuf_finish(struct virtgpu2_vbuf *vbuf, int status);

/*
 * The kick owed for posted buffers that no later command paid, and owed
 * buffers that no answer will pay (virtgpu2_vq_owed_retry()).
 */
static enum hrtimer_restart virtgpu2_vq_kick_timer(struct hrtimer *timer)
{
	struct virtgpu2_vq *q = container_of(timer, struct virtgpu2_vq, kick_timer);
	struct virtgpu2_vbuf *vbuf, *tmp;
	struct virtqueue *vq = NULL;
	unsigned long flags;
	LIST_HEAD(failed);
	bool paid = false;

	rcu_read_lock();	/* as for senders: see virtgpu2_vq_kill() */
	spin_lock_irqsave(&q->lock, flags);
	if (!q->dead) {
		if (!list_empty(&q->owed))
			paid = virtgpu2_vq_pay_owed(q, &failed);
		if ((paid || q->kick_owed) && virtgpu2_vq_take_kick(q))
			vq = q->vq;
	}
	spin_unlock_irqrestore(&q->lock, flags);
	if (vq)
		virtqueue_notify(vq);
	rcu_read_unlock();
	if (paid || !list_empty(&failed))
		wake_up_all(&q->space);	/* senders wait until nothing is owed */
	list_for_each_entry_safe(vbuf, tmp, &failed, node)
		virtgpu2_vbuf_finish(vbuf, vbuf->status);
	return HRTIMER_NORESTART;
}

static int virtgpu2_vq_add(struct virtgpu2_vq *q, struct virtgpu2_vbuf *vbuf,
			   enum virtgpu2_vq_wait how)
{
	struct virtqueue *vq;
	unsigned long flags;
	unsigned int need;
	bool notify;
	int ret;

	for (;;) {
		/*
		 * The read-side section keeps the virtqueue alive up to the
		 * notify outside the lock: virtgpu2_vq_kill() waits for it.
		 */
		rcu_read_lock();
		spin_lock_irqsave(&q->lock, flags);
		if (q->dead) {
			spin_unlock_irqrestore(&q->lock, flags);
			rcu_read_unlock();
			return -ENODEV;
		}
		ret = list_empty(&q->owed) ? virtgpu2_vbuf_add(q, vbuf) : -ENOSPC;
		if (ret != -ENOSPC)
			break;
		if (how == VIRTGPU2_VQ_WAIT_NONE) {
			list_add_tail(&vbuf->node, &q->owed);
			virtgpu2_vq_owed_retry(q);
		}
		/*
		 * A full ring, or free descriptors but no atomic memory for an
		 * indirect table: then only room for the whole chain helps,
		 * and waiting for one descriptor would spin.
		 */
		need = q->indirect && !q->vq->num_free ? 1 : virtgpu2_vbuf_descs(vbuf);
		/* Room comes with answers: have them collected as they come. */
		virtgpu2_vq_prompt_locked(q);
		/*
		 * Room comes back only once the device was told of the rest:
		 * a full ring is always kicked before sleeping, whatever the
		 * device asked for, so no owed or missed kick can stall it.
		 */
		virtgpu2_vq_take_kick(q);
		vq = q->vq;
		spin_unlock_irqrestore(&q->lock, flags);
		virtqueue_notify(vq);
		rcu_read_unlock();
		/* Owed: answers free room, and the completion handler pays. */
		if (how == VIRTGPU2_VQ_WAIT_NONE)
			return 0;
		ret = virtgpu2_vq_wait_room(q, need, how);
		if (ret)
			return ret;
	}
	vq = q->vq;
	if (!ret)
		virtgpu2_vbuf_added(q, vbuf);
	if (vbuf->batched) {
		q->kick_owed = true;	/* the sender calls virtgpu2_vq_flush() */
		notify = false;
	} else {
		notify = vbuf->posted ? virtgpu2_vq_defer_kick(q) : virtgpu2_vq_take_kick(q);
	}
	spin_unlock_irqrestore(&q->lock, flags);
	if (notify)
		virtqueue_notify(vq);
	rcu_read_unlock();
	return ret;
}

static int virtgpu2_vq_send(struct virtgpu2_vq *q, struct virtgpu2_vbuf *vbuf,
			    enum virtgpu2_vq_wait how)
{
	int ret;

	if (READ_ONCE(q->dead))
		return -ENODEV;	/* early out; virtgpu2_vq_add() checks again */
	ret = virtgpu2_vq_prepare(q, vbuf);
	if (ret)
		return ret;
	kref_get(&vbuf->ref);	/* the queue's reference */
	ret = virtgpu2_vq_add(q, vbuf, how);
	if (ret)
		virtgpu2_vbuf_put(vbuf);
	return ret;
}

/**
 * virtgpu2_vq_queue() - hand a command buffer to the device
 * @q: the queue
 * @vbuf: the buffer; the caller keeps its own reference
 * @interruptible: whether waiting for room may be cut short by a signal
 *
 * Waits for room in the ring when it is full, behind any owed buffers, at
 * most VIRTGPU2_VQ_TIMEOUT; without @interruptible the wait ignores
 * signals. A buffer that went through virtgpu2_vq_prepare()
 * allocates nothing here.
 *
 * The device is told at once, unless @vbuf->posted: then the kick (a VM
 * exit under KVM) is shared with the next command, or sent at most
 * VIRTGPU2_VQ_POSTED_DELAY_US later. Commands whose answer nobody waits
 * for (UNREF, attach and detach) are posted, so that a create/destroy
 * cycle costs one kick rather than one per command. A @vbuf->batched
 * buffer is not kicked at all: its sender calls virtgpu2_vq_flush() once
 * its burst is queued.
 *
 * Return: 0 once queued; -ENODEV if the device is gone, -ERESTARTSYS,
 * -ETIMEDOUT, -E2BIG if the payload can never fit, or -ENOMEM. On error the
 * device never sees the buffer and @vbuf->on_done is not called.
 */
int virtgpu2_vq_queue(struct virtgpu2_vq *q, struct virtgpu2_vbuf *vbuf,
		      bool interruptible)
{
	return virtgpu2_vq_send(q, vbuf, interruptible ? VIRTGPU2_VQ_WAIT_INTERRUPTIBLE :
				VIRTGPU2_VQ_WAIT_TIMED);
}

/**
 * virtgpu2_vq_queue_owed() - hand a command to the device without waiting
 * @q: the queue
 * @vbuf: a prepared buffer (virtgpu2_vq_prepare()); the caller keeps its
 *	reference
 *
 * For the commands that undo what a user held (UNREF, UNMAP_BLOB,
 * CTX_DESTROY): they are made in advance, so there is at most one per
 * object, and they run in free paths that must neither sleep for a host
 * that stopped answering nor fail. Also for the second of two commands
 * that must reach the host together once the first is out (a create's
 * ATTACH_BACKING, a blob's create behind its cmd): at most one per object
 * as well; and for a context's CTX_ATTACH/DETACH_RESOURCE, one per handle
 * opened or closed. On a full ring the buffer is owed: it
 * goes on the ring, in order, as answers free room, and is finished with
 * -ENODEV if the device goes first. The kick is that of a posted buffer.
 *
 * Return: 0 once queued or owed; -ENODEV if the device is gone, or
 * virtgpu2_vq_prepare()'s error for a buffer that was not prepared.
 */
int virtgpu2_vq_queue_owed(struct virtgpu2_vq *q, struct virtgpu2_vbuf *vbuf)
{
	vbuf->posted = true;
	return virtgpu2_vq_send(q, vbuf, VIRTGPU2_VQ_WAIT_NONE);
}

/**
 * virtgpu2_vq_queue_panic() - queue a command from a panic, never waiting
 * @q: the queue
 * @vbuf: a command without payload; the caller keeps its reference
 *
 * The lock is only tried: the CPU holding it may have been stopped for
 * good. The answer is never waited for, and owed buffers are passed: after
 * a panic nothing else is sent.
 *
 * Return: 0 once queued and kicked; -EBUSY when the lock is taken, the
 * ring is full or the device is gone.
 */
int virtgpu2_vq_queue_panic(struct virtgpu2_vq *q, struct virtgpu2_vbuf *vbuf)
{
	unsigned long flags;
	int ret = -EBUSY;

	if (!spin_trylock_irqsave(&q->lock, flags))
		return -EBUSY;
	if (!q->dead) {
		kref_get(&vbuf->ref);	/* the queue's reference */
		ret = virtgpu2_vbuf_add(q, vbuf);
		if (ret) {
			virtgpu2_vbuf_put(vbuf);
		} else {
			virtgpu2_vbuf_on_ring(q, vbuf);
			if (virtqueue_kick_prepare(q->vq))
				virtqueue_notify(q->vq);
		}
	}
	spin_unlock_irqrestore(&q->lock, flags);
	return ret ? -EBUSY : 0;
}

/**
 * virtgpu2_vbuf_awaited() - someone is about to wait for, or look at, an answer
 * @vbuf: a buffer, queued or not
 *
 * Until the answer is in, the queue interrupts for every answer.
 */
void virtgpu2_vbuf_awaited(struct virtgpu2_vbuf *vbuf)
{
	struct virtgpu2_vq *q = READ_ONCE(vbuf->q);

	if (q && !completion_done(&vbuf->done))
		virtgpu2_vq_make_prompt(q);
}

/**
 * virtgpu2_vbuf_wait() - wait for the device's answer to a queued buffer
 * @vbuf: a queued buffer
 * @interruptible: let a signal end the wait (the buffer stays queued)
 *
 * Either way the wait gives up after VIRTGPU2_VQ_TIMEOUT: a host that
 * stopped answering costs a caller ten seconds, not its life.
 *
 * Return: the decoded status of the answer, or -ERESTARTSYS / -ETIMEDOUT.
 */
int virtgpu2_vbuf_wait(struct virtgpu2_vbuf *vbuf, bool interruptible)
{
	long ret;

	virtgpu2_vbuf_awaited(vbuf);
	if (interruptible)
		ret = wait_for_completion_interruptible_timeout(&vbuf->done,
								VIRTGPU2_VQ_TIMEOUT);
	else
		ret = wait_for_completion_timeout(&vbuf->done, VIRTGPU2_VQ_TIMEOUT);
	if (ret < 0)
		return ret;
	if (!ret)
		return -ETIMEDOUT;
	return vbuf->status;
}

/**
 * virtgpu2_vbuf_wait_answer() - wait for the answer to a command already sent
 * @vbuf: a queued buffer whose command must not be sent twice
 *
 * Only a fatal signal or VIRTGPU2_VQ_TIMEOUT ends the wait early: an ioctl
 * cut short by an ordinary signal would be restarted, and send its command
 * again.
 *
 * Return: the decoded status of the answer, -EINTR or -ETIMEDOUT.
 */
int virtgpu2_vbuf_wait_answer(struct virtgpu2_vbuf *vbuf)
{
	long ret;

	virtgpu2_vbuf_awaited(vbuf);
	ret = wait_for_completion_killable_timeout(&vbuf->done, VIRTGPU2_VQ_TIMEOUT);
	if (ret < 0)
		return -EINTR;
	if (!ret)
		return -ETIMEDOUT;
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
		dev_err_ratelimited(q->dev,
				    "command 0x%x: short response (%u bytes)\n",
				    le32_to_cpu(cmd->type), len);
		return -EPROTO;
	}
	type = le32_to_cpu(resp->type);
	if (type == vbuf->expect)
		return 0;
	err = virtgpu2_resp_errno(type);
	dev_info_ratelimited(q->dev,
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

/*
 * Finish the collected answers, oldest first, unless another context is
 * at it: then that one finishes these too. One finisher at a time keeps
 * the ring's order (a fence's error before a later fence retires it, an
 * UNMAP_BLOB's answer before its UNREF's), whichever CPU collected them.
 * Finishers run in interrupt context or with bottom halves off, so none
 * is preempted while holding the others' answers.
 */
static void virtgpu2_vq_finish_answers(struct virtgpu2_vq *q)
{
	struct virtgpu2_vbuf *vbuf, *tmp;
	unsigned long flags;
	LIST_HEAD(batch);

	spin_lock_irqsave(&q->lock, flags);
	if (q->finishing) {
		spin_unlock_irqrestore(&q->lock, flags);
		return;
	}
	q->finishing = true;
	while (!list_empty(&q->answers)) {
		list_splice_init(&q->answers, &batch);
		spin_unlock_irqrestore(&q->lock, flags);
		list_for_each_entry_safe(vbuf, tmp, &batch, node) {
			int status = virtgpu2_vbuf_decode(q, vbuf, vbuf->resp_len);

			trace_virtgpu2_cmd_answered(q, vbuf, status, vbuf->queued_ns ?
						    ktime_get_ns() - vbuf->queued_ns : 0);
			virtgpu2_vbuf_finish(vbuf, status);
		}
		INIT_LIST_HEAD(&batch);
		spin_lock_irqsave(&q->lock, flags);
	}
	q->finishing = false;
	spin_unlock_irqrestore(&q->lock, flags);
}

/**
 * virtgpu2_vq_done() - collect and finish answers
 * @q: the queue
 *
 * The virtqueue callback, and also the collectors of answers that raised
 * no interrupt (see virtgpu2_vq_rearm()): the collect timer, the poll
 * work of a new waiter, NOWAIT pollers (virtgpu2_vq_collect()) and the drain.
 * Answers are decoded and their owners called right here, so fences
 * signal without a trip through a workqueue.
 */
void virtgpu2_vq_done(struct virtgpu2_vq *q)
{
	struct virtgpu2_vbuf *vbuf, *tmp;
	struct virtqueue *vq;
	unsigned long flags;
	LIST_HEAD(failed);
	bool notify = false, got = false;
	unsigned int len;

	spin_lock_irqsave(&q->lock, flags);
	vq = q->vq;
	if (!vq) {	/* a stray interrupt after the queue was forgotten */
		spin_unlock_irqrestore(&q->lock, flags);
		return;
	}
	do {
		virtqueue_disable_cb(vq);
		while ((vbuf = virtqueue_get_buf(vq, &len))) {
			vbuf->resp_len = len;
			list_move_tail(&vbuf->node, &q->answers);
			got = true;
		}
	} while (!virtgpu2_vq_rearm(q, got));
	if (got)
		q->stalled = false;
	/*
	 * Kicked at once: every other sender waits until nothing is owed.
	 * The virtqueue lives as long as its callback runs.
	 */
	if (!q->dead && got && virtgpu2_vq_pay_owed(q, &failed))
		notify = virtgpu2_vq_take_kick(q);
	spin_unlock_irqrestore(&q->lock, flags);
	if (notify)
		virtqueue_notify(vq);

	if (got)
		wake_up_all(&q->space);
	virtgpu2_vq_finish_answers(q);
	list_for_each_entry_safe(vbuf, tmp, &failed, node)
		virtgpu2_vbuf_finish(vbuf, vbuf->status);
}

static enum hrtimer_restart virtgpu2_vq_collect_timer(struct hrtimer *timer)
{
	virtgpu2_vq_done(container_of(timer, struct virtgpu2_vq, collect_timer));
	return HRTIMER_NORESTART;
}

/**
 * virtgpu2_vq_collect() - pick up answers nobody waited for, for a poller
 * @q: the queue
 *
 * Outside the prompt periods the device raises no interrupt, and answers
 * wait for the collect timer: a caller that only looks at a fence's state
 * (VIRTGPU_WAIT with NOWAIT) collects first, so that it sees what the host
 * has done. Process context, no lock held.
 */
void virtgpu2_vq_collect(struct virtgpu2_vq *q)
{
	if (READ_ONCE(q->prompt))
		return;	/* interrupts collect; a stale look only costs a call */
	local_bh_disable();	/* see virtgpu2_vq_finish_answers() */
	virtgpu2_vq_done(q);
	local_bh_enable();
}

static void virtgpu2_vq_poll_work(struct irq_work *work)
{
	virtgpu2_vq_done(container_of(work, struct virtgpu2_vq, poll_work));
}

void virtgpu2_vq_init(struct virtgpu2_vq *q, const char *name)
{
	spin_lock_init(&q->lock);
	init_waitqueue_head(&q->space);
	INIT_LIST_HEAD(&q->owed);
	INIT_LIST_HEAD(&q->inflight);
	INIT_LIST_HEAD(&q->answers);
	q->prompt = !virtgpu2_vq_lazy;
	q->collect_us = VIRTGPU2_VQ_COLLECT_US;
	virtgpu2_hrtimer_setup(&q->kick_timer, virtgpu2_vq_kick_timer,
			       HRTIMER_MODE_REL_SOFT);
	init_irq_work(&q->poll_work, virtgpu2_vq_poll_work);
	virtgpu2_hrtimer_setup(&q->collect_timer, virtgpu2_vq_collect_timer,
			       HRTIMER_MODE_REL_SOFT);
	q->name = name;
}

/**
 * virtgpu2_vq_setup() - take a virtqueue the transport found
 * @q: the queue, after virtgpu2_vq_init()
 * @vq: the virtqueue
 */
void virtgpu2_vq_setup(struct virtgpu2_vq *q, struct virtqueue *vq)
{
	q->vq = vq;
	q->dev = &vq->vdev->dev;
	q->ring_size = virtqueue_get_vring_size(vq);
	q->indirect = virtio_has_feature(vq->vdev, VIRTIO_RING_F_INDIRECT_DESC);
}

/**
 * virtgpu2_vq_forget() - the transport is about to free the virtqueue
 * @q: a drained queue
 */
void virtgpu2_vq_forget(struct virtgpu2_vq *q)
{
	unsigned long flags;

	hrtimer_cancel(&q->kick_timer);
	irq_work_sync(&q->poll_work);
	hrtimer_cancel(&q->collect_timer);
	spin_lock_irqsave(&q->lock, flags);
	q->vq = NULL;
	spin_unlock_irqrestore(&q->lock, flags);
}

/**
 * virtgpu2_vq_kill() - refuse new buffers and wake everyone waiting for room
 * @q: the queue
 *
 * Once this returns, nobody touches the virtqueue but the caller. It may
 * sleep.
 */
void virtgpu2_vq_kill(struct virtgpu2_vq *q)
{
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	WRITE_ONCE(q->dead, true);
	spin_unlock_irqrestore(&q->lock, flags);
	wake_up_all(&q->space);
	/* Senders past the dead check have notified once this returns. */
	synchronize_rcu();
	/* An owed kick is moot: the buffers are drained or answered. */
	hrtimer_cancel(&q->kick_timer);
	/* Nor is a later collection: the drain collects (dead: not re-armed). */
	irq_work_sync(&q->poll_work);
	hrtimer_cancel(&q->collect_timer);
}

/**
 * virtgpu2_vq_drain() - finish every buffer after the device was reset
 * @q: a killed queue whose device no longer runs
 *
 * Answers that arrived are finished normally; buffers the device never
 * answered, and those still owed, are finished with -ENODEV, so no waiter
 * and no fence is left.
 */
void virtgpu2_vq_drain(struct virtgpu2_vq *q)
{
	struct virtgpu2_vbuf *vbuf, *tmp;
	unsigned long flags;
	LIST_HEAD(unused);

	virtgpu2_vq_done(q);
	spin_lock_irqsave(&q->lock, flags);
	while ((vbuf = virtqueue_detach_unused_buf(q->vq)))
		list_move_tail(&vbuf->node, &unused);
	list_splice_tail_init(&q->owed, &unused);
	spin_unlock_irqrestore(&q->lock, flags);
	list_for_each_entry_safe(vbuf, tmp, &unused, node)
		virtgpu2_vbuf_finish(vbuf, -ENODEV);
}
