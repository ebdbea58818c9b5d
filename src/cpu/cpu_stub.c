// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cpu_stub.c: no engine yet; KVM_RUN reports that it cannot run guests.
 * TODO(issue 5): replaced by the Unicorn engine.
 */
#include <errno.h>

#include "cpu/cpu.h"

int cpu_vcpu_run(struct vcpu *vcpu)
{
	(void)vcpu;
	return -ENOSYS;
}

void cpu_vcpu_kick(struct vcpu *vcpu)
{
	(void)vcpu;
}

void cpu_engine_destroy(struct vm *vm)
{
	(void)vm;
}
