/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A scenario is one call under test (its target) with what it needs made
 * first (setup, never faulted) and a check of what it made when it
 * succeeded (verify). Everything it makes belongs to the scene's fds, so
 * closing them (scene_teardown) gives it all back.
 */
#ifndef SCENARIO_H
#define SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "dev.h"

#define SCENE_SKIP 1

struct scene {
	int fd;			/* the render node */
	int fd2;		/* a second render node fd */
	int card;		/* the primary node, for mode setting */
	int vgem;		/* vgem's node, for foreign buffers and fences */
	int in_fd;		/* a fence or dma-buf the setup made */
	int out_fd;		/* a fence or dma-buf the target made */
	uint32_t bo[2];
	uint32_t out_handle;
	uint32_t syncobj[2];
	uint32_t fb[2];
	uint32_t crtc, conn;
	struct drm_mode_modeinfo mode;
	uint32_t vgem_fence;
	void *map;
	size_t map_size;
	const char *why;	/* the reason for SCENE_SKIP */
};

struct scenario {
	const char *name;
	int (*setup)(struct scene *s);
	int (*target)(struct scene *s);
	int (*verify)(struct scene *s);
	/* Optional: after the target failed, that it changed nothing. */
	int (*unchanged)(struct scene *s);
};

extern const struct scenario scenarios[];
extern const size_t num_scenarios;

void scene_init(struct scene *s);
void scene_teardown(struct scene *s);

#endif
