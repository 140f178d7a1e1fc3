// SPDX-License-Identifier: GPL-2.0-only
/*
 * kinsns: a QEMU TCG plugin that counts the guest instructions executed at
 * kernel addresses, over all vCPUs, and writes the running total each time
 * guest user code sets a mark.
 *
 *   qemu-system-x86_64 -accel tcg ... -plugin kinsns.so,out=PATH[,prof=PATH]
 *
 * PATH receives one line per mark, "mark <n> <kernel insns so far>", n
 * counting from 1, and at exit one line "total <kernel insns>". A mark is
 * the Bochs magic instruction xchg %bx,%bx (66 87 db) executed at a user
 * address; mark.h has the guest side. Differences between marks give the
 * kernel's share of the work done between them.
 *
 * With prof=PATH as well, it also profiles: between marks 1 and 2 (and 3
 * and 4, ...) it counts the instructions of each kernel translation block
 * it runs, and at exit writes one line "<block address> <insns>" per block
 * that ran in a window, to PATH. Map the addresses to functions with the
 * guest's /proc/kallsyms (scripts/kprof does). Profiling calls back on
 * every kernel block, so it slows the guest down several times: keep it for
 * boots that measure nothing else.
 *
 * Written for an x86-64 guest: a kernel address is one in the upper half of
 * the canonical address space, vaddr >= 0xffff800000000000. Code run before
 * the kernel has its mappings up (firmware, real mode, the decompressor at
 * low addresses) is not counted.
 *
 * Counting: every translation block that starts at a kernel address gets an
 * inline add of its instruction count to a per-vCPU scoreboard entry. A
 * block left early (an exception or fault in its middle) still adds all of
 * its instructions; the error is ignored, as are blocks that are translated
 * but never run (those add nothing). A mark sums the entries of all vCPUs
 * without stopping the others: their counters may move while being read,
 * which is harmless for totals in the millions; the sum reflects each vCPU
 * up to the last block it entered.
 *
 * QEMU ships no qemu-plugin.h here, so the few parts of the plugin API
 * (version 7, QEMU 11.x) used below are declared in this file. Version 7
 * passes userdata to every callback and no plugin id to the translation
 * and exit callbacks; QEMU 11.1 accepts only plugins of version 7 (both its
 * minimum and current API level).
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- The QEMU plugin API, version 7: only what this plugin uses. ---- */

#define KINSNS_EXPORT __attribute__((visibility("default")))

typedef uint64_t qemu_plugin_id_t;

/* Passed to qemu_plugin_install; only its layout matters, no field is read. */
typedef struct qemu_info_t {
	const char *target_name;
	struct {
		int min;
		int cur;
	} version;
	bool system_emulation;
	union {
		struct {
			int smp_vcpus;
			int max_vcpus;
		} system;
	};
} qemu_info_t;

struct qemu_plugin_tb;
struct qemu_plugin_insn;
struct qemu_plugin_scoreboard;

/* One uint64_t member of every vCPU's entry in a scoreboard (by value). */
typedef struct {
	struct qemu_plugin_scoreboard *score;
	size_t offset;
} qemu_plugin_u64;

enum qemu_plugin_cb_flags {
	QEMU_PLUGIN_CB_NO_REGS,
	QEMU_PLUGIN_CB_R_REGS,
	QEMU_PLUGIN_CB_RW_REGS,
	QEMU_PLUGIN_CB_RW_REGS_PC,
};

enum qemu_plugin_op {
	QEMU_PLUGIN_INLINE_ADD_U64,
	QEMU_PLUGIN_INLINE_STORE_U64,
};

typedef void (*qemu_plugin_udata_cb_t)(void *userdata);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index,
					    void *userdata);
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(struct qemu_plugin_tb *tb,
					       void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
					   qemu_plugin_vcpu_tb_trans_cb_t cb,
					   void *userdata);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id,
				    qemu_plugin_udata_cb_t cb, void *userdata);
void qemu_plugin_register_vcpu_tb_exec_inline_per_vcpu(
	struct qemu_plugin_tb *tb, enum qemu_plugin_op op,
	qemu_plugin_u64 entry, uint64_t imm);
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb,
					  qemu_plugin_vcpu_udata_cb_t cb,
					  enum qemu_plugin_cb_flags flags,
					  void *userdata);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
					    qemu_plugin_vcpu_udata_cb_t cb,
					    enum qemu_plugin_cb_flags flags,
					    void *userdata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb,
						 size_t idx);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
size_t qemu_plugin_insn_data(const struct qemu_plugin_insn *insn, void *dest,
			     size_t len);
struct qemu_plugin_scoreboard *qemu_plugin_scoreboard_new(size_t element_size);
void qemu_plugin_scoreboard_free(struct qemu_plugin_scoreboard *score);
uint64_t qemu_plugin_u64_sum(qemu_plugin_u64 entry);

KINSNS_EXPORT extern int qemu_plugin_version;
KINSNS_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
				      const qemu_info_t *info, int argc,
				      char **argv);

/* ---- The plugin. ---- */

KINSNS_EXPORT int qemu_plugin_version = 7;

#define KERNEL_START UINT64_C(0xffff800000000000)

static const uint8_t mark_insn[] = { 0x66, 0x87, 0xdb };	/* xchg %bx,%bx */

/*
 * One translation of a kernel block, for the profile. A block translated
 * again (after a flush or a page change) gets a second record; the dump
 * adds them up by address.
 */
struct block {
	struct block *next;	/* the list of every record, newest first */
	uint64_t vaddr;
	uint64_t n_insns;
	uint64_t runs;		/* in a window; atomic, every vCPU adds */
};

static struct {
	qemu_plugin_u64 kinsns;		/* per vCPU: kernel insns executed */
	pthread_mutex_t lock;		/* serialises marks, output, @blocks */
	FILE *out;
	uint64_t marks;
	FILE *prof;			/* prof=PATH, or NULL: no profile */
	struct block *blocks;
	int in_window;			/* atomic: between an odd and an even mark */
} st = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void on_mark(unsigned int vcpu_index, void *userdata)
{
	uint64_t total;

	(void)vcpu_index;
	(void)userdata;
	pthread_mutex_lock(&st.lock);
	if (!st.out) {		/* marks after the exit callback: none expected */
		pthread_mutex_unlock(&st.lock);
		return;
	}
	/* Read without stopping the other vCPUs: see the top of the file. */
	total = qemu_plugin_u64_sum(st.kinsns);
	fprintf(st.out, "mark %" PRIu64 " %" PRIu64 "\n", ++st.marks, total);
	fflush(st.out);
	__atomic_store_n(&st.in_window, (int)(st.marks & 1), __ATOMIC_RELAXED);
	pthread_mutex_unlock(&st.lock);
}

static bool is_mark(const struct qemu_plugin_insn *insn)
{
	uint8_t bytes[sizeof(mark_insn)];

	if (qemu_plugin_insn_size(insn) != sizeof(mark_insn))
		return false;
	if (qemu_plugin_insn_data(insn, bytes, sizeof(bytes)) != sizeof(bytes))
		return false;
	return memcmp(bytes, mark_insn, sizeof(bytes)) == 0;
}

static void on_block_run(unsigned int vcpu_index, void *userdata)
{
	struct block *b = userdata;

	(void)vcpu_index;
	if (__atomic_load_n(&st.in_window, __ATOMIC_RELAXED))
		__atomic_fetch_add(&b->runs, 1, __ATOMIC_RELAXED);
}

/* Give a kernel block a profile record and a callback that counts its runs. */
static void profile_block(struct qemu_plugin_tb *tb, size_t n)
{
	struct block *b = calloc(1, sizeof(*b));

	if (!b)
		return;		/* the profile misses the block; counts stay exact */
	b->vaddr = qemu_plugin_tb_vaddr(tb);
	b->n_insns = n;
	pthread_mutex_lock(&st.lock);
	b->next = st.blocks;
	st.blocks = b;
	pthread_mutex_unlock(&st.lock);
	qemu_plugin_register_vcpu_tb_exec_cb(tb, on_block_run,
					     QEMU_PLUGIN_CB_NO_REGS, b);
}

static void on_translate(struct qemu_plugin_tb *tb, void *userdata)
{
	size_t n = qemu_plugin_tb_n_insns(tb);
	size_t i;

	(void)userdata;
	if (qemu_plugin_tb_vaddr(tb) >= KERNEL_START) {
		qemu_plugin_register_vcpu_tb_exec_inline_per_vcpu(
			tb, QEMU_PLUGIN_INLINE_ADD_U64, st.kinsns, n);
		if (st.prof)
			profile_block(tb, n);
		return;
	}
	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);

		if (is_mark(insn))
			qemu_plugin_register_vcpu_insn_exec_cb(
				insn, on_mark, QEMU_PLUGIN_CB_NO_REGS, NULL);
	}
}

/* The profile: every block that ran in a window, unsorted; see the top. */
static void write_profile(void)
{
	struct block *b, *next;

	for (b = st.blocks; b; b = next) {
		next = b->next;
		if (b->runs)
			fprintf(st.prof, "%#" PRIx64 " %" PRIu64 "\n", b->vaddr,
				b->runs * b->n_insns);
		free(b);
	}
	st.blocks = NULL;
	fclose(st.prof);
	st.prof = NULL;
}

static void on_qemu_exit(void *userdata)
{
	(void)userdata;
	pthread_mutex_lock(&st.lock);
	if (st.prof)
		write_profile();
	fprintf(st.out, "total %" PRIu64 "\n", qemu_plugin_u64_sum(st.kinsns));
	fclose(st.out);
	st.out = NULL;
	pthread_mutex_unlock(&st.lock);
	qemu_plugin_scoreboard_free(st.kinsns.score);
}

int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
			int argc, char **argv)
{
	const char *path = NULL, *prof = NULL;
	int i;

	(void)info;
	for (i = 0; i < argc; i++) {
		if (strncmp(argv[i], "out=", 4) == 0 && argv[i][4]) {
			path = argv[i] + 4;
		} else if (strncmp(argv[i], "prof=", 5) == 0 && argv[i][5]) {
			prof = argv[i] + 5;
		} else {
			fprintf(stderr, "kinsns: unknown argument %s (want out=PATH[,prof=PATH])\n",
				argv[i]);
			return -1;
		}
	}
	if (!path) {
		fprintf(stderr, "kinsns: missing out=PATH\n");
		return -1;
	}
	st.out = fopen(path, "w");
	if (!st.out) {
		perror(path);
		return -1;
	}
	if (prof) {
		st.prof = fopen(prof, "w");
		if (!st.prof) {
			perror(prof);
			return -1;
		}
	}
	st.kinsns.score = qemu_plugin_scoreboard_new(sizeof(uint64_t));
	st.kinsns.offset = 0;
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate, NULL);
	qemu_plugin_register_atexit_cb(id, on_qemu_exit, NULL);
	return 0;
}
