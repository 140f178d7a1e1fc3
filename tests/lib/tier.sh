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
	local name=$1 prefix=$2 timeout=$3 tiers=$4 out log rc
	shift 4
	out="$work/share/${name//\//-}.txt"
	log="$work/${name//\//-}.log"
	echo "== $name: $tiers ($driver, $kernel)"
	# What vm-run prints (the guest's console, a report, a timeout) is
	# also kept in $log, for tier_keep_log when the guest fails.
	# shellcheck disable=SC2086 # $tiers is a list
	"$VIRTGPU2_SRC/scripts/vm-run" --driver "$driver" --kernel "$kernel" \
		--share "$work/share" --timeout "$timeout" "$@" -- \
		env VIRTGPU2_SKIP_HANGS=/mnt/share/hangs.txt VIRTGPU2_SAMPLE=20 \
		"$VIRTGPU2_SRC/scripts/guest/run-tests" "/mnt/share/${out##*/}" $tiers \
		> >(tee -a "$log") 2> >(tee -a "$log" >&2)
	rc=$?
	sed "s|^|$prefix|" "$out" >>"$work/new.txt" 2>/dev/null
	if [ $rc != 0 ] || [ ! -s "$out" ]; then
		echo "$name: vm-run exited $rc" >&2
		echo "$name fail" >>"$work/new.txt"
		tier_keep_log "$name" "$log" "$out"
	fi
}

# tier_keep_log NAME LOG RESULTS: a failed guest's vm-run messages and the
# guest's last result line go to $VIRTGPU2_CACHE/artifacts/NAME.log, and
# a short excerpt to artifacts/failures.txt, which scripts/check prints
# beside its summary (CI keeps only the end of the output).
tier_keep_log() {
	local name=$1 log=$2 out=$3 keep="$VIRTGPU2_CACHE/artifacts/${1//\//-}.log"
	mkdir -p "$VIRTGPU2_CACHE/artifacts"
	sleep 1 # the tees of tier_guest may still be writing
	cp "$log" "$keep" 2>/dev/null
	{
		echo "--- $name failed; last result: $(tail -n 1 "$out" 2>/dev/null || echo none); log $keep"
		grep -E -m 12 '^vm-run:|Kernel panic|Out of memory|Oops|BUG:|KASAN:|blocked for' "$log"
		echo "... its last lines:"
		tail -n 12 "$log"
		echo "... the guest's last memory samples (scripts/guest/run-tests):"
		tail -n 3 "${out%.txt}.memory" 2>/dev/null
	} >>"$VIRTGPU2_CACHE/artifacts/failures.txt"
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
