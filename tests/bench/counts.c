// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kicks and interrupts per operation, for whichever driver is bound.
 *
 * A kick is a guest write to the queue's notify register: a VM exit under
 * KVM. Both drivers kick through virtio-pci's vp_notify(), so a kprobe on it
 * with a histogram keyed by the virtqueue's name counts the kicks of the
 * GPU's queues ("control" and "cursor"; 9p's is "requests"). Interrupts are
 * the GPU's MSI-X lines in /proc/interrupts, all CPUs, without "config".
 * Both counts are exact for a build, whatever the machine's load.
 *
 * Each window is also marked for the kinsns QEMU plugin (kinsns/mark.h),
 * which counts the kernel's instructions between marks when it is loaded,
 * and printed as "WINDOW ops", so that scripts/bench can pair them.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "counts.h"
#include "kinsns/mark.h"

#define TRACEFS "/sys/kernel/tracing"
#define EVENT TRACEFS "/events/bench/vp_kick"
/* struct virtqueue: list (16 bytes), callback (8), then the name pointer. */
#define PROBE "p:bench/vp_kick vp_notify name=+0(+24(%di)):string"

static bool ready;
static char gpu[264];	/* "virtioN-": the prefix of the GPU's interrupt names */
static struct {
	unsigned long long kicks, irqs;
} start;
static unsigned long long sum_kicks, sum_irqs, sum_ops;

/* One write(2): stdio's append mode seeks, which tracefs files refuse. */
static bool write_file(const char *path, const char *text, bool append)
{
	int fd = open(path, O_WRONLY | (append ? O_APPEND : O_TRUNC));
	ssize_t n;

	if (fd < 0)
		return false;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text);
}

/* The GPU's virtio device name, from its device id (16). */
static bool find_gpu(void)
{
	DIR *d = opendir("/sys/bus/virtio/devices");
	struct dirent *e;
	char path[300];
	unsigned int id;
	FILE *f;

	if (!d)
		return false;
	while ((e = readdir(d))) {
		snprintf(path, sizeof(path), "/sys/bus/virtio/devices/%s/device", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fscanf(f, "%x", &id) == 1 && id == 16)
			snprintf(gpu, sizeof(gpu), "%.256s-", e->d_name);
		fclose(f);
	}
	closedir(d);
	return gpu[0];
}

bool counts_init(char *why, unsigned int len)
{
	struct stat st;

	if (!find_gpu()) {
		snprintf(why, len, "no virtio GPU in /sys/bus/virtio");
		return false;
	}
	if (stat(TRACEFS "/kprobe_events", &st))
		mount("tracefs", TRACEFS, "tracefs", 0, NULL);
	/* A probe left by an earlier run would make the add fail. */
	write_file(EVENT "/enable", "0", false);
	write_file(TRACEFS "/kprobe_events", "-:bench/vp_kick\n", true);
	if (!write_file(TRACEFS "/kprobe_events", PROBE "\n", true)) {
		snprintf(why, len, "no kprobe on vp_notify: %s", strerror(errno));
		return false;
	}
	if (!write_file(EVENT "/trigger", "hist:keys=name\n", false) ||
	    !write_file(EVENT "/enable", "1\n", false)) {
		snprintf(why, len, "no histogram of the kprobe: %s", strerror(errno));
		return false;
	}
	ready = true;
	return true;
}

/* Kicks of the GPU's queues so far. */
static unsigned long long read_kicks(void)
{
	FILE *f = fopen(EVENT "/hist", "r");
	unsigned long long n, sum = 0;
	char line[512], name[64];

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "{ name: %63s } hitcount: %llu", name, &n) == 2 &&
		    (!strcmp(name, "control") || !strcmp(name, "cursor")))
			sum += n;
	fclose(f);
	return sum;
}

/* Interrupts of the GPU's queues so far, on every CPU. */
static unsigned long long read_irqs(void)
{
	FILE *f = fopen("/proc/interrupts", "r");
	unsigned long long n, sum = 0;
	char line[1024], *p, *end;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (!strstr(line, gpu) || strstr(line, "-config"))
			continue;
		p = strchr(line, ':');
		/* The per-CPU columns, up to the first word that is not a number. */
		while (p) {
			n = strtoull(p + 1, &end, 10);
			if (end == p + 1)
				break;
			sum += n;
			p = end;
		}
	}
	fclose(f);
	return sum;
}

void counts_reset(void)
{
	sum_kicks = sum_irqs = sum_ops = 0;
}

void counts_begin(void)
{
	if (ready) {
		start.kicks = read_kicks();
		start.irqs = read_irqs();
	}
	kinsns_mark();
}

void counts_end(unsigned long ops)
{
	kinsns_mark();
	printf("WINDOW %lu\n", ops);
	if (!ready)
		return;
	sum_kicks += read_kicks() - start.kicks;
	sum_irqs += read_irqs() - start.irqs;
	sum_ops += ops;
}

bool counts_per_op(double *kicks, double *irqs)
{
	if (!ready || !sum_ops)
		return false;
	*kicks = (double)sum_kicks / sum_ops;
	*irqs = (double)sum_irqs / sum_ops;
	return true;
}
