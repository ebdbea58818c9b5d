// SPDX-License-Identifier: GPL-2.0-or-later
/* gic_v2.c (guest): GICv2 delivery, timers, WFI (lib/gic_test.h). */
#define GIC_VERSION 2
#include "lib/gic_test.h"
