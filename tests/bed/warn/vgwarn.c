// SPDX-License-Identifier: GPL-2.0-only
/*
 * A module whose only job is to put a real kernel WARNING, with its
 * backtrace, into the guest's log. The test bed's self-test loads it to
 * prove that vm-run fails a run whose kernel log has a warning.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init vgwarn_init(void)
{
	WARN(1, "vgwarn: deliberate warning for the vm-run self-test\n");
	return -ENODEV;	/* nothing to keep loaded */
}
module_init(vgwarn_init);

MODULE_DESCRIPTION("virtgpu2 test bed: provoke one kernel warning");
MODULE_LICENSE("GPL");
