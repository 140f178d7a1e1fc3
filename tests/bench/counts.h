/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Costs that noise cannot hide: virtqueue kicks and interrupts of the GPU
 * device, counted inside the guest over the measured part of a metric.
 */
#ifndef BENCH_COUNTS_H
#define BENCH_COUNTS_H

#include <stdbool.h>

/* Set up the counters; false (and a reason in @why) when they cannot be. */
bool counts_init(char *why, unsigned int len);
/* Forget the windows of the previous metric. */
void counts_reset(void);
/* The measured part of a metric starts (and is marked for kinsns)... */
void counts_begin(void);
/* ...and ends, after @ops operations: marked, and printed as WINDOW. */
void counts_end(unsigned long ops);
/* Kicks and interrupts per operation over the metric's windows; false if none. */
bool counts_per_op(double *kicks, double *irqs);

#endif /* BENCH_COUNTS_H */
