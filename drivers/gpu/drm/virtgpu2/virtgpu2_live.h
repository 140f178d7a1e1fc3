/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How many of each driver object exist now, shown in debugfs
 * (virtgpu2_live). The fault-injection sweep reads them before and after
 * its scenarios: a call that failed must give back all it took. The counts
 * are module-wide, not per device, because fences, their timelines and
 * their queues outlive the device they came from.
 */
#ifndef VIRTGPU2_LIVE_H
#define VIRTGPU2_LIVE_H

#include <linux/atomic.h>

struct seq_file;

/**
 * enum virtgpu2_live_kind - what virtgpu2_live counts
 * @VIRTGPU2_LIVE_RESOURCE_IDS: host resource ids assigned to objects
 * @VIRTGPU2_LIVE_CONTEXTS: host context ids
 * @VIRTGPU2_LIVE_WINDOW_RANGES: ranges of the host-visible window
 * @VIRTGPU2_LIVE_VBUFS: command buffers
 * @VIRTGPU2_LIVE_JOBS: submissions and parked commands
 * @VIRTGPU2_LIVE_FENCES: fences, armed or not
 * @VIRTGPU2_LIVE_TIMELINES: fence timelines
 * @VIRTGPU2_LIVE_QUEUES: submission queues
 * @VIRTGPU2_LIVE_NUM: the number of kinds
 */
enum virtgpu2_live_kind {
	VIRTGPU2_LIVE_RESOURCE_IDS,
	VIRTGPU2_LIVE_CONTEXTS,
	VIRTGPU2_LIVE_WINDOW_RANGES,
	VIRTGPU2_LIVE_VBUFS,
	VIRTGPU2_LIVE_JOBS,
	VIRTGPU2_LIVE_FENCES,
	VIRTGPU2_LIVE_TIMELINES,
	VIRTGPU2_LIVE_QUEUES,
	VIRTGPU2_LIVE_NUM,
};

extern atomic_t virtgpu2_live[VIRTGPU2_LIVE_NUM];

static inline void virtgpu2_live_inc(enum virtgpu2_live_kind kind)
{
	atomic_inc(&virtgpu2_live[kind]);
}

static inline void virtgpu2_live_dec(enum virtgpu2_live_kind kind)
{
	atomic_dec(&virtgpu2_live[kind]);
}

int virtgpu2_live_show(struct seq_file *m, void *unused);

#endif /* VIRTGPU2_LIVE_H */
