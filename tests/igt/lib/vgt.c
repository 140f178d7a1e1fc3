// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgt: the harness side of the IGT-style test binaries. See vgt.h for the
 * conventions it follows.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "vgt.h"

/* What a finished subtest reports, in the words igt_runner understands. */
enum vgt_result {
	VGT_SUCCESS,
	VGT_SKIP,
	VGT_FAIL,
	VGT_CRASH,
};

static const char *const vgt_result_names[] = {
	[VGT_SUCCESS] = "SUCCESS",
	[VGT_SKIP] = "SKIP",
	[VGT_FAIL] = "FAIL",
	[VGT_CRASH] = "CRASH",
};

struct vgt_options {
	const char *filter;	/* --run-subtest argument, or NULL */
	bool list;
	bool describe;
};

static const char *vgt_current;	/* name of the running subtest */
static bool vgt_verbose;

u64 vgt_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

const char *vgt_errname(int err)
{
	const char *name;

	if (!err)
		return "0";
	name = strerrorname_np(err);
	return name ? name : "E?";
}

static void vgt_vreport(FILE *f, const char *what, const char *file, int line,
			const char *func, const char *fmt, va_list ap)
{
	fprintf(f, "(%s:%d) %s in %s(), %s:%d:\n", program_invocation_short_name,
		getpid(), what, func, file, line);
	vfprintf(f, fmt, ap);
}

void vgt_fail_at(const char *file, int line, const char *func, int err,
		 const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	va_start(ap, fmt);
	vgt_vreport(stderr, "FAIL", file, line, func, fmt, ap);
	va_end(ap);
	fprintf(stderr, "  last errno: %d (%s: %s)\n", err, vgt_errname(err),
		strerror(err));
	fprintf(stderr, "Subtest %s failed.\n", vgt_current ? vgt_current : "?");
	fflush(stderr);
	exit(VGT_EXIT_FAILURE);
}

void vgt_skip_at(const char *file, int line, const char *func,
		 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vgt_vreport(stdout, "SKIP", file, line, func, fmt, ap);
	va_end(ap);
	fflush(stdout);
	exit(VGT_EXIT_SKIP);
}

void vgt_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

void vgt_debug(const char *fmt, ...)
{
	va_list ap;

	if (!vgt_verbose)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

void vgt_check_cmp(const char *file, int line, const char *func,
		   const char *text, bool ok, long long a, long long b)
{
	if (!ok)
		vgt_fail_at(file, line, func, errno,
			    "failed assertion: %s\n"
			    "  left:  %lld (%#llx)\n"
			    "  right: %lld (%#llx)\n", text,
			    a, (unsigned long long)a, b, (unsigned long long)b);
}

void vgt_check_errno(const char *file, int line, const char *func,
		     const char *expr, long ret, int got, int want, int alt)
{
	if (ret >= 0)
		vgt_fail_at(file, line, func, got,
			    "%s succeeded (returned %ld), expected %s%s%s\n",
			    expr, ret, vgt_errname(want), alt ? " or " : "",
			    alt ? vgt_errname(alt) : "");
	if (got != want && (!alt || got != alt))
		vgt_fail_at(file, line, func, got,
			    "%s failed with %s, expected %s%s%s\n", expr,
			    vgt_errname(got), vgt_errname(want),
			    alt ? " or " : "", alt ? vgt_errname(alt) : "");
}

int vgt_ioctl(int fd, unsigned long request, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, request, arg);
	} while (ret == -1 && (errno == EINTR || errno == EAGAIN));

	return ret == -1 ? -errno : ret;
}

bool vgt_fd_ready(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int ret;

	do {
		ret = poll(&pfd, 1, timeout_ms);
	} while (ret < 0 && errno == EINTR);

	return ret == 1 && (pfd.revents & POLLIN);
}

static bool vgt_driver_is(int fd, const char *driver)
{
	drmVersionPtr v = drmGetVersion(fd);
	bool match;

	if (!v)
		return false;
	match = v->name && !strcmp(v->name, driver);
	drmFreeVersion(v);
	return match;
}

static int vgt_node_cmp(const void *a, const void *b)
{
	return strverscmp(*(char *const *)a, *(char *const *)b);
}

int vgt_drm_open(enum vgt_node kind, const char *driver)
{
	const char *prefix = kind == VGT_NODE_RENDER ? "renderD" : "card";
	char *names[256];
	size_t n = 0, i;
	struct dirent *de;
	int fd = -1;
	DIR *dir;

	dir = opendir("/dev/dri");
	if (!dir)
		return -1;
	while ((de = readdir(dir)) && n < ARRAY_SIZE(names))
		if (!strncmp(de->d_name, prefix, strlen(prefix)))
			names[n++] = strdup(de->d_name);
	closedir(dir);
	qsort(names, n, sizeof(names[0]), vgt_node_cmp);

	for (i = 0; i < n; i++) {
		char path[64];

		snprintf(path, sizeof(path), "/dev/dri/%s", names[i]);
		if (fd < 0) {
			fd = open(path, O_RDWR | O_CLOEXEC);
			if (fd >= 0 && !vgt_driver_is(fd, driver)) {
				close(fd);
				fd = -1;
			}
			if (fd >= 0)
				vgt_debug("opened %s\n", path);
		}
		free(names[i]);
	}
	return fd;
}

int vgt_open_render(void)
{
	int fd = vgt_drm_open(VGT_NODE_RENDER, "virtio_gpu");

	if (fd < 0)
		vgt_skip("no virtio_gpu render node in /dev/dri\n");
	return fd;
}

int vgt_open_card(void)
{
	int fd = vgt_drm_open(VGT_NODE_PRIMARY, "virtio_gpu");

	if (fd < 0)
		vgt_skip("no virtio_gpu primary (card) node in /dev/dri\n");
	return fd;
}

/* Harness proper: command line, selection, running and reporting. */

static void vgt_usage(const char *argv0, FILE *f)
{
	fprintf(f, "Usage: %s [OPTIONS]\n"
		"  --list-subtests\n"
		"  --run-subtest <pattern>[,<pattern>...]\n"
		"  --describe[=<pattern>]\n"
		"  --debug\n"
		"  --help\n", argv0);
}

static bool vgt_match(const char *filter, const char *name)
{
	char *list, *pat, *save = NULL;
	bool found = false;

	if (!filter)
		return true;
	list = strdup(filter);
	for (pat = strtok_r(list, ",", &save); pat && !found;
	     pat = strtok_r(NULL, ",", &save))
		found = !fnmatch(pat, name, 0);
	free(list);
	return found;
}

static int vgt_parse(int argc, char **argv, struct vgt_options *opt)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--list-subtests")) {
			opt->list = true;
		} else if (!strcmp(a, "--run-subtest") && i + 1 < argc) {
			opt->filter = argv[++i];
		} else if (!strncmp(a, "--run-subtest=", 14)) {
			opt->filter = a + 14;
		} else if (!strcmp(a, "--describe")) {
			opt->describe = true;
		} else if (!strncmp(a, "--describe=", 11)) {
			opt->describe = true;
			opt->filter = a + 11;
		} else if (!strcmp(a, "--debug")) {
			vgt_verbose = true;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			vgt_usage(argv[0], stdout);
			exit(VGT_EXIT_SUCCESS);
		} else {
			fprintf(stderr, "%s: unknown option '%s'\n", argv[0], a);
			vgt_usage(argv[0], stderr);
			return -1;
		}
	}
	return 0;
}

static unsigned int vgt_timeout(const struct vgt_subtest *t)
{
	const char *env = getenv("VGT_TIMEOUT");

	if (env && atoi(env) > 0)
		return atoi(env);
	return t->timeout ? t->timeout : VGT_DEFAULT_TIMEOUT;
}

static void vgt_child(const struct vgt_subtest *t, unsigned int timeout)
{
	/* A second line of defence if the parent cannot watch the clock. */
	alarm(timeout + 5);
	vgt_current = t->name;
	t->func();
	fflush(stdout);
	fflush(stderr);
	exit(VGT_EXIT_SUCCESS);
}

/* Show where a hung child sleeps: its tasks' kernel stacks (root only). */
static void vgt_dump_stacks(pid_t pid)
{
	char path[320], line[256];
	struct dirent *de;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/stack", pid,
			 de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		fprintf(stderr, "task %s kernel stack:\n", de->d_name);
		while (fgets(line, sizeof(line), f))
			fprintf(stderr, "  %s", line);
		fclose(f);
	}
	closedir(dir);
}

/*
 * Wait for the child, at most @timeout seconds; true if it ended in time.
 * A child stuck in an uninterruptible kernel wait outlives SIGKILL: it is
 * then left behind (status says killed) so the other subtests still run.
 */
static bool vgt_wait_child(pid_t pid, unsigned int timeout, int *status)
{
	int pidfd = syscall(SYS_pidfd_open, pid, 0);
	bool in_time = true;

	if (pidfd >= 0) {
		in_time = vgt_fd_ready(pidfd, timeout * 1000);
		if (!in_time) {
			vgt_dump_stacks(pid);
			kill(pid, SIGKILL);
			if (!vgt_fd_ready(pidfd, 10 * 1000)) {
				fprintf(stderr, "child %d does not die: stuck in the kernel\n",
					pid);
				close(pidfd);
				*status = SIGKILL;	/* WIFSIGNALED, SIGKILL */
				return false;
			}
		}
		close(pidfd);
	}
	while (waitpid(pid, status, 0) < 0) {
		if (errno == EINTR)
			continue;
		/*
		 * A child that oopsed again while exiting is never reaped
		 * ("Fixing recursive fault"): no status is not a pass.
		 */
		fprintf(stderr, "child %d left no exit status (%s): it died in the kernel\n",
			pid, strerror(errno));
		*status = SIGKILL;	/* WIFSIGNALED, SIGKILL */
		break;
	}
	if (WIFSIGNALED(*status) && WTERMSIG(*status) == SIGALRM)
		in_time = false;
	return in_time;
}

static enum vgt_result vgt_classify(const struct vgt_subtest *t, int status,
				    bool in_time, unsigned int timeout)
{
	if (!in_time) {
		fprintf(stderr, "Subtest %s timed out after %u s and was killed\n",
			t->name, timeout);
		return VGT_FAIL;
	}
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "Subtest %s: child killed by signal %d (%s)\n",
			t->name, WTERMSIG(status), strsignal(WTERMSIG(status)));
		return VGT_CRASH;
	}
	switch (WEXITSTATUS(status)) {
	case VGT_EXIT_SUCCESS:
		return VGT_SUCCESS;
	case VGT_EXIT_SKIP:
		return VGT_SKIP;
	case VGT_EXIT_FAILURE:
		return VGT_FAIL;
	default:
		fprintf(stderr, "Subtest %s: child exited with status %d\n",
			t->name, WEXITSTATUS(status));
		return VGT_FAIL;
	}
}

static enum vgt_result vgt_run_one(const struct vgt_subtest *t)
{
	unsigned int timeout = vgt_timeout(t);
	enum vgt_result res;
	bool in_time;
	int status = 0;
	u64 start;
	pid_t pid;

	printf("Starting subtest: %s\n", t->name);
	fflush(stdout);
	fflush(stderr);
	start = vgt_now_ns();

	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "fork: %s\n", strerror(errno));
		res = VGT_FAIL;
		goto out_report;
	}
	if (pid == 0)
		vgt_child(t, timeout);

	in_time = vgt_wait_child(pid, timeout, &status);
	res = vgt_classify(t, status, in_time, timeout);

out_report:
	fflush(stderr);
	printf("Subtest %s: %s (%.3fs)\n", t->name, vgt_result_names[res],
	       (vgt_now_ns() - start) / 1e9);
	fflush(stdout);
	return res;
}

static void vgt_banner(void)
{
	struct utsname u;

	uname(&u);
	printf("IGT-Version: vgt-1.0 (%s) (Linux: %s %s)\n", u.machine,
	       u.release, u.machine);
}

static int vgt_run_all(const struct vgt_subtest *tests, size_t count,
		       const char *filter)
{
	size_t i, ran = 0, passed = 0, failed = 0;

	vgt_banner();
	for (i = 0; i < count; i++) {
		enum vgt_result res;

		if (!vgt_match(filter, tests[i].name))
			continue;
		ran++;
		res = vgt_run_one(&tests[i]);
		passed += res == VGT_SUCCESS;
		failed += res == VGT_FAIL || res == VGT_CRASH;
	}

	if (!ran) {
		fprintf(stderr, "Unknown subtest: %s\n", filter);
		return VGT_EXIT_INVALID;
	}
	if (failed)
		return VGT_EXIT_FAILURE;
	return passed ? VGT_EXIT_SUCCESS : VGT_EXIT_SKIP;
}

int vgt_main(int argc, char **argv, const struct vgt_subtest *tests,
	     size_t count)
{
	struct vgt_options opt = { 0 };
	size_t i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (vgt_parse(argc, argv, &opt))
		return VGT_EXIT_INVALID;

	if (opt.list || opt.describe) {
		for (i = 0; i < count; i++) {
			if (!vgt_match(opt.filter, tests[i].name))
				continue;
			if (opt.describe)
				printf("SUB %s: %s\n", tests[i].name,
				       tests[i].desc ? tests[i].desc : "");
			else
				printf("%s\n", tests[i].name);
		}
		return VGT_EXIT_SUCCESS;
	}

	return vgt_run_all(tests, count, opt.filter);
}
