// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench: micro-benchmarks of the virtio-gpu uapi, run inside the guest on
 * whichever driver is bound (virtgpu2 or the in-tree virtio_gpu), so that
 * scripts/bench can put the two side by side.
 *
 * Every metric prints one line on stdout:
 *
 *   METRIC name value unit
 *   METRIC name skip reason...
 *   COUNT name kicks K irqs I
 *
 * The COUNT line gives the GPU's kicks and interrupts per operation over
 * the measured part of the metric, and WINDOW lines (before the metric's
 * own) the operations of each measured part (see counts.c).
 *
 * Units in microseconds are latencies (lower is better); every other unit
 * is a rate (higher is better). Iteration counts are fixed, so that both
 * drivers do the same work; BENCH_SCALE=F in the environment multiplies
 * them (a quick trial run). Nothing here fails by the clock: a metric that
 * cannot be measured says why and the binary goes on with the next one.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <xf86drm.h>

#include "counts.h"
#include "vgt_virtgpu.h"

#define DRIVER "virtio_gpu"	/* both drivers register this DRM name */
#define WAIT_MS 10000		/* a fence later than this is a broken host */
#define WARMUP 5
#define MAX_RESULTS 3
#define MAX_BOS 1024
#define THREADS 4
#define CHAINS 9

/* virgl's resource-create command, as embedded in a HOST3D blob create. */
#define VIRGL_CCMD_PIPE_RESOURCE_CREATE 48
#define VIRGL_PIPE_RES_CREATE_SIZE 11
#define VIRGL_RESOURCE_FLAG_MAP_PERSISTENT (1u << 1)
#define VIRGL_RESOURCE_FLAG_MAP_COHERENT (1u << 2)

/* What the device offers, asked once. */
static struct {
	u32 capsets;		/* VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs */
	u32 ring_capset;	/* Venus if offered, else a virgl capset */
	u32 virgl_capset;	/* VIRGL2 if offered, else VIRGL, else 0 */
	bool blob, host_visible;
	double scale;
} dev;

/* Why the running metric could not be measured. */
static char why[160];

__attribute__((format(printf, 2, 3)))
static int fail(int err, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (err && n >= 0 && (size_t)n < sizeof(why))
		snprintf(why + n, sizeof(why) - n, " (%s)", vgt_errname(err));
	return err ? -err : -EINVAL;
}

static unsigned int iters(unsigned int n)
{
	unsigned int scaled = (unsigned int)(n * dev.scale);

	return scaled > 10 ? scaled : 10;
}

static double now_us(void)
{
	return vgt_now_ns() / 1000.0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of @n sorted samples. */
static double percentile(const double *s, unsigned int n, unsigned int pct)
{
	unsigned int rank = (pct * n + 99) / 100;

	return s[rank ? rank - 1 : 0];
}

/* Contexts and submissions. */

static int open_render(void)
{
	int fd = vgt_drm_open(VGT_NODE_RENDER, DRIVER);

	return fd < 0 ? fail(ENODEV, "no %s render node", DRIVER) : fd;
}

/* A fresh render fd whose context has @capset, @rings rings and @poll. */
static int open_context(u32 capset, u32 rings, u64 poll)
{
	struct drm_virtgpu_context_set_param p[3] = {
		{ VIRTGPU_CONTEXT_PARAM_CAPSET_ID, capset },
		{ VIRTGPU_CONTEXT_PARAM_NUM_RINGS, rings },
		{ VIRTGPU_CONTEXT_PARAM_POLL_RINGS_MASK, poll },
	};
	int fd, ret;

	if (!capset)
		return fail(EOPNOTSUPP, "the host offers no capset for this");
	fd = open_render();
	if (fd < 0)
		return fd;
	ret = vgt_context_init(fd, p, poll ? 3 : rings ? 2 : 1);
	if (ret) {
		close(fd);
		return fail(-ret, "CONTEXT_INIT capset %u rings %u", capset, rings);
	}
	return fd;
}

static int open_ring_context(u64 poll)
{
	return open_context(dev.ring_capset, 1, poll);
}

static int open_virgl(void)
{
	return open_context(dev.virgl_capset, 0, 0);
}

/*
 * One empty submission: size 0 for Venus (its host accepts an empty
 * stream), two virgl NOP words otherwise, on ring 0 when @ring.
 */
static int submit(int fd, bool ring, u32 flags, s32 *fence,
		  const u32 *bos, u32 nbos)
{
	static const u32 nops[2];
	struct drm_virtgpu_execbuffer eb = {
		.flags = flags | (ring ? VIRTGPU_EXECBUF_RING_IDX : 0),
		.fence_fd = fence ? *fence : -1,
		.bo_handles = (uintptr_t)bos,
		.num_bo_handles = nbos,
	};
	int ret;

	if (!ring || dev.ring_capset != VIRTGPU_DRM_CAPSET_VENUS) {
		eb.command = (uintptr_t)nops;
		eb.size = sizeof(nops);
	}
	ret = vgt_execbuf(fd, &eb);
	if (ret)
		return fail(-ret, "EXECBUFFER");
	if (fence)
		*fence = eb.fence_fd;
	return 0;
}

static int wait_fence(s32 fence)
{
	bool ok = vgt_sync_file_wait(fence, WAIT_MS);

	close(fence);
	return ok ? 0 : fail(ETIMEDOUT, "the out-fence did not signal");
}

/* One submission and the wait for its out-fence, in microseconds. */
static int round_trip(int fd, bool ring, const u32 *bos, u32 nbos, double *us)
{
	double t0 = now_us();
	s32 fence = -1;
	int ret;

	ret = submit(fd, ring, VIRTGPU_EXECBUF_FENCE_FD_OUT, &fence, bos, nbos);
	if (!ret)
		ret = wait_fence(fence);
	*us = now_us() - t0;
	return ret;
}

/* @n round trips, sorted into @s. */
static int round_trips(int fd, bool ring, const u32 *bos, u32 nbos,
		       double *s, unsigned int n)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < WARMUP && !ret; i++)
		ret = round_trip(fd, ring, bos, nbos, &s[0]);
	counts_begin();
	for (i = 0; i < n && !ret; i++)
		ret = round_trip(fd, ring, bos, nbos, &s[i]);
	counts_end(n);
	qsort(s, n, sizeof(*s), cmp_double);
	return ret;
}

/* Empty-submission round trip on ring 0: p50, p90, p99. */
static int bench_round_trip(unsigned long arg, unsigned int n, double *out)
{
	double *s = calloc(n, sizeof(*s));
	int fd = open_ring_context(0), ret = fd;

	(void)arg;
	if (!s)
		ret = fail(ENOMEM, "samples");
	else if (fd >= 0)
		ret = round_trips(fd, true, NULL, 0, s, n);
	if (!ret) {
		out[0] = percentile(s, n, 50);
		out[1] = percentile(s, n, 90);
		out[2] = percentile(s, n, 99);
	}
	free(s);
	if (fd >= 0)
		close(fd);
	return ret;
}

/* Throughput: submissions without waiting, then the wait for the last. */

struct burst {
	pthread_t thread;
	pthread_barrier_t *start;
	int fd;
	unsigned int n;
	int ret;
};

static int burst_run(int fd, unsigned int n)
{
	s32 fence = -1, last = -1;
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++) {
		fence = -1;
		ret = submit(fd, true, VIRTGPU_EXECBUF_FENCE_FD_OUT, &fence,
			     NULL, 0);
		if (ret) {
			if (last >= 0)
				close(last);
			return ret;
		}
		if (last >= 0)
			close(last);	/* at once: only the last is waited for */
		last = fence;
	}
	return wait_fence(last);
}

static void *burst_thread(void *arg)
{
	struct burst *b = arg;

	pthread_barrier_wait(b->start);
	b->ret = burst_run(b->fd, b->n);
	return NULL;
}

/* @threads threads, each on its own context when @contexts. */
static int bench_throughput(unsigned long contexts, unsigned int n,
			    double *out, unsigned int threads)
{
	struct burst b[THREADS];
	pthread_barrier_t start;
	unsigned int i;
	int ret = 0;
	double t0;

	for (i = 0; i < threads; i++)
		b[i].fd = -1;
	for (i = 0; i < threads && !ret; i++) {
		b[i].fd = i && !contexts ? b[0].fd : open_ring_context(0);
		b[i].n = n / threads;
		ret = b[i].fd < 0 ? b[i].fd : burst_run(b[i].fd, WARMUP);
	}
	if (ret)
		goto out;
	/* The clock starts once every thread exists and is ready to go. */
	pthread_barrier_init(&start, NULL, threads + 1);
	for (i = 0; i < threads; i++) {
		b[i].start = &start;
		if (pthread_create(&b[i].thread, NULL, burst_thread, &b[i])) {
			perror("bench: pthread_create");
			exit(1);	/* a stuck barrier would be worse */
		}
	}
	counts_begin();
	pthread_barrier_wait(&start);
	t0 = now_us();
	for (i = 0; i < threads; i++) {
		pthread_join(b[i].thread, NULL);
		ret = ret ? ret : b[i].ret;
	}
	out[0] = threads * b[0].n / ((now_us() - t0) / 1e6);
	counts_end(threads * b[0].n);
	pthread_barrier_destroy(&start);
out:
	for (i = 0; i < threads; i++)
		if (b[i].fd >= 0 && (contexts || !i))
			close(b[i].fd);
	return ret;
}

static int bench_tput_1(unsigned long arg, unsigned int n, double *out)
{
	(void)arg;
	return bench_throughput(0, n, out, 1);
}

static int bench_tput_4(unsigned long contexts, unsigned int n, double *out)
{
	return bench_throughput(contexts, n, out, THREADS);
}

/* Resource lifetimes. */

static int create_buffer(int fd, u32 size, u32 *handle)
{
	struct drm_virtgpu_resource_create rc = {
		.target = VGT_PIPE_BUFFER,
		.format = VGT_VIRGL_FORMAT_R8_UNORM,
		.bind = VGT_VIRGL_BIND_VERTEX_BUFFER,
		.width = size,
		.height = 1,
		.depth = 1,
		.array_size = 1,
		.size = size,
		.stride = size,
	};
	int ret = vgt_resource_create(fd, &rc);

	if (ret)
		return fail(-ret, "RESOURCE_CREATE buffer of %u bytes", size);
	*handle = rc.bo_handle;
	return 0;
}

/* Rate of @op over @n calls after a warm-up, in calls per second. */
static int rate(int (*op)(int fd, unsigned long arg), int fd,
		unsigned long arg, unsigned int n, double *out)
{
	unsigned int i;
	int ret = 0;
	double t0;

	for (i = 0; i < WARMUP && !ret; i++)
		ret = op(fd, arg);
	counts_begin();
	t0 = now_us();
	for (i = 0; i < n && !ret; i++)
		ret = op(fd, arg);
	*out = n / ((now_us() - t0) / 1e6);
	counts_end(n);
	return ret;
}

static int res3d_cycle(int fd, unsigned long size)
{
	u32 handle;
	int ret = create_buffer(fd, size, &handle);

	if (!ret)
		vgt_gem_close(fd, handle);
	return ret;
}

static int bench_res3d(unsigned long size, unsigned int n, double *out)
{
	int fd = open_virgl(), ret;

	if (fd < 0)
		return fd;
	ret = rate(res3d_cycle, fd, size, n, out);
	close(fd);
	return ret;
}

static int dumb_cycle(int fd, unsigned long side)
{
	struct drm_mode_create_dumb c = {
		.width = side, .height = side, .bpp = 32,
	};
	struct drm_mode_destroy_dumb d = { 0 };
	int ret = vgt_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &c);

	if (ret)
		return fail(-ret, "MODE_CREATE_DUMB %lux%lu", side, side);
	d.handle = c.handle;
	vgt_ioctl(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &d);
	return 0;
}

static int bench_dumb(unsigned long side, unsigned int n, double *out)
{
	int fd = vgt_drm_open(VGT_NODE_PRIMARY, DRIVER), ret;

	if (fd < 0)
		return fail(ENODEV, "no %s card node", DRIVER);
	ret = rate(dumb_cycle, fd, side, n, out);
	close(fd);
	return ret;
}

/* Blob cycles: create, MAP, mmap, first touch, munmap, close. */

#define BLOB_SIZE (64 * 1024)

enum blob_kind { BLOB_VENUS, BLOB_VIRGL, BLOB_GUEST };

static int blob_create(int fd, enum blob_kind kind, u32 *handle)
{
	static u64 blob_id;	/* virgl names each pipe resource anew */
	u32 cmd[VIRGL_PIPE_RES_CREATE_SIZE + 1] = {
		VGT_VIRGL_CMD(VIRGL_CCMD_PIPE_RESOURCE_CREATE, 0,
			      VIRGL_PIPE_RES_CREATE_SIZE),
		VGT_PIPE_BUFFER, VGT_VIRGL_FORMAT_R8_UNORM,
		VGT_VIRGL_BIND_VERTEX_BUFFER, BLOB_SIZE, 1, 1, 1, 0, 0,
		VIRGL_RESOURCE_FLAG_MAP_PERSISTENT | VIRGL_RESOURCE_FLAG_MAP_COHERENT,
	};
	struct drm_virtgpu_resource_create_blob rc = {
		.blob_mem = kind == BLOB_GUEST ? VIRTGPU_BLOB_MEM_GUEST :
						 VIRTGPU_BLOB_MEM_HOST3D,
		.blob_flags = VIRTGPU_BLOB_FLAG_USE_MAPPABLE,
		.size = BLOB_SIZE,
	};
	int ret;

	if (kind == BLOB_VIRGL) {
		rc.blob_id = ++blob_id;
		cmd[VIRGL_PIPE_RES_CREATE_SIZE] = rc.blob_id;
		rc.cmd = (uintptr_t)cmd;
		rc.cmd_size = sizeof(cmd);
	}
	ret = vgt_ioctl(fd, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB, &rc);
	if (ret)
		return fail(-ret, "RESOURCE_CREATE_BLOB");
	*handle = rc.bo_handle;
	return 0;
}

static int blob_cycle(int fd, unsigned long kind)
{
	volatile u32 *p;
	u64 offset;
	u32 handle;
	int ret = blob_create(fd, kind, &handle);

	if (ret)
		return ret;
	ret = vgt_map_offset(fd, handle, &offset);
	if (ret) {
		vgt_gem_close(fd, handle);
		return fail(-ret, "MAP");
	}
	p = mmap(NULL, BLOB_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
	if (p == MAP_FAILED) {
		vgt_gem_close(fd, handle);
		return fail(errno, "mmap");
	}
	p[0] = 1;	/* the first touch faults the mapping in */
	munmap((void *)p, BLOB_SIZE);
	vgt_gem_close(fd, handle);
	return 0;
}

static int bench_blob(unsigned long kind, unsigned int n, double *out)
{
	int fd, ret;

	if (!dev.blob)
		return fail(EOPNOTSUPP, "the device has no RESOURCE_BLOB");
	if (kind != BLOB_GUEST && !dev.host_visible)
		return fail(EOPNOTSUPP, "the device has no host-visible window");
	if (kind == BLOB_VENUS &&
	    !(dev.capsets & VGT_CAPSET_BIT(VIRTGPU_DRM_CAPSET_VENUS)))
		return fail(EOPNOTSUPP, "the host offers no Venus capset");
	if (kind == BLOB_VIRGL &&
	    !(dev.capsets & VGT_CAPSET_BIT(VIRTGPU_DRM_CAPSET_VIRGL2)))
		return fail(EOPNOTSUPP, "the host offers no VIRGL2 capset");
	fd = kind == BLOB_VIRGL ? open_context(VIRTGPU_DRM_CAPSET_VIRGL2, 0, 0) :
				  open_ring_context(0);
	if (fd < 0)
		return fd;
	ret = rate(blob_cycle, fd, kind, n, out);
	close(fd);
	return ret;
}

/* Transfers: MB/s of TRANSFER_*_HOST plus the WAIT for it. */

#define XFER_TO_HOST (1ul << 31)

static int transfer(int fd, u32 handle, bool to_host, u32 size)
{
	struct drm_virtgpu_3d_box box = { .w = size, .h = 1, .d = 1 };
	int ret = vgt_transfer(fd, to_host, handle, &box, 0, 0);

	if (ret)
		return fail(-ret, "TRANSFER_%s_HOST", to_host ? "TO" : "FROM");
	ret = vgt_wait_bo(fd, handle, 0);
	return ret ? fail(-ret, "WAIT") : 0;
}

static int bench_transfer(unsigned long arg, unsigned int n, double *out)
{
	bool to_host = arg & XFER_TO_HOST;
	u32 size = arg & ~XFER_TO_HOST, handle;
	unsigned int i;
	int fd = open_virgl(), ret;
	double t0;

	if (fd < 0)
		return fd;
	ret = create_buffer(fd, size, &handle);
	for (i = 0; i < WARMUP && !ret; i++)
		ret = transfer(fd, handle, to_host, size);
	counts_begin();
	t0 = now_us();
	for (i = 0; i < n && !ret; i++)
		ret = transfer(fd, handle, to_host, size);
	out[0] = (double)size * n / (now_us() - t0);	/* bytes/us = MB/s */
	counts_end(n);
	close(fd);
	return ret;
}

/* EXECBUFFER with @nbos buffers on a virgl context, as Mesa's virgl does. */
static int bench_bos(unsigned long nbos, unsigned int n, double *out)
{
	u32 *bos = calloc(nbos, sizeof(*bos));
	double *s = calloc(n, sizeof(*s));
	int fd = open_virgl(), ret = 0;
	unsigned long i;

	if (!bos || !s)
		ret = fail(ENOMEM, "BO list");
	if (fd < 0)
		ret = fd;
	for (i = 0; i < nbos && !ret; i++)
		ret = create_buffer(fd, 4096, &bos[i]);
	if (!ret)
		ret = round_trips(fd, false, bos, nbos, s, n);
	if (!ret)
		out[0] = percentile(s, n, 50);
	if (fd >= 0)
		close(fd);	/* closes the BOs with it */
	free(bos);
	free(s);
	return ret;
}

/* Polled ring 0: submit, poll the DRM fd, read the event. */
static int event_round_trip(int fd, double *us)
{
	double t0 = now_us();
	struct drm_event ev;
	int ret = submit(fd, true, 0, NULL, NULL, 0);

	if (ret)
		return ret;
	if (!vgt_fd_ready(fd, WAIT_MS))
		return fail(ETIMEDOUT, "no event on the DRM fd");
	if (read(fd, &ev, sizeof(ev)) != sizeof(ev) ||
	    ev.type != VIRTGPU_EVENT_FENCE_SIGNALED)
		return fail(EIO, "not a FENCE_SIGNALED event");
	*us = now_us() - t0;
	return 0;
}

static int bench_event(unsigned long arg, unsigned int n, double *out)
{
	double *s = calloc(n, sizeof(*s));
	int fd = open_ring_context(0x1), ret = fd < 0 ? fd : 0;
	unsigned int i;

	(void)arg;
	if (!s)
		ret = fail(ENOMEM, "samples");
	for (i = 0; i < WARMUP && !ret; i++)
		ret = event_round_trip(fd, &s[0]);
	counts_begin();
	for (i = 0; i < n && !ret; i++)
		ret = event_round_trip(fd, &s[i]);
	counts_end(n);
	if (!ret) {
		qsort(s, n, sizeof(*s), cmp_double);
		out[0] = percentile(s, n, 50);
	}
	free(s);
	if (fd >= 0)
		close(fd);
	return ret;
}

/* A chain of @links submissions, each waiting for the previous one's fence. */
static int chain(int fd, unsigned int links, double *us_per_link)
{
	double t0 = now_us();
	s32 fence = -1, in;
	unsigned int i;
	int ret;

	ret = submit(fd, true, VIRTGPU_EXECBUF_FENCE_FD_OUT, &fence, NULL, 0);
	for (i = 1; i < links && !ret; i++) {
		in = fence;
		ret = submit(fd, true, VIRTGPU_EXECBUF_FENCE_FD_IN |
			     VIRTGPU_EXECBUF_FENCE_FD_OUT, &fence, NULL, 0);
		close(in);
	}
	if (!ret)
		ret = wait_fence(fence);
	*us_per_link = (now_us() - t0) / links;
	return ret;
}

/* The median over CHAINS chains of @n links each. */
static int bench_chain(unsigned long arg, unsigned int n, double *out)
{
	int fd = open_ring_context(0), ret;
	double s[CHAINS];
	unsigned int i;

	(void)arg;
	if (fd < 0)
		return fd;
	ret = chain(fd, WARMUP, &s[0]);
	counts_begin();
	for (i = 0; i < ARRAY_SIZE(s) && !ret; i++)
		ret = chain(fd, n, &s[i]);
	counts_end(ARRAY_SIZE(s) * n);
	qsort(s, ARRAY_SIZE(s), sizeof(*s), cmp_double);
	out[0] = s[CHAINS / 2];
	close(fd);
	return ret;
}

/* The metrics, in the order they run. */

struct metric {
	const char *name[MAX_RESULTS];
	const char *unit;
	int (*run)(unsigned long arg, unsigned int n, double *out);
	unsigned long arg;
	unsigned int n;		/* iterations at scale 1 */
};

static const struct metric metrics[] = {
	{ { "submit-rt-p50", "submit-rt-p90", "submit-rt-p99" }, "us",
	  bench_round_trip, 0, 3000 },
	{ { "submit-tput-1thread" }, "subs/s", bench_tput_1, 0, 20000 },
	{ { "submit-tput-4threads-1ctx" }, "subs/s", bench_tput_4, 0, 20000 },
	{ { "submit-tput-4ctx" }, "subs/s", bench_tput_4, 1, 20000 },
	{ { "event-poll-p50" }, "us", bench_event, 0, 3000 },
	{ { "fence-chain-link" }, "us", bench_chain, 0, 100 },
	{ { "res3d-create-destroy" }, "ops/s", bench_res3d, 4096, 3000 },
	{ { "dumb-create-destroy" }, "ops/s", bench_dumb, 64, 3000 },
	{ { "blob-host3d-venus-cycle" }, "cycles/s", bench_blob, BLOB_VENUS, 2000 },
	{ { "blob-host3d-virgl-cycle" }, "cycles/s", bench_blob, BLOB_VIRGL, 300 },
	{ { "blob-guest-cycle" }, "cycles/s", bench_blob, BLOB_GUEST, 2000 },
	{ { "xfer-to-host-4k" }, "MB/s", bench_transfer, XFER_TO_HOST | 4096, 3000 },
	{ { "xfer-to-host-64k" }, "MB/s", bench_transfer, XFER_TO_HOST | 65536, 2000 },
	{ { "xfer-to-host-4m" }, "MB/s", bench_transfer, XFER_TO_HOST | 4194304, 300 },
	{ { "xfer-from-host-4k" }, "MB/s", bench_transfer, 4096, 3000 },
	{ { "xfer-from-host-64k" }, "MB/s", bench_transfer, 65536, 2000 },
	{ { "xfer-from-host-4m" }, "MB/s", bench_transfer, 4194304, 300 },
	{ { "execbuf-1bo-p50" }, "us", bench_bos, 1, 1000 },
	{ { "execbuf-64bo-p50" }, "us", bench_bos, 64, 1000 },
	{ { "execbuf-1024bo-p50" }, "us", bench_bos, MAX_BOS, 300 },
};

static void run_metric(const struct metric *m)
{
	double out[MAX_RESULTS] = { 0 }, t0 = now_us(), kicks, irqs;
	int ret, i;

	why[0] = 0;
	counts_reset();
	ret = m->run(m->arg, iters(m->n), out);
	for (i = 0; i < MAX_RESULTS && m->name[i]; i++) {
		if (ret)
			printf("METRIC %s skip %s\n", m->name[i],
			       why[0] ? why : vgt_errname(-ret));
		else
			printf("METRIC %s %.1f %s\n", m->name[i], out[i], m->unit);
	}
	if (!ret && counts_per_op(&kicks, &irqs))
		printf("COUNT %s kicks %.3f irqs %.3f\n", m->name[0], kicks, irqs);
	fprintf(stderr, "bench: %s took %.1f s\n", m->name[0],
		(now_us() - t0) / 1e6);
	fflush(stdout);
}

static int probe(void)
{
	int fd = open_render(), v = 0;

	if (fd < 0)
		return fd;
	if (!vgt_getparam(fd, VIRTGPU_PARAM_3D_FEATURES, &v) && v &&
	    !vgt_getparam(fd, VIRTGPU_PARAM_CONTEXT_INIT, &v) && v &&
	    !vgt_getparam(fd, VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs, &v))
		dev.capsets = v;
	dev.blob = !vgt_getparam(fd, VIRTGPU_PARAM_RESOURCE_BLOB, &v) && v;
	dev.host_visible = !vgt_getparam(fd, VIRTGPU_PARAM_HOST_VISIBLE, &v) && v;
	close(fd);
	if (dev.capsets & VGT_CAPSET_BIT(VIRTGPU_DRM_CAPSET_VIRGL2))
		dev.virgl_capset = VIRTGPU_DRM_CAPSET_VIRGL2;
	else if (dev.capsets & VGT_CAPSET_BIT(VIRTGPU_DRM_CAPSET_VIRGL))
		dev.virgl_capset = VIRTGPU_DRM_CAPSET_VIRGL;
	dev.ring_capset = dev.capsets & VGT_CAPSET_BIT(VIRTGPU_DRM_CAPSET_VENUS) ?
			  VIRTGPU_DRM_CAPSET_VENUS : dev.virgl_capset;
	return 0;
}

/* Whether @m is among the metrics named on the command line (all if none). */
static bool wanted(const struct metric *m, int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strncmp(m->name[0], argv[i], strlen(argv[i])))
			return true;
	return argc < 2;
}

/* bench [METRIC-PREFIX...]: run every metric, or those named. */
int main(int argc, char **argv)
{
	const char *scale = getenv("BENCH_SCALE");
	double t0 = now_us();
	size_t i;

	dev.scale = scale ? atof(scale) : 1.0;
	if (dev.scale <= 0)
		dev.scale = 1.0;
	if (probe()) {
		fprintf(stderr, "bench: %s\n", why);
		return 1;
	}
	printf("INFO capsets %#x ring-capset %u virgl-capset %u blob %d "
	       "host-visible %d scale %g\n", dev.capsets, dev.ring_capset,
	       dev.virgl_capset, dev.blob, dev.host_visible, dev.scale);
	if (!counts_init(why, sizeof(why)))
		printf("INFO counts unavailable: %s\n", why);
	for (i = 0; i < ARRAY_SIZE(metrics); i++)
		if (wanted(&metrics[i], argc, argv))
			run_metric(&metrics[i]);
	printf("INFO total %.1f s\n", (now_us() - t0) / 1e6);
	return 0;
}
