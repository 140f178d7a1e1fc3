#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Check that include/uapi/drm/virtgpu_drm.h of the checkout has the same
# binary interface as the system's /usr/include/drm/virtgpu_drm.h (Linux
# 7.2's header in the sid test root).
#
# Usage: check.sh [CHECKOUT]
#   CHECKOUT defaults to the directory two levels above this script.
#   CC (default gcc) and CXX (default g++) pick the compilers; SYSINC
#   (default /usr/include) the system include directory.
#
# virtgpu_abi_dump.c is built twice, once with the checkout's header in front
# of the include path and once with the system's, and the two outputs are
# compared. The script also compares the names each header defines, makes
# sure the dump program covers every name the system header defines, and
# compiles the checkout's header alone as C90 and as C++.
#
# Prints "abi: ok" and exits 0 when everything matches. Prints what differs
# and exits 1 otherwise; exits 2 when the check itself cannot run.

set -u

here=$(cd "$(dirname "$0")" && pwd)
checkout=$(cd "${1:-$here/../..}" 2>/dev/null && pwd) || {
	echo "abi: no such checkout: ${1:-}" >&2
	exit 2
}
cc=${CC:-gcc}
cxx=${CXX:-g++}
sysinc=${SYSINC:-/usr/include}

ours_hdr=$checkout/include/uapi/drm/virtgpu_drm.h
sys_hdr=$sysinc/drm/virtgpu_drm.h
dump_src=$checkout/tests/abi/virtgpu_abi_dump.c

# "drm.h", which the header includes, lives in $sysinc/drm.
ours_inc=(-I"$checkout/include/uapi" -I"$sysinc/drm")
sys_inc=(-I"$sysinc/drm")
cflags=(-std=gnu11 -O0 -Wall -Wextra -Werror)

die() {
	echo "abi: $*" >&2
	exit 2
}

for f in "$ours_hdr" "$sys_hdr" "$dump_src"; do
	[ -f "$f" ] || die "missing $f"
done
command -v "$cc" >/dev/null || die "no C compiler ($cc)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/virtgpu2-abi.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$tmp"' EXIT

failed=0
fail() {
	echo "abi: FAIL: $*"
	failed=1
}

printf '#include <drm/drm.h>\n' >"$tmp/base.c"
printf '#include <drm/virtgpu_drm.h>\n' >"$tmp/hdr.c"

# Print the names defined by <drm/virtgpu_drm.h> on top of <drm/drm.h>, in
# the form the dump program uses: "macro NAME", "struct NAME" and
# "field STRUCT.MEMBER", the last two in declaration order.
names_of() {
	local out=$1 src=$2
	shift 2
	"$cc" -dM -E "$@" "$src" | awk '$1 == "#define" {
		name = $2
		sub(/\(.*/, "", name)
		print "macro " name
	}' | sort >"$out"
	"$cc" -E -P "$@" "$src" | awk '
	{
		line = $0
		if (depth == 0 &&
		    line ~ /^[ \t]*struct[ \t]+[A-Za-z_][A-Za-z0-9_]*[ \t]*\{/) {
			cur = line
			sub(/^[ \t]*struct[ \t]+/, "", cur)
			sub(/[ \t]*\{.*/, "", cur)
			print "struct " cur
		}
		opens = gsub(/\{/, "{", line)
		closes = gsub(/\}/, "}", line)
		if (depth == 1 && cur != "" && opens == 0 && closes == 0 &&
		    line ~ /;[ \t]*$/) {
			member = line
			sub(/[ \t]*;[ \t]*$/, "", member)
			sub(/[ \t]*\[.*$/, "", member)
			sub(/^.*[ \t*]/, "", member)
			print "field " cur "." member
		}
		depth += opens - closes
		if (depth == 0)
			cur = ""
	}' >>"$out"
}

inventory() {
	local out=$1
	shift
	names_of "$tmp/base.names" "$tmp/base.c" "$@" || return 1
	names_of "$tmp/hdr.names" "$tmp/hdr.c" "$@" || return 1
	grep -vxF -f "$tmp/base.names" "$tmp/hdr.names" >"$out"
}

# Show a compiler's complaints once each (the dump macros repeat them).
show_errors() {
	if grep -q 'error:' "$1"; then
		grep 'error:' "$1" | sed 's/^[^ ]*: error: /error: /' |
			sort -u | head -n 40
	else
		cat "$1"
	fi
}

# Build and run the dump program against one header; $1 names the variant,
# $2 is the header that must be the one included, the rest are flags.
dump() {
	local v=$1 want=$2
	shift 2

	# -H lists every header opened, one per line, behind dots.
	if ! "$cc" -H -fsyntax-only "$@" "$dump_src" 2>"$tmp/$v.deps"; then
		show_errors "$tmp/$v.deps"
		return 1
	fi
	if ! sed -n 's/^\.\.* //p' "$tmp/$v.deps" | grep -qxF "$want"; then
		echo "abi: the $v build did not include $want but:"
		sed -n 's/^\.\.* \(.*virtgpu_drm\.h\)$/  \1/p' "$tmp/$v.deps"
		return 1
	fi
	if ! "$cc" "${cflags[@]}" "$@" -o "$tmp/dump-$v" "$dump_src" \
	     2>"$tmp/$v.err"; then
		show_errors "$tmp/$v.err"
		return 1
	fi
	"$tmp/dump-$v" >"$tmp/$v.dump"
}

dump sys "$sys_hdr" "${sys_inc[@]}" ||
	die "the dump program does not build against $sys_hdr"
inventory "$tmp/sys.names" "${sys_inc[@]}" ||
	die "cannot list the names of $sys_hdr"

# Everything the system header defines must be checked by the dump program,
# or a new kernel could add an item that nobody compares.
cut -d' ' -f1,2 "$tmp/sys.dump" >"$tmp/sys.covered"
if grep -vxF -f "$tmp/sys.covered" "$tmp/sys.names" >"$tmp/uncovered"; then
	fail "virtgpu_abi_dump.c does not check these items of $sys_hdr:"
	sed 's/^/  /' "$tmp/uncovered"
fi

if ! dump ours "$ours_hdr" "${ours_inc[@]}"; then
	fail "the dump program does not build against $ours_hdr"
elif ! diff -u --label "system $sys_hdr" --label "ours $ours_hdr" \
	    "$tmp/sys.dump" "$tmp/ours.dump"; then
	fail "layouts or values differ (diff above: - system, + ours)"
fi

if ! inventory "$tmp/ours.names" "${ours_inc[@]}"; then
	fail "cannot list the names of $ours_hdr"
elif ! diff -u --label "system names" --label "our names" \
	    "$tmp/sys.names" "$tmp/ours.names"; then
	fail "the headers define different names (diff above: - system, + ours)"
fi

# The kernel builds every uapi header on its own as C90 and refuses C++
# comments in them; C++ users need the extern "C" block to work. drm.h is
# included as a system header so that only our header is held to -pedantic.
hdr_inc=(-I"$checkout/include/uapi" -isystem "$sysinc/drm")
if ! "$cc" -std=c90 -pedantic -Wall -Werror -fsyntax-only "${hdr_inc[@]}" \
     "$tmp/hdr.c" 2>"$tmp/c90.err"; then
	show_errors "$tmp/c90.err"
	fail "$ours_hdr does not compile as C90"
fi
if sed -z 's@/\*[^*]*\*\+\([^/*][^*]*\*\+\)*/@@g' "$ours_hdr" |
   grep '//' >"$tmp/cxx-comments"; then
	sed 's/^/  /' "$tmp/cxx-comments"
	fail "$ours_hdr has C++ comments (lines above)"
fi
if command -v "$cxx" >/dev/null; then
	if ! "$cxx" -x c++ -pedantic -Wall -Werror -fsyntax-only \
	     "${hdr_inc[@]}" "$tmp/hdr.c" 2>"$tmp/cxx.err"; then
		show_errors "$tmp/cxx.err"
		fail "$ours_hdr does not compile as C++"
	fi
else
	echo "abi: note: no C++ compiler ($cxx), C++ check skipped" >&2
fi

if [ "$failed" -ne 0 ]; then
	exit 1
fi
echo "abi: ok"
