/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * guest.h: the tiny runtime of the guest test programs (tests/guest):
 * PL011 output, PSCI calls, exception records, PASS/FAIL reporting.
 * The same binaries run on vkvm (tests/guest/runner.c) and on QEMU's
 * virt machine; both must print the same verdict.
 */
#ifndef VKVM_GUEST_H
#define VKVM_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#define UART_BASE 0x09000000UL
#define RAM_BASE 0x40000000UL
#define MAX_CPUS 8

#define PSCI_VERSION 0x84000000U
#define PSCI_CPU_OFF 0x84000002U
#define PSCI_CPU_ON 0xC4000003U
#define PSCI_AFFINITY_INFO 0xC4000004U
#define PSCI_SYSTEM_OFF 0x84000008U
#define PSCI_FEATURES 0x8400000AU

/*
 * Below the load address (RAM + 0x80000): what the vkvm test runner read
 * back through KVM_GET_ONE_REG before the first run (runner.c), for the
 * guest to compare with what it sees; zero RAM on QEMU, whose device tree
 * lies far above.
 */
#define MAILBOX (RAM_BASE + 0x7f000UL)
#define MAILBOX_MAGIC 0x21215746766b766bULL /* "kvkvFW!!" */
struct mailbox {
	uint64_t magic;
	uint64_t psci; /* KVM_REG_ARM_PSCI_VERSION */
	uint64_t wa[3]; /* KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1..3 */
	uint64_t clidr, ctr; /* CLIDR_EL1, CTR_EL0 */
	uint64_t ccsidr[16]; /* DEMUX CCSIDR by CSSELR, 0 = none */
};

/* mailbox - the runner's mailbox, NULL when there is none (QEMU). */
static inline const volatile struct mailbox *mailbox(void)
{
	const volatile struct mailbox *mb =
		(const volatile struct mailbox *)MAILBOX;

	return mb->magic == MAILBOX_MAGIC ? mb : 0;
}

/* What exc_entry saw for the last exception on a CPU. */
struct exc_record {
	volatile uint64_t count;
	volatile uint64_t kind; /* vector: 4 = EL1h sync, 8 = EL0 sync ... */
	volatile uint64_t esr, far, elr;
};

struct frame {
	uint64_t x[31];
	uint64_t elr, spsr;
};

#define sysreg_read(r)                                      \
	({                                                  \
		uint64_t v_;                                \
		__asm__ volatile("mrs %0, " #r : "=r"(v_)); \
		v_;                                         \
	})
#define sysreg_write(r, v) \
	__asm__ volatile("msr " #r ", %0" ::"r"((uint64_t)(v)))

static inline uint32_t mmio_read32(uintptr_t a)
{
	return *(volatile uint32_t *)a;
}

static inline void mmio_write32(uintptr_t a, uint32_t v)
{
	*(volatile uint32_t *)a = v;
}

unsigned int cpu_id(void);
void puts_(const char *s);
void put_hex(uint64_t v);
int64_t psci(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
void system_off(void) __attribute__((noreturn));

/* check - report one named check as a PASS or FAIL line. */
void check(const char *name, bool ok);
void check_eq(const char *name, uint64_t got, uint64_t want);

/* finish - print the verdict line and power the machine off. */
void finish(void) __attribute__((noreturn));

extern struct exc_record exc_rec[MAX_CPUS];
/* Handler for IRQs (kind 5 / 9), set by a test; NULL = record only. */
extern void (*irq_handler)(struct frame *f);

void run_at_el0(void (*fn)(void), uint64_t sp);
void el0_exit(void);

/* Provided by each program. */
void main_cpu0(void);
void main_secondary(unsigned int cpu, uint64_t arg);

#endif /* VKVM_GUEST_H */
