// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgfuzz: options, the main loop, the per-call timer, the kernel log watch
 * and the statistics. See vgfuzz.h for the layout and README.md for use.
 *
 *   vgfuzz [--seed S] [--calls N] [--trace FROM] [--stats] [--ko PATH]
 *          [--sites N] [--no-kcov] [--corpus-share PERCENT] [--only A,B,...]
 *          [--pcs FILE] [--seconds S]
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "vgfuzz.h"

#define MAX_CALLS 64
#define TIMER_MS 200
#define KMSG_EVERY 1000
#define MARK_EVERY 10000

struct entry {
	const struct call *c;
	u64 n, ok, intr, fresh;
	double secs;		/* wall time inside the call, for choosing weights */
};

static struct entry table[MAX_CALLS];
static u32 ntable, total_weight;
static u64 seed, ncalls = 100000, trace_from = ~0ULL, call_no;
/* A wall-clock bound (0: none): a host that stops answering costs each
 * call its 10 s timeouts, and a run must still end inside its guest's. */
static double max_seconds;
static bool stats, no_kcov;
static u32 corpus_share = 30;
static const char *ko, *only, *pcs_file;
static long nsites = -1;
bool trace_on;
volatile int alarm_fired;
static u64 interrupted, reopened_stuck;
static int kmsg_r = -1, kmsg_w = -1;
static u64 errnos[256];

/* ---- the per-call timer ---- */

static void on_alarm(int sig)
{
	(void)sig;
	alarm_fired = 1;
}

static void timer_init(void)
{
	/* No SA_RESTART: a blocked ioctl must come back with EINTR. */
	struct sigaction sa = { .sa_handler = on_alarm };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
}

void timer_arm(void)
{
	struct itimerval t = { .it_value = { 0, TIMER_MS * 1000 } };

	setitimer(ITIMER_REAL, &t, NULL);
}

void timer_disarm(void)
{
	struct itimerval t = { 0 };

	setitimer(ITIMER_REAL, &t, NULL);
}

/*
 * The loop sometimes changes the size encoded in the request (DRM core
 * zero-extends short structs and must ignore long ones) or passes a bad
 * argument pointer. The struct travels through a private buffer, so a
 * kernel that writes back the larger size cannot scribble on our stack.
 */
static int ioc_delta;
static u64 ioc_bad;

int xioctl(int fd, unsigned long req, void *arg)
{
	static u64 buf[512];
	size_t sz = _IOC_SIZE(req), nsz = sz;
	void *p = buf;
	int ret;

	if (ioc_delta) {
		nsz = (size_t)((int)sz + ioc_delta);
		if (nsz > sizeof(buf) || (int)nsz < 0)
			nsz = sz;
		req = (req & ~((unsigned long)_IOC_SIZEMASK << _IOC_SIZESHIFT)) |
		      ((unsigned long)nsz << _IOC_SIZESHIFT);
	}
	memset(buf, 0, nsz > sz ? nsz : sz);
	memcpy(buf, arg, sz);
	if (ioc_bad)
		p = (void *)(uintptr_t)ioc_bad;
	ret = ioctl(fd, req, p);
	if (ret)
		return -errno;
	memcpy(arg, buf, sz);
	return 0;
}

/* ---- the kernel log ---- */

static const char *const reports[] = {
	"BUG:", "WARNING:", "KASAN:", "UBSAN:", "ODEBUG:", "possible circular",
	"possible recursive", "INFO: task", "general protection", "Oops",
	"Kernel panic", "refcount_t:", "list_add corruption", "list_del corruption",
	"blocked for more than", "Disabling lock debugging",
};

static void kmsg_open(void)
{
	kmsg_r = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsg_r >= 0)
		lseek(kmsg_r, 0, SEEK_END);
	kmsg_w = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
}

static void kmsg_mark(void)
{
	char m[96];
	int n = snprintf(m, sizeof(m), "vgfuzz: seed %llu call %llu\n",
			 (unsigned long long)seed, (unsigned long long)call_no);

	if (kmsg_w >= 0 && write(kmsg_w, m, (size_t)n) < 0)
		kmsg_w = -1;
}

static bool is_report(const char *msg)
{
	u32 i;

	if (!strncmp(msg, "vgfuzz:", 7))
		return false;
	for (i = 0; i < ARRAY_SIZE(reports); i++)
		if (strstr(msg, reports[i]))
			return true;
	return false;
}

/* Reads what the kernel logged since the last look; prints reports. */
static int kmsg_drain(int print_max)
{
	char rec[2048], *msg;
	int found = 0, printed = 0;
	ssize_t n;

	while (kmsg_r >= 0) {
		n = read(kmsg_r, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* records overwritten: go on */
		if (n <= 0)
			break;
		rec[n] = 0;
		msg = strchr(rec, ';');
		msg = msg ? msg + 1 : rec;
		if (is_report(msg))
			found++;
		if ((found || print_max < 0) && printed < (print_max < 0 ? 40 : print_max)) {
			printf("vgfuzz: kmsg: %s", msg);
			printed++;
		}
	}
	return found;
}

static void kmsg_check(u64 from)
{
	if (!kmsg_drain(0))
		return;
	printf("vgfuzz: kernel report between call %llu and call %llu, seed %llu\n",
	       (unsigned long long)from, (unsigned long long)call_no,
	       (unsigned long long)seed);
	/* Print the report itself: drain again, the rest may still be coming. */
	usleep(200000);
	kmsg_drain(-1);
	printf("vgfuzz: replay: vgfuzz --seed %llu --calls %llu --trace %llu\n",
	       (unsigned long long)seed, (unsigned long long)call_no,
	       (unsigned long long)from);
	fflush(stdout);
	exit(1);
}

/* ---- the loop ---- */

void tracef(const char *fmt, ...)
{
	va_list ap;

	if (!trace_on)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

/* Is @name in the comma-separated --only list (or is there no list)? */
static bool wanted(const char *name)
{
	size_t len = strlen(name);
	const char *p = only;

	if (!only)
		return true;
	for (; (p = strstr(p, name)); p += len)
		if ((p == only || p[-1] == ',') && (!p[len] || p[len] == ','))
			return true;
	return false;
}

static void table_add(const struct call *c, u32 n)
{
	u32 i;

	for (i = 0; i < n && ntable < MAX_CALLS; i++) {
		if (!wanted(c[i].name))
			continue;
		table[ntable++].c = &c[i];
		total_weight += c[i].weight;
	}
}

static u32 pick_by_weight(void)
{
	u32 r = rng_below(total_weight), i;

	for (i = 0; i < ntable - 1; i++) {
		if (r < table[i].c->weight)
			return i;
		r -= table[i].c->weight;
	}
	return i;
}

/* Whether a call just drawn is run: a slow one only one time in SLOW_ODDS. */
static bool keep_call(u32 i)
{
	return !(table[i].c->flags & CF_SLOW) || one_in(SLOW_ODDS);
}

static u32 pick_call(void)
{
	u32 i;

	do
		i = pick_by_weight();
	while (!keep_call(i));
	return i;
}

/*
 * Which DRM fd: calls that need the primary node mostly get the master
 * (slot 0); the others spread over all four, render nodes included.
 */
static struct slot *pick_slot(struct gen *g, const struct call *c)
{
	u32 i = (u32)g_raw(g, 16);

	i = (c->flags & CF_CARD) ? (i < 12 ? 0 : i % NSLOTS) : i % NSLOTS;
	if (st.slot[i].fd < 0)
		slot_open(g, (int)i);
	return &st.slot[i];
}

/*
 * A slot whose calls keep running into the timer has a context stuck behind
 * fences that will not signal; re-opening it cancels its parked jobs, else
 * every later call on it would cost a whole timer period.
 */
static void unstick(struct gen *g, struct slot *s)
{
	if (s->fd < 0 || ++s->stuck < 3)
		return;
	tracef("vgfuzz:   fd%d stuck: re-opened\n", (int)(s - st.slot));
	reopened_stuck++;
	slot_open(g, (int)(s - st.slot));
}

static void prepare(struct gen *g, struct prog *p)
{
	u32 i;

	memset(g, 0, sizeof(*g));
	g->out = p;
	p->n = 0;
	for (i = 0; i < ARRAY_SIZE(g->mutate_at); i++)
		g->mutate_at[i] = ~0U;
	if (corpus_size() && rng_below(100) < corpus_share)
		g->base = corpus_pick();
	if (g->base && !keep_call(g->base->call))
		g->base = NULL;
	if (g->base) {
		for (i = 0; i < 1 + rng_below(ARRAY_SIZE(g->mutate_at)); i++)
			g->mutate_at[i] = rng_below(g->base->n ? g->base->n : 1);
		p->call = g->base->call;
	} else {
		p->call = (u16)pick_call();
	}
	/* Now and then a whole-call oddity: request size or argument pointer. */
	ioc_delta = one_in(300) ? (int)rng_below(17) * 4 - 32 : 0;
	ioc_bad = one_in(500) ? (one_in(2) ? 0x10 : 0xffffffff81000000ULL) : 0;
}

static double now(void);

static void one_call(void)
{
	static struct prog p;
	struct entry *e;
	struct slot *s;
	struct gen g;
	double t;
	u32 fresh;
	int ret;

	gen_reset_scratch();
	prepare(&g, &p);
	e = &table[p.call];
	s = pick_slot(&g, e->c);
	alarm_fired = 0;
	/*
	 * Every call is timed, not only the waits: in virtgpu2 any command
	 * whose answer the caller waits for first waits for the context's
	 * jobs parked on in-fences, and an in-fence the host never retires
	 * (a fatal host context) parks them for good.
	 */
	t = now();
	timer_arm();
	kcov_start();
	ret = e->c->fn(&g, s);
	fresh = kcov_stop();
	timer_disarm();
	e->secs += now() - t;
	e->n++;
	e->ok += !ret;
	e->fresh += fresh;
	if (alarm_fired) {
		interrupted++;
		e->intr++;
		unstick(&g, s);
	}
	errnos[-ret < 255 && ret <= 0 ? -ret : 255]++;
	if (fresh)
		corpus_add(&p);
	if (trace_on)
		printf("vgfuzz: call %llu %s fd%d%s -> %d (%s)%s new %u\n",
		       (unsigned long long)call_no, e->c->name, (int)(s - st.slot),
		       g.base ? " mutated" : "", ret, ret ? strerror(-ret) : "ok",
		       alarm_fired ? " interrupted" : "", fresh);
}

static void usage(void)
{
	fprintf(stderr, "usage: vgfuzz [--seed S] [--calls N] [--trace FROM] [--stats]\n"
		"              [--ko PATH] [--sites N] [--no-kcov] [--corpus-share PERCENT]\n"
		"              [--only NAME,NAME...] [--pcs FILE] [--seconds S]\n");
	exit(2);
}

static void parse(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", 1, NULL, 's' }, { "calls", 1, NULL, 'n' },
		{ "trace", 1, NULL, 't' }, { "stats", 0, NULL, 'S' },
		{ "ko", 1, NULL, 'k' }, { "sites", 1, NULL, 'N' },
		{ "no-kcov", 0, NULL, 'K' }, { "corpus-share", 1, NULL, 'c' },
		{ "only", 1, NULL, 'o' }, { "pcs", 1, NULL, 'p' },
		{ "seconds", 1, NULL, 'T' }, { NULL, 0, NULL, 0 },
	};
	int o;

	seed = (u64)time(NULL);
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'n': ncalls = strtoull(optarg, NULL, 0); break;
		case 't': trace_from = strtoull(optarg, NULL, 0); break;
		case 'S': stats = true; break;
		case 'k': ko = optarg; break;
		case 'N': nsites = strtol(optarg, NULL, 0); break;
		case 'K': no_kcov = true; break;
		case 'c': corpus_share = (u32)strtoul(optarg, NULL, 0); break;
		case 'o': only = optarg; break;
		case 'p': pcs_file = optarg; break;
		case 'T': max_seconds = strtod(optarg, NULL); break;
		default: usage();
		}
	}
	if (optind != argc || corpus_share > 100)
		usage();
}

static const char *errname(u32 e)
{
	static char b[16];

	switch (e) {
	case 0: return "ok";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EINTR: return "EINTR";
	case EBADF: return "EBADF";
	case EAGAIN: return "EAGAIN";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EEXIST: return "EEXIST";
	case ENODEV: return "ENODEV";
	case EINVAL: return "EINVAL";
	case ENOSPC: return "ENOSPC";
	case ERANGE: return "ERANGE";
	case ENOSYS: return "ENOSYS";
	case ETIME: return "ETIME";
	case E2BIG: return "E2BIG";
	case ENOTTY: return "ENOTTY";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ETIMEDOUT: return "ETIMEDOUT";
	case EIO: return "EIO";
	case EOVERFLOW: return "EOVERFLOW";
	case EDEADLK: return "EDEADLK";
	}
	snprintf(b, sizeof(b), "E%u", e);
	return b;
}

static void report(double secs)
{
	u32 i;

	printf("vgfuzz: calls %llu in %.0f s (%.0f/s)\n", (unsigned long long)call_no, secs,
	       secs > 0 ? call_no / secs : 0.0);
	if (kcov_on() && kcov_sites() > 0)
		printf("vgfuzz: coverage %u of %ld sites (%.1f%%)\n", kcov_unique(),
		       kcov_sites(), 100.0 * kcov_unique() / kcov_sites());
	else if (kcov_on())
		printf("vgfuzz: coverage %u PCs (site count unknown: give --ko or --sites)\n",
		       kcov_unique());
	else
		printf("vgfuzz: coverage: not available (no kcov)\n");
	if (kcov_on() && kcov_outside())
		printf("vgfuzz: kcov PCs outside the module %llu\n",
		       (unsigned long long)kcov_outside());
	printf("vgfuzz: errno histogram");
	for (i = 0; i < 256; i++)
		if (errnos[i])
			printf(" %s:%llu", errname(i), (unsigned long long)errnos[i]);
	printf("\nvgfuzz: interrupted calls %llu\n", (unsigned long long)interrupted);
	printf("vgfuzz: fds re-opened when stuck %llu\n", (unsigned long long)reopened_stuck);
	printf("vgfuzz: corpus %u\n", corpus_size());
	for (i = 0; stats && i < ntable; i++)
		printf("vgfuzz: stat %-24s calls %8llu ok %8llu new-pcs %5llu interrupted %4llu time %6.1f s\n",
		       table[i].c->name, (unsigned long long)table[i].n,
		       (unsigned long long)table[i].ok, (unsigned long long)table[i].fresh,
		       (unsigned long long)table[i].intr, table[i].secs);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static struct prog init_prog;
	struct gen g = { .out = &init_prog };
	u64 last_check = 0;
	double t0;

	parse(argc, argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("vgfuzz: seed %llu calls %llu\n", (unsigned long long)seed,
	       (unsigned long long)ncalls);
	rng_seed(seed);
	table_add(calls_virtgpu, ncalls_virtgpu);
	table_add(calls_drm, ncalls_drm);
	table_add(calls_kms, ncalls_kms);
	table_add(calls_misc, ncalls_misc);
	if (!ntable) {
		fprintf(stderr, "vgfuzz: --only names no call\n");
		return 2;
	}
	timer_init();
	misc_init();
	gen_init();
	kmsg_open();
	if (!no_kcov && !kcov_open(ko, nsites))
		printf("vgfuzz: no kcov: running unguided\n");
	kmsg_mark();
	state_init(&g);
	t0 = now();
	for (call_no = 1; call_no <= ncalls; call_no++) {
		trace_on = call_no >= trace_from;
		one_call();
		if (call_no % MARK_EVERY == 0) {
			kmsg_mark();
			printf("vgfuzz: at call %llu, %.0f s, coverage %u\n",
			       (unsigned long long)call_no, now() - t0, kcov_unique());
		}
		if (call_no % KMSG_EVERY == 0) {
			kmsg_check(last_check + 1);
			last_check = call_no;
		}
		if (max_seconds > 0 && now() - t0 > max_seconds) {
			printf("vgfuzz: time bound of %.0f s reached at call %llu\n",
			       max_seconds, (unsigned long long)call_no);
			call_no++;
			break;
		}
	}
	call_no--;
	state_fini();
	kmsg_check(last_check + 1);
	report(now() - t0);
	if (pcs_file && !kcov_dump(pcs_file))
		fprintf(stderr, "vgfuzz: cannot write %s\n", pcs_file);
	return 0;
}
