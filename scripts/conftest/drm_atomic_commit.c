// SPDX-License-Identifier: GPL-2.0-only
/* Linux 7.x renamed struct drm_atomic_state to struct drm_atomic_commit. */
#include <drm/drm_atomic.h>

int probe(struct drm_atomic_commit *state);
int probe(struct drm_atomic_commit *state)
{
	return state->allow_modeset;
}
