/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * machine.h: one `virt` machine: the VM and vCPU fds, guest RAM, the MMIO
 * bus and devices, the console, and the run/stop state shared by the
 * vCPU threads.  Built on the public libvkvm API only.
 *
 * Life cycle: vmm_machine_create() (VM, RAM, vCPUs, MPIDRs),
 * vmm_boot_prepare() (files, device tree, memslots, vGIC, registers),
 * vmm_machine_run() (threads until the guest stops), then
 * vmm_machine_destroy().  Errors print a message naming what failed and
 * return an exit code (enum vmm_exit).
 */
#ifndef VKVM_VMM_MACHINE_H
#define VKVM_VMM_MACHINE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <termios.h>

#include <vkvm/vkvm.h>

#include "bus.h"
#include "loader.h"
#include "options.h"
#include "pl011.h"
#include "pl031.h"
#include "util.h"

struct vmm;

struct vmm_vcpu {
	struct vmm *vmm;
	unsigned int index;
	int fd;
	struct kvm_run *run;
	size_t run_size;
	uint64_t mpidr;
	pthread_t thread;
	bool started;
};

/* The console: stdin to the PL011's RX FIFO, Ctrl-a escapes. */
struct vmm_console {
	int in_fd;
	int wake[2]; /* pipe: read end polled by the console thread */
	bool raw; /* the terminal was put in raw mode */
	struct termios saved;
	bool escape; /* Ctrl-a seen */
	bool eof;
	uint8_t pending[4096]; /* read from stdin, not yet in the FIFO */
	size_t pending_len;
	pthread_t thread;
	bool started;
	atomic_bool stop;
};

struct vmm {
	const struct vmm_options *opt;
	int kvm_fd, vm_fd, gic_fd;
	struct vmm_ram ram;
	uint8_t *flash; /* --bios image, read-only to the guest */
	uint64_t flash_size;
	uint8_t *flash1; /* --bios: empty flash bank 1, a zero read-only slot */
	unsigned int nr_vcpus;
	struct vmm_vcpu *vcpus;
	uint64_t entry, dtb_addr;
	struct vmm_bus bus;
	struct vmm_pl011 uart;
	struct vmm_pl031 rtc;
	struct vmm_console console;
	/* stop: the first vmm_request_stop() decides the exit status */
	pthread_mutex_t stop_lock;
	atomic_bool stopping;
	int exit_code;
	int event[2]; /* pipe: wakes the main loop */
	/* snapshots: vCPU threads park out of KVM_RUN (snapshot_run.c) */
	pthread_mutex_t pause_lock;
	pthread_cond_t pause_cond;
	atomic_bool pause_req;
	unsigned int nr_paused;
};

/*
 * vmm_machine_create - VM, guest RAM, vCPUs (vCPU 0 running, the others
 * powered off, PSCI 0.2) and their MPIDRs.  Returns VMM_EXIT_POWEROFF (0)
 * on success, or an exit code after printing why.
 */
int vmm_machine_create(struct vmm *vmm, const struct vmm_options *opt);

/*
 * vmm_boot_prepare - load the files, build (or fix up) the device tree,
 * write it with --dump-dtb, map memory, create the vGIC, set the boot
 * vCPU's registers.  Returns 0, or an exit code after printing why;
 * *@done is set when --dump-dtb asked to stop there.
 */
int vmm_boot_prepare(struct vmm *vmm, bool *done);

/*
 * vmm_machine_run - start the console and one thread per vCPU, wait for a
 * stop (power off, reset, error, timeout, Ctrl-a x, signal), stop and
 * join everything.  Returns the exit code.
 */
int vmm_machine_run(struct vmm *vmm);

/* vmm_machine_destroy - close every fd and free everything (once). */
void vmm_machine_destroy(struct vmm *vmm);

/*
 * vmm_request_stop - ask the machine to stop with @code; the first
 * request wins.  Thread-safe; @why (may be NULL) is printed to stderr.
 */
void vmm_request_stop(struct vmm *vmm, int code, const char *why);

/* vmm_gic_create - the vGIC of --gic through KVM_CREATE_DEVICE. */
int vmm_gic_create(struct vmm *vmm);

/* vmm_vcpu_thread - the body of a vCPU thread (KVM_RUN loop). */
void *vmm_vcpu_thread(void *arg);

/*
 * vmm_console_start - raw mode if stdin is a terminal, then the reader
 * thread.  vmm_console_stop() joins it and restores the terminal; it is
 * safe to call on every path (also when start failed or never ran).
 */
int vmm_console_start(struct vmm *vmm);
void vmm_console_stop(struct vmm *vmm);

/*
 * vmm_vcpu_park - in a vCPU thread, when vmm->pause_req is set: complete
 * the last exit (KVM_RUN with immediate_exit), then wait until the pause
 * ends (snapshot_run.c).
 */
void vmm_vcpu_park(struct vmm_vcpu *vcpu);

/*
 * vmm_snapshot_running - pause every vCPU thread, save the machine to
 * --snapshot FILE, let the vCPUs go on.  A failure is reported on stderr
 * and the guest keeps running.  Main thread only.  Returns 0 or -errno.
 */
int vmm_snapshot_running(struct vmm *vmm);

/* vmm_console_rx_space - PL011 callback: the RX FIFO has room again. */
void vmm_console_rx_space(void *opaque);

#endif /* VKVM_VMM_MACHINE_H */
