/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The few device calls the scenarios are built of. Each returns 0 or a
 * negative errno from exactly one system call: no retry on EINTR, since a
 * retry would hide which call an injected failure hit.
 */
#ifndef DEV_H
#define DEV_H

#include <stdbool.h>
#include <stdint.h>

#include <drm.h>
#include <drm_mode.h>
#include "drm/virtgpu_drm.h"

#define NO_FD (-1)

int dev_ioctl(int fd, unsigned long request, void *arg);
/* A DRM node of the named driver: "renderD" or "card" nodes. */
int dev_open(const char *node, const char *driver);
bool dev_has_capset(int fd, uint32_t id);
int dev_context_init(int fd, uint32_t capset, uint32_t rings, uint64_t poll);
int dev_buffer(int fd, uint32_t size, uint32_t *handle);
/* Empty (NOP) submission; *out_fence gets its sync_file when asked for. */
int dev_submit(int fd, uint32_t flags, int in_fence, int *out_fence,
	       uint32_t ring);
bool dev_fence_signals(int fence_fd, int timeout_ms);
int dev_dumb(int fd, uint32_t w, uint32_t h, uint32_t *handle, uint32_t *pitch);
int dev_export(int fd, uint32_t handle, int *dmabuf);
int dev_import(int fd, int dmabuf, uint32_t *handle);
int dev_resource_info(int fd, uint32_t handle);
void *dev_map(int fd, uint32_t handle, size_t size);

#endif
