// SPDX-License-Identifier: GPL-2.0-only
/*
 * KCOV: the PCs each call reached inside virtgpu2, a set of every PC seen,
 * and the module's number of coverage sites (calls to
 * __sanitizer_cov_trace_pc in its executable sections), read straight from
 * the .ko's relocations so no objdump is needed in the guest.
 */
#include <elf.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vgfuzz.h"

#define KCOV_INIT_TRACE _IOR('c', 1, unsigned long)
#define KCOV_ENABLE _IO('c', 100)
#define KCOV_TRACE_PC 0
#define COVER 65536			/* entries per call: far above one ioctl */
#define SET (1 << 16)			/* open addressing, power of two */

static unsigned long *cover;
static u64 *set;
static u32 unique;
static long sites = -1;
static u64 mod_lo, mod_hi;		/* the module, as KCOV reports PCs */
static bool on;
static u64 outside;

/* ---- the module's sites, from the ELF relocations ---- */

static bool sh_ok(const Elf64_Ehdr *e, size_t len, u32 i)
{
	return i < e->e_shnum && e->e_shoff + (u64)(i + 1) * sizeof(Elf64_Shdr) <= len;
}

static long count_in(const u8 *m, size_t len, const Elf64_Shdr *sh, const Elf64_Shdr *rel,
		     u32 sym)
{
	const Elf64_Ehdr *e = (const void *)m;
	const Elf64_Rela *r = (const void *)(m + rel->sh_offset);
	size_t i, n = rel->sh_size / sizeof(*r);
	long c = 0;

	if (!sh_ok(e, len, rel->sh_info) || !(sh[rel->sh_info].sh_flags & SHF_EXECINSTR))
		return 0;
	if (rel->sh_offset + rel->sh_size > len)
		return 0;
	for (i = 0; i < n; i++)
		if (ELF64_R_SYM(r[i].r_info) == sym)
			c++;
	return c;
}

/* The symbol index of __sanitizer_cov_trace_pc in the .ko's symtab. */
static long find_sym(const u8 *m, size_t len, const Elf64_Shdr *sh, u32 *symtab)
{
	const Elf64_Ehdr *e = (const void *)m;
	const Elf64_Sym *sy;
	const char *str;
	u32 i;
	size_t j;

	for (i = 0; i < e->e_shnum; i++) {
		if (sh[i].sh_type != SHT_SYMTAB || !sh_ok(e, len, sh[i].sh_link))
			continue;
		sy = (const void *)(m + sh[i].sh_offset);
		str = (const char *)(m + sh[sh[i].sh_link].sh_offset);
		for (j = 0; j < sh[i].sh_size / sizeof(*sy); j++) {
			if (!strcmp(str + sy[j].st_name, "__sanitizer_cov_trace_pc")) {
				*symtab = i;
				return (long)j;
			}
		}
	}
	return -1;
}

static long ko_sites(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	const Elf64_Ehdr *e;
	const Elf64_Shdr *sh;
	long sym, n = 0;
	u32 symtab = 0, i;
	u8 *m;

	if (fd < 0 || fstat(fd, &sb))
		return -1;
	m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return -1;
	e = (const void *)m;
	if ((size_t)sb.st_size < sizeof(*e) || memcmp(e->e_ident, ELFMAG, SELFMAG) ||
	    !sh_ok(e, (size_t)sb.st_size, e->e_shnum - 1)) {
		munmap(m, (size_t)sb.st_size);
		return -1;
	}
	sh = (const void *)(m + e->e_shoff);
	sym = find_sym(m, (size_t)sb.st_size, sh, &symtab);
	for (i = 0; sym >= 0 && i < e->e_shnum; i++)
		if (sh[i].sh_type == SHT_RELA && sh[i].sh_link == symtab)
			n += count_in(m, (size_t)sb.st_size, sh, &sh[i], (u32)sym);
	munmap(m, (size_t)sb.st_size);
	return sym < 0 ? -1 : n;
}

/* The .ko vm-run loaded: vg_module= on the guest's command line. */
static bool ko_from_cmdline(char *path, size_t len)
{
	char line[4096], *p, *end;
	FILE *f = fopen("/proc/cmdline", "r");
	bool ok = false;

	if (!f)
		return false;
	if (fgets(line, sizeof(line), f) && (p = strstr(line, "vg_module="))) {
		p += strlen("vg_module=");
		end = p + strcspn(p, " \n");
		if (end > p && (size_t)(end - p) < len) {
			memcpy(path, p, (size_t)(end - p));
			path[end - p] = 0;
			ok = true;
		}
	}
	fclose(f);
	return ok;
}

/* ---- where the module is ---- */

static u64 ksym(const char *name)
{
	char line[512], n[256], t;
	unsigned long long a;
	FILE *f = fopen("/proc/kallsyms", "r");
	u64 r = 0;

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx %c %255s", &a, &t, n) == 3 && !strcmp(n, name)) {
			r = a;
			break;
		}
	}
	if (f)
		fclose(f);
	return r;
}

/*
 * /proc/modules gives the module's base and size. KCOV reports PCs minus
 * the KASLR offset (canonicalize_ip() in kernel/kcov.c), so the range is
 * moved by the offset too: _text as loaded minus where x86-64 links it.
 */
static bool module_range(void)
{
	char name[64], line[512];
	unsigned long long size, addr;
	FILE *f = fopen("/proc/modules", "r");
	u64 text = ksym("_text");

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %llu %*s %*s %*s %llx", name, &size, &addr) == 3 &&
		    !strcmp(name, "virtgpu2")) {
			mod_lo = addr;
			mod_hi = addr + size;
		}
	}
	if (f)
		fclose(f);
	if (!mod_lo)
		return false;
	if (text) {
		mod_lo -= text - 0xffffffff81000000ULL;
		mod_hi -= text - 0xffffffff81000000ULL;
	}
	return true;
}

bool kcov_open(const char *ko, long nsites)
{
	char path[1024];
	int fd = open("/sys/kernel/debug/kcov", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return false;
	if (ioctl(fd, KCOV_INIT_TRACE, COVER))
		goto fail;
	cover = mmap(NULL, COVER * sizeof(*cover), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (cover == MAP_FAILED || ioctl(fd, KCOV_ENABLE, KCOV_TRACE_PC))
		goto fail;
	set = calloc(SET, sizeof(*set));
	if (!set || !module_range())
		goto fail;
	sites = nsites;
	if (sites < 0 && !ko && ko_from_cmdline(path, sizeof(path)))
		ko = path;
	if (sites < 0 && ko)
		sites = ko_sites(ko);
	on = true;
	return true;
fail:
	close(fd);
	return false;
}

void kcov_start(void)
{
	if (on)
		__atomic_store_n(&cover[0], 0, __ATOMIC_RELAXED);
}

static bool set_add(u64 pc)
{
	u32 h = (u32)((pc * 0x9e3779b97f4a7c15ULL) >> 48) & (SET - 1);

	while (set[h]) {
		if (set[h] == pc)
			return false;
		h = (h + 1) & (SET - 1);
	}
	if (unique >= SET / 2)
		return false;	/* full: stop learning rather than loop */
	set[h] = pc;
	unique++;
	return true;
}

u32 kcov_stop(void)
{
	unsigned long n, i;
	u32 fresh = 0;

	if (!on)
		return 0;
	n = __atomic_load_n(&cover[0], __ATOMIC_RELAXED);
	if (n >= COVER)
		n = COVER - 1;
	for (i = 1; i <= n; i++) {
		if (cover[i] < mod_lo || cover[i] >= mod_hi)
			outside++;
		else if (set_add(cover[i]))
			fresh++;
	}
	return fresh;
}

u32 kcov_unique(void)
{
	return unique;
}

long kcov_sites(void)
{
	return sites;
}

u64 kcov_outside(void)
{
	return outside;
}

bool kcov_on(void)
{
	return on;
}

/*
 * Writes the PCs reached, as offsets into the module, one per line: runs
 * in parallel (scripts/guest/run-tests) merge theirs into one coverage.
 */
bool kcov_dump(const char *path)
{
	FILE *f = fopen(path, "w");
	u32 h;

	if (!f)
		return false;
	for (h = 0; on && h < SET; h++)
		if (set[h])
			fprintf(f, "%llx\n", (unsigned long long)(set[h] - mod_lo));
	return fclose(f) == 0;
}
