// SPDX-License-Identifier: GPL-2.0-only
/* Linux 6.14 removed drm_driver.date; older kernels still print it. */
#include <drm/drm_drv.h>

const struct drm_driver probe_driver = { .date = "0" };
