// SPDX-License-Identifier: GPL-2.0-only
/*
 * edges_submit: regression tests at the edges of submission and object
 * lifetime on a virgl device (issue 11, "trustworthy at the edges").
 *
 * Each subtest checks what a user can see when the driver is pushed to a
 * limit: the errno of a request that can never work, memory that must come
 * back after a failed or interrupted ioctl, the kernel log, and commands
 * that must still reach the host in the order they were given.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <unistd.h>

#include <linux/sync_file.h>
#include <xf86drm.h>

#include "vgt_vgem.h"
#include "vgt_virtgpu.h"

#define KiB 1024
#define MiB (1024 * KiB)
#define FENCE_TIMEOUT_MS 10000
/* How far Shmem may stay above its baseline: other guest activity. */
#define SHMEM_SLACK_KB (32 * 1024)
#define SHMEM_WAIT_MS 10000

static int open_3d(void)
{
	int fd = vgt_open_render();

	vgt_require_3d(fd);
	return fd;
}

static void check_fence_ok(int fence_fd, const char *what)
{
	vgt_assert(fence_fd >= 0);
	vgt_assert_f(vgt_sync_file_wait(fence_fd, FENCE_TIMEOUT_MS),
		     "the fence of %s did not signal in %d ms\n", what,
		     FENCE_TIMEOUT_MS);
	vgt_assert_f(vgt_sync_file_status(fence_fd) == 1,
		     "the fence of %s signalled with status %d, not 1\n", what,
		     vgt_sync_file_status(fence_fd));
}

/* EXECBUFFER of @size bytes at @cmds; returns 0 or -errno (errno set). */
static int submit_stream(int fd, const void *cmds, u32 size, u32 flags,
			 const u32 *bos, u32 nbos, s32 *fence)
{
	struct drm_virtgpu_execbuffer eb = {
		.flags = flags,
		.size = size,
		.command = (uintptr_t)cmds,
		.bo_handles = (uintptr_t)bos,
		.num_bo_handles = nbos,
		.fence_fd = fence ? *fence : -1,
	};
	int ret = vgt_execbuf(fd, &eb);

	if (!ret && fence && (flags & VIRTGPU_EXECBUF_FENCE_FD_OUT))
		*fence = eb.fence_fd;
	return ret;
}

/* Shmem of /proc/meminfo in KiB: where the objects' guest pages live. */
static long long shmem_kb(void)
{
	char line[256];
	long long kb = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	vgt_assert(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Shmem: %lld kB", &kb) == 1)
			break;
	fclose(f);
	vgt_assert_f(kb >= 0, "no Shmem line in /proc/meminfo\n");
	return kb;
}

/*
 * Freeing is asynchronous (the host answers the UNREF first): give the
 * pages up to SHMEM_WAIT_MS to come back. Returns the last figure.
 */
static long long wait_shmem_back(long long base_kb)
{
	u64 end = vgt_now_ns() + (u64)SHMEM_WAIT_MS * 1000000;
	long long kb;

	do {
		kb = shmem_kb();
		if (kb <= base_kb + SHMEM_SLACK_KB)
			break;
		usleep(100000);
	} while (vgt_now_ns() < end);
	return kb;
}

/*
 * oversized-stream: a stream that can never be sent is refused by the
 * ioctl, not failed later through its fence, and earlier work is untouched.
 */
static void fail_accepted(int fence)
{
	bool done = vgt_sync_file_wait(fence, FENCE_TIMEOUT_MS);

	int status = vgt_sync_file_status(fence);

	vgt_fail("EXECBUFFER of a 5 MiB stream returned 0; its fence %s with "
		 "status %d (%s). A stream too big to send must be refused by "
		 "the ioctl with E2BIG\n",
		 done ? "signalled" : "is still pending", status,
		 status < 0 ? vgt_errname(-status) : "no error");
}

static void test_oversized_stream(void)
{
	/*
	 * 512 KiB: twice virgl's largest command buffer, well inside what the
	 * driver takes (what always fits the ring: 1012 KiB on QEMU's
	 * 256-entry control queue).
	 */
	const u32 big = 5 * MiB, max = 512 * KiB;
	u32 *cmds = calloc(1, big);	/* zero words: virgl NOPs */
	u32 flags = VIRTGPU_EXECBUF_FENCE_FD_OUT;
	int fd = open_3d(), ret;
	s32 a = -1, b = -1, c = -1;

	vgt_assert(cmds);
	vgt_assert_ok(vgt_submit_nops(fd, flags, 4, &a));
	ret = submit_stream(fd, cmds, big, flags, NULL, 0, &b);
	if (!ret)
		fail_accepted(b);
	vgt_check_errno(__FILE__, __LINE__, __func__,
			"EXECBUFFER of a 5 MiB stream", ret, -ret, E2BIG,
			EINVAL);
	vgt_info("5 MiB stream refused with %s\n", vgt_errname(-ret));
	check_fence_ok(a, "the job before the refused one");

	vgt_assert_ok(submit_stream(fd, cmds, max, flags, NULL, 0, &c));
	check_fence_ok(c, "a 512 KiB stream");
	close(a);
	close(c);
	free(cmds);
	close(fd);
}

/*
 * bo-handles-huge: a count no submission can have is refused before the
 * driver allocates or copies anything for it.
 */
static void test_bo_handles_huge(void)
{
	int fd = open_3d();
	u32 cmds[4] = { 0 };
	u32 bos[4];
	u64 start;
	int i;

	/* Distinct objects: a list naming one twice is EALREADY, as in-tree. */
	for (i = 0; i < 4; i++)
		bos[i] = vgt_create_buffer(fd, 4096, NULL);
	start = vgt_now_ns();
	vgt_assert_errno(submit_stream(fd, cmds, sizeof(cmds), 0, bos,
				       1u << 28, NULL), EINVAL);
	vgt_assert_errno(submit_stream(fd, cmds, sizeof(cmds), 0, bos,
				       1u << 20, NULL), EINVAL);
	vgt_info("both refused in %.1f ms\n", (vgt_now_ns() - start) / 1e6);
	/* The file still submits with a sane list. */
	vgt_assert_ok(submit_stream(fd, cmds, sizeof(cmds), 0, bos, 4, NULL));
	close(fd);
}

/*
 * lookup-leak: a submission whose list names a missing handle fails with
 * ENOENT and must drop the references it took on the handles before it.
 * Each object pins 64 MiB, so a leaked reference shows in Shmem.
 */
#define LEAK_BOS 8
#define LEAK_BO_SIZE (64 * MiB)
#define LEAK_TRIES 4

static void test_lookup_leak(void)
{
	long long base = shmem_kb(), full, after;
	u32 cmds[4] = { 0 };
	u32 bos[LEAK_BOS], list[2];
	int fd = open_3d(), i, j;

	for (i = 0; i < LEAK_BOS; i++)
		bos[i] = vgt_create_buffer(fd, LEAK_BO_SIZE, NULL);
	full = shmem_kb();
	vgt_info("Shmem: %lld kB before, %lld kB with %d objects of %d MiB\n",
		 base, full, LEAK_BOS, LEAK_BO_SIZE / MiB);
	vgt_require_f(full - base >= LEAK_BOS * (LEAK_BO_SIZE / 1024) / 2,
		      "the objects' pages do not show in Shmem, so a leak "
		      "could not be seen\n");

	for (i = 0; i < LEAK_BOS; i++) {
		list[0] = bos[i];
		list[1] = 0xdead;	/* no such handle */
		for (j = 0; j < LEAK_TRIES; j++)
			vgt_assert_errno(submit_stream(fd, cmds, sizeof(cmds),
						       0, list, 2, NULL),
					 ENOENT);
	}
	for (i = 0; i < LEAK_BOS; i++)
		vgt_assert_ok(vgt_gem_close(fd, bos[i]));
	after = wait_shmem_back(base);
	vgt_info("Shmem: %lld kB after closing every handle (%+lld kB)\n",
		 after, after - base);
	vgt_assert_f(after <= base + SHMEM_SLACK_KB,
		     "%lld MiB of the objects' pages are still there after "
		     "every handle was closed: the failed lookups leaked "
		     "references\n", (after - base) / 1024);
	close(fd);
}

/*
 * interrupted-create-storm: RESOURCE_CREATE_BLOB cut short by signals
 * again and again. The host refuses every one of them (bogus blob_id), so
 * whatever the ioctl returns, nothing may stay behind: not the pages, and
 * not an error in the kernel log about leaking them.
 */
#define STORM_SECONDS 15
#define STORM_CREATES 400
#define STORM_BLOB_SIZE (4 * MiB)
#define STORM_INTERVAL_US 200

struct storm_counts {
	unsigned int eintr, refused, created;
};

static void storm_alarm(int sig)
{
	(void)sig;	/* only there to interrupt the ioctl */
}

static void storm_timer(long usec)
{
	struct itimerval it = {
		.it_interval = { .tv_usec = usec },
		.it_value = { .tv_usec = usec },
	};
	struct sigaction sa = { .sa_handler = usec ? storm_alarm : SIG_DFL };

	/* No SA_RESTART: the ioctl must see the signal and return EINTR. */
	sigemptyset(&sa.sa_mask);
	if (usec)
		vgt_assert_ok(sigaction(SIGALRM, &sa, NULL));
	vgt_assert_ok(setitimer(ITIMER_REAL, &it, NULL));
	/*
	 * Back to the default only once the timer is stopped and a signal
	 * still pending has reached the handler, or it would kill us.
	 */
	if (!usec)
		vgt_assert_ok(sigaction(SIGALRM, &sa, NULL));
}

static int open_blob_context(void)
{
	int fd = vgt_open_render(), mask;

	vgt_require_context_init(fd);
	vgt_require_f(vgt_param(fd, VIRTGPU_PARAM_RESOURCE_BLOB),
		      "the device has no RESOURCE_BLOB\n");
	mask = vgt_param(fd, VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs);
	if (mask & VGT_CAPSET_BIT(VIRTGPU_DRM_CAPSET_VIRGL2))
		vgt_init_context(fd, VIRTGPU_DRM_CAPSET_VIRGL2, 0, 0);
	else if (mask & VGT_CAPSET_BIT(VIRTGPU_DRM_CAPSET_VIRGL))
		vgt_init_context(fd, VIRTGPU_DRM_CAPSET_VIRGL, 0, 0);
	else
		vgt_skip("the host offers no virgl capset (mask %#x)\n", mask);
	return fd;
}

/* One create; plain ioctl(), since vgt_ioctl() would retry the EINTR. */
static void storm_create(int fd, u32 i, struct storm_counts *n)
{
	struct drm_virtgpu_resource_create_blob rc = {
		.blob_mem = VIRTGPU_BLOB_MEM_HOST3D_GUEST,
		.blob_flags = VIRTGPU_BLOB_FLAG_USE_MAPPABLE,
		.size = STORM_BLOB_SIZE,
		.blob_id = 0xdead0000u + i,
	};

	if (!ioctl(fd, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB, &rc)) {
		n->created++;
		vgt_gem_close(fd, rc.bo_handle);
	} else if (errno == EINTR) {
		n->eintr++;
	} else {
		n->refused++;
	}
}

static int kmsg_open_at_end(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	vgt_require_f(fd >= 0, "cannot read /dev/kmsg\n");
	lseek(fd, 0, SEEK_END);	/* only what is logged from now on */
	return fd;
}

/* The message of a record: after "prio,seq,ts,flags;", before the dict. */
static const char *kmsg_text(char *rec)
{
	char *text = strchr(rec, ';');

	text = text ? text + 1 : rec;
	text[strcspn(text, "\n")] = '\0';
	return text;
}

/* Count (and show) new kernel log records about leaked objects. */
static int kmsg_count_leaks(int fd)
{
	char rec[2048];
	int leaks = 0;
	ssize_t len;

	for (;;) {
		len = read(fd, rec, sizeof(rec) - 1);
		if (len < 0 && errno == EPIPE)
			continue;	/* overwritten records: read on */
		if (len <= 0)
			break;
		rec[len] = '\0';
		if (!strstr(rec, "leaking"))
			continue;
		if (!strstr(rec, "virtgpu2") && !strstr(rec, "virtio_gpu") &&
		    !strstr(rec, "[drm]"))
			continue;
		if (leaks++ < 5)
			vgt_info("kernel: %s\n", kmsg_text(rec));
	}
	return leaks;
}

static void storm_run(int fd, struct storm_counts *n)
{
	u64 end = vgt_now_ns() + (u64)STORM_SECONDS * 1000000000;
	u32 i;

	storm_timer(STORM_INTERVAL_US);
	for (i = 0; i < STORM_CREATES && vgt_now_ns() < end; i++)
		storm_create(fd, i, n);
	storm_timer(0);
	/* setitimer() took over the harness's alarm(): set a new one. */
	alarm(VGT_DEFAULT_TIMEOUT);
}

static void test_interrupted_create_storm(void)
{
	struct storm_counts n = { 0 };
	long long base, after;
	int fd = open_blob_context(), kmsg = kmsg_open_at_end(), leaks;

	base = shmem_kb();
	storm_run(fd, &n);
	close(fd);
	vgt_info("%u creates: %u interrupted (EINTR), %u refused, %u made\n",
		 n.eintr + n.refused + n.created, n.eintr, n.refused,
		 n.created);
	after = wait_shmem_back(base);
	leaks = kmsg_count_leaks(kmsg);
	close(kmsg);
	vgt_info("Shmem: %lld kB before, %lld kB after (%+lld kB)\n", base,
		 after, after - base);
	vgt_assert_f(!n.created, "the host made %u blobs with a bogus blob_id\n",
		     n.created);
	vgt_assert_f(!leaks, "the kernel logged %d leaked objects\n", leaks);
	vgt_assert_f(after <= base + SHMEM_SLACK_KB,
		     "%lld MiB of guest pages did not come back after the "
		     "file was closed\n", (after - base) / 1024);
}

/*
 * ordering-detach-behind-parked: a GEM_CLOSE while a job that uses the
 * object waits for its in-fence must not reach the host before that job.
 * If the detach overtakes it, the host sees the job name a resource the
 * context no longer has and puts the whole context in error.
 */
#define VIRGL_CCMD_RESOURCE_INLINE_WRITE 9
#define IW_HEADER_WORDS 11	/* res_handle .. d, before the data */
#define IW_DATA_WORDS 64

struct inline_write {
	u32 words[1 + IW_HEADER_WORDS + IW_DATA_WORDS];
};

static void inline_write_encode(struct inline_write *iw, u32 res, u32 seed)
{
	u32 *w = iw->words, i;

	*w++ = VGT_VIRGL_CMD(VIRGL_CCMD_RESOURCE_INLINE_WRITE, 0,
			     IW_HEADER_WORDS + IW_DATA_WORDS);
	*w++ = res;
	*w++ = 0;			/* level */
	*w++ = 0;			/* usage */
	*w++ = 0;			/* stride */
	*w++ = 0;			/* layer_stride */
	*w++ = 0;			/* x */
	*w++ = 0;			/* y */
	*w++ = 0;			/* z */
	*w++ = IW_DATA_WORDS * 4;	/* w: bytes of an R8 buffer */
	*w++ = 1;			/* h */
	*w++ = 1;			/* d */
	for (i = 0; i < IW_DATA_WORDS; i++)
		*w++ = seed * 0x10001u + i;
}

/*
 * Write a pattern into a new buffer through the command stream, bring the
 * host's copy back into the guest pages and compare. Returns the number of
 * words that differ.
 */
static int inline_write_readback(int fd, u32 seed)
{
	const struct drm_virtgpu_3d_box box = {
		.w = IW_DATA_WORDS * 4, .h = 1, .d = 1,
	};
	struct inline_write iw;
	u32 res, bo = vgt_create_buffer(fd, 4096, &res), *p;
	s32 fence = -1;
	int i, bad = 0;

	inline_write_encode(&iw, res, seed);
	vgt_assert_ok(submit_stream(fd, iw.words, sizeof(iw.words),
				    VIRTGPU_EXECBUF_FENCE_FD_OUT, &bo, 1,
				    &fence));
	check_fence_ok(fence, "the INLINE_WRITE");
	close(fence);
	vgt_assert_ok(vgt_transfer(fd, false, bo, &box, 0, 0));
	vgt_assert_ok(vgt_wait_bo(fd, bo, 0));
	p = vgt_mmap_bo(fd, bo, 4096);
	for (i = 0; i < IW_DATA_WORDS; i++)
		bad += p[i] != iw.words[1 + IW_HEADER_WORDS + i];
	if (bad)
		vgt_info("read back %#x %#x ..., wrote %#x %#x ...\n", p[0],
			 p[1], iw.words[12], iw.words[13]);
	munmap(p, 4096);
	vgt_assert_ok(vgt_gem_close(fd, bo));
	return bad;
}

/* A job that writes to a new buffer, parked behind the pending @f. */
static s32 submit_parked_write(int fd, struct vgt_vgem_fence *f, u32 *bo)
{
	struct inline_write iw;
	s32 fence = f->sync_file;
	u32 res;

	*bo = vgt_create_buffer(fd, 4096, &res);
	inline_write_encode(&iw, res, 0x5a);
	vgt_assert_ok(submit_stream(fd, iw.words, sizeof(iw.words),
				    VIRTGPU_EXECBUF_FENCE_FD_IN |
				    VIRTGPU_EXECBUF_FENCE_FD_OUT, bo, 1,
				    &fence));
	return fence;
}

/* Park a job on a vgem fence, optionally close its buffer, let it run. */
static void run_parked_write(int fd, bool close_early)
{
	struct vgt_vgem_fence f;
	s32 out;
	u32 bo;

	vgt_vgem_fence_create(&f);
	out = submit_parked_write(fd, &f, &bo);
	vgt_assert_f(!vgt_sync_file_wait(out, 0),
		     "the job ran before its in-fence signalled\n");
	if (close_early)
		vgt_assert_ok(vgt_gem_close(fd, bo));
	vgt_vgem_fence_signal(&f);
	check_fence_ok(out, "the parked job");
	close(out);
	if (!close_early)
		vgt_assert_ok(vgt_gem_close(fd, bo));
	close(f.sync_file);
	vgt_vgem_fence_destroy(&f);
}

static void test_ordering_detach_behind_parked(void)
{
	int fd = open_3d(), bad;

	/* Controls: the read-back alone, then behind a parked job. */
	bad = inline_write_readback(fd, 1);
	vgt_assert_f(!bad, "the INLINE_WRITE read-back fails on its own (%d "
		     "words differ): an encoding problem, not ordering\n", bad);
	run_parked_write(fd, false);
	bad = inline_write_readback(fd, 2);
	vgt_assert_f(!bad, "the read-back fails after a parked job that kept "
		     "its buffer (%d words differ): not the ordering\n", bad);

	run_parked_write(fd, true);
	bad = inline_write_readback(fd, 3);
	vgt_assert_f(!bad, "after a GEM_CLOSE behind a parked job, a new "
		     "INLINE_WRITE is not read back (%d words differ): the "
		     "host put the context in error, so the DETACH overtook "
		     "the job\n", bad);
	close(fd);
}

/* The one fence of a sync_file: when it signalled, and its status. */
static u64 fence_signal_time(int fd, int *status)
{
	struct sync_fence_info fi;
	struct sync_file_info info;

	memset(&fi, 0, sizeof(fi));
	memset(&info, 0, sizeof(info));
	info.num_fences = 1;
	info.sync_fence_info = (uintptr_t)&fi;
	vgt_assert_ok(vgt_ioctl(fd, SYNC_IOC_FILE_INFO, &info));
	*status = fi.status;
	return fi.timestamp_ns;
}

/*
 * close-in-flight-order: a file closed while its work is on the host, with
 * a job parked on an in-fence and more held back behind it. Big transfers
 * keep the host busy, and a fenced job E follows them on the same
 * timeline. Every fence must signal, E with success and the cancelled ones
 * with an error, and in seqno order: no cancelled fence before E.
 */
#define ORDER_TRANSFERS 8
#define ORDER_TRANSFER_SIZE (32 * MiB)
#define ORDER_BEHIND 8
#define ORDER_ROUNDS 6

static void close_in_flight_round(int round)
{
	const struct drm_virtgpu_3d_box box = {
		.w = ORDER_TRANSFER_SIZE, .h = 1, .d = 1,
	};
	u32 cmds[4] = { 0 };
	s32 fences[2 + ORDER_BEHIND];
	u32 flags = VIRTGPU_EXECBUF_FENCE_FD_OUT;
	struct vgt_vgem_fence vf;
	int fd = open_3d(), n, i, status;
	u64 t, prev = 0;
	u32 big;

	big = vgt_create_buffer(fd, ORDER_TRANSFER_SIZE, NULL);
	vgt_vgem_fence_create(&vf);
	for (i = 0; i < ORDER_TRANSFERS; i++)
		vgt_assert_ok(vgt_transfer(fd, false, big, &box, 0, 0));
	fences[0] = -1;	/* E: sent, behind the transfers */
	vgt_assert_ok(submit_stream(fd, cmds, sizeof(cmds), flags, NULL, 0, &fences[0]));
	fences[1] = vf.sync_file;	/* the parked job's in-fence */
	vgt_assert_ok(submit_stream(fd, cmds, sizeof(cmds),
				    flags | VIRTGPU_EXECBUF_FENCE_FD_IN, NULL, 0,
				    &fences[1]));
	for (n = 2; n < 2 + ORDER_BEHIND; n++) {
		fences[n] = -1;
		vgt_assert_ok(submit_stream(fd, cmds, sizeof(cmds), flags, NULL, 0,
					    &fences[n]));
	}
	close(fd);	/* cancels the parked job and those behind it */

	for (i = 0; i < n; i++) {
		vgt_assert_f(vgt_sync_file_wait(fences[i], FENCE_TIMEOUT_MS),
			     "round %d: fence %d of %d did not signal within %d ms "
			     "of the close\n", round, i, n, FENCE_TIMEOUT_MS);
		t = fence_signal_time(fences[i], &status);
		if (!i)
			vgt_assert_f(status == 1, "round %d: the sent job signalled "
				     "with status %d, not 1\n", round, status);
		else
			vgt_assert_f(status < 0, "round %d: cancelled job %d "
				     "signalled with status %d, not an error\n",
				     round, i, status);
		vgt_assert_f(t >= prev, "round %d: fence %d signalled %llu us "
			     "before fence %d, which comes earlier on the same "
			     "timeline\n", round, i,
			     (unsigned long long)(prev - t) / 1000, i - 1);
		prev = t;
	}
	vgt_vgem_fence_destroy(&vf);
	close(vf.sync_file);
	for (i = 0; i < n; i++)
		close(fences[i]);
}

static void test_close_in_flight_order(void)
{
	int round;

	for (round = 0; round < ORDER_ROUNDS; round++)
		close_in_flight_round(round);
	vgt_info("%d rounds of %d transfers of %d MiB, a fenced job, 1 parked "
		 "and %d held-back jobs: every fence signalled, in order\n",
		 ORDER_ROUNDS, ORDER_TRANSFERS, ORDER_TRANSFER_SIZE / MiB,
		 ORDER_BEHIND);
}

/*
 * parked-limit: a context holds back at most 4096 jobs, or 32 MiB (its
 * streams and what the jobs hold besides), behind an in-fence that has not
 * signalled; past either bound EXECBUFFER fails with ENOSPC at once, and
 * everything accepted still runs once the fence signals.
 */
#define PARKED_MAX_JOBS 4096
#define PARKED_MAX_BYTES (32 * MiB)
#define PARKED_STREAM (512 * KiB)
/* parked-device-limit: all contexts of a device together. */
#define PARKED_DEVICE_MAX_BYTES (256 * MiB)
#define PARKED_DEVICE_FDS 10

/* Submit behind a parked job until refused; returns how many went in. */
static u32 fill_parked(int fd, const u32 *cmds, u32 size, u32 limit, s32 *last)
{
	u32 flags = VIRTGPU_EXECBUF_FENCE_FD_OUT, n;
	int ret = 0;

	for (n = 0; n <= limit; n++) {
		s32 f = -1;

		ret = submit_stream(fd, cmds, size, flags, NULL, 0, &f);
		if (ret)
			break;
		if (*last >= 0)
			close(*last);
		*last = f;
	}
	vgt_assert_f(ret == -ENOSPC, "%u jobs held back behind an unsignalled "
		     "in-fence, and the next %s (ret %d), not ENOSPC\n", n,
		     ret ? "failed otherwise" : "was taken too", ret);
	return n;
}

static void parked_limit_round(u32 size, u32 max_jobs)
{
	static u32 cmds[PARKED_STREAM / 4];
	struct vgt_vgem_fence vf;
	s32 parked, last = -1;
	int fd = open_3d();
	u32 n;

	vgt_vgem_fence_create(&vf);
	parked = vf.sync_file;
	vgt_assert_ok(submit_stream(fd, cmds, 16, VIRTGPU_EXECBUF_FENCE_FD_IN |
				    VIRTGPU_EXECBUF_FENCE_FD_OUT, NULL, 0, &parked));
	n = fill_parked(fd, cmds, size, max_jobs, &last);
	vgt_assert_lte(n + 1, max_jobs);
	vgt_assert_gte(n + 1, max_jobs - 1);
	vgt_vgem_fence_signal(&vf);
	check_fence_ok(parked, "the parked job");
	check_fence_ok(last, "the last job held back behind it");
	vgt_info("%u-byte streams: %u held back behind the parked job, then ENOSPC\n",
		 size, n);
	vgt_vgem_fence_destroy(&vf);
	close(vf.sync_file);
	close(parked);
	close(last);
	close(fd);
}

static void test_parked_limit(void)
{
	parked_limit_round(16, PARKED_MAX_JOBS);
	parked_limit_round(PARKED_STREAM, PARKED_MAX_BYTES / PARKED_STREAM);
}

/*
 * parked-device-limit: many files together hold back at most 256 MiB (less
 * with less than 4 GiB of RAM), so that an unprivileged user cannot pin
 * the guest's memory by opening more files. Each file parks a job behind
 * one vgem fence and fills its context until ENOSPC; the files past the
 * device's bound are refused before their own.
 */
static void test_parked_device_limit(void)
{
	static u32 cmds[PARKED_STREAM / 4];
	u32 per_ctx = PARKED_MAX_BYTES / PARKED_STREAM, n[PARKED_DEVICE_FDS];
	int fd[PARKED_DEVICE_FDS], i, ret, short_ctx = 0;
	s32 parked[PARKED_DEVICE_FDS], last[PARKED_DEVICE_FDS];
	struct vgt_vgem_fence vf;
	u64 total = 0;

	vgt_vgem_fence_create(&vf);
	for (i = 0; i < PARKED_DEVICE_FDS; i++) {
		fd[i] = open_3d();
		parked[i] = dup(vf.sync_file);
		last[i] = -1;
		n[i] = 0;
		ret = submit_stream(fd[i], cmds, 16, VIRTGPU_EXECBUF_FENCE_FD_IN |
				    VIRTGPU_EXECBUF_FENCE_FD_OUT, NULL, 0, &parked[i]);
		if (ret) {	/* the device is full already */
			vgt_assert_eq(ret, -ENOSPC);
			short_ctx++;
			continue;
		}
		n[i] = fill_parked(fd[i], cmds, PARKED_STREAM, per_ctx, &last[i]);
		total += (u64)n[i] * PARKED_STREAM;
		short_ctx += n[i] + 2 < per_ctx;
	}
	/* The bounds hold only while the fence is pending: vgem's has a timeout. */
	vgt_assert_f(!vgt_sync_file_wait(parked[0], 0),
		     "the vgem fence signalled (its timeout) before the files were full\n");
	vgt_info("%d files held back %llu MiB; %d of them were refused before "
		 "their own bound\n", PARKED_DEVICE_FDS, (unsigned long long)(total / MiB),
		 short_ctx);
	vgt_assert_f(total <= PARKED_DEVICE_MAX_BYTES,
		     "%llu MiB held back by %d files, more than the device's %u MiB\n",
		     (unsigned long long)(total / MiB), PARKED_DEVICE_FDS,
		     PARKED_DEVICE_MAX_BYTES / MiB);
	vgt_assert(short_ctx > 0);
	vgt_vgem_fence_signal(&vf);
	for (i = 0; i < PARKED_DEVICE_FDS; i++) {
		check_fence_ok(last[i] >= 0 ? last[i] : parked[i], "a file's last job");
		close(parked[i]);
		if (last[i] >= 0)
			close(last[i]);
		close(fd[i]);
	}
	vgt_vgem_fence_destroy(&vf);
	close(vf.sync_file);
}

/*
 * silent-context: a context whose fenced commands the host keeps without
 * answering (see open_silent_context()) may hold only part of the control
 * ring. Its later submissions wait, as for a
 * full ring, but interruptibly; other contexts' submissions still complete.
 */
#define SILENT_JOBS 1024

/* Free descriptors of the control ring (debugfs virtgpu2_rings), or -1. */
static int ctrl_free(void)
{
	return (int)vgt_debugfs_number("virtgpu2_rings", "ctrl free %lld");
}

/*
 * A context whose first fenced submission the host keeps: on the
 * project's test host (tests/host), a DRM native context whose stream
 * starts with the "VGTD" directive and a delay of ~0 (never); elsewhere a
 * Venus context fed a stream it cannot decode, if that host keeps it.
 */
static int open_silent_context(s32 *fence)
{
	static const u32 never[4] = { 0x44544756u, 0xffffffffu };
	static const u32 garbage[16] = { 0xffffffffu, 0xffffffffu, 0xdeadbeefu };
	int fd = vgt_open_render(), mask = 0;
	bool drm;

	vgt_require_context_init(fd);
	vgt_getparam(fd, VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs, &mask);
	drm = mask & VGT_CAPSET_BIT(VIRTGPU_DRM_CAPSET_DRM);
	if (!drm)
		vgt_require_capset(fd, VIRTGPU_DRM_CAPSET_VENUS);
	vgt_init_context(fd, drm ? VIRTGPU_DRM_CAPSET_DRM : VIRTGPU_DRM_CAPSET_VENUS, 1, 0);
	*fence = -1;
	vgt_assert_ok(submit_stream(fd, drm ? (const u32 *)never : garbage,
				    drm ? sizeof(never) : sizeof(garbage),
				    VIRTGPU_EXECBUF_FENCE_FD_OUT | VIRTGPU_EXECBUF_RING_IDX,
				    NULL, 0, fence));
	vgt_require_f(!vgt_sync_file_wait(*fence, 2000),
		      "this host answers the stream meant to silence the context (%s)\n",
		      drm ? "VGTD never" : "Venus garbage");
	return fd;
}

/*
 * One fenced submission on ring 0, cut short by SIGALRM after @ms: 0 with
 * *@fence set, or -errno (-EINTR when it waited that long).
 */
static int submit_with_alarm(int fd, int ms, s32 *fence)
{
	static const u32 nop[4];
	struct itimerval it = { .it_value = { ms / 1000, (ms % 1000) * 1000 } };
	struct itimerval off = { 0 };
	struct sigaction sa = { .sa_handler = storm_alarm };
	struct drm_virtgpu_execbuffer eb = {
		.flags = VIRTGPU_EXECBUF_FENCE_FD_OUT | VIRTGPU_EXECBUF_RING_IDX,
		.size = sizeof(nop),
		.command = (uintptr_t)nop,
		.fence_fd = -1,
	};
	int ret;

	sigemptyset(&sa.sa_mask);	/* no SA_RESTART: the ioctl sees it */
	vgt_assert_ok(sigaction(SIGALRM, &sa, NULL));
	vgt_assert_ok(setitimer(ITIMER_REAL, &it, NULL));
	ret = ioctl(fd, DRM_IOCTL_VIRTGPU_EXECBUFFER, &eb) ? -errno : 0;
	vgt_assert_ok(setitimer(ITIMER_REAL, &off, NULL));
	if (!ret)
		*fence = eb.fence_fd;
	return ret;
}

static void test_silent_context(void)
{
	s32 first, f = -1, other = -1;
	int silent, fd, i, ret = 0, before, during;

	system("mount -t debugfs none /sys/kernel/debug 2>/dev/null");
	before = ctrl_free();
	silent = open_silent_context(&first);
	for (i = 0; i < SILENT_JOBS && !ret; i++) {
		if (f >= 0)
			close(f);
		f = -1;
		ret = submit_with_alarm(silent, 1000, &f);
	}
	alarm(VGT_DEFAULT_TIMEOUT);	/* setitimer() took the harness's */
	during = ctrl_free();
	vgt_info("control ring: %d free before; %d submissions on the silent "
		 "context, the last %s; then %d free\n", before, i,
		 ret ? vgt_errname(-ret) : "taken", during);
	vgt_assert_f(ret == -EINTR, "the silent context's submission %d gave %d, "
		     "not a wait that a signal ends (EINTR)\n", i, ret);
	vgt_assert_lte(i, 256);	/* bounded: it does not take the ring or RAM */
	if (before > 0)
		vgt_assert_gte(during, before / 2);
	fd = open_3d();
	vgt_assert_ok(vgt_submit_nops(fd, VIRTGPU_EXECBUF_FENCE_FD_OUT, 4, &other));
	check_fence_ok(other, "another context's submission");
	close(other);
	vgt_assert_f(!vgt_sync_file_wait(f, 0),
		     "the silent context's last fence signalled\n");
	close(f);
	close(first);
	close(silent);
	other = -1;
	vgt_assert_ok(vgt_submit_nops(fd, VIRTGPU_EXECBUF_FENCE_FD_OUT, 4, &other));
	check_fence_ok(other, "a submission after the silent context closed");
	close(other);
	close(fd);
	usleep(500 * 1000);
	vgt_info("control ring: %d free after closing the silent context\n", ctrl_free());
}

static const struct vgt_subtest tests[] = {
	VGT_SUBTEST("oversized-stream", test_oversized_stream,
		    "a 5 MiB stream fails with E2BIG at once; 512 KiB works"),
	VGT_SUBTEST("bo-handles-huge", test_bo_handles_huge,
		    "num_bo_handles of 2^28 and 2^20 fail with EINVAL at once"),
	VGT_SUBTEST("lookup-leak", test_lookup_leak,
		    "ENOENT in the handle list leaks no references (Shmem)"),
	VGT_SUBTEST_TIMEOUT("interrupted-create-storm",
			    test_interrupted_create_storm,
			    "interrupted blob creates leave no pages and no "
			    "leak report behind", 120),
	VGT_SUBTEST("ordering-detach-behind-parked",
		    test_ordering_detach_behind_parked,
		    "a GEM_CLOSE behind a parked job does not overtake it"),
	VGT_SUBTEST("close-in-flight-order", test_close_in_flight_order,
		    "closing with jobs in flight and parked: every fence "
		    "signals, in seqno order"),
	VGT_SUBTEST("parked-limit", test_parked_limit,
		    "past 4096 jobs or 32 MiB held back, EXECBUFFER is ENOSPC"),
	VGT_SUBTEST("silent-context", test_silent_context,
		    "a context the host never answers holds only part of the "
		    "ring; other contexts go on"),
	VGT_SUBTEST("parked-device-limit", test_parked_device_limit,
		    "all files together hold back at most 256 MiB, then ENOSPC"),
};

VGT_MAIN(tests)
