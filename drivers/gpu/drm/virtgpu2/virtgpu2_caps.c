// SPDX-License-Identifier: GPL-2.0-only
/*
 * Capset negotiation. The driver never looks inside a capset: it learns
 * which ids the device offers, and fetches and caches their data for
 * userspace.
 */

#include <linux/slab.h>
#include <drm/drm_print.h>

#include "virtgpu2_cmd.h"
#include "virtgpu2_drv.h"

/* Capset data is sent whole in one response; refuse absurd sizes. */
#define VIRTGPU2_CAPSET_MAX_SIZE SZ_1M
/*
 * Every version fetched stays cached, so a device claiming 2^32 versions
 * would let userspace grow the cache without bound. Real capsets have a
 * handful (virgl 2, Venus 0).
 */
#define VIRTGPU2_CAPSET_MAX_VERSION 15

/**
 * struct virtgpu2_capset_data - one fetched (id, version) answer
 */
struct virtgpu2_capset_data {
	/** @node: in &virtgpu2_device.capset_cache. */
	struct list_head node;
	/** @id: capset id. */
	u32 id;
	/** @version: capset version asked for. */
	u32 version;
	/** @size: bytes in @data. */
	u32 size;
	/** @data: the capset bytes as the device sent them. */
	u8 data[];
};

static int virtgpu2_capset_info(struct virtgpu2_device *vgdev, u32 index,
				struct virtgpu2_capset *out)
{
	struct virtio_gpu_resp_capset_info *resp;
	struct virtgpu2_vbuf *vbuf;
	int ret;

	vbuf = virtgpu2_cmd_get_capset_info(index);
	if (!vbuf)
		return -ENOMEM;
	ret = virtgpu2_ctrl(vgdev, vbuf, false);
	resp = vbuf->resp;
	if (!ret && vbuf->resp_len < sizeof(*resp))
		ret = -EPROTO;
	if (!ret) {
		out->id = le32_to_cpu(resp->capset_id);
		out->max_version = le32_to_cpu(resp->capset_max_version);
		out->max_size = le32_to_cpu(resp->capset_max_size);
	}
	virtgpu2_vbuf_put(vbuf);
	return ret;
}

/* Keep a capset only if the host's description of it is usable. */
static bool virtgpu2_capset_sane(struct virtgpu2_device *vgdev,
				 struct virtgpu2_capset *c)
{
	if (!c->id || c->id > VIRTGPU2_MAX_CAPSET_ID) {
		drm_warn(&vgdev->drm, "ignoring capset id %u: out of range\n", c->id);
		return false;
	}
	if (c->max_size > VIRTGPU2_CAPSET_MAX_SIZE) {
		drm_warn(&vgdev->drm, "ignoring capset %u: size %u too large\n",
			 c->id, c->max_size);
		return false;
	}
	if (vgdev->capset_mask & BIT_ULL(c->id)) {
		drm_warn(&vgdev->drm, "ignoring duplicate capset %u\n", c->id);
		return false;
	}
	if (c->max_version > VIRTGPU2_CAPSET_MAX_VERSION) {
		drm_warn(&vgdev->drm, "capset %u: max version %u; offering up to %u\n",
			 c->id, c->max_version, VIRTGPU2_CAPSET_MAX_VERSION);
		c->max_version = VIRTGPU2_CAPSET_MAX_VERSION;
	}
	return true;
}

/**
 * virtgpu2_caps_init() - learn the capsets the device offers
 * @vgdev: the device, with its control queue running
 * @num: num_capsets from the config space
 *
 * A capset the host describes badly is logged and left out; it does not
 * fail the probe.
 *
 * Return: 0, or -ENOMEM.
 */
int virtgpu2_caps_init(struct virtgpu2_device *vgdev, u32 num)
{
	struct virtgpu2_capset c;
	u32 i;
	int ret;

	if (!num)
		return 0;
	/* Only ids 1..63 can be told apart: more entries are duplicates. */
	if (num > VIRTGPU2_MAX_CAPSET_ID) {
		drm_warn(&vgdev->drm, "device claims %u capsets; asking for %u\n",
			 num, VIRTGPU2_MAX_CAPSET_ID);
		num = VIRTGPU2_MAX_CAPSET_ID;
	}
	vgdev->capsets = kcalloc(num, sizeof(*vgdev->capsets), GFP_KERNEL);
	if (!vgdev->capsets)
		return -ENOMEM;
	for (i = 0; i < num; i++) {
		ret = virtgpu2_capset_info(vgdev, i, &c);
		if (ret == -ETIMEDOUT) {
			/* A silent host would stall the probe num times over. */
			drm_err(&vgdev->drm, "CAPSET_INFO unanswered; no further capsets\n");
			break;
		}
		if (ret) {
			drm_warn(&vgdev->drm, "capset %u: CAPSET_INFO failed (%d)\n",
				 i, ret);
			continue;
		}
		if (!virtgpu2_capset_sane(vgdev, &c))
			continue;
		vgdev->capsets[vgdev->num_capsets++] = c;
		vgdev->capset_mask |= BIT_ULL(c.id);
		drm_info(&vgdev->drm, "capset %u: max version %u, size %u\n",
			 c.id, c.max_version, c.max_size);
	}
	return 0;
}

void virtgpu2_caps_fini(struct virtgpu2_device *vgdev)
{
	struct virtgpu2_capset_data *d, *tmp;

	list_for_each_entry_safe(d, tmp, &vgdev->capset_cache, node)
		kfree(d);
	kfree(vgdev->capsets);
	mutex_destroy(&vgdev->capset_cache_lock);
}

const struct virtgpu2_capset *virtgpu2_capset_find(struct virtgpu2_device *vgdev,
						   u32 id)
{
	u32 i;

	for (i = 0; i < vgdev->num_capsets; i++)
		if (vgdev->capsets[i].id == id)
			return &vgdev->capsets[i];
	return NULL;
}

static struct virtgpu2_capset_data *
virtgpu2_capset_fetch(struct virtgpu2_device *vgdev,
		      const struct virtgpu2_capset *c, u32 version)
{
	struct virtio_gpu_resp_capset *resp;
	struct virtgpu2_capset_data *d = NULL;
	struct virtgpu2_vbuf *vbuf;
	int ret;

	vbuf = virtgpu2_cmd_get_capset(c->id, version, c->max_size);
	if (!vbuf)
		return ERR_PTR(-ENOMEM);
	ret = virtgpu2_ctrl(vgdev, vbuf, true);
	if (!ret && vbuf->resp_len < sizeof(*resp) + c->max_size)
		ret = -EPROTO;
	if (ret)
		goto out_put;
	d = kmalloc(struct_size(d, data, c->max_size), GFP_KERNEL);
	if (!d) {
		ret = -ENOMEM;
		goto out_put;
	}
	resp = vbuf->resp;
	d->id = c->id;
	d->version = version;
	d->size = c->max_size;
	memcpy(d->data, resp->capset_data, c->max_size);
out_put:
	virtgpu2_vbuf_put(vbuf);
	return ret ? ERR_PTR(ret) : d;
}

/**
 * virtgpu2_capset_get() - the data of capset @id at @version
 * @vgdev: the device
 * @id: capset id
 * @version: at most the capset's max version
 * @data: set to the cached bytes, valid as long as the device lives
 * @size: set to their length
 *
 * Fetches from the device once per (id, version); later calls hit the cache.
 *
 * Return: 0, -EINVAL for an id or version the device does not offer, or the
 * host's verdict as an errno.
 */
int virtgpu2_capset_get(struct virtgpu2_device *vgdev, u32 id, u32 version,
			const void **data, u32 *size)
{
	const struct virtgpu2_capset *c = virtgpu2_capset_find(vgdev, id);
	struct virtgpu2_capset_data *d;
	int ret;

	if (!c || version > c->max_version)
		return -EINVAL;
	ret = mutex_lock_interruptible(&vgdev->capset_cache_lock);
	if (ret)
		return ret;
	list_for_each_entry(d, &vgdev->capset_cache, node)
		if (d->id == id && d->version == version)
			goto found;
	d = virtgpu2_capset_fetch(vgdev, c, version);
	if (IS_ERR(d)) {
		ret = PTR_ERR(d);
		goto out_unlock;
	}
	list_add(&d->node, &vgdev->capset_cache);
found:
	*data = d->data;
	*size = d->size;
out_unlock:
	mutex_unlock(&vgdev->capset_cache_lock);
	return ret;
}
