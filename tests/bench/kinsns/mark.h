/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest side of the kinsns plugin (tests/bench/kinsns/kinsns.c): call
 * kinsns_mark() from user code to have the plugin write "mark <n> <kernel
 * instructions so far>" to its out= file. The instruction is the Bochs magic
 * xchg %bx,%bx, 66 87 db: it changes no state, so it costs nothing (and
 * means nothing) when the guest runs without the plugin, e.g. under KVM.
 * x86 only.
 */
#ifndef KINSNS_MARK_H
#define KINSNS_MARK_H

static inline void kinsns_mark(void)
{
	/* "memory": keep the compiler from moving work across the mark. */
	__asm__ volatile("xchg %%bx, %%bx" ::: "memory");
}

#endif
