// SPDX-License-Identifier: GPL-2.0-or-later
/* smccc.c (guest): PSCI and SMCCC discovery per the FW registers
 * (lib/smccc_test.h). */
#include "lib/smccc_test.h"
