// SPDX-License-Identifier: GPL-2.0-only
/* Linux 6.3 made vma->vm_flags read-only and added vm_flags_set(). */
#include <linux/mm.h>

void probe_vm_flags_set(struct vm_area_struct *vma)
{
	vm_flags_set(vma, VM_IO);
}
