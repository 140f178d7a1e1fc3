// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgfuzz: a structured, KCOV-guided ioctl fuzzer for virtgpu2 (and for any
 * driver named "virtio_gpu": the in-tree one runs it unguided).
 *
 * The pieces and who owns what:
 *   vgfuzz.c         options, the main loop, per-call timer, kmsg watch, stats
 *   gen.c            the PRNG, edge values, user pointers, and the choice
 *                    record that makes a call replayable and mutable
 *   state.c          what the fuzzer made: DRM fds and their handles, fds,
 *                    KMS ids; the pools later calls draw from
 *   kcov.c           KCOV per thread, the PC set, the module's site count
 *   corpus.c         calls that reached new PCs, picked and mutated later
 *   calls_virtgpu.c  the driver's own ioctls
 *   calls_drm.c      GEM, PRIME, syncobj and dumb-buffer ioctls of DRM core
 *   calls_kms.c      mode setting
 *   calls_misc.c     mmap, read, poll, close and re-open of fds
 *
 * Determinism: every decision is drawn from the one PRNG, or from the
 * fuzzer's own state, which in turn only holds what the kernel answered. No
 * pointer value, clock or pid feeds a decision, so --seed S --calls N
 * replays the same sequence (up to what the kernel does differently, such
 * as a fence that signalled sooner).
 */
#ifndef VGFUZZ_H
#define VGFUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "drm.h"
#include "drm_mode.h"

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define PAGE 4096ULL

/* ---- gen.c: PRNG ---- */
void rng_seed(u64 seed);
u64 rng(void);
u32 rng_below(u32 n);			/* 0 .. n-1; n == 0 gives 0 */
bool one_in(u32 n);

/* ---- gen.c: the choice record ---- */

/*
 * A call is generated as a sequence of choices. Each one is recorded with
 * its kind, so that a corpus entry can be replayed later and a few of its
 * choices drawn afresh (a mutation). Handles are recorded as "which pool,
 * which way, which index", not as the number: replayed against today's
 * pools they name a live object again.
 */
enum ch_kind {
	CH_RAW = 1,	/* a value drawn by the call itself */
	CH_E32,		/* edge-or-random 32 bit */
	CH_E64,		/* edge-or-random 64 bit */
	CH_SIZE,	/* a byte size: small, page +-1, huge */
	CH_PTR,		/* a user pointer class */
	CH_REF,		/* a reference to a pool entry */
	CH_SLOT,	/* which DRM fd */
};

#define MAX_CHOICES 96

struct choice {
	u8 kind;
	u64 val;
};

struct prog {
	u16 call;
	u16 n;
	struct choice ch[MAX_CHOICES];
};

struct gen {
	struct prog *out;		/* what this call chose */
	const struct prog *base;	/* replayed, or NULL for a fresh call */
	u32 pos;
	u32 mutate_at[3];		/* positions drawn afresh */
	bool trace;
};

u64 g_raw(struct gen *g, u64 n);		/* 0 .. n-1 */
u64 g_pick(struct gen *g, const u64 *vals, u32 n);
u32 g_e32(struct gen *g);
u64 g_e64(struct gen *g);
u64 g_size(struct gen *g);
bool g_chance(struct gen *g, u32 n);		/* true one time in n */
/* Usually one of @vals, now and then an edge value. */
u64 g_mostly(struct gen *g, const u64 *vals, u32 n, u32 edge_one_in);
u64 g_flags(struct gen *g, u64 valid, u32 edge_one_in);

/*
 * User pointers. g_ptr() returns room for @len bytes the kernel may read or
 * write, or one of the bad ones: NULL, unmapped, a kernel address,
 * misaligned, straddling a guard page, read-only. The scratch area's bytes
 * are filled by the caller.
 */
enum ptr_use { PTR_IN, PTR_OUT };
u64 g_ptr(struct gen *g, size_t len, enum ptr_use use);
/* An input of @len bytes at @data, copied to where the pointer points. */
u64 g_put(struct gen *g, const void *data, size_t len);
/* Like g_ptr(), but valid pointers point at zeroes (host-read commands). */
u64 g_ptr_zero(struct gen *g, size_t len);
void *scratch_alloc(size_t len);	/* scratch space for this call */
void gen_init(void);
void gen_reset_scratch(void);
bool ptr_is_scratch(u64 p, size_t len);

/* ---- state.c ---- */
#define NSLOTS 4
#define POOL 32

enum bo_kind { BO_ANY, BO_3D, BO_BLOB, BO_DUMB, BO_IMPORT };

struct bo {
	u32 handle;
	u32 res;
	u64 size;
	u64 map_off;		/* 0 until MAP / MAP_DUMB */
	u8 kind;
	u8 mappable;
	u16 w, h;
	u32 pitch;
};

struct pool {
	u64 v[POOL];
	u32 n;
};

struct slot {
	int fd;			/* -1 when closed */
	bool card;		/* primary node (KMS, flink) */
	bool blocking;		/* opened without O_NONBLOCK */
	bool ctx;		/* CONTEXT_INIT succeeded */
	u32 capset;
	u32 rings;
	struct bo bos[POOL];
	u32 nbos;
	struct pool closed;	/* handles closed lately */
	struct pool syncobjs;
	struct pool fbs;
	struct pool propblobs;
	u32 opens;
	u32 stuck;		/* calls the timer interrupted since open */
};

struct kms {
	struct pool crtcs, conns, encs, planes;
	struct pool props;		/* every property id seen */
	struct drm_mode_modeinfo *modes;
	u32 nmodes;
	/* property ids by name, for a plausible atomic commit */
	u32 p_fb_id, p_crtc_id, p_src_x, p_src_y, p_src_w, p_src_h;
	u32 p_crtc_x, p_crtc_y, p_crtc_w, p_crtc_h;
	u32 p_mode_id, p_active, p_in_fence, p_out_fence;
};

struct state {
	struct slot slot[NSLOTS];
	struct pool sync_fds;		/* sync_file fds */
	struct pool dmabuf_fds;
	struct pool syncobj_fds;
	struct pool names;		/* flink names */
	struct pool maps;		/* index into maps[] */
	struct kms kms;
	u64 blob_ids;			/* next blob_id a virgl client would use */
	u32 caps_mask;
};

extern struct state st;

/* Pool references: CH_REF choices say which pool and how. */
enum ref_pool {
	R_BO, R_SYNCOBJ, R_FB, R_PROPBLOB, R_CLOSED,
	R_SYNCFD, R_DMABUF, R_SYNCOBJFD, R_NAME,
	R_CRTC, R_CONN, R_ENC, R_PLANE, R_PROP,
};

u64 g_ref(struct gen *g, struct slot *s, enum ref_pool p);
struct bo *g_bo(struct gen *g, struct slot *s, u32 *handle);
int g_any_fd(struct gen *g, struct slot *s);

void pool_add(struct pool *p, u64 v);
void pool_del(struct pool *p, u64 v);
void pool_del_u32(struct pool *p, u32 v);
void pool_add_fd(struct pool *p, int fd);
struct bo *bo_add(struct slot *s, u32 handle, enum bo_kind kind, u64 size);
struct bo *bo_find(struct slot *s, u32 handle);
void bo_del(struct slot *s, u32 handle);
int slot_open(struct gen *g, int idx);
void slot_close(int idx);
void state_init(struct gen *g);
void state_fini(void);
void maps_add(void *addr, size_t len);
void maps_drop(u32 idx);
extern void *map_addr[POOL];
extern size_t map_len[POOL];

/* ---- the calls ---- */
enum call_flags {
	CF_BLOCKS = 1,		/* expected to block now and then (documentation) */
	CF_CARD = 2,		/* prefers the primary node */
	CF_SLOW = 4,		/* costs milliseconds: picked SLOW_ODDS times less */
};

/*
 * A slow call (a host round trip, a probe, a file torn down) costs as much
 * as a hundred others; picking it a quarter as often, fresh or from the
 * corpus, keeps it in every run while the cheap calls get the numbers.
 */
#define SLOW_ODDS 4

struct call {
	const char *name;
	u32 weight;
	u32 flags;
	/* Returns 0 or -errno; g is the choice record, s the fd it runs on. */
	int (*fn)(struct gen *g, struct slot *s);
};

extern const struct call calls_virtgpu[];
extern const u32 ncalls_virtgpu;
extern const struct call calls_drm[];
extern const u32 ncalls_drm;
extern const struct call calls_kms[];
extern const u32 ncalls_kms;
extern const struct call calls_misc[];
extern const u32 ncalls_misc;

/* An ioctl through the per-call timer: returns 0 or -errno. */
int xioctl(int fd, unsigned long req, void *arg);
/* Arm the timer for a call that is about to block (a wait, a read). */
void timer_arm(void);
void timer_disarm(void);
extern volatile int alarm_fired;

/* A CONTEXT_INIT a real client would send, now and then a little off. */
int ctx_init_plausible(struct gen *g, struct slot *s);

/* calls_misc.c: SIGBUS/SIGSEGV while touching mapped pages. */
void misc_init(void);

/* KMS discovery, shared by calls_kms.c and state.c. */
void kms_discover(struct gen *g, struct slot *s);

/* ---- kcov.c ---- */
bool kcov_open(const char *ko, long sites);
void kcov_start(void);
u32 kcov_stop(void);			/* new PCs this call */
u32 kcov_unique(void);
long kcov_sites(void);
bool kcov_on(void);
u64 kcov_outside(void);			/* PCs outside the module's range */
bool kcov_dump(const char *path);	/* the PC set, as module offsets */

/* ---- corpus.c ---- */
void corpus_add(const struct prog *p);
const struct prog *corpus_pick(void);
u32 corpus_size(void);

/* ---- vgfuzz.c ---- */
extern bool trace_on;
void tracef(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
