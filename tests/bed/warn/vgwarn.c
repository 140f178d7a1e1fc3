// SPDX-License-Identifier: GPL-2.0-only
/*
 * A module whose only job is to put one real kernel report into the
 * guest's log: the test bed's self-tests load it to prove that vm-run
 * fails a run whose kernel log has one. what=warning (any kernel), leak
 * (kmemleak) or uaf (KASAN) picks the report.
 */
#include <linux/bug.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

static char *what = "warning";
module_param(what, charp, 0444);
MODULE_PARM_DESC(what, "the report to provoke: warning, leak or uaf");

/* Kept volatile so that the compiler neither drops nor folds the accesses. */
static void * volatile vgwarn_ptr;

static int __init vgwarn_init(void)
{
	if (!strcmp(what, "leak")) {
		int i;

		/*
		 * Nothing will ever point at these again. A stale copy of a
		 * pointer (on a reused stack, in a register) hides its object
		 * from kmemleak's scan, which made one leak a flaky report;
		 * of 32, all but the last few are reported on every run.
		 */
		for (i = 0; i < 32; i++)
			vgwarn_ptr = kmalloc(512, GFP_KERNEL);
		vgwarn_ptr = NULL;
	} else if (!strcmp(what, "uaf")) {
		char *p = kmalloc(64, GFP_KERNEL);

		vgwarn_ptr = p;
		kfree(p);
		pr_info("vgwarn: read after free: %d\n", ((char *)vgwarn_ptr)[8]);
	} else {
		WARN(1, "vgwarn: deliberate warning for the vm-run self-test\n");
	}
	return -ENODEV;	/* nothing to keep loaded */
}
module_init(vgwarn_init);

MODULE_DESCRIPTION("virtgpu2 test bed: provoke one kernel report");
MODULE_LICENSE("GPL");
