// SPDX-License-Identifier: GPL-2.0-only
/* Linux 6.13 added hrtimer_setup(); hrtimer_init() went away later. */
#include <linux/hrtimer.h>

enum hrtimer_restart probe_fn(struct hrtimer *t);
void probe(struct hrtimer *t);
void probe(struct hrtimer *t)
{
	hrtimer_setup(t, probe_fn, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
}
