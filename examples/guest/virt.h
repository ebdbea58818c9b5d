/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virt.h: a tiny support library for freestanding guests of QEMU's `virt`
 * machine (and vkvm): PL011 output, PSCI calls, and a GICv2/GICv3 driver
 * (version from ID_AA64PFR0_EL1.GIC).  MMU and caches stay off.
 *
 * A program provides boot_main() (boot vCPU, x0 = DTB), secondary_main()
 * (vCPUs started with CPU_ON at secondary_entry, x0 = index) and
 * handle_irq(); start.S sets up stacks, vectors and TPIDR_EL1 = index.
 */
#ifndef VKVM_GUEST_VIRT_H
#define VKVM_GUEST_VIRT_H

#include <stdint.h>

#define UART_BASE 0x09000000UL
#define GICD_BASE 0x08000000UL
#define GICC_BASE 0x08010000UL
#define GICR_BASE 0x080a0000UL
#define GICR_STRIDE 0x20000UL

#define PSCI_CPU_OFF 0x84000002UL
#define PSCI_CPU_ON 0xc4000003UL
#define PSCI_SYSTEM_OFF 0x84000008UL
#define PSCI_SYSTEM_RESET 0x84000009UL
#define PSCI_INVALID_PARAMETERS (-2L)

#define READ_SYSREG(r)                                      \
	({                                                  \
		uint64_t v_;                                \
		__asm__ volatile("mrs %0, " #r : "=r"(v_)); \
		v_;                                         \
	})
#define WRITE_SYSREG(r, v) \
	__asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")
#define ISB() __asm__ volatile("isb" : : : "memory")

static inline uint32_t rd32(uintptr_t a)
{
	return *(volatile uint32_t *)a;
}

static inline void wr32(uintptr_t a, uint32_t v)
{
	*(volatile uint32_t *)a = v;
}

static inline uint64_t rd64(uintptr_t a)
{
	return *(volatile uint64_t *)a;
}

static inline void wr64(uintptr_t a, uint64_t v)
{
	*(volatile uint64_t *)a = v;
}

/* entry points (start.S calls these; the program defines them) */
void boot_main(uint64_t dtb);
void secondary_main(uint64_t index);
void handle_irq(unsigned int cpu, uint32_t intid, uint32_t src_cpu);
extern char secondary_entry[];

/* called from start.S */
void irq_handler(void);
void bad_exception(uint64_t vec, uint64_t esr, uint64_t elr, uint64_t far);

extern unsigned int gic_version; /* 2 or 3, set by gic_init() */

long psci(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);
unsigned int this_cpu(void);
/* start_secondaries - CPU_ON for vCPUs 1.. (at secondary_entry, x0 = index)
 * until one does not exist or @max are up; the number of vCPUs up. */
unsigned int start_secondaries(unsigned int max);
void print(const char *fmt, ...); /* %u %x (unsigned long), %s, %c */
void uart_putc(char c);
void __attribute__((noreturn)) fail(const char *why, unsigned long v);

/* gic_init - detect the version and enable the distributor (boot vCPU). */
void gic_init(void);
/* gic_cpu_init - this vCPU's interface, enabling the SGIs/PPIs in @mask. */
void gic_cpu_init(uint32_t mask);
/* gic_enable_spi - route SPI @intid (level) to vCPU 0 and enable it. */
void gic_enable_spi(unsigned int intid);
/* gic_enable_spi_to - the same, routed to the vCPU with index @cpu. */
void gic_enable_spi_to(unsigned int intid, unsigned int cpu);
/* gic_send_sgi - SGI @intid to the vCPU with index @target (< 16). */
void gic_send_sgi(unsigned int target, unsigned int intid);
/* gic_ack - acknowledge the highest-priority pending interrupt: the raw
 * IAR value (INTID 1023 if none); gic_eoi - end it (drop + deactivate). */
uint32_t gic_ack(void);
void gic_eoi(uint32_t iar);
/* gic_intid - the INTID in an IAR value. */
uint32_t gic_intid(uint32_t iar);
/* gic_set_pmr - this vCPU's priority mask; gic_rpr - its running priority. */
void gic_set_pmr(uint8_t prio);
uint32_t gic_rpr(void);
/* gic_set_priority - the priority of @intid (this vCPU's if private). */
void gic_set_priority(unsigned int intid, uint8_t prio);
/* wait_for - sleep in WFI until *@flag is non-zero (IRQs unmasked). */
void wait_for(volatile unsigned int *flag);
/* wait_until - sleep in WFI until @done(@arg) is true (IRQs unmasked;
 * @done runs with IRQs masked, so a wake-up between it and WFI is kept). */
void wait_until(int (*done)(const void *arg), const void *arg);

#endif /* VKVM_GUEST_VIRT_H */
