// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the fuzzer made: DRM fds (slots) with their GEM handles, syncobjs,
 * framebuffers and property blobs, plus the fds and names shared between
 * slots. Later calls draw their handles from here, which chains calls: a
 * handle made by one call is closed, exported, mapped or submitted by the
 * next ones. Only kernel answers go in, so replays see the same pools.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vgfuzz.h"

struct state st;
void *map_addr[POOL];
size_t map_len[POOL];
static u32 nmaps;
static char card_path[64] = "/dev/dri/card0";
static char render_path[64] = "/dev/dri/renderD128";

void pool_add(struct pool *p, u64 v)
{
	if (p->n < POOL)
		p->v[p->n++] = v;
	else
		p->v[rng_below(POOL)] = v;	/* forget an old one */
}

void pool_del(struct pool *p, u64 v)
{
	u32 i;

	for (i = 0; i < p->n; i++) {
		if (p->v[i] == v) {
			p->v[i] = p->v[--p->n];
			return;
		}
	}
}

/* Pools whose values carry more than the id in their high bits. */
void pool_del_u32(struct pool *p, u32 v)
{
	u32 i;

	for (i = 0; i < p->n; i++) {
		if ((u32)p->v[i] == v) {
			p->v[i] = p->v[--p->n];
			return;
		}
	}
}

/* Fd pools own their fds: an evicted one is closed. */
void pool_add_fd(struct pool *p, int fd)
{
	u32 i;

	if (p->n < POOL) {
		p->v[p->n++] = fd;
		return;
	}
	i = rng_below(POOL);
	close((int)p->v[i]);
	p->v[i] = fd;
}

struct bo *bo_find(struct slot *s, u32 handle)
{
	u32 i;

	for (i = 0; i < s->nbos; i++)
		if (s->bos[i].handle == handle)
			return &s->bos[i];
	return NULL;
}

struct bo *bo_add(struct slot *s, u32 handle, enum bo_kind kind, u64 size)
{
	struct bo *b = bo_find(s, handle);

	if (!b) {
		/* A full table forgets one: its handle leaks to close(). */
		b = s->nbos < POOL ? &s->bos[s->nbos++] : &s->bos[rng_below(POOL)];
	}
	memset(b, 0, sizeof(*b));
	b->handle = handle;
	b->kind = kind;
	b->size = size;
	return b;
}

void bo_del(struct slot *s, u32 handle)
{
	struct bo *b = bo_find(s, handle);

	if (!b)
		return;
	*b = s->bos[--s->nbos];
	pool_add(&s->closed, handle);
}

/* ---- references ---- */

static struct pool *ref_pool(struct slot *s, enum ref_pool p)
{
	switch (p) {
	case R_SYNCOBJ: return &s->syncobjs;
	case R_FB: return &s->fbs;
	case R_PROPBLOB: return &s->propblobs;
	case R_CLOSED: return &s->closed;
	case R_SYNCFD: return &st.sync_fds;
	case R_DMABUF: return &st.dmabuf_fds;
	case R_SYNCOBJFD: return &st.syncobj_fds;
	case R_NAME: return &st.names;
	case R_CRTC: return &st.kms.crtcs;
	case R_CONN: return &st.kms.conns;
	case R_ENC: return &st.kms.encs;
	case R_PLANE: return &st.kms.planes;
	case R_PROP: return &st.kms.props;
	case R_BO: break;
	}
	return NULL;
}

static bool ref_entry(struct slot *s, enum ref_pool p, u32 idx, u64 *v)
{
	struct pool *pl;

	if (p == R_BO) {
		if (!s->nbos)
			return false;
		*v = s->bos[idx % s->nbos].handle;
		return true;
	}
	pl = ref_pool(s, p);
	if (!pl->n)
		return false;
	*v = pl->v[idx % pl->n];
	return true;
}

/*
 * A CH_REF choice holds a selector in its low byte and an index above it:
 * selectors 0-11 a live entry of this slot, 12 one of another slot, 13 a
 * handle this slot closed, 14 an edge value, 15 zero. The number itself is
 * resolved now, against today's pools.
 */
u64 g_ref(struct gen *g, struct slot *s, enum ref_pool p)
{
	u64 c = g_raw(g, ~0ULL), v;
	u32 sel = c & 15, idx = (u32)(c >> 8);
	struct slot *o = &st.slot[idx % NSLOTS];

	if (sel < 12 && ref_entry(s, p, idx, &v))
		return v;
	if (sel == 12 && ref_entry(o, p, idx >> 2, &v))
		return v;
	if (sel == 13 && ref_entry(s, R_CLOSED, idx, &v))
		return v;
	if (sel == 15)
		return 0;
	return g_e32(g);
}

struct bo *g_bo(struct gen *g, struct slot *s, u32 *handle)
{
	*handle = (u32)g_ref(g, s, R_BO);
	return bo_find(s, *handle);
}

int g_any_fd(struct gen *g, struct slot *s)
{
	static const enum ref_pool fds[] = { R_SYNCFD, R_DMABUF, R_SYNCOBJFD };
	u64 r = g_raw(g, 8);

	if (r < 3)
		return (int)g_ref(g, s, fds[r]);
	if (r == 3)
		return st.slot[g_raw(g, NSLOTS)].fd;
	if (r == 4)
		return -1;
	if (r == 5)
		return (int)g_e32(g);
	return (int)g_ref(g, s, R_SYNCFD);
}

/* ---- mappings ---- */

void maps_add(void *addr, size_t len)
{
	u32 i;

	if (nmaps < POOL) {
		i = nmaps++;
	} else {
		i = rng_below(POOL);
		munmap(map_addr[i], map_len[i]);
	}
	map_addr[i] = addr;
	map_len[i] = len;
	st.maps.n = nmaps;
}

void maps_drop(u32 idx)
{
	if (idx >= nmaps)
		return;
	munmap(map_addr[idx], map_len[idx]);
	nmaps--;
	map_addr[idx] = map_addr[nmaps];
	map_len[idx] = map_len[nmaps];
	map_addr[nmaps] = NULL;
	st.maps.n = nmaps;
}

/* ---- slots ---- */

static void slot_forget(struct slot *s)
{
	u32 opens = s->opens;
	bool card = s->card;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->opens = opens;
	s->card = card;
}

void slot_close(int idx)
{
	struct slot *s = &st.slot[idx];

	if (s->fd >= 0)
		close(s->fd);
	slot_forget(s);
}

/* Authenticate a second primary-node fd with the master's help. */
static void slot_auth(struct slot *s)
{
	struct drm_auth a = { 0 };

	if (st.slot[0].fd < 0 || ioctl(s->fd, DRM_IOCTL_GET_MAGIC, &a))
		return;
	ioctl(st.slot[0].fd, DRM_IOCTL_AUTH_MAGIC, &a);
}

int slot_open(struct gen *g, int idx)
{
	struct slot *s = &st.slot[idx];
	int flags = O_RDWR | O_CLOEXEC;

	slot_close(idx);
	s->card = idx < 2;
	s->blocking = g_chance(g, 8);
	if (!s->blocking)
		flags |= O_NONBLOCK;
	s->fd = open(s->card ? card_path : render_path, flags);
	if (s->fd < 0)
		return -errno;
	s->opens++;
	if (idx == 1)
		slot_auth(s);
	if (idx == 0)
		kms_discover(g, s);
	/* A fresh fd gets a fresh CONTEXT_INIT, most of the time. */
	if (!g_chance(g, 6))
		ctx_init_plausible(g, s);
	return 0;
}

static bool is_virtio_gpu(const char *path)
{
	char name[32] = "";
	struct drm_version v = { .name = name, .name_len = sizeof(name) - 1 };
	int fd = open(path, O_RDWR | O_CLOEXEC), ok;

	if (fd < 0)
		return false;
	ok = !ioctl(fd, DRM_IOCTL_VERSION, &v) && !strcmp(name, "virtio_gpu");
	close(fd);
	return ok;
}

/* The first virtio_gpu card and render node; card0 / renderD128 if none. */
static void find_nodes(void)
{
	char p[64];
	int i;

	for (i = 0; i < 16; i++) {
		snprintf(p, sizeof(p), "/dev/dri/card%d", i);
		if (is_virtio_gpu(p)) {
			strcpy(card_path, p);
			break;
		}
	}
	for (i = 128; i < 144; i++) {
		snprintf(p, sizeof(p), "/dev/dri/renderD%d", i);
		if (is_virtio_gpu(p)) {
			strcpy(render_path, p);
			break;
		}
	}
}

void state_init(struct gen *g)
{
	int i;

	find_nodes();
	for (i = 0; i < NSLOTS; i++) {
		st.slot[i].fd = -1;
		slot_open(g, i);
	}
	if (st.slot[0].fd < 0 && st.slot[2].fd < 0) {
		fprintf(stderr, "vgfuzz: cannot open %s or %s\n", card_path, render_path);
		_exit(2);
	}
}

static void pool_close_fds(struct pool *p)
{
	while (p->n)
		close((int)p->v[--p->n]);
}

/* Everything goes at the end: close() of every fd is a test too. */
void state_fini(void)
{
	int i;

	while (nmaps)
		maps_drop(0);
	pool_close_fds(&st.sync_fds);
	pool_close_fds(&st.dmabuf_fds);
	pool_close_fds(&st.syncobj_fds);
	for (i = NSLOTS - 1; i >= 0; i--)
		slot_close(i);
}
