// SPDX-License-Identifier: GPL-2.0-only
/* Linux 6.11 passes virtqueue callbacks and names as struct virtqueue_info. */
#include <linux/virtio_config.h>

int probe(struct virtio_device *vdev, struct virtqueue **vqs);
int probe(struct virtio_device *vdev, struct virtqueue **vqs)
{
	struct virtqueue_info info[1] = { { .name = "x" } };

	return virtio_find_vqs(vdev, 1, vqs, info, NULL);
}
