// SPDX-License-Identifier: GPL-2.0-only
/*
 * Value generation: the PRNG, edge values, user pointers, and the choice
 * record (see struct prog in vgfuzz.h) that makes every call replayable
 * and every corpus entry mutable.
 */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vgfuzz.h"

/* xoshiro256**, seeded through splitmix64: fast, and the same everywhere. */
static u64 rs[4];

static u64 splitmix(u64 *x)
{
	u64 z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void rng_seed(u64 seed)
{
	int i;

	for (i = 0; i < 4; i++)
		rs[i] = splitmix(&seed);
}

static u64 rotl(u64 x, int k)
{
	return (x << k) | (x >> (64 - k));
}

u64 rng(void)
{
	u64 r = rotl(rs[1] * 5, 7) * 9, t = rs[1] << 17;

	rs[2] ^= rs[0];
	rs[3] ^= rs[1];
	rs[1] ^= rs[2];
	rs[0] ^= rs[3];
	rs[2] ^= t;
	rs[3] = rotl(rs[3], 45);
	return r;
}

u32 rng_below(u32 n)
{
	return n ? (u32)(((rng() >> 32) * n) >> 32) : 0;
}

bool one_in(u32 n)
{
	return rng_below(n) == 0;
}

/* ---- the choice record ---- */

static bool mutated(const struct gen *g)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(g->mutate_at); i++)
		if (g->mutate_at[i] == g->pos)
			return true;
	return false;
}

/* The recorded value at this position, when replaying and not mutating. */
static bool replayed(struct gen *g, u8 kind, u64 *v)
{
	if (!g->base || g->pos >= g->base->n || mutated(g))
		return false;
	if (g->base->ch[g->pos].kind != kind)
		return false;	/* control flow went elsewhere: draw afresh */
	*v = g->base->ch[g->pos].val;
	return true;
}

static u64 record(struct gen *g, u8 kind, u64 v)
{
	if (g->pos < MAX_CHOICES) {
		g->out->ch[g->pos].kind = kind;
		g->out->ch[g->pos].val = v;
		g->out->n = g->pos + 1;
	}
	g->pos++;
	return v;
}

u64 g_raw(struct gen *g, u64 n)
{
	u64 v;

	if (!replayed(g, CH_RAW, &v))
		v = n ? rng() % n : 0;
	else if (n)
		v %= n;
	return record(g, CH_RAW, v);
}

bool g_chance(struct gen *g, u32 n)
{
	return g_raw(g, n) == 0;
}

u64 g_pick(struct gen *g, const u64 *vals, u32 n)
{
	return vals[g_raw(g, n)];
}

static const u64 edges32[] = {
	0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 63, 64, 65, 127, 128, 255, 256,
	4095, 4096, 4097, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe,
	0xffffffff, 0x1000000,
};

static const u64 edges64[] = {
	0, 1, 2, 0xffffffffULL, 0x100000000ULL, 0x7fffffffULL, 0x80000000ULL,
	0x7fffffffffffffffULL, 0x8000000000000000ULL, 0xffffffffffffffffULL,
	0xfffffffffffffffeULL, 4095, 4096, 4097, 1ULL << 40, 1ULL << 52,
};

static u64 draw_e32(void)
{
	if (one_in(4))
		return (u32)rng();
	return edges32[rng_below(ARRAY_SIZE(edges32))];
}

static u64 draw_e64(void)
{
	if (one_in(5))
		return rng();
	if (one_in(4))
		return draw_e32();
	return edges64[rng_below(ARRAY_SIZE(edges64))];
}

u32 g_e32(struct gen *g)
{
	u64 v;

	if (!replayed(g, CH_E32, &v))
		v = draw_e32();
	return (u32)record(g, CH_E32, v);
}

u64 g_e64(struct gen *g)
{
	u64 v;

	if (!replayed(g, CH_E64, &v))
		v = draw_e64();
	return record(g, CH_E64, v);
}

/*
 * Sizes: mostly a few pages, then page +-1, then the absurd. Sizes the
 * driver would accept but that pin many MiB (the guest has 4 GiB and KASAN
 * under TCG zeroes a page in microseconds) are rare: they test nothing new
 * and starve the run (16 MiB guest blobs once took a third of it). Over
 * 4 GiB every size is refused.
 */
static u64 draw_size(void)
{
	static const u64 odd[] = {
		0, 1, 4, 8, 16, 64, 4095, 4097, 8191, 8193, 1 << 20, 1 << 21,
		(1 << 21) + 1, 0x100001000ULL, 1ULL << 33, 1ULL << 40,
		1ULL << 63, ~0ULL, ~0ULL - 4095, 0x8000000000001000ULL,
	};
	u32 r = rng_below(16);

	if (r < 11)
		return PAGE * (1 + rng_below(r < 7 ? 4 : 64));
	if (r < 15)
		return odd[rng_below(ARRAY_SIZE(odd))];
	if (one_in(64))
		return 1ULL << 28;
	return (rng() >> rng_below(64)) | (1ULL << 33);
}

u64 g_size(struct gen *g)
{
	u64 v;

	if (!replayed(g, CH_SIZE, &v))
		v = draw_size();
	return record(g, CH_SIZE, v);
}

u64 g_mostly(struct gen *g, const u64 *vals, u32 n, u32 edge_one_in)
{
	if (g_chance(g, edge_one_in))
		return g_e64(g);
	return g_pick(g, vals, n);
}

/* Valid flag combinations mostly, an unknown bit or an edge now and then. */
u64 g_flags(struct gen *g, u64 valid, u32 edge_one_in)
{
	u64 r = g_raw(g, ~0ULL);

	if (g_chance(g, edge_one_in))
		return g_chance(g, 2) ? g_e64(g) : (r & valid) | (1ULL << (r % 32));
	return r & valid;
}

/* ---- pointers ---- */

#define SCRATCH (1 << 20)
#define ZEROES (1 << 20)

static u8 *scratch, *zeroes, *rdonly;
static size_t scratch_used;

void gen_init(void)
{
	/* Each area is followed by a PROT_NONE guard page. */
	scratch = mmap(NULL, SCRATCH + PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	zeroes = mmap(NULL, ZEROES + PAGE, PROT_READ,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	rdonly = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (scratch == MAP_FAILED || zeroes == MAP_FAILED || rdonly == MAP_FAILED) {
		perror("vgfuzz: mmap");
		_exit(2);
	}
	mprotect(scratch + SCRATCH, PAGE, PROT_NONE);
	mprotect(zeroes + ZEROES, PAGE, PROT_NONE);
	memset(rdonly, 0x5a, PAGE);
	mprotect(rdonly, PAGE, PROT_READ);
	mprotect(rdonly + PAGE, PAGE, PROT_NONE);
}

void gen_reset_scratch(void)
{
	scratch_used = 0;
}

void *scratch_alloc(size_t len)
{
	size_t at = (scratch_used + 15) & ~(size_t)15;

	if (len >= SCRATCH)
		return scratch;	/* the kernel runs into the guard: -EFAULT */
	if (at + len > SCRATCH)
		at = 0;
	scratch_used = at + len;
	return scratch + at;
}

bool ptr_is_scratch(u64 p, size_t len)
{
	return p >= (u64)(uintptr_t)scratch &&
	       p + len <= (u64)(uintptr_t)scratch + SCRATCH;
}

enum ptr_class {
	P_VALID, P_NULL, P_UNMAPPED, P_KERNEL, P_MISALIGNED, P_STRADDLE,
	P_RDONLY, P_NONCANON, P_NCLASS,
};

static u64 ptr_class(struct gen *g)
{
	u64 v;

	if (!replayed(g, CH_PTR, &v))
		v = one_in(12) ? 1 + rng_below(P_NCLASS - 1) : P_VALID;
	return record(g, CH_PTR, v % P_NCLASS);
}

/* A bad pointer of class @c, or 0 when @c is a valid class. */
static u64 bad_ptr(struct gen *g, u64 c, size_t len)
{
	static const u64 kernel[] = {
		0xffffffff81000000ULL, 0xffff888000000000ULL,
		0xffffffffff600000ULL, 0xffffc90000000000ULL,
	};

	switch (c) {
	case P_NULL:
		return 0;
	case P_UNMAPPED:
		return 0x1000 + PAGE * g_raw(g, 16);
	case P_KERNEL:
		return g_pick(g, kernel, ARRAY_SIZE(kernel));
	case P_NONCANON:
		return 0x8000000000000000ULL >> g_raw(g, 2);
	case P_STRADDLE:
		return (u64)(uintptr_t)scratch + SCRATCH - (len > 1 ? len / 2 : 0);
	}
	return ~0ULL;
}

u64 g_ptr(struct gen *g, size_t len, enum ptr_use use)
{
	u64 c = ptr_class(g), b;
	u8 *p;

	if (c == P_RDONLY && use == PTR_OUT)
		return (u64)(uintptr_t)rdonly;
	if (c == P_MISALIGNED) {
		p = scratch_alloc(len + 8);
		return (u64)(uintptr_t)(p + 1 + g_raw(g, 7));
	}
	if (c != P_VALID && c != P_RDONLY) {
		b = bad_ptr(g, c, len);
		if (b != ~0ULL)
			return b;
	}
	return (u64)(uintptr_t)scratch_alloc(len);
}

u64 g_put(struct gen *g, const void *data, size_t len)
{
	u64 p = g_ptr(g, len, PTR_IN);

	if (ptr_is_scratch(p, len))
		memcpy((void *)(uintptr_t)p, data, len);
	else if (len > 1 && p == (u64)(uintptr_t)scratch + SCRATCH - len / 2)
		memcpy((void *)(uintptr_t)p, data, len / 2);
	return p;
}

u64 g_ptr_zero(struct gen *g, size_t len)
{
	u64 c = ptr_class(g), b;

	(void)len;
	if (c == P_MISALIGNED)
		return (u64)(uintptr_t)zeroes + 1 + g_raw(g, 3);
	if (c == P_STRADDLE)
		return (u64)(uintptr_t)zeroes + ZEROES - PAGE / 2;
	if (c != P_VALID && c != P_RDONLY) {
		b = bad_ptr(g, c, len);
		if (b != ~0ULL)
			return b;
	}
	return (u64)(uintptr_t)zeroes;
}
