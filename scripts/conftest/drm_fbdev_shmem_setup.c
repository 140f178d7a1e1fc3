// SPDX-License-Identifier: GPL-2.0-only
/* Linux 6.11..6.13: fbdev emulation for shmem drivers. */
#include <drm/drm_fbdev_shmem.h>

void probe(struct drm_device *dev);
void probe(struct drm_device *dev)
{
	drm_fbdev_shmem_setup(dev, 32);
}
