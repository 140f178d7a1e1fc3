// SPDX-License-Identifier: GPL-2.0-only
/*
 * Since 6.14-6.16 the virtio bus resets every device on shutdown unless its
 * driver brings a shutdown method of its own (absent in 6.12, present in 7.2).
 */
#include <linux/virtio.h>

void probe_fn(struct virtio_device *vdev);
struct virtio_driver probe = { .shutdown = probe_fn };
