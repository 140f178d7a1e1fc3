// SPDX-License-Identifier: GPL-2.0-only
/*
 * The corpus: calls whose choices reached PCs no call had reached before.
 * A share of the later calls replays one of them with a few choices drawn
 * afresh, which searches near the paths that were new rather than from
 * scratch. Entries are choice records (struct prog), so a handle in an
 * entry is "the n-th live buffer of this fd", not a stale number.
 */
#include <stdlib.h>
#include <string.h>

#include "vgfuzz.h"

#define CORPUS 2048

static struct prog *corpus;
static u32 ncorpus;

void corpus_add(const struct prog *p)
{
	u32 i;

	if (!corpus) {
		corpus = calloc(CORPUS, sizeof(*corpus));
		if (!corpus)
			return;
	}
	/* Full: an old entry makes room; the PRNG picks it, so replays agree. */
	i = ncorpus < CORPUS ? ncorpus++ : rng_below(CORPUS);
	memcpy(&corpus[i], p, sizeof(*p));
}

const struct prog *corpus_pick(void)
{
	return ncorpus ? &corpus[rng_below(ncorpus)] : NULL;
}

u32 corpus_size(void)
{
	return ncorpus;
}
