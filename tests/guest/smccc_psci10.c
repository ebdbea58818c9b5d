// SPDX-License-Identifier: GPL-2.0-or-later
/* smccc_psci10.c (guest): PSCI and SMCCC discovery per the FW registers
 * (lib/smccc_test.h); the runner sets PSCI 1.0. */
#include "lib/smccc_test.h"
