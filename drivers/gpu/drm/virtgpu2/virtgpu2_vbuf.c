// SPDX-License-Identifier: GPL-2.0-only
/*
 * Command buffers: allocated from a slab cache when small, with the
 * payload's scatter list built once, before the buffer is sent.
 */

#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/virtio_gpu.h>

#include "virtgpu2_vbuf.h"
#include "virtgpu2_live.h"

/*
 * Command and response bytes that fit in a buffer from the cache: every
 * fenced and per-object command (SUBMIT_3D, creates, attach, transfers,
 * MAP_BLOB) does, so the hot paths never go to kmalloc's size classes.
 * Larger ones (display info, EDID, capsets) are kmalloc()ed.
 */
#define VIRTGPU2_VBUF_INLINE_BYTES 128

/*
 * Buffers of the hot paths. Module-wide, not per device: it is created
 * before the driver registers and destroyed after it unregisters, once
 * every buffer is freed.
 */
static struct kmem_cache *virtgpu2_vbuf_cache;

/**
 * virtgpu2_vbuf_cache_create() - the buffer cache, at module load
 *
 * Return: 0 or -ENOMEM.
 */
int virtgpu2_vbuf_cache_create(void)
{
	virtgpu2_vbuf_cache = kmem_cache_create("virtgpu2_vbuf",
						sizeof(struct virtgpu2_vbuf) +
						VIRTGPU2_VBUF_INLINE_BYTES,
						0, SLAB_HWCACHE_ALIGN, NULL);
	return virtgpu2_vbuf_cache ? 0 : -ENOMEM;
}

/** virtgpu2_vbuf_cache_destroy() - at module unload, after the last buffer */
void virtgpu2_vbuf_cache_destroy(void)
{
	kmem_cache_destroy(virtgpu2_vbuf_cache);
}

/**
 * virtgpu2_vbuf_alloc() - allocate a command buffer and its response buffer
 * @cmd_size: bytes of command, header included
 * @resp_size: bytes of response, header included
 * @expect: response type that means success
 * @gfp: allocation flags
 *
 * Return: the buffer, zeroed, with one reference for the caller, or NULL.
 */
struct virtgpu2_vbuf *virtgpu2_vbuf_alloc(u32 cmd_size, u32 resp_size,
					  u32 expect, gfp_t gfp)
{
	struct virtgpu2_vbuf *vbuf;

	resp_size = max_t(u32, resp_size, sizeof(struct virtio_gpu_ctrl_hdr));
	if ((size_t)cmd_size + resp_size <= VIRTGPU2_VBUF_INLINE_BYTES) {
		vbuf = kmem_cache_zalloc(virtgpu2_vbuf_cache, gfp);
		if (vbuf)
			vbuf->cached = true;
	} else {
		vbuf = kzalloc(sizeof(*vbuf) + cmd_size + resp_size, gfp);
	}
	if (!vbuf)
		return NULL;
	virtgpu2_live_inc(VIRTGPU2_LIVE_VBUFS);
	kref_init(&vbuf->ref);
	init_completion(&vbuf->done);
	vbuf->cmd = vbuf + 1;
	vbuf->cmd_size = cmd_size;
	vbuf->resp = vbuf->cmd + cmd_size;
	vbuf->resp_size = resp_size;
	vbuf->expect = expect;
	return vbuf;
}

static void virtgpu2_vbuf_release(struct kref *ref)
{
	struct virtgpu2_vbuf *vbuf = container_of(ref, struct virtgpu2_vbuf, ref);

	if (vbuf->data_sgl != &vbuf->data_sg)
		kfree(vbuf->data_sgl);
	kvfree(vbuf->data);
	if (vbuf->cached)
		kmem_cache_free(virtgpu2_vbuf_cache, vbuf);
	else
		kfree(vbuf);
	virtgpu2_live_dec(VIRTGPU2_LIVE_VBUFS);
}

void virtgpu2_vbuf_put(struct virtgpu2_vbuf *vbuf)
{
	kref_put(&vbuf->ref, virtgpu2_vbuf_release);
}

/**
 * virtgpu2_vbuf_attach_data() - give a payload to a command buffer
 * @vbuf: the buffer
 * @data: kmalloc() or kvmalloc() memory; the buffer frees it with kvfree()
 * @size: bytes to send
 *
 * The payload is owned by @vbuf from here on.
 */
void virtgpu2_vbuf_attach_data(struct virtgpu2_vbuf *vbuf, void *data, u32 size)
{
	vbuf->data = data;
	vbuf->data_size = size;
}

/* Entries a payload of @size bytes at @data takes: one a page if vmalloc()ed. */
static unsigned int virtgpu2_data_nents(const void *data, u32 size)
{
	if (!is_vmalloc_addr(data))
		return 1;
	return DIV_ROUND_UP(offset_in_page(data) + size, PAGE_SIZE);
}

/* A vmalloc()ed payload's scatter list, one entry a page. */
static struct scatterlist *virtgpu2_data_sgl(void *data, u32 size,
					     unsigned int n)
{
	unsigned int i, off, len;
	struct scatterlist *sgl;

	sgl = kmalloc_array(n, sizeof(*sgl), GFP_KERNEL);
	if (!sgl)
		return NULL;
	sg_init_table(sgl, n);
	off = offset_in_page(data);
	for (i = 0; i < n; i++) {
		len = min_t(u32, size, PAGE_SIZE - off);
		sg_set_page(&sgl[i], vmalloc_to_page(data), len, off);
		data += len;
		size -= len;
		off = 0;
	}
	return sgl;
}

/**
 * virtgpu2_vbuf_map_data() - the payload's scatter list, built once
 * @vbuf: the buffer, with its payload attached
 * @max_entries: entries the ring can ever take for a payload
 *
 * A kmalloc()ed payload is one entry, kept inside the buffer; a vmalloc()ed
 * one takes an entry a page, kmalloc()ed here. Nothing to do without a
 * payload, or when the list was already built.
 *
 * Return: 0, -E2BIG if the payload needs more than @max_entries, or -ENOMEM.
 */
int virtgpu2_vbuf_map_data(struct virtgpu2_vbuf *vbuf, unsigned int max_entries)
{
	unsigned int n;

	if (!vbuf->data_size || vbuf->data_sgl)
		return 0;
	n = virtgpu2_data_nents(vbuf->data, vbuf->data_size);
	if (n > max_entries)
		return -E2BIG;
	if (n == 1 && !is_vmalloc_addr(vbuf->data)) {
		sg_init_one(&vbuf->data_sg, vbuf->data, vbuf->data_size);
		vbuf->data_sgl = &vbuf->data_sg;
		vbuf->data_nents = 1;
		return 0;
	}
	vbuf->data_sgl = virtgpu2_data_sgl(vbuf->data, vbuf->data_size, n);
	if (!vbuf->data_sgl)
		return -ENOMEM;
	vbuf->data_nents = n;
	return 0;
}
