// SPDX-License-Identifier: GPL-2.0-or-later
/* sgi4_v2.c (guest): SGIs among 4 vCPUs on a GICv2 (lib/sgi_test.h). */
#define GIC_VERSION 2
#include "lib/sgi_test.h"
