#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# selftest.sh KERNEL PLUGIN DIR: boot KERNEL under TCG with the kinsns plugin
# and an initramfs whose /init (test-init.c) sets three marks around 1,000
# and 10,000 syscalls; check the plugin's output. Runs where QEMU, gcc and
# busybox are, i.e. inside the test root. No root file system, no disk: the
# kernel panics when /init exits and QEMU stops. About ten seconds.
set -eu
kernel=$1 plugin=$2 dir=$3
src=$(dirname "$0")
mkdir -p "$dir/initramfs"
${CC:-gcc} -static -nostdlib -no-pie -ffreestanding -fno-stack-protector \
	-O2 -Wall -Wextra -Werror -o "$dir/initramfs/init" "$src/test-init.c"
(cd "$dir/initramfs" && echo init | busybox cpio -o -H newc >../initrd.cpio 2>/dev/null)
rm -f "$dir/kinsns.txt"
timeout 120 qemu-system-x86_64 -accel tcg -nographic -no-reboot -m 256 \
	-smp "${SMP:-2}" -kernel "$kernel" -initrd "$dir/initrd.cpio" \
	-append "console=ttyS0 panic=-1 quiet" \
	-plugin "$plugin,out=$dir/kinsns.txt" >"$dir/console.log" 2>&1 || true
cat "$dir/kinsns.txt"
awk '
	$1 == "mark" { if ($2 != ++n) bad = 1; m[n] = $3 }
	$1 == "total" { t = $2; seen = 1 }
	END {
		if (bad || n != 3 || !seen) { print "FAIL: want marks 1-3 and a total"; exit 1 }
		d1 = m[2] - m[1]; d2 = m[3] - m[2]
		printf "1,000 calls: %d kernel insns; 10,000 calls: %d (x%.1f)\n", d1, d2, d1 ? d2 / d1 : 0
		if (!(m[1] > 0 && d1 > 0 && d2 > 5 * d1 && t >= m[3])) { print "FAIL"; exit 1 }
		print "PASS"
	}' "$dir/kinsns.txt"
