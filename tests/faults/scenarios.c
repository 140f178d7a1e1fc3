// SPDX-License-Identifier: GPL-2.0-only
/*
 * The scenarios of the sweep, one per path into the driver that allocates
 * or copies: contexts, resources and blobs of every kind, maps, transfers,
 * submissions with fences and syncobjs in and out, PRIME both ways, dumb
 * buffers, mode setting, and the release paths (GEM close, fd close).
 * Sizes are one page where they can be, so that page allocations do not
 * multiply the sweep's length.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "drm/vgem_drm.h"
#include "scenario.h"

#define PAGE 4096
#define VIRGL2 VIRTGPU_DRM_CAPSET_VIRGL2
#define VENUS VIRTGPU_DRM_CAPSET_VENUS

void scene_init(struct scene *s)
{
	memset(s, 0, sizeof(*s));
	s->fd = s->fd2 = s->card = s->vgem = s->in_fd = s->out_fd = NO_FD;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = NO_FD;
}

void scene_teardown(struct scene *s)
{
	struct drm_vgem_fence_signal sig = { .fence = s->vgem_fence };

	if (s->map)
		munmap(s->map, s->map_size);
	/* A parked submission waits for this fence: let it go first. */
	if (s->vgem >= 0 && s->vgem_fence)
		dev_ioctl(s->vgem, DRM_IOCTL_VGEM_FENCE_SIGNAL, &sig);
	close_fd(&s->out_fd);
	close_fd(&s->in_fd);
	close_fd(&s->fd2);
	close_fd(&s->fd);
	close_fd(&s->card);
	close_fd(&s->vgem);
	s->map = NULL;
}

static int skip(struct scene *s, const char *why)
{
	s->why = why;
	return SCENE_SKIP;
}

static int open_render(struct scene *s)
{
	s->fd = dev_open("renderD", "virtio_gpu");
	return s->fd < 0 ? skip(s, "no virtio_gpu render node") : 0;
}

static int open_context(struct scene *s, uint32_t capset, uint32_t rings)
{
	int ret = open_render(s);

	if (ret)
		return ret;
	if (!dev_has_capset(s->fd, capset))
		return skip(s, "the host does not offer the capset");
	return dev_context_init(s->fd, capset, rings, rings ? 1 : 0);
}

static int setup_virgl(struct scene *s)
{
	return open_context(s, VIRGL2, 2);
}

static int setup_none(struct scene *s)
{
	(void)s;
	return 0;
}

static int ok(struct scene *s)
{
	(void)s;
	return 0;
}

/* The target's out fence must signal: the submission reached the host. */
static int verify_out_fence(struct scene *s)
{
	return dev_fence_signals(s->out_fd, 5000) ? 0 : -ETIMEDOUT;
}

static int verify_out_handle(struct scene *s)
{
	return dev_resource_info(s->fd, s->out_handle);
}

/* open: the DRM file and the driver's per-file state. */
static int target_open(struct scene *s)
{
	s->fd = dev_open("renderD", "virtio_gpu");
	return s->fd < 0 ? s->fd : 0;
}

static int verify_open(struct scene *s)
{
	return dev_submit(s->fd, VIRTGPU_EXECBUF_FENCE_FD_OUT, NO_FD, &s->out_fd, 0) ?:
	       verify_out_fence(s);
}

/* close with a context, resources and a submission in flight. */
static int setup_busy(struct scene *s)
{
	int ret = setup_virgl(s);

	return ret ?: dev_buffer(s->fd, PAGE, &s->bo[0]) ?:
	       dev_submit(s->fd, 0, NO_FD, NULL, 0);
}

static int target_close(struct scene *s)
{
	close_fd(&s->fd);
	return 0;
}

static int target_context_init(struct scene *s, uint32_t capset)
{
	static const char name[] = "vgfaults";
	struct drm_virtgpu_context_set_param p[4] = {
		{ VIRTGPU_CONTEXT_PARAM_CAPSET_ID, capset },
		{ VIRTGPU_CONTEXT_PARAM_NUM_RINGS, 2 },
		{ VIRTGPU_CONTEXT_PARAM_POLL_RINGS_MASK, 3 },
		{ VIRTGPU_CONTEXT_PARAM_DEBUG_NAME, (uintptr_t)name },
	};
	struct drm_virtgpu_context_init init = {
		.num_params = 4,
		.ctx_set_params = (uintptr_t)p,
	};

	return dev_ioctl(s->fd, DRM_IOCTL_VIRTGPU_CONTEXT_INIT, &init);
}

static int setup_render_virgl2(struct scene *s)
{
	int ret = open_render(s);

	return ret ?: dev_has_capset(s->fd, VIRGL2) ? 0 : skip(s, "no VIRGL2 capset");
}

static int setup_render_venus(struct scene *s)
{
	int ret = open_render(s);

	return ret ?: dev_has_capset(s->fd, VENUS) ? 0 : skip(s, "no VENUS capset");
}

static int target_context_virgl2(struct scene *s)
{
	return target_context_init(s, VIRGL2);
}

static int target_context_venus(struct scene *s)
{
	return target_context_init(s, VENUS);
}

/* A context that exists refuses a second CONTEXT_INIT, and takes work. */
static int verify_context(struct scene *s)
{
	if (dev_context_init(s->fd, VIRGL2, 0, 0) != -EEXIST)
		return -EPROTO;
	return 0;
}

static int verify_context_virgl2(struct scene *s)
{
	return verify_context(s) ?:
	       dev_submit(s->fd, VIRTGPU_EXECBUF_FENCE_FD_OUT | VIRTGPU_EXECBUF_RING_IDX,
			  NO_FD, &s->out_fd, 0) ?: verify_out_fence(s);
}

/* RESOURCE_CREATE, with a context and without (made on first use). */
static int target_resource_create(struct scene *s)
{
	return dev_buffer(s->fd, PAGE, &s->out_handle);
}

static int verify_resource(struct scene *s)
{
	struct drm_virtgpu_3d_transfer_to_host t = {
		.bo_handle = s->out_handle,
		.box = { .w = PAGE, .h = 1, .d = 1 },
	};
	struct drm_virtgpu_3d_wait w = { .handle = s->out_handle };

	return verify_out_handle(s) ?:
	       dev_ioctl(s->fd, DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST, &t) ?:
	       dev_ioctl(s->fd, DRM_IOCTL_VIRTGPU_WAIT, &w);
}

static int create_blob(struct scene *s, struct drm_virtgpu_resource_create_blob *rc)
{
	int ret = dev_ioctl(s->fd, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB, rc);

	s->out_handle = ret ? 0 : rc->bo_handle;
	return ret;
}

static int target_blob_guest(struct scene *s)
{
	struct drm_virtgpu_resource_create_blob rc = {
		.blob_mem = VIRTGPU_BLOB_MEM_GUEST,
		.blob_flags = VIRTGPU_BLOB_FLAG_USE_MAPPABLE | VIRTGPU_BLOB_FLAG_USE_SHAREABLE,
		.size = PAGE,
	};

	return create_blob(s, &rc);
}

/* The blob's pages can be mapped, written and read back. */
static int verify_blob_map(struct scene *s)
{
	volatile uint32_t *p;

	if (verify_out_handle(s))
		return -EPROTO;
	p = dev_map(s->fd, s->out_handle, PAGE);
	if (!p)
		return -errno;
	s->map = (void *)p;
	s->map_size = PAGE;
	p[7] = 0x5a5a5a5a;
	return p[7] == 0x5a5a5a5a ? 0 : -EIO;
}

static int setup_venus(struct scene *s)
{
	return open_context(s, VENUS, 1);
}

/* Venus shared memory: a range of the host-visible window. */
static int target_blob_venus(struct scene *s)
{
	struct drm_virtgpu_resource_create_blob rc = {
		.blob_mem = VIRTGPU_BLOB_MEM_HOST3D,
		.blob_flags = VIRTGPU_BLOB_FLAG_USE_MAPPABLE,
		.size = PAGE,
	};

	return create_blob(s, &rc);
}

#define VIRGL_CCMD_PIPE_RESOURCE_CREATE 48
#define VIRGL_CMD(cmd, len) ((cmd) | ((len) << 16))

/* virgl's coherent buffer: HOST3D made by an embedded command. */
static int target_blob_virgl(struct scene *s)
{
	static uint32_t cmd[12] = {
		VIRGL_CMD(VIRGL_CCMD_PIPE_RESOURCE_CREATE, 11),
		0, 64, 1u << 4, PAGE, 1, 1, 1, 0, 0, (1u << 1) | (1u << 2), 0,
	};
	struct drm_virtgpu_resource_create_blob rc = {
		.blob_mem = VIRTGPU_BLOB_MEM_HOST3D,
		.blob_flags = VIRTGPU_BLOB_FLAG_USE_MAPPABLE,
		.size = PAGE,
		.cmd = (uintptr_t)cmd,
		.cmd_size = sizeof(cmd),
	};
	static uint32_t blob_id;

	/* Each try names a fresh blob: the host keeps ids of failed tries. */
	cmd[11] = rc.blob_id = ++blob_id;
	return create_blob(s, &rc);
}

/* The target's object becomes the setup's bo[0]. */
static int keep_as_bo0(struct scene *s, int ret)
{
	s->bo[0] = s->out_handle;
	s->out_handle = 0;
	return ret;
}

static int setup_guest_blob(struct scene *s)
{
	return open_render(s) ?: keep_as_bo0(s, target_blob_guest(s));
}

static int setup_venus_blob(struct scene *s)
{
	return setup_venus(s) ?: keep_as_bo0(s, target_blob_venus(s));
}

/* MAP: the fake offset, and for host blobs the window mapping. */
static int target_map(struct scene *s)
{
	struct drm_virtgpu_map m = { .handle = s->bo[0] };

	return dev_ioctl(s->fd, DRM_IOCTL_VIRTGPU_MAP, &m);
}

static int verify_map_bo0(struct scene *s)
{
	s->out_handle = s->bo[0];
	return verify_blob_map(s);
}

/* mmap() of a mapped blob: the VMA and its first fault. */
static int target_mmap(struct scene *s)
{
	struct drm_virtgpu_map m = { .handle = s->bo[0] };
	int ret = dev_ioctl(s->fd, DRM_IOCTL_VIRTGPU_MAP, &m);
	void *p;

	if (ret)
		return ret;
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, m.offset);
	if (p == MAP_FAILED)
		return -errno;
	s->map = p;
	s->map_size = PAGE;
	return 0;
}

static int setup_buffer(struct scene *s)
{
	return setup_virgl(s) ?: dev_buffer(s->fd, PAGE, &s->bo[0]);
}

static int target_resource_info(struct scene *s)
{
	return dev_resource_info(s->fd, s->bo[0]);
}

static int transfer(struct scene *s, unsigned long request)
{
	struct drm_virtgpu_3d_transfer_to_host t = {
		.bo_handle = s->bo[0],
		.box = { .w = PAGE, .h = 1, .d = 1 },
	};

	return dev_ioctl(s->fd, request, &t);
}

static int target_transfer_to(struct scene *s)
{
	return transfer(s, DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST);
}

static int target_transfer_from(struct scene *s)
{
	return transfer(s, DRM_IOCTL_VIRTGPU_TRANSFER_FROM_HOST);
}

static int verify_wait_bo0(struct scene *s)
{
	struct drm_virtgpu_3d_wait w = { .handle = s->bo[0] };

	return dev_ioctl(s->fd, DRM_IOCTL_VIRTGPU_WAIT, &w);
}

static int target_wait(struct scene *s)
{
	return verify_wait_bo0(s);
}

static int target_get_caps(struct scene *s)
{
	static char caps[65536];
	struct drm_virtgpu_get_caps gc = {
		.cap_set_id = VIRGL2, .cap_set_ver = 2,
		.addr = (uintptr_t)caps, .size = sizeof(caps),
	};

	return dev_ioctl(s->fd, DRM_IOCTL_VIRTGPU_GET_CAPS, &gc);
}

/*
 * EXECBUFFER: with the context made on first use, on a ring, with fences.
 * Ring 0 only: the bed's hosts signal no other ring (TESTBED.md).
 */
static int target_submit_out(struct scene *s)
{
	return dev_submit(s->fd, VIRTGPU_EXECBUF_FENCE_FD_OUT, NO_FD, &s->out_fd, 0);
}

static int target_submit_ring(struct scene *s)
{
	return dev_submit(s->fd, VIRTGPU_EXECBUF_FENCE_FD_OUT | VIRTGPU_EXECBUF_RING_IDX,
			  NO_FD, &s->out_fd, 0);
}

static int setup_fence_in(struct scene *s)
{
	return setup_virgl(s) ?:
	       dev_submit(s->fd, VIRTGPU_EXECBUF_FENCE_FD_OUT, NO_FD, &s->in_fd, 0);
}

static int target_submit_in_out(struct scene *s)
{
	return dev_submit(s->fd, VIRTGPU_EXECBUF_FENCE_FD_IN | VIRTGPU_EXECBUF_FENCE_FD_OUT,
			  s->in_fd, &s->out_fd, 0);
}

/* A vgem fence that stays pending: the submission is parked on it. */
static int setup_fence_pending(struct scene *s)
{
	struct drm_vgem_fence_attach attach = { .flags = VGEM_FENCE_WRITE };
	struct dma_buf_export_sync_file {
		uint32_t flags;
		int32_t fd;
	} exp = { .flags = 3 /* DMA_BUF_SYNC_RW */ };
	uint32_t handle;
	int dmabuf, ret = setup_virgl(s);

	if (ret)
		return ret;
	s->vgem = dev_open("card", "vgem");
	if (s->vgem < 0)
		return skip(s, "no vgem node (modprobe vgem)");
	ret = dev_dumb(s->vgem, 16, 16, &handle, NULL);
	attach.handle = handle;
	ret = ret ?: dev_ioctl(s->vgem, DRM_IOCTL_VGEM_FENCE_ATTACH, &attach);
	s->vgem_fence = attach.out_fence;
	ret = ret ?: dev_export(s->vgem, handle, &dmabuf);
	if (ret)
		return ret;
	ret = dev_ioctl(dmabuf, _IOWR('b', 2, struct dma_buf_export_sync_file), &exp);
	close(dmabuf);
	s->in_fd = exp.fd;
	return ret;
}

/* Once the vgem fence signals, the parked submission must go through. */
static int verify_parked(struct scene *s)
{
	struct drm_vgem_fence_signal sig = { .fence = s->vgem_fence };

	if (dev_ioctl(s->vgem, DRM_IOCTL_VGEM_FENCE_SIGNAL, &sig))
		return -EPROTO;
	s->vgem_fence = 0;
	return verify_out_fence(s);
}

static int setup_syncobjs(struct scene *s)
{
	struct drm_syncobj_create in = { .flags = DRM_SYNCOBJ_CREATE_SIGNALED };
	struct drm_syncobj_create out = { 0 };
	int ret = setup_virgl(s);

	ret = ret ?: dev_ioctl(s->fd, DRM_IOCTL_SYNCOBJ_CREATE, &in);
	ret = ret ?: dev_ioctl(s->fd, DRM_IOCTL_SYNCOBJ_CREATE, &out);
	s->syncobj[0] = in.handle;
	s->syncobj[1] = out.handle;
	return ret ?: dev_buffer(s->fd, PAGE, &s->bo[0]) ?:
	       dev_buffer(s->fd, PAGE, &s->bo[1]);
}

/* Syncobjs in (reset after use) and out, and a list of buffers. */
static int target_submit_syncobj(struct scene *s)
{
	static const uint32_t nops[4];
	struct drm_virtgpu_execbuffer_syncobj in = {
		.handle = s->syncobj[0], .flags = VIRTGPU_EXECBUF_SYNCOBJ_RESET,
	};
	struct drm_virtgpu_execbuffer_syncobj out = { .handle = s->syncobj[1] };
	struct drm_virtgpu_execbuffer eb = {
		.flags = VIRTGPU_EXECBUF_FENCE_FD_OUT,
		.size = sizeof(nops), .command = (uintptr_t)nops,
		.fence_fd = NO_FD,
		.bo_handles = (uintptr_t)s->bo, .num_bo_handles = 2,
		.num_in_syncobjs = 1, .in_syncobjs = (uintptr_t)&in,
		.num_out_syncobjs = 1, .out_syncobjs = (uintptr_t)&out,
		.syncobj_stride = sizeof(in),
	};

	int ret = dev_ioctl(s->fd, DRM_IOCTL_VIRTGPU_EXECBUFFER, &eb);

	s->out_fd = ret ? NO_FD : eb.fence_fd;
	return ret;
}

static int syncobj_poll(struct scene *s, int i)
{
	struct drm_syncobj_wait w = {
		.handles = (uintptr_t)&s->syncobj[i], .count_handles = 1,
	};

	return dev_ioctl(s->fd, DRM_IOCTL_SYNCOBJ_WAIT, &w);
}

/*
 * A submission that failed published nothing: the out-syncobj still has
 * no fence (EINVAL) and the in-syncobj was not reset.
 */
static int unchanged_syncobj(struct scene *s)
{
	return syncobj_poll(s, 1) == -EINVAL && !syncobj_poll(s, 0) ? 0 : -EPROTO;
}

static int verify_syncobj(struct scene *s)
{
	struct drm_syncobj_wait w = {
		.handles = (uintptr_t)&s->syncobj[1], .count_handles = 1,
		.timeout_nsec = INT64_MAX,
	};

	return dev_ioctl(s->fd, DRM_IOCTL_SYNCOBJ_WAIT, &w) ?: verify_out_fence(s);
}

/* PRIME: export, import of our own buffer, import of vgem's. */
static int target_export(struct scene *s)
{
	return dev_export(s->fd, s->bo[0], &s->out_fd);
}

static int verify_export(struct scene *s)
{
	uint32_t handle;

	return dev_import(s->fd, s->out_fd, &handle) ?:
	       handle == s->bo[0] ? 0 : -EPROTO;
}

static int setup_import_self(struct scene *s)
{
	int ret = setup_buffer(s);

	return ret ?: dev_export(s->fd, s->bo[0], &s->in_fd) ?:
	       ((s->fd2 = dev_open("renderD", "virtio_gpu")) < 0 ? s->fd2 : 0);
}

static int target_import_self(struct scene *s)
{
	return dev_import(s->fd2, s->in_fd, &s->out_handle);
}

static int verify_import_self(struct scene *s)
{
	return dev_resource_info(s->fd2, s->out_handle);
}

static int setup_import_vgem(struct scene *s)
{
	uint32_t handle;
	int ret = setup_virgl(s);

	if (ret)
		return ret;
	s->vgem = dev_open("card", "vgem");
	if (s->vgem < 0)
		return skip(s, "no vgem node (modprobe vgem)");
	return dev_dumb(s->vgem, 32, 32, &handle, NULL) ?:
	       dev_export(s->vgem, handle, &s->in_fd);
}

static int target_import(struct scene *s)
{
	return dev_import(s->fd, s->in_fd, &s->out_handle);
}

static int target_gem_close(struct scene *s)
{
	struct drm_gem_close c = { .handle = s->bo[0] };

	return dev_ioctl(s->fd, DRM_IOCTL_GEM_CLOSE, &c);
}

/* Mode setting, on the primary node (this process is its master). */
static int open_card(struct scene *s)
{
	s->card = dev_open("card", "virtio_gpu");
	return s->card < 0 ? skip(s, "no virtio_gpu primary node") : 0;
}

static int target_dumb(struct scene *s)
{
	return dev_dumb(s->card, 64, 64, &s->out_handle, NULL);
}

static int verify_dumb(struct scene *s)
{
	struct drm_mode_map_dumb m = { .handle = s->out_handle };

	return dev_ioctl(s->card, DRM_IOCTL_MODE_MAP_DUMB, &m);
}

static int add_fb(struct scene *s, uint32_t w, uint32_t h, uint32_t *fb)
{
	struct drm_mode_fb_cmd2 f = {
		.width = w, .height = h,
		.pixel_format = 0x34325258,	/* XR24 */
	};
	int ret = dev_dumb(s->card, w, h, &f.handles[0], &f.pitches[0]);

	ret = ret ?: dev_ioctl(s->card, DRM_IOCTL_MODE_ADDFB2, &f);
	*fb = f.fb_id;
	return ret;
}

static int setup_card_dumb(struct scene *s)
{
	return open_card(s) ?: dev_dumb(s->card, 64, 64, &s->bo[0], NULL);
}

static int target_addfb(struct scene *s)
{
	uint32_t pitch = 64 * 4;
	struct drm_mode_fb_cmd2 f = {
		.width = 64, .height = 64, .pixel_format = 0x34325258,
		.handles = { s->bo[0] }, .pitches = { pitch },
	};

	return dev_ioctl(s->card, DRM_IOCTL_MODE_ADDFB2, &f);
}

/* The first connected connector, its CRTC and its preferred mode. */
static int find_output(struct scene *s)
{
	uint32_t crtcs[16], conns[16];
	struct drm_mode_card_res res = {
		.crtc_id_ptr = (uintptr_t)crtcs, .count_crtcs = 16,
		.connector_id_ptr = (uintptr_t)conns, .count_connectors = 16,
	};
	struct drm_mode_modeinfo modes[64];
	struct drm_mode_get_connector c = {
		.modes_ptr = (uintptr_t)modes, .count_modes = 64,
	};

	if (dev_ioctl(s->card, DRM_IOCTL_MODE_GETRESOURCES, &res) ||
	    !res.count_crtcs || !res.count_connectors)
		return skip(s, "no CRTC or connector");
	c.connector_id = conns[0];
	if (dev_ioctl(s->card, DRM_IOCTL_MODE_GETCONNECTOR, &c) || !c.count_modes)
		return skip(s, "the first connector has no mode");
	s->crtc = crtcs[0];
	s->conn = conns[0];
	s->mode = modes[0];
	return 0;
}

static int set_crtc(struct scene *s, uint32_t fb)
{
	struct drm_mode_crtc c = {
		.crtc_id = s->crtc, .fb_id = fb,
		.set_connectors_ptr = (uintptr_t)&s->conn, .count_connectors = 1,
		.mode = s->mode, .mode_valid = 1,
	};

	return dev_ioctl(s->card, DRM_IOCTL_MODE_SETCRTC, &c);
}

static int setup_output(struct scene *s)
{
	return open_card(s) ?: find_output(s) ?:
	       add_fb(s, s->mode.hdisplay, s->mode.vdisplay, &s->fb[0]) ?:
	       add_fb(s, s->mode.hdisplay, s->mode.vdisplay, &s->fb[1]);
}

static int target_setcrtc(struct scene *s)
{
	return set_crtc(s, s->fb[0]);
}

static int setup_lit(struct scene *s)
{
	return setup_output(s) ?: set_crtc(s, s->fb[0]) ?:
	       dev_dumb(s->card, 64, 64, &s->bo[0], NULL);
}

static int target_page_flip(struct scene *s)
{
	struct drm_mode_crtc_page_flip f = {
		.crtc_id = s->crtc, .fb_id = s->fb[1],
		.flags = DRM_MODE_PAGE_FLIP_EVENT,
	};

	return dev_ioctl(s->card, DRM_IOCTL_MODE_PAGE_FLIP, &f);
}

/* The flip's event arrives. */
static int verify_flip(struct scene *s)
{
	char ev[256];

	return dev_fence_signals(s->card, 5000) && read(s->card, ev, sizeof(ev)) > 0 ?
	       0 : -ETIMEDOUT;
}

static int target_dirty(struct scene *s)
{
	struct drm_clip_rect clip = { 0, 0, 64, 64 };
	struct drm_mode_fb_dirty_cmd d = {
		.fb_id = s->fb[0], .clips_ptr = (uintptr_t)&clip, .num_clips = 1,
	};

	return dev_ioctl(s->card, DRM_IOCTL_MODE_DIRTYFB, &d);
}

static int target_cursor(struct scene *s)
{
	struct drm_mode_cursor2 c = {
		.flags = DRM_MODE_CURSOR_BO | DRM_MODE_CURSOR_MOVE,
		.crtc_id = s->crtc, .x = 10, .y = 10,
		.width = 64, .height = 64, .handle = s->bo[0],
	};

	return dev_ioctl(s->card, DRM_IOCTL_MODE_CURSOR2, &c);
}

const struct scenario scenarios[] = {
	{ "open", setup_none, target_open, verify_open, NULL },
	{ "close-busy", setup_busy, target_close, ok, NULL },
	{ "context-init-virgl2", setup_render_virgl2, target_context_virgl2, verify_context_virgl2, NULL },
	{ "context-init-venus", setup_render_venus, target_context_venus, verify_context, NULL },
	{ "resource-create", setup_virgl, target_resource_create, verify_resource, NULL },
	{ "resource-create-first", open_render, target_resource_create, verify_resource, NULL },
	{ "blob-guest", open_render, target_blob_guest, verify_blob_map, NULL },
	{ "blob-venus", setup_venus, target_blob_venus, verify_blob_map, NULL },
	{ "blob-virgl", setup_virgl, target_blob_virgl, verify_blob_map, NULL },
	{ "map-guest", setup_guest_blob, target_map, verify_map_bo0, NULL },
	{ "map-host", setup_venus_blob, target_map, verify_map_bo0, NULL },
	{ "mmap-host", setup_venus_blob, target_mmap, ok, NULL },
	{ "resource-info", setup_buffer, target_resource_info, ok, NULL },
	{ "transfer-to-host", setup_buffer, target_transfer_to, verify_wait_bo0, NULL },
	{ "transfer-from-host", setup_buffer, target_transfer_from, verify_wait_bo0, NULL },
	{ "wait", setup_buffer, target_wait, ok, NULL },
	{ "get-caps", open_render, target_get_caps, ok, NULL },
	{ "submit-first", open_render, target_submit_out, verify_out_fence, NULL },
	{ "submit-ring", setup_virgl, target_submit_ring, verify_out_fence, NULL },
	{ "submit-fence-in", setup_fence_in, target_submit_in_out, verify_out_fence, NULL },
	{ "submit-parked", setup_fence_pending, target_submit_in_out, verify_parked, NULL },
	{ "submit-syncobj-bos", setup_syncobjs, target_submit_syncobj, verify_syncobj,
	  unchanged_syncobj },
	{ "prime-export", setup_buffer, target_export, verify_export, NULL },
	{ "prime-import-self", setup_import_self, target_import_self, verify_import_self, NULL },
	{ "prime-import-vgem", setup_import_vgem, target_import, verify_out_handle, NULL },
	{ "gem-close", setup_buffer, target_gem_close, ok, NULL },
	{ "dumb-create", open_card, target_dumb, verify_dumb, NULL },
	{ "addfb2", setup_card_dumb, target_addfb, ok, NULL },
	{ "setcrtc", setup_output, target_setcrtc, ok, NULL },
	{ "page-flip", setup_lit, target_page_flip, verify_flip, NULL },
	{ "dirtyfb", setup_lit, target_dirty, ok, NULL },
	{ "cursor", setup_lit, target_cursor, ok, NULL },
};

const size_t num_scenarios = sizeof(scenarios) / sizeof(scenarios[0]);
