// SPDX-License-Identifier: GPL-2.0-or-later
/* uc_kit_test.c: the Unicorn internals self-test (engine spec K1-K3). */
#include "lib/test.h"

#include "cpu/cpu.h"

TEST(self_test_finds_the_2_1_1_layout)
{
	EXPECT_EQ(cpu_self_test(), 0);
}

TEST(self_test_is_repeatable)
{
	EXPECT_EQ(cpu_self_test(), 0);
	EXPECT_EQ(cpu_self_test(), 0);
}
