# SPDX-License-Identifier: GPL-2.0-only
# Shared settings for the virtgpu2 test bed scripts. Source it; do not run it.

VIRTGPU2_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VIRTGPU2_CACHE=${VIRTGPU2_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/virtgpu2}
ROOT=${VIRTGPU2_ROOT:-$VIRTGPU2_CACHE/root-sid}
MIRROR=${VIRTGPU2_MIRROR:-http://deb.debian.org/debian}
# Build output inside the root, one directory per checkout, so that several
# checkouts (git worktrees) can build and boot side by side.
BUILD_REL=/var/cache/virtgpu2-build/$(printf %s "$VIRTGPU2_SRC" | md5sum | cut -c1-12)

die() { echo "virtgpu2: $*" >&2; exit 2; }
note() { echo "virtgpu2: $*" >&2; }

# The packages of the test root. Changing this list rebuilds the root.
ROOT_PACKAGES="qemu-system-x86 qemu-system-modules-opengl qemu-system-gui
virgl-server libvirglrenderer1 mesa-vulkan-drivers libgl1-mesa-dri libegl1
libegl-mesa0 xvfb xauth linux-image-amd64 linux-headers-amd64 build-essential
libdrm-dev libdrm-tests busybox-static kmod vulkan-tools mesa-utils
mesa-utils-bin igt-gpu-tools igt-gpu-tools-tests vkmark glmark2-es2-drm kmscube
drm-info strace dkms sparse python3 zstd xz-utils linux-source gcc-12 gcc-14
flex bison bc libelf-dev libssl-dev debhelper dh-dkms lintian"

# host_need CMD PACKAGE...: install Debian packages on the host when CMD is missing.
host_need() {
	local cmd=$1
	shift
	command -v "$cmd" >/dev/null 2>&1 && return 0
	note "installing $* on the host"
	if [ -z "${VIRTGPU2_APT_UPDATED:-}" ]; then
		apt-get update -qq >/dev/null || die "apt-get update failed"
		VIRTGPU2_APT_UPDATED=1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null ||
		die "could not install $* on the host"
}

# in_root CMD...: run a command inside the test root with /proc, /sys, /dev
# and a private /tmp. Mounts live in a private namespace and vanish with it.
# VIRTGPU2_BIND="host:root[:ro] ..." adds bind mounts.
in_root() {
	unshare --mount --propagation private -- bash -c '
		set -e
		r=$1; shift
		mount --rbind /dev "$r/dev"
		mount -t proc proc "$r/proc"
		mount --rbind /sys "$r/sys"
		mount -t tmpfs tmpfs "$r/tmp"
		mount -t tmpfs tmpfs "$r/run"
		for b in ${VIRTGPU2_BIND:-}; do
			IFS=: read -r src dst mode <<<"$b"
			mkdir -p "$r$dst"
			mount --bind "$src" "$r$dst"
			[ "$mode" = ro ] && mount -o remount,bind,ro "$r$dst"
		done
		exec chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			HOME=/root LANG=C.UTF-8 TERM=${TERM:-dumb} "$@"
	' in_root "$ROOT" "$@"
}

# The guest kernels, by short name: sid (default) and the others that
# scripts/build-root installs beside it; debug is the kernel of
# scripts/build-debug-kernel (release <version>-vg2debug), never picked
# for sid.
kernel_release() {
	local name=${1:-sid} k
	case $name in
	sid | 7.2) name="" ;;
	trixie) name=6.12 ;;
	bookworm) name=6.1. ;;
	esac
	if [ "$name" = debug ]; then
		k=$(cd "$ROOT/boot" && ls vmlinuz-*-vg2debug 2>/dev/null | sort -V | tail -n1)
	else
		k=$(cd "$ROOT/boot" && ls "vmlinuz-$name"* 2>/dev/null | grep -v -- '-vg2debug$' |
			sort -V | tail -n1)
	fi
	[ -n "$k" ] || return 1
	echo "${k#vmlinuz-}"
}
