// SPDX-License-Identifier: GPL-2.0-only
/*
 * Before 6.13 MODULE_IMPORT_NS() took the namespace as a bare identifier;
 * since then it takes a string literal, and an identifier does not build.
 */
#include <linux/module.h>

MODULE_IMPORT_NS(DMA_BUF);
