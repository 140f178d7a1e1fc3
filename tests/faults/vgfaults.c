// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgfaults [--only NAME] [--max N] [--results FILE]: the fail-nth sweep.
 * For each scenario, its target call runs with the 1st, 2nd, 3rd, ...
 * fault point of the thread failing (slab and page allocations and user
 * copies alike), until it goes through untouched. After each injected
 * failure:
 *   - the call returned an errno, and changed nothing (where the scenario
 *     can tell), or, if it returned 0, what it made is whole (verify);
 *   - once the scene's fds are closed, the driver's live counts
 *     (debugfs virtgpu2_live) are back where they started;
 *   - a canary submission still completes.
 * kmemleak's scan at the end of the guest run (scripts/vm-run) covers the
 * memory the counts do not. Writes "faults/NAME pass|fail|skip" lines to
 * FILE and exits 1 on any failure, 77 when the kernel cannot inject.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "inject.h"
#include "scenario.h"

#define CALL_TIMEOUT_S 10
#define SETTLE_MS 10000

#define MAX_FDS 1024

static struct live_counts baseline;
static unsigned int orphans;
static bool have_counts;
static unsigned int kinds[INJECT_NUM_KINDS];
static FILE *results;

static void on_alarm(int sig)
{
	(void)sig;	/* only to cut a blocked call short with EINTR */
}

static void arm_timeout(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */

	sigaction(SIGALRM, &sa, NULL);
	alarm(CALL_TIMEOUT_S);
}

static void fds_open(bool *open_fds)
{
	int fd;

	for (fd = 0; fd < MAX_FDS; fd++)
		open_fds[fd] = fcntl(fd, F_GETFD) >= 0;
}

/*
 * An fd the target installed but could not report: drm_ioctl() copies the
 * arguments back after the driver returns, so a failed copy leaves the
 * process an fd (a sync_file, say) it never learnt. It is the process's,
 * not a kernel leak; closing it lets the counts settle.
 */
static void close_orphans(const bool *before)
{
	bool now[MAX_FDS];
	int fd;

	fds_open(now);
	for (fd = 0; fd < MAX_FDS; fd++) {
		if (now[fd] && !before[fd]) {
			close(fd);
			orphans++;
		}
	}
}

/* A fresh fd still submits and sees its fence signal. */
static bool canary(void)
{
	struct scene s;
	int fence = NO_FD;
	bool ok;

	scene_init(&s);
	s.fd = dev_open("renderD", "virtio_gpu");
	ok = s.fd >= 0 && !dev_submit(s.fd, VIRTGPU_EXECBUF_FENCE_FD_OUT, NO_FD, &fence, 0) &&
	     dev_fence_signals(fence, 5000);
	if (fence >= 0)
		close(fence);
	scene_teardown(&s);
	return ok;
}

/*
 * One try with the @nth fault point failing (0: none). Returns 0 when all
 * checks held, or a negative value after saying what went wrong; *fired
 * tells whether the failure was injected.
 */
static int try_once(const struct scenario *sc, unsigned int nth, bool *fired,
		    bool *suspect)
{
	bool before[MAX_FDS];
	struct scene s;
	int ret, verdict = 0;

	*suspect = false;
	scene_init(&s);
	ret = sc->setup(&s);
	if (ret) {
		scene_teardown(&s);
		if (ret == SCENE_SKIP)
			return SCENE_SKIP;
		printf("vgfaults: %s: setup failed (%s)\n", sc->name, strerror(-ret));
		return -1;
	}
	fds_open(before);
	arm_timeout();
	if (nth)
		inject_arm(nth);
	ret = sc->target(&s);
	*fired = nth ? inject_disarm() : false;
	if (ret == -EINTR) {
		printf("vgfaults: %s@%u: the call blocked for %d s\n", sc->name, nth,
		       CALL_TIMEOUT_S);
		verdict = -1;
	} else if (!ret && sc->verify(&s)) {
		printf("vgfaults: %s@%u: the call returned 0, but what it made is not whole\n",
		       sc->name, nth);
		verdict = -1;
	} else if (ret && sc->unchanged && sc->unchanged(&s)) {
		/*
		 * drm_ioctl() copies the arguments back after the driver has
		 * done its work: EFAULT there is the call's last fault point,
		 * which the sweep confirms by the next point's not firing.
		 */
		*suspect = ret == -EFAULT;
		if (!*suspect) {
			printf("vgfaults: %s@%u: the call failed (%s), but its effects remain\n",
			       sc->name, nth, strerror(-ret));
			verdict = -1;
		}
	} else if (ret && (!*fired || !nth)) {
		printf("vgfaults: %s@%u: the call failed untouched (%s)\n", sc->name, nth,
		       strerror(-ret));
		verdict = -1;
	}
	alarm(0);
	scene_teardown(&s);
	close_orphans(before);
	if (have_counts && !live_settle(&baseline, SETTLE_MS)) {
		printf("vgfaults: %s@%u: the driver kept objects after %s\n", sc->name, nth,
		       ret ? strerror(-ret) : "success");
		verdict = -1;
	}
	if (!canary()) {
		printf("vgfaults: %s@%u: the canary submission failed afterwards\n", sc->name, nth);
		verdict = -1;
	}
	return verdict;
}

/* Run the failing try again with stacks in the log, and show them. */
static void explain(const struct scenario *sc, unsigned int nth)
{
	bool fired, suspect;

	inject_last_kind(false);
	inject_verbosity(2);
	try_once(sc, nth, &fired, &suspect);
	inject_verbosity(1);
	printf("vgfaults: %s@%u: the kernel's log of a rerun:\n", sc->name, nth);
	inject_last_kind(true);
}

static void result(const char *name, const char *what)
{
	printf("faults/%s %s\n", name, what);
	if (results)
		fprintf(results, "faults/%s %s\n", name, what);
}

/* Sweep one scenario; returns its injection points, or -1 on failure. */
static int sweep(const struct scenario *sc, unsigned int max)
{
	unsigned int nth, here[INJECT_NUM_KINDS] = { 0 };
	bool fired, suspect, was_suspect = false;
	int ret, k;

	ret = try_once(sc, 0, &fired, &suspect);
	if (ret == SCENE_SKIP) {
		result(sc->name, "skip");
		return 0;
	}
	for (nth = 1; !ret && nth <= max; nth++) {
		ret = try_once(sc, nth, &fired, &suspect);
		if (was_suspect && fired) {
			/* Not the last point: the failed call did change things. */
			printf("vgfaults: %s@%u: the call failed (EFAULT), but its effects remain\n",
			       sc->name, --nth);
			ret = -1;
		}
		if (ret || !fired)
			break;
		was_suspect = suspect;
		here[inject_last_kind(false)]++;
	}
	if (!ret && fired) {
		printf("vgfaults: %s: still failing at point %u\n", sc->name, max);
		ret = -1;
	}
	if (ret) {
		explain(sc, nth);
		result(sc->name, "fail");
		return -1;
	}
	printf("vgfaults: %s: %u points (", sc->name, nth - 1);
	for (k = 0; k < INJECT_NUM_KINDS; k++) {
		printf("%s%s %u", k ? ", " : "", inject_kind_names[k], here[k]);
		kinds[k] += here[k];
	}
	printf(")\n");
	result(sc->name, "pass");
	return nth - 1;
}

int main(int argc, char **argv)
{
	unsigned int max = 5000, points = 0, failed = 0, run = 0;
	const char *only = NULL;
	time_t t0 = time(NULL);
	size_t i;
	int k, n;

	for (k = 1; k < argc; k++) {
		if (!strcmp(argv[k], "--only") && k + 1 < argc)
			only = argv[++k];
		else if (!strcmp(argv[k], "--max") && k + 1 < argc)
			max = strtoul(argv[++k], NULL, 0);
		else if (!strcmp(argv[k], "--results") && k + 1 < argc)
			results = fopen(argv[++k], "a");
		else {
			fprintf(stderr, "usage: vgfaults [--only NAME] [--max N] [--results FILE]\n");
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!inject_setup())
		return 77;
	if (!canary()) {
		printf("vgfaults: the canary submission fails before any injection\n");
		return 1;
	}
	have_counts = live_read(&baseline) && live_settle(&baseline, SETTLE_MS);
	if (!have_counts)
		printf("vgfaults: no virtgpu2_live in debugfs: the driver's counts are not checked\n");
	for (i = 0; i < num_scenarios; i++) {
		if (only && strcmp(only, scenarios[i].name))
			continue;
		n = sweep(&scenarios[i], max);
		if (n < 0) {
			failed++;
			/* What it kept is reported; the next one starts anew. */
			if (have_counts)
				live_read(&baseline);
		} else {
			points += n;
		}
		run++;
	}
	printf("vgfaults: %u scenarios, %u injection points (slab %u, page %u, usercopy %u, silent %u), %u failed, %ld s\n",
	       run, points, kinds[INJECT_SLAB], kinds[INJECT_PAGE], kinds[INJECT_USERCOPY],
	       kinds[INJECT_SILENT], failed, (long)(time(NULL) - t0));
	printf("vgfaults: %u fds installed by calls whose copy-out then failed, closed\n",
	       orphans);
	return failed ? 1 : 0;
}
