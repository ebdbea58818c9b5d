/* SPDX-License-Identifier: GPL-2.0-or-later */
/* system.h: the system fd (the /dev/kvm equivalent). */
#ifndef VKVM_API_SYSTEM_H
#define VKVM_API_SYSTEM_H

/* system_open_fd - create a system fd; returns it or -errno. */
int system_open_fd(void);

#endif /* VKVM_API_SYSTEM_H */
