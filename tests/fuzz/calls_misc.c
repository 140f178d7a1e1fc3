// SPDX-License-Identifier: GPL-2.0-only
/*
 * The file operations around the ioctls: mmap of MAP / MAP_DUMB offsets and
 * of dma-bufs (with the pages touched, so the fault handlers run), read()
 * and poll() of the DRM fd (fence and flip events), poll of sync_files,
 * close of the fds the fuzzer made, and re-opening a DRM fd, which tears
 * down its context with whatever is in flight.
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vgfuzz.h"

static sigjmp_buf touch_env;
static volatile sig_atomic_t touching;

static void on_fault(int sig)
{
	if (!touching) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	siglongjmp(touch_env, 1);
}

void misc_init(void)
{
	struct sigaction sa = { .sa_handler = on_fault };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
}

/* Write then read one byte per page, at most 64 pages: -EFAULT on a fault. */
static int touch(volatile u8 *p, size_t len, bool write)
{
	size_t off, n = 0;

	if (sigsetjmp(touch_env, 1)) {
		touching = 0;
		return -EFAULT;
	}
	touching = 1;
	for (off = 0; off < len && n < 64; off += PAGE, n++) {
		if (write)
			p[off] = (u8)off;
		(void)p[off];
	}
	touching = 0;
	return 0;
}

static size_t map_len_for(struct gen *g, u64 size)
{
	static const u64 odd[] = { PAGE, 2 * PAGE, 0, 1 << 20 };

	if (size && size < (1ULL << 28) && !g_chance(g, 10))
		return (size_t)size;
	return (size_t)g_pick(g, odd, ARRAY_SIZE(odd)) + (g_chance(g, 2) ? size : 0);
}

static int do_map(struct gen *g, int fd, u64 off, u64 size)
{
	bool write = !g_chance(g, 6);
	size_t len = map_len_for(g, size);
	void *p;

	if (g_chance(g, 12))
		off += PAGE * (1 + g_raw(g, 4));
	p = mmap(NULL, len, PROT_READ | (write ? PROT_WRITE : 0), MAP_SHARED, fd, (off_t)off);
	if (p == MAP_FAILED)
		return -errno;
	maps_add(p, len);
	return touch(p, len, write);
}

static int m_mmap(struct gen *g, struct slot *s)
{
	u32 h;
	struct bo *b = g_bo(g, s, &h);

	if (!b || !b->map_off)
		return do_map(g, s->fd, g_chance(g, 2) ? g_e64(g) & ~(PAGE - 1) : 0, PAGE);
	return do_map(g, s->fd, b->map_off, b->size);
}

static int m_mmap_dmabuf(struct gen *g, struct slot *s)
{
	int fd = (int)g_ref(g, s, R_DMABUF);
	off_t end = lseek(fd, 0, SEEK_END);

	return do_map(g, fd, 0, end > 0 ? (u64)end : PAGE);
}

/* A mapping made earlier, perhaps of a buffer closed since: still valid. */
static int m_touch(struct gen *g, struct slot *s)
{
	u32 i = (u32)g_raw(g, st.maps.n);

	(void)s;
	if (!st.maps.n)
		return -ENOENT;
	return touch(map_addr[i], map_len[i], true);
}

static int m_munmap(struct gen *g, struct slot *s)
{
	(void)s;
	if (!st.maps.n)
		return -ENOENT;
	maps_drop((u32)g_raw(g, st.maps.n));
	return 0;
}

static int m_read(struct gen *g, struct slot *s)
{
	static const u64 lens[] = { 4096, 8, 16, 64, 1, 7, 0 };
	struct pollfd p = { .fd = s->fd, .events = POLLIN };
	size_t len = (size_t)g_mostly(g, lens, ARRAY_SIZE(lens), 10) & 0xffff;
	u64 buf = g_ptr(g, len, PTR_OUT);
	ssize_t n;

	/* A blocking fd with nothing queued would cost a whole timer period. */
	if (s->blocking && poll(&p, 1, 0) != 1 && !g_chance(g, 20))
		return -EAGAIN;
	n = read(s->fd, (void *)(uintptr_t)buf, len);	/* the loop's timer ends it */
	return n < 0 ? -errno : 0;
}

static int m_poll(struct gen *g, struct slot *s)
{
	struct pollfd p[4] = { { .fd = s->fd, .events = POLLIN | POLLOUT } };
	int n, i;

	for (i = 1; i < 4; i++) {
		p[i].fd = g_any_fd(g, s);
		p[i].events = POLLIN | POLLOUT | POLLPRI;
	}
	n = poll(p, 4, g_chance(g, 30) ? 5 : 0);
	return n < 0 ? -errno : 0;
}

/* Close an fd the fuzzer made: sync_file, dma-buf or syncobj fd. */
static int m_close(struct gen *g, struct slot *s)
{
	static const enum ref_pool pools[] = { R_SYNCFD, R_DMABUF, R_SYNCOBJFD };
	struct pool *p[] = { &st.sync_fds, &st.dmabuf_fds, &st.syncobj_fds };
	u32 i = (u32)g_raw(g, ARRAY_SIZE(pools));
	u64 fd;

	(void)s;
	if (!p[i]->n)
		return -ENOENT;
	fd = p[i]->v[g_raw(g, p[i]->n)];
	pool_del(p[i], fd);
	return close((int)fd) ? -errno : 0;
}

static int m_reopen(struct gen *g, struct slot *s)
{
	return slot_open(g, (int)(s - st.slot));
}

const struct call calls_misc[] = {
	{ "MMAP", 5, CF_SLOW, m_mmap },
	{ "MMAP_DMABUF", 2, 0, m_mmap_dmabuf },
	{ "TOUCH", 5, 0, m_touch },
	{ "MUNMAP", 5, 0, m_munmap },
	{ "READ", 10, 0, m_read },
	{ "POLL", 10, 0, m_poll },
	{ "CLOSE", 8, 0, m_close },
	{ "REOPEN", 1, CF_SLOW, m_reopen },
};
const u32 ncalls_misc = ARRAY_SIZE(calls_misc);
