// SPDX-License-Identifier: GPL-2.0-only
/*
 * Linux 6.15 gave &drm_plane_helper_funcs.atomic_async_check a third
 * argument, whether the request is an async page flip.
 */
#include <drm/drm_modeset_helper_vtables.h>

int probe_fn(struct drm_plane *plane, struct drm_atomic_commit *state, bool flip);
int probe_fn(struct drm_plane *plane, struct drm_atomic_commit *state, bool flip)
{
	return 0;
}

struct drm_plane_helper_funcs probe = { .atomic_async_check = probe_fn };
