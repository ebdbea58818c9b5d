// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cpu_dev_stub.c: no in-library devices yet (until the vGIC branches are
 * merged, cpu_dev.c replaces this): everything that is not RAM exits.
 */
#include "cpu/cpu_dev.h"

bool cpu_dev_access(struct cpu_vcpu *cv, uint64_t gpa, unsigned int len,
		    uint64_t *val, bool is_write)
{
	(void)cv;
	(void)gpa;
	(void)len;
	(void)val;
	(void)is_write;
	return false;
}

bool cpu_dev_icc(struct cpu_vcpu *cv, uint16_t enc, uint64_t *val,
		 bool is_write)
{
	(void)cv;
	(void)enc;
	(void)val;
	(void)is_write;
	return false;
}

void cpu_dev_timer_level(struct cpu_vcpu *cv, int t, bool level)
{
	(void)cv;
	(void)t;
	(void)level;
}
