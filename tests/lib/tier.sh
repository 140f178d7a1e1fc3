# SPDX-License-Identifier: GPL-2.0-only
# Shared by the tier runners that boot guests of their own (tests/edges/run,
# tests/debug/run). Source it after setting TIER_USAGE; it parses
# [--driver NAME] [--kernel NAME] RESULTS-FILE, builds the tests and sets
# driver, kernel, results and work (a temporary directory, removed at exit,
# whose share/ is the guests' /mnt/share). Then call tier_guest once per
# guest and tier_finish last.
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
driver=virtgpu2 kernel=${TIER_KERNEL:-sid}
tier_usage() { die "usage: ${TIER_USAGE:-run} [--driver NAME] [--kernel NAME] RESULTS-FILE"; }
while [ $# -gt 0 ]; do
	case $1 in
	--driver) driver=$2; shift 2 ;;
	--kernel) kernel=$2; shift 2 ;;
	-*) tier_usage ;;
	*) break ;;
	esac
done
[ $# = 1 ] || tier_usage
results=$1
touch "$results" || die "cannot write $results"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/share"
: >"$work/new.txt"

# Subtests expected to hang the guest (RESULT "hang") are recorded, not run.
expected="$VIRTGPU2_SRC/tests/expected/$driver.txt"
cat "$expected" "${expected%.txt}-$kernel.txt" 2>/dev/null |
	awk '$2 == "hang" { print $1 }' >"$work/share/hangs.txt"

# tier_guest NAME PREFIX TIMEOUT "TIER..." [VM-RUN OPTIONS...]: one guest
# running scripts/guest/run-tests with the given tiers. Its result lines get
# PREFIX in front (tests/debug/run records "debug/own/..."); a guest that
# fails (vm-run fails on any kernel report) or gives no result at all adds
# "NAME fail" (NAME is a result name such as edges/vm-run).
tier_guest() {
	local name=$1 prefix=$2 timeout=$3 tiers=$4 out rc
	shift 4
	out="$work/share/${name//\//-}.txt"
	echo "== $name: $tiers ($driver, $kernel)"
	# shellcheck disable=SC2086 # $tiers is a list
	"$VIRTGPU2_SRC/scripts/vm-run" --driver "$driver" --kernel "$kernel" \
		--share "$work/share" --timeout "$timeout" "$@" -- \
		env VIRTGPU2_SKIP_HANGS=/mnt/share/hangs.txt \
		"$VIRTGPU2_SRC/scripts/guest/run-tests" "/mnt/share/${out##*/}" $tiers
	rc=$?
	sed "s|^|$prefix|" "$out" >>"$work/new.txt" 2>/dev/null
	if [ $rc != 0 ] || [ ! -s "$out" ]; then
		echo "$name: vm-run exited $rc" >&2
		echo "$name fail" >>"$work/new.txt"
	fi
}

# tier_finish: append what the guests gave to RESULTS-FILE, show it, and
# exit 1 when any of it failed.
tier_finish() {
	cat "$work/new.txt" >>"$results"
	echo "== results"
	cat "$work/new.txt"
	! grep -q ' fail$' "$work/new.txt"
}

if ! "$VIRTGPU2_SRC/scripts/build-tests" >/dev/null; then
	echo "build-tests fail" >>"$work/new.txt"
	tier_finish
	exit 1
fi
