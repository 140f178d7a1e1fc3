// SPDX-License-Identifier: GPL-2.0-only
/*
 * Linux 6.3 split drm_edid_connector_add_modes() out of
 * drm_edid_connector_update(), which added the modes itself before.
 */
#include <drm/drm_edid.h>

int probe(struct drm_connector *c);
int probe(struct drm_connector *c)
{
	return drm_edid_connector_add_modes(c);
}
