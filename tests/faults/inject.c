// SPDX-License-Identifier: GPL-2.0-only
/*
 * fail-nth (Documentation/fault-injection/fault-injection.rst): writing N
 * to /proc/thread-self/fail-nth makes the Nth fault point this thread
 * passes fail; reading it back gives 0 once that happened.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "inject.h"

#define DEBUGFS "/sys/kernel/debug"

const char *const inject_kind_names[INJECT_NUM_KINDS] = {
	[INJECT_SLAB] = "slab",
	[INJECT_PAGE] = "page",
	[INJECT_USERCOPY] = "usercopy",
	[INJECT_SILENT] = "silent",
};

/* The attributes whose sites fail-nth counts, by their debugfs names. */
static const char *const attrs[] = { "failslab", "fail_page_alloc", "fail_usercopy" };

static int fail_nth_fd = -1;
static int kmsg_fd = -1;

static bool knob(const char *attr, const char *name, const char *value)
{
	char path[256];
	int fd;
	bool ok;

	snprintf(path, sizeof(path), DEBUGFS "/%s/%s", attr, name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return false;
	ok = write(fd, value, strlen(value)) == (ssize_t)strlen(value);
	close(fd);
	return ok;
}

void inject_verbosity(int level)
{
	char v[4];
	size_t i;

	snprintf(v, sizeof(v), "%d", level);
	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++)
		knob(attrs[i], "verbose", v);
}

bool inject_setup(void)
{
	size_t i;

	fail_nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (fail_nth_fd < 0) {
		printf("vgfaults: no /proc/thread-self/fail-nth (%s): this kernel has no FAULT_INJECTION\n",
		       strerror(errno));
		return false;
	}
	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		if (!knob(attrs[i], "verbose_ratelimit_interval_ms", "0")) {
			printf("vgfaults: no %s/%s/ (%s): FAULT_INJECTION_DEBUG_FS and the kind are needed\n",
			       DEBUGFS, attrs[i], strerror(errno));
			return false;
		}
	}
	/* By default, sleeping allocations and highmem are exempt: count all. */
	knob("failslab", "ignore-gfp-wait", "N");
	knob("fail_page_alloc", "ignore-gfp-wait", "N");
	knob("fail_page_alloc", "ignore-gfp-highmem", "N");
	knob("fail_page_alloc", "min-order", "0");
	inject_verbosity(1);
	kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (kmsg_fd >= 0)
		lseek(kmsg_fd, 0, SEEK_END);
	return true;
}

void inject_arm(unsigned int nth)
{
	char v[16];
	int len = snprintf(v, sizeof(v), "%u", nth);

	if (pwrite(fail_nth_fd, v, len, 0) != len) {
		perror("vgfaults: arming fail-nth");
		exit(2);
	}
}

bool inject_disarm(void)
{
	char v[16] = "";
	ssize_t n = pread(fail_nth_fd, v, sizeof(v) - 1, 0);
	bool fired;

	/*
	 * A read that failed was itself the armed user copy: the call
	 * before it went through untouched.
	 */
	fired = n > 0 && atoi(v) == 0;
	/*
	 * Still counting, the read's copy or this write's can be the armed
	 * point: then this write fails, and the next finds nothing armed.
	 */
	if (pwrite(fail_nth_fd, "0", 1, 0) != 1 && pwrite(fail_nth_fd, "0", 1, 0) != 1) {
		perror("vgfaults: disarming fail-nth");
		exit(2);
	}
	return fired;
}

enum inject_kind inject_last_kind(bool print)
{
	enum inject_kind kind = INJECT_SILENT;
	char rec[2048];
	ssize_t n;

	if (kmsg_fd < 0)
		return kind;
	for (;;) {
		n = read(kmsg_fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* overwritten records: go on */
		if (n <= 0)
			break;
		rec[n] = 0;
		if (print)
			fputs(strchr(rec, ';') ? strchr(rec, ';') + 1 : rec, stdout);
		if (strstr(rec, "name failslab"))
			kind = INJECT_SLAB;
		else if (strstr(rec, "name fail_page_alloc"))
			kind = INJECT_PAGE;
		else if (strstr(rec, "name fail_usercopy"))
			kind = INJECT_USERCOPY;
	}
	return kind;
}

static const char *live_path(void)
{
	static char path[256];
	glob_t g;

	if (path[0])
		return path;
	if (glob(DEBUGFS "/dri/*/virtgpu2_live", 0, NULL, &g) || !g.gl_pathc)
		return NULL;
	snprintf(path, sizeof(path), "%s", g.gl_pathv[0]);
	globfree(&g);
	return path;
}

bool live_read(struct live_counts *c)
{
	const char *path = live_path();
	FILE *f = path ? fopen(path, "r") : NULL;

	c->n = 0;
	if (!f)
		return false;
	while (c->n < LIVE_MAX &&
	       fscanf(f, "%23s %ld", c->names[c->n], &c->values[c->n]) == 2)
		c->n++;
	fclose(f);
	return c->n > 0;
}

static bool live_equal(const struct live_counts *a, const struct live_counts *b)
{
	return a->n == b->n && !memcmp(a->values, b->values, a->n * sizeof(a->values[0]));
}

bool live_settle(const struct live_counts *base, int timeout_ms)
{
	struct timespec pause = { 0, 5 * 1000 * 1000 };
	struct live_counts now;
	int waited, i;

	for (waited = 0; waited <= timeout_ms; waited += 5) {
		if (!live_read(&now))
			return true;	/* nothing to compare */
		if (live_equal(base, &now))
			return true;
		nanosleep(&pause, NULL);
	}
	for (i = 0; i < now.n && i < base->n; i++)
		if (now.values[i] != base->values[i])
			printf("vgfaults:   %s %ld, was %ld\n", now.names[i],
			       now.values[i], base->values[i]);
	return false;
}
