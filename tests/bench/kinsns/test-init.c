// SPDX-License-Identifier: GPL-2.0-only
/*
 * /init of the plugin's self-test initramfs (selftest.sh): marks, 1,000
 * getppid(2) calls, a mark, 10,000 more, a mark, then exit, which panics
 * the kernel and so ends QEMU (panic=-1 with -no-reboot). The kernel work
 * between the second and third marks should be about ten times that
 * between the first and second. Freestanding: no libc, raw syscalls.
 */
#include "mark.h"

#define SYS_getppid 110
#define SYS_exit 60

static long syscall0(long nr)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr) : "rcx", "r11", "memory");
	return ret;
}

static void calls(int n)
{
	while (n--)
		syscall0(SYS_getppid);
}

__attribute__((noreturn, used)) void run(void)
{
	kinsns_mark();
	calls(1000);
	kinsns_mark();
	calls(10000);
	kinsns_mark();
	for (;;)
		syscall0(SYS_exit);
}

__asm__(".globl _start\n"
	"_start:\n"
	"	xor %ebp, %ebp\n"
	"	and $-16, %rsp\n"
	"	call run\n"
	"	ud2\n");
