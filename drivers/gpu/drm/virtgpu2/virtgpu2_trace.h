/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoints for bug reports: every command queued and answered, every
 * fence emitted and signalled, jobs held back and let go, and host-visible
 * mappings. README.md has the one-line recipe. The events read only what
 * the call sites already hold; an event that is off costs a static branch.
 * Names are copied into fixed arrays rather than with __string(), whose
 * __assign_str() changed its arguments in Linux 6.10.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM virtgpu2

#if !defined(VIRTGPU2_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define VIRTGPU2_TRACE_H

#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/virtio_gpu.h>

#include "virtgpu2_fence.h"
#include "virtgpu2_job.h"
#include "virtgpu2_vq.h"

u32 virtgpu2_cmd_resource_id(const struct virtgpu2_vbuf *vbuf);
u32 virtgpu2_vbuf_resp_type(const struct virtgpu2_vbuf *vbuf);

TRACE_EVENT(virtgpu2_cmd_queued,
	    TP_PROTO(const struct virtgpu2_vq *q, const struct virtgpu2_vbuf *vbuf),
	    TP_ARGS(q, vbuf),
	    TP_STRUCT__entry(__array(char, queue, 8)
			     __field(u32, type)
			     __field(u32, ctx)
			     __field(u32, flags)
			     __field(u32, ring)
			     __field(u64, fence_id)
			     __field(u32, resource)
			     __field(u32, bytes)),
	    TP_fast_assign(const struct virtio_gpu_ctrl_hdr *hdr = vbuf->cmd;

			   strscpy(__entry->queue, q->name, sizeof(__entry->queue));
			   __entry->type = le32_to_cpu(hdr->type);
			   __entry->ctx = le32_to_cpu(hdr->ctx_id);
			   __entry->flags = le32_to_cpu(hdr->flags);
			   __entry->ring = hdr->ring_idx;
			   __entry->fence_id = le64_to_cpu(hdr->fence_id);
			   __entry->resource = virtgpu2_cmd_resource_id(vbuf);
			   __entry->bytes = vbuf->cmd_size + vbuf->data_size;),
	    TP_printk("queue=%s type=0x%x ctx=%u flags=0x%x ring=%u fence_id=%llu resource=%u bytes=%u",
		      __entry->queue, __entry->type, __entry->ctx, __entry->flags,
		      __entry->ring, __entry->fence_id, __entry->resource, __entry->bytes)
);

TRACE_EVENT(virtgpu2_cmd_answered,
	    TP_PROTO(const struct virtgpu2_vq *q, const struct virtgpu2_vbuf *vbuf, int status,
		     u64 latency_ns),
	    TP_ARGS(q, vbuf, status, latency_ns),
	    TP_STRUCT__entry(__array(char, queue, 8)
			     __field(u32, type)
			     __field(u32, ctx)
			     __field(u64, fence_id)
			     __field(u32, resp)
			     __field(int, status)
			     __field(u64, latency_us)),
	    TP_fast_assign(const struct virtio_gpu_ctrl_hdr *hdr = vbuf->cmd;

			   strscpy(__entry->queue, q->name, sizeof(__entry->queue));
			   __entry->type = le32_to_cpu(hdr->type);
			   __entry->ctx = le32_to_cpu(hdr->ctx_id);
			   __entry->fence_id = le64_to_cpu(hdr->fence_id);
			   __entry->resp = virtgpu2_vbuf_resp_type(vbuf);
			   __entry->status = status;
			   __entry->latency_us = div_u64(latency_ns, NSEC_PER_USEC);),
	    TP_printk("queue=%s type=0x%x ctx=%u fence_id=%llu resp=0x%x status=%d latency_us=%llu",
		      __entry->queue, __entry->type, __entry->ctx, __entry->fence_id,
		      __entry->resp, __entry->status, __entry->latency_us)
);

DECLARE_EVENT_CLASS(virtgpu2_fence_class,
		    TP_PROTO(const struct virtgpu2_fence *fence),
		    TP_ARGS(fence),
		    TP_STRUCT__entry(__array(char, timeline, VIRTGPU2_TIMELINE_NAME_LEN)
				     __field(u64, context)
				     __field(u64, seqno)
				     __field(int, ring)
				     __field(int, error)),
		    TP_fast_assign(strscpy(__entry->timeline, fence->tl->name,
					   VIRTGPU2_TIMELINE_NAME_LEN);
				   __entry->context = fence->base.context;
				   __entry->seqno = fence->base.seqno;
				   __entry->ring = fence->tl->ring;
				   __entry->error = fence->base.error;),
		    TP_printk("timeline=%s context=%llu seqno=%llu ring=%d error=%d",
			      __entry->timeline, __entry->context, __entry->seqno,
			      __entry->ring, __entry->error)
);

DEFINE_EVENT(virtgpu2_fence_class,
	     virtgpu2_fence_emitted,
	     TP_PROTO(const struct virtgpu2_fence *fence),
	     TP_ARGS(fence)
);

DEFINE_EVENT(virtgpu2_fence_class,
	     virtgpu2_fence_signalled,
	     TP_PROTO(const struct virtgpu2_fence *fence),
	     TP_ARGS(fence)
);

TRACE_EVENT(virtgpu2_job_parked,
	    TP_PROTO(const struct virtgpu2_job *job, u32 deps, bool behind, bool throttled),
	    TP_ARGS(job, deps, behind, throttled),
	    TP_STRUCT__entry(__array(char, timeline, VIRTGPU2_TIMELINE_NAME_LEN)
			     __field(u64, seqno)
			     __field(u32, deps)
			     __field(bool, behind)
			     __field(bool, throttled)),
	    TP_fast_assign(strscpy(__entry->timeline, job->tl->name, VIRTGPU2_TIMELINE_NAME_LEN);
			   __entry->seqno = job->fence->base.seqno;
			   __entry->deps = deps;
			   __entry->behind = behind;
			   __entry->throttled = throttled;),
	    TP_printk("timeline=%s seqno=%llu deps=%u behind=%d throttled=%d",
		      __entry->timeline, __entry->seqno, __entry->deps, __entry->behind,
		      __entry->throttled)
);

TRACE_EVENT(virtgpu2_job_released,
	    TP_PROTO(const struct virtgpu2_job *job, u64 waited_ns),
	    TP_ARGS(job, waited_ns),
	    TP_STRUCT__entry(__array(char, timeline, VIRTGPU2_TIMELINE_NAME_LEN)
			     __field(u64, seqno)
			     __field(u64, waited_us)),
	    TP_fast_assign(strscpy(__entry->timeline, job->tl->name, VIRTGPU2_TIMELINE_NAME_LEN);
			   __entry->seqno = job->fence->base.seqno;
			   __entry->waited_us = div_u64(waited_ns, NSEC_PER_USEC);),
	    TP_printk("timeline=%s seqno=%llu waited_us=%llu",
		      __entry->timeline, __entry->seqno, __entry->waited_us)
);

DECLARE_EVENT_CLASS(virtgpu2_hostmem_class,
		    TP_PROTO(u32 resource, u64 offset, u64 size),
		    TP_ARGS(resource, offset, size),
		    TP_STRUCT__entry(__field(u32, resource)
				     __field(u64, offset)
				     __field(u64, size)),
		    TP_fast_assign(__entry->resource = resource;
				   __entry->offset = offset;
				   __entry->size = size;),
		    TP_printk("resource=%u offset=0x%llx size=0x%llx",
			      __entry->resource, __entry->offset, __entry->size)
);

DEFINE_EVENT(virtgpu2_hostmem_class,
	     virtgpu2_hostmem_map,
	     TP_PROTO(u32 resource, u64 offset, u64 size),
	     TP_ARGS(resource, offset, size)
);

DEFINE_EVENT(virtgpu2_hostmem_class,
	     virtgpu2_hostmem_unmap,
	     TP_PROTO(u32 resource, u64 offset, u64 size),
	     TP_ARGS(resource, offset, size)
);

#endif /* VIRTGPU2_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE virtgpu2_trace
#include <trace/define_trace.h>
