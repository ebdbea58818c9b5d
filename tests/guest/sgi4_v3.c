// SPDX-License-Identifier: GPL-2.0-or-later
/* sgi4_v3.c (guest): SGIs among 4 vCPUs on a GICv3 (lib/sgi_test.h). */
#define GIC_VERSION 3
#include "lib/sgi_test.h"
