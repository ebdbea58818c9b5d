// SPDX-License-Identifier: GPL-2.0-or-later
/* smccc_psci02.c (guest): PSCI and SMCCC discovery per the FW registers
 * (lib/smccc_test.h); the runner sets PSCI 0.2. */
#include "lib/smccc_test.h"
