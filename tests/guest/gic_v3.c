// SPDX-License-Identifier: GPL-2.0-or-later
/* gic_v3.c (guest): GICv3 delivery, timers, WFI (lib/gic_test.h). */
#define GIC_VERSION 3
#include "lib/gic_test.h"
