// SPDX-License-Identifier: GPL-2.0-only
/*
 * vblank emulation. The device has no vertical blank, so a timer per CRTC
 * ticks at the refresh rate of its mode, and DRM's vblank machinery (events,
 * WAIT_VBLANK, page-flip events, CRTC sequences) runs off that tick.
 *
 * vblanks lie on a fixed grid of times, one period apart. DRM counts them
 * from the timestamps this file reports (max_vblank_count is 0), so those
 * must sit on the grid and never go back. A busy guest (TCG) often runs the
 * timer late: rather than skip, each missed grid point still gets its own
 * tick, so every vblank is counted and handled once, in order. Only when
 * far behind does the timer jump ahead. The timer's expiry is therefore
 * not always on the grid; &virtgpu2_vblank.due is.
 */

#include <drm/drm_modes.h>
#include <drm/drm_vblank.h>

#include "virtgpu2_display.h"

/* Used until a mode is set, and for modes without a pixel clock. */
#define VIRTGPU2_DEFAULT_PERIOD_NS (NSEC_PER_SEC / 60)
/* Further behind than this many periods, the timer skips the backlog. */
#define VIRTGPU2_VBLANK_MAX_CATCHUP 8

/* Report @t unless an earlier answer was later: timestamps never go back. */
static ktime_t virtgpu2_vblank_report(struct virtgpu2_vblank *vb, ktime_t t)
{
	lockdep_assert_held(&vb->lock);
	if (ktime_before(t, vb->reported))
		return vb->reported;
	vb->reported = t;
	return t;
}

/* The grid point after @t that follows @now, for a timer far behind. */
static ktime_t virtgpu2_vblank_next_after(ktime_t t, ktime_t now, ktime_t period)
{
	return ktime_add_ns(t, period * (div64_u64(ktime_sub(now, t), period) + 1));
}

static enum hrtimer_restart virtgpu2_vblank_tick(struct hrtimer *timer)
{
	struct virtgpu2_output *output =
		container_of(timer, struct virtgpu2_output, vblank.timer);
	struct virtgpu2_vblank *vb = &output->vblank;
	ktime_t next, now = ktime_get();
	unsigned long flags;

	spin_lock_irqsave(&vb->lock, flags);
	if (!vb->enabled) {
		vb->armed = false;
		spin_unlock_irqrestore(&vb->lock, flags);
		return HRTIMER_NORESTART;
	}
	vb->tick = vb->due;
	next = ktime_add(vb->due, vb->period);
	if (ktime_after(now, ktime_add(next, vb->period * VIRTGPU2_VBLANK_MAX_CATCHUP)))
		next = virtgpu2_vblank_next_after(vb->due, now, vb->period);
	vb->due = next;
	/*
	 * Behind: the backlog drains at twice the rate, one vblank a tick,
	 * so that waiters woken by one run before the next is counted.
	 */
	hrtimer_set_expires(timer, ktime_before(next, now) ?
			    ktime_add(now, vb->period / 2) : next);
	spin_unlock_irqrestore(&vb->lock, flags);

	drm_crtc_handle_vblank(&output->crtc);
	return HRTIMER_RESTART;
}

void virtgpu2_vblank_init(struct virtgpu2_output *output)
{
	struct virtgpu2_vblank *vb = &output->vblank;

	spin_lock_init(&vb->lock);
	vb->period = ns_to_ktime(VIRTGPU2_DEFAULT_PERIOD_NS);
	virtgpu2_hrtimer_setup(&vb->timer, virtgpu2_vblank_tick, HRTIMER_MODE_REL);
}

/**
 * virtgpu2_vblank_set_mode() - tick at the refresh rate of @mode
 * @output: the output
 * @mode: the mode its CRTC is being enabled with
 */
void virtgpu2_vblank_set_mode(struct virtgpu2_output *output,
			      const struct drm_display_mode *mode)
{
	struct virtgpu2_vblank *vb = &output->vblank;
	u64 ns = VIRTGPU2_DEFAULT_PERIOD_NS;
	unsigned long flags;

	if (mode->crtc_clock > 0 && mode->crtc_htotal && mode->crtc_vtotal)
		ns = div_u64((u64)mode->crtc_htotal * mode->crtc_vtotal * 1000000,
			     mode->crtc_clock);
	spin_lock_irqsave(&vb->lock, flags);
	vb->period = ns_to_ktime(ns);
	spin_unlock_irqrestore(&vb->lock, flags);
}

/* Called when the output goes away: no DRM lock is held then. */
void virtgpu2_vblank_fini(struct virtgpu2_output *output)
{
	unsigned long flags;

	spin_lock_irqsave(&output->vblank.lock, flags);
	output->vblank.enabled = false;
	spin_unlock_irqrestore(&output->vblank.lock, flags);
	hrtimer_cancel(&output->vblank.timer);
}

/**
 * virtgpu2_vblank_enable() - &drm_crtc_funcs.enable_vblank
 * @crtc: the CRTC
 *
 * Called under DRM's vblank spinlock: starts the timer unless it is still
 * running from an earlier enable (it then simply keeps going).
 *
 * Return: 0.
 */
int virtgpu2_vblank_enable(struct drm_crtc *crtc)
{
	struct virtgpu2_vblank *vb = &crtc_to_output(crtc)->vblank;
	unsigned long flags;

	spin_lock_irqsave(&vb->lock, flags);
	vb->enabled = true;
	if (!vb->armed) {
		vb->armed = true;
		vb->due = ktime_add(ktime_get(), vb->period);
		hrtimer_start(&vb->timer, vb->due, HRTIMER_MODE_ABS);
	}
	spin_unlock_irqrestore(&vb->lock, flags);
	return 0;
}

/* &drm_crtc_funcs.disable_vblank: the timer stops at its next expiry. */
void virtgpu2_vblank_disable(struct drm_crtc *crtc)
{
	struct virtgpu2_vblank *vb = &crtc_to_output(crtc)->vblank;
	unsigned long flags;

	spin_lock_irqsave(&vb->lock, flags);
	vb->enabled = false;
	spin_unlock_irqrestore(&vb->lock, flags);
}

/**
 * virtgpu2_vblank_timestamp() - &drm_crtc_funcs.get_vblank_timestamp
 * @crtc: the CRTC
 * @max_error: unused: the time is exact
 * @vblank_time: the time of the latest emulated vblank
 * @in_vblank_irq: called from the tick
 *
 * In the tick, the grid point being handled; elsewhere, the latest grid
 * point that has passed. DRM derives the vblank count from these times: a
 * clock reading off the grid would count a vblank that never happened.
 *
 * While the timer is off (vblank_on() asks before enabling it), the time
 * is now: DRM then counts no vblanks for the time the CRTC was off.
 *
 * Return: true.
 */
bool virtgpu2_vblank_timestamp(struct drm_crtc *crtc, int *max_error,
			       ktime_t *vblank_time, bool in_vblank_irq)
{
	struct virtgpu2_vblank *vb = &crtc_to_output(crtc)->vblank;
	ktime_t t, now = ktime_get();
	unsigned long flags;

	spin_lock_irqsave(&vb->lock, flags);
	if (!vb->armed) {
		t = now;
	} else if (in_vblank_irq) {
		t = vb->tick;
	} else {
		/* The latest grid point that has passed, ticked or not. */
		t = ktime_sub(vb->due, vb->period);
		if (!ktime_before(now, vb->due))
			t = ktime_sub(virtgpu2_vblank_next_after(t, now, vb->period),
				      vb->period);
	}
	*vblank_time = virtgpu2_vblank_report(vb, t);
	spin_unlock_irqrestore(&vb->lock, flags);
	return true;
}
