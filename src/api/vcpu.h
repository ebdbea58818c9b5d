/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vcpu.h: vCPU fd operations used outside vcpu.c. */
#ifndef VKVM_API_VCPU_H
#define VKVM_API_VCPU_H

#include "api/file.h"
#include "api/vm.h"

/*
 * vcpu_kick_file - vkvm_kick_vcpu() on a file: 0, or -EINVAL if @file is
 * not a vCPU fd.
 */
long vcpu_kick_file(struct vkvm_file *file);

/*
 * vcpu_reset - put @vcpu in the reset state of KVM_ARM_VCPU_INIT (spec
 * 4.3/5.2).  Caller holds vcpu->mutex.
 */
void vcpu_reset(struct vcpu *vcpu);

/* vcpu_free - free a vCPU at VM teardown (NULL allowed). */
void vcpu_free(struct vcpu *vcpu);

#endif /* VKVM_API_VCPU_H */
