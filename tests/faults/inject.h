/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel's fault injection, as the sweep drives it: fail-nth arms the
 * Nth allocation or user copy of this thread to fail; the debugfs knobs
 * make every kind of allocation count; the kernel log says which kind each
 * injected failure was; the driver's debugfs counts say whether anything
 * was kept.
 */
#ifndef INJECT_H
#define INJECT_H

#include <stdbool.h>

enum inject_kind {
	INJECT_SLAB,
	INJECT_PAGE,
	INJECT_USERCOPY,
	INJECT_SILENT,	/* fired, but the site asked for no message */
	INJECT_NUM_KINDS,
};

extern const char *const inject_kind_names[INJECT_NUM_KINDS];

/* Returns false (and says why) when this kernel cannot inject faults. */
bool inject_setup(void);
/* How much the kernel says per injected failure: 1 a line, 2 a stack too. */
void inject_verbosity(int level);
void inject_arm(unsigned int nth);
/* Disarms; true when the armed failure was injected. */
bool inject_disarm(void);
/* Reads the kernel log since the last call: the kind of the last failure. */
enum inject_kind inject_last_kind(bool print);

#define LIVE_MAX 16
struct live_counts {
	int n;
	char names[LIVE_MAX][24];
	long values[LIVE_MAX];
};

/* False when the driver has no virtgpu2_live file (the in-tree driver). */
bool live_read(struct live_counts *c);
/*
 * Waits up to @timeout_ms for the counts to come back to @base (objects
 * are released by work items and RCU); prints the difference if not.
 */
bool live_settle(const struct live_counts *base, int timeout_ms);

#endif
