// SPDX-License-Identifier: GPL-2.0-only
/*
 * drm_panic can draw into a buffer's pages itself (struct
 * drm_scanout_buffer.pages) since 6.14; before, it needed a kernel mapping.
 */
#include <drm/drm_panic.h>

void probe(struct drm_scanout_buffer *sb, struct page **pages);
void probe(struct drm_scanout_buffer *sb, struct page **pages)
{
	sb->pages = pages;
}
