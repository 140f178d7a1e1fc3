// SPDX-License-Identifier: GPL-2.0-only
/* Linux 6.2..6.10 declare drm_fbdev_generic_setup() in its own header. */
#include <drm/drm_fbdev_generic.h>
