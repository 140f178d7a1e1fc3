// SPDX-License-Identifier: GPL-2.0-only
/* Linux 6.14: in-kernel DRM clients (fbdev among them) via drm_client_setup(). */
#include <drm/clients/drm_client_setup.h>
#include <drm/drm_drv.h>
#include <drm/drm_fbdev_shmem.h>

const struct drm_driver probe_driver = { DRM_FBDEV_SHMEM_DRIVER_OPS };
void probe(struct drm_device *dev);
void probe(struct drm_device *dev)
{
	drm_client_setup(dev, NULL);
}
