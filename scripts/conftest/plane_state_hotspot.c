// SPDX-License-Identifier: GPL-2.0-only
/*
 * Linux 6.8 moved the cursor hotspot from the framebuffer to the plane
 * state, behind DRIVER_CURSOR_HOTSPOT.
 */
#include <drm/drm_drv.h>
#include <drm/drm_plane.h>

int probe(struct drm_plane_state *s);
int probe(struct drm_plane_state *s)
{
	return s->hotspot_x + DRIVER_CURSOR_HOTSPOT;
}
