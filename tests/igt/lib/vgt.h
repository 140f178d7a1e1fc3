// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgt: a small harness for IGT-style test binaries.
 *
 * No IGT headers are packaged anywhere, so the virtgpu2 tests cannot be built
 * against libigt. This harness gives them the same outside behaviour as an
 * IGT binary, which is all igt_runner looks at:
 *
 *   --list-subtests          print the subtest names, one per line
 *   --run-subtest LIST       run the subtests matching LIST, a comma
 *                            separated list of names or fnmatch(3) patterns
 *                            (also --run-subtest=LIST)
 *   no arguments             run every subtest
 *
 * Each subtest prints "Starting subtest: NAME" and, when it is over,
 * "Subtest NAME: SUCCESS|FAIL|SKIP|CRASH (1.234s)". The binary exits with 0
 * when at least one subtest passed and none failed, 77 when all were skipped,
 * 98 when one failed and 79 when the command line named no subtest.
 *
 * Every subtest runs in its own child process with a time limit, so an
 * assertion, a crash or a hang only takes that subtest down.
 */
#ifndef VGT_H
#define VGT_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

#define VGT_EXIT_SUCCESS 0
#define VGT_EXIT_SKIP 77
#define VGT_EXIT_TIMEOUT 78
#define VGT_EXIT_INVALID 79
#define VGT_EXIT_FAILURE 98

/* Default time limit of a subtest in seconds; VGT_TIMEOUT overrides it. */
#define VGT_DEFAULT_TIMEOUT 60

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/**
 * struct vgt_subtest - one subtest of a binary
 * @name: name as igt_runner sees it: letters, digits, '-' and '_'
 * @func: body; it returns to pass, or ends through an assertion or a skip
 * @desc: one line for --describe
 * @timeout: time limit in seconds, 0 for the default
 */
struct vgt_subtest {
	const char *name;
	void (*func)(void);
	const char *desc;
	unsigned int timeout;
};

/* Table entries: VGT_SUBTEST(name, func, desc), or with a time limit. */
#define VGT_SUBTEST(n, f, d) { .name = (n), .func = (f), .desc = (d) }
#define VGT_SUBTEST_TIMEOUT(n, f, d, t) \
	{ .name = (n), .func = (f), .desc = (d), .timeout = (t) }

int vgt_main(int argc, char **argv, const struct vgt_subtest *tests,
	     size_t count);

#define VGT_MAIN(tests)							\
int main(int argc, char **argv)						\
{									\
	return vgt_main(argc, argv, tests, ARRAY_SIZE(tests));		\
}

/* Reporting, only valid inside a subtest. */
__attribute__((noreturn, format(printf, 5, 6)))
void vgt_fail_at(const char *file, int line, const char *func, int err,
		 const char *fmt, ...);
__attribute__((noreturn, format(printf, 4, 5)))
void vgt_skip_at(const char *file, int line, const char *func,
		 const char *fmt, ...);
__attribute__((format(printf, 1, 2)))
void vgt_info(const char *fmt, ...);
__attribute__((format(printf, 1, 2)))
void vgt_debug(const char *fmt, ...);

const char *vgt_errname(int err);

#define vgt_fail(fmt, ...) \
	vgt_fail_at(__FILE__, __LINE__, __func__, errno, fmt, ##__VA_ARGS__)

#define vgt_skip(fmt, ...) \
	vgt_skip_at(__FILE__, __LINE__, __func__, fmt, ##__VA_ARGS__)

/*
 * The assertion macros below stringify their arguments themselves, never
 * through another macro, so that messages show the source text rather than
 * its expansion.
 */
#define vgt_require_f(cond, fmt, ...) do {				\
	if (!(cond))							\
		vgt_skip_at(__FILE__, __LINE__, __func__,		\
			    "requirement not met: %s\n" fmt,		\
			    #cond, ##__VA_ARGS__);			\
} while (0)

#define vgt_require(cond) do {						\
	if (!(cond))							\
		vgt_skip_at(__FILE__, __LINE__, __func__,		\
			    "requirement not met: %s\n", #cond);	\
} while (0)

#define vgt_assert_f(cond, fmt, ...) do {				\
	if (!(cond)) {							\
		int vgt_err_ = errno;					\
		vgt_fail_at(__FILE__, __LINE__, __func__, vgt_err_,	\
			    "failed assertion: %s\n" fmt,		\
			    #cond, ##__VA_ARGS__);			\
	}								\
} while (0)

#define vgt_assert(cond) do {						\
	if (!(cond)) {							\
		int vgt_err_ = errno;					\
		vgt_fail_at(__FILE__, __LINE__, __func__, vgt_err_,	\
			    "failed assertion: %s\n", #cond);		\
	}								\
} while (0)

void vgt_check_cmp(const char *file, int line, const char *func,
		   const char *text, bool ok, long long a, long long b);

/*
 * Compare two integers, each evaluated once; both values are shown when the
 * comparison is false.
 */
#define vgt_cmp_(a, op, b, text) do {					\
	long long vgt_a_ = (long long)(a);				\
	long long vgt_b_ = (long long)(b);				\
	vgt_check_cmp(__FILE__, __LINE__, __func__, text,		\
		      vgt_a_ op vgt_b_, vgt_a_, vgt_b_);		\
} while (0)

#define vgt_assert_cmp(a, op, b) vgt_cmp_(a, op, b, #a " " #op " " #b)
#define vgt_assert_eq(a, b) vgt_cmp_(a, ==, b, #a " == " #b)
#define vgt_assert_neq(a, b) vgt_cmp_(a, !=, b, #a " != " #b)
#define vgt_assert_lt(a, b) vgt_cmp_(a, <, b, #a " < " #b)
#define vgt_assert_lte(a, b) vgt_cmp_(a, <=, b, #a " <= " #b)
#define vgt_assert_gt(a, b) vgt_cmp_(a, >, b, #a " > " #b)
#define vgt_assert_gte(a, b) vgt_cmp_(a, >=, b, #a " >= " #b)

/*
 * The call must succeed: a negative result is a failure. Works for calls
 * that return -1 and set errno as well as for the harness helpers, which
 * return -errno and leave errno set too.
 */
#define vgt_assert_ok(expr) do {					\
	long vgt_r_ = (long)(expr);					\
	int vgt_err_ = errno;						\
	if (vgt_r_ < 0)							\
		vgt_fail_at(__FILE__, __LINE__, __func__, vgt_err_,	\
			    "%s failed: returned %ld\n", #expr, vgt_r_); \
} while (0)

/*
 * The call must fail with errno @err: the result is negative and errno is
 * @err afterwards. vgt_assert_errno2() also accepts a second errno, @alt.
 */
#define vgt_errno_(expr, text, err, alt) do {				\
	long vgt_r_;							\
	int vgt_err_;							\
	errno = 0;							\
	vgt_r_ = (long)(expr);						\
	vgt_err_ = errno;						\
	vgt_check_errno(__FILE__, __LINE__, __func__, text,		\
			vgt_r_, vgt_err_, err, alt);			\
} while (0)

#define vgt_assert_errno(expr, err) vgt_errno_(expr, #expr, err, 0)
#define vgt_assert_errno2(expr, err, alt) vgt_errno_(expr, #expr, err, alt)

void vgt_check_errno(const char *file, int line, const char *func,
		     const char *expr, long ret, int got, int want, int alt);

/* Time in nanoseconds on CLOCK_MONOTONIC. */
u64 vgt_now_ns(void);

/* ioctl() that retries on EINTR and EAGAIN; returns 0 or -errno. */
int vgt_ioctl(int fd, unsigned long request, void *arg);

/*
 * DRM device nodes. vgt_drm_open() returns an fd of the first node of the
 * kind whose driver is @driver, or -1. The vgt_open_* helpers skip the
 * subtest when there is none.
 */
enum vgt_node {
	VGT_NODE_PRIMARY,
	VGT_NODE_RENDER,
};

int vgt_drm_open(enum vgt_node kind, const char *driver);
int vgt_open_render(void);
int vgt_open_card(void);

/* Poll a file (a sync_file, a DRM fd) for POLLIN; true when it is ready. */
bool vgt_fd_ready(int fd, int timeout_ms);

#endif /* VGT_H */
