/* SPDX-License-Identifier: GPL-2.0-or-later */
/* system.h: the system fd (the /dev/kvm equivalent). */
#ifndef VKVM_API_SYSTEM_H
#define VKVM_API_SYSTEM_H

/*
 * system_open_fd - create a system fd; returns it, -ENOMEM or -EMFILE.
 * Its first KVM_CREATE_VM runs the engine kit's self-test
 * (cpu_self_test); if that failed, every KVM_CREATE_VM on it fails with
 * -ENOTSUP.
 */
int system_open_fd(void);

#endif /* VKVM_API_SYSTEM_H */
