// SPDX-License-Identifier: GPL-2.0-only
/* debugfs: what the device offered and what the driver uses. */

#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <drm/drm_debugfs.h>
#include <drm/drm_file.h>

#include "virtgpu2_drv.h"
#include "virtgpu2_hostmem.h"
#include "virtgpu2_live.h"

static void virtgpu2_show_feature(struct seq_file *m, const char *name, bool on)
{
	seq_printf(m, "%-16s %s\n", name, on ? "yes" : "no");
}

static int virtgpu2_features_show(struct seq_file *m, void *unused)
{
	struct drm_info_node *node = m->private;
	struct virtgpu2_device *vgdev = to_virtgpu2(node->minor->dev);
	u32 i;

	virtgpu2_show_feature(m, "virgl", vgdev->has.virgl);
	virtgpu2_show_feature(m, "edid", vgdev->has.edid);
	virtgpu2_show_feature(m, "resource_uuid", vgdev->has.resource_uuid);
	virtgpu2_show_feature(m, "resource_blob", vgdev->has.resource_blob);
	virtgpu2_show_feature(m, "context_init", vgdev->has.context_init);
	virtgpu2_show_feature(m, "blob_alignment", vgdev->has.blob_alignment);
	virtgpu2_show_feature(m, "host_visible", vgdev->has.hostmem);
	seq_printf(m, "%-16s %u\n", "scanouts", vgdev->num_scanouts);
	seq_printf(m, "%-16s %u\n", "blob_align", vgdev->blob_alignment);
	seq_printf(m, "%-16s 0x%llx+0x%llx\n", "hostmem",
		   vgdev->hostmem_base, vgdev->hostmem_size);
	for (i = 0; i < vgdev->num_capsets; i++)
		seq_printf(m, "capset %-9u max_version %u max_size %u\n",
			   vgdev->capsets[i].id, vgdev->capsets[i].max_version,
			   vgdev->capsets[i].max_size);
	return 0;
}

/* Each ring: free descriptors, what is in flight and owed; what is parked. */
static int virtgpu2_rings_show(struct seq_file *m, void *unused)
{
	struct drm_info_node *node = m->private;
	struct virtgpu2_device *vgdev = to_virtgpu2(node->minor->dev);

	virtgpu2_vq_show(&vgdev->ctrlq, m, "ctrl");
	virtgpu2_vq_show(&vgdev->cursorq, m, "cursor");
	seq_printf(m, "parked bytes %lld of %llu\n",
		   (long long)atomic64_read(&vgdev->parked_bytes),
		   vgdev->max_parked_bytes);
	return 0;
}

atomic_t virtgpu2_live[VIRTGPU2_LIVE_NUM];

static const char *const virtgpu2_live_names[VIRTGPU2_LIVE_NUM] = {
	[VIRTGPU2_LIVE_RESOURCE_IDS] = "resource_ids",
	[VIRTGPU2_LIVE_CONTEXTS] = "contexts",
	[VIRTGPU2_LIVE_WINDOW_RANGES] = "window_ranges",
	[VIRTGPU2_LIVE_VBUFS] = "vbufs",
	[VIRTGPU2_LIVE_JOBS] = "jobs",
	[VIRTGPU2_LIVE_FENCES] = "fences",
	[VIRTGPU2_LIVE_TIMELINES] = "timelines",
	[VIRTGPU2_LIVE_QUEUES] = "queues",
};

int virtgpu2_live_show(struct seq_file *m, void *unused)
{
	int i;

	for (i = 0; i < VIRTGPU2_LIVE_NUM; i++)
		seq_printf(m, "%-16s %d\n", virtgpu2_live_names[i],
			   atomic_read(&virtgpu2_live[i]));
	return 0;
}

static const struct drm_info_list virtgpu2_debugfs_files[] = {
	{ "virtgpu2_features", virtgpu2_features_show, 0, NULL },
	{ "virtgpu2_hostmem", virtgpu2_hostmem_show, 0, NULL },
	{ "virtgpu2_live", virtgpu2_live_show, 0, NULL },
	{ "virtgpu2_rings", virtgpu2_rings_show, 0, NULL },
};

void virtgpu2_debugfs_init(struct drm_minor *minor)
{
	drm_debugfs_create_files(virtgpu2_debugfs_files,
				 ARRAY_SIZE(virtgpu2_debugfs_files),
				 minor->debugfs_root, minor);
}
