// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * demo.c: the demo guest of `make demo`, a freestanding AArch64 program
 * for QEMU's `virt` machine (and so for vkvm).  The boot vCPU starts every
 * other vCPU with PSCI CPU_ON; each vCPU prints over the PL011, takes a
 * virtual timer interrupt (PPI 27) and an SGI from its neighbour through
 * the GIC (v2 or v3, found from ID_AA64PFR0_EL1.GIC); then the secondaries
 * turn themselves off and the boot vCPU powers the machine off with PSCI
 * SYSTEM_OFF.  On any failure it prints "demo: FAIL" and asks for
 * SYSTEM_RESET instead.  MMU and caches stay off.
 */
#include <stdarg.h>
#include <stdint.h>

#define UART_BASE 0x09000000UL
#define GICD_BASE 0x08000000UL
#define GICC_BASE 0x08010000UL
#define GICR_BASE 0x080a0000UL
#define GICR_STRIDE 0x20000UL

#define MAX_CPUS 8 /* one GICv2 target list / QEMU cluster */
#define SGI_ID 1
#define VTIMER_INTID 27

#define PSCI_CPU_OFF 0x84000002UL
#define PSCI_CPU_ON 0xc4000003UL
#define PSCI_SYSTEM_OFF 0x84000008UL
#define PSCI_SYSTEM_RESET 0x84000009UL
#define PSCI_INVALID_PARAMETERS (-2L)

void boot_main(uint64_t dtb);
void secondary_main(uint64_t index);
void irq_handler(void);
void bad_exception(uint64_t vec, uint64_t esr, uint64_t elr, uint64_t far);
extern char secondary_entry[];

static unsigned int gic_version;
static volatile unsigned int nr_cpus; /* final once > 0 */
static unsigned int ready, done; /* atomics */
static volatile unsigned int timer_irqs[MAX_CPUS], sgi_irqs[MAX_CPUS];
static volatile unsigned int sgi_from[MAX_CPUS];
static unsigned int print_lock;

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

#define READ_SYSREG(r)                                      \
	({                                                  \
		uint64_t v_;                                \
		__asm__ volatile("mrs %0, " #r : "=r"(v_)); \
		v_;                                         \
	})
#define WRITE_SYSREG(r, v) \
	__asm__ volatile("msr " #r ", %0" : : "r"((uint64_t)(v)) : "memory")
#define ISB() __asm__ volatile("isb" : : : "memory")

/* GICv3 CPU interface registers by encoding (any assembler knows these) */
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_SGI1R_EL1 S3_0_C12_C11_5
#define ICC_SRE_EL1 S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7

static long psci(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("hvc #0"
			 : "+r"(x0)
			 : "r"(x1), "r"(x2), "r"(x3)
			 : "memory");
	return (long)x0;
}

static unsigned int this_cpu(void)
{
	return (unsigned int)READ_SYSREG(tpidr_el1);
}

/* ---- console ---------------------------------------------------------- */

static void uart_putc(char c)
{
	while (rd32(UART_BASE + 0x18) & (1U << 5)) /* TXFF */
		;
	wr32(UART_BASE, (uint32_t)(unsigned char)c);
}

static void put_num(uint64_t v, unsigned int base)
{
	char buf[20];
	int n = 0;

	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n)
		uart_putc(buf[--n]);
}

/* printf with %u, %x (64-bit arguments: use unsigned long) and %s. */
static void vprint(const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			if (*fmt == '\n')
				uart_putc('\r');
			uart_putc(*fmt);
			continue;
		}
		switch (*++fmt) {
		case 'u':
			put_num(va_arg(ap, unsigned long), 10);
			break;
		case 'x':
			put_num(va_arg(ap, unsigned long), 16);
			break;
		case 's':
			for (const char *s = va_arg(ap, const char *); *s; s++)
				uart_putc(*s);
			break;
		default:
			uart_putc('%');
			break;
		}
	}
}

static void print(const char *fmt, ...)
{
	va_list ap;

	while (__atomic_exchange_n(&print_lock, 1, __ATOMIC_ACQUIRE))
		;
	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
	__atomic_store_n(&print_lock, 0, __ATOMIC_RELEASE);
}

static void __attribute__((noreturn)) fail(const char *why, unsigned long v)
{
	print("demo: FAIL: %s (0x%x)\n", why, v);
	psci(PSCI_SYSTEM_RESET, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

void bad_exception(uint64_t vec, uint64_t esr, uint64_t elr, uint64_t far)
{
	print("demo: vCPU %u: exception vector %u, ESR 0x%x, ELR 0x%x, "
	      "FAR 0x%x\n",
	      (unsigned long)this_cpu(), (unsigned long)vec, (unsigned long)esr,
	      (unsigned long)elr, (unsigned long)far);
	fail("unexpected exception", vec);
}

/* ---- GIC -------------------------------------------------------------- */

static void gicd_init(void)
{
	if (gic_version == 3) {
		/* ARE, EnableGrp1, EnableGrp0 (single security state) */
		wr32(GICD_BASE, (1U << 4) | (1U << 1) | 1U);
		while (rd32(GICD_BASE) & (1U << 31)) /* RWP */
			;
	} else {
		wr32(GICD_BASE, 1);
	}
}

static uint64_t my_affinity(void)
{
	uint64_t mpidr = READ_SYSREG(mpidr_el1);

	return (mpidr & 0xffffff) | ((mpidr >> 32) & 0xff) << 24;
}

/* This vCPU's redistributor: the frame whose GICR_TYPER names us. */
static uintptr_t gicr_find(void)
{
	uint64_t aff = my_affinity();

	for (uintptr_t f = GICR_BASE;; f += GICR_STRIDE) {
		uint64_t typer = rd64(f + 0x8);

		if (typer >> 32 == aff)
			return f;
		if (typer & (1U << 4)) /* Last */
			fail("no redistributor for this vCPU", aff);
	}
}

static void gic_cpu_init_v3(void)
{
	uintptr_t rd = gicr_find(), sgi = rd + 0x10000;

	wr32(rd + 0x14, rd32(rd + 0x14) & ~(1U << 1)); /* WAKER */
	while (rd32(rd + 0x14) & (1U << 2))
		;
	wr32(sgi + 0x80, 0xffffffff); /* IGROUPR0: group 1 */
	wr32(sgi + 0x100, (1U << VTIMER_INTID) | (1U << SGI_ID));
	WRITE_SYSREG(ICC_SRE_EL1, READ_SYSREG(ICC_SRE_EL1) | 1);
	ISB();
	WRITE_SYSREG(ICC_PMR_EL1, 0xff);
	WRITE_SYSREG(ICC_IGRPEN1_EL1, 1);
	ISB();
}

static void gic_cpu_init(void)
{
	if (gic_version == 3) {
		gic_cpu_init_v3();
		return;
	}
	wr32(GICD_BASE + 0x100, (1U << VTIMER_INTID) | (1U << SGI_ID));
	wr32(GICC_BASE + 0x4, 0xff); /* PMR */
	wr32(GICC_BASE + 0x0, 1); /* CTLR */
}

static void send_sgi(unsigned int target)
{
	if (gic_version == 3) {
		/* Aff1 = 0, target list bit = Aff0 (MPIDR = index here) */
		WRITE_SYSREG(ICC_SGI1R_EL1,
			     ((uint64_t)SGI_ID << 24) | (1U << target));
		ISB();
	} else {
		wr32(GICD_BASE + 0xf00, (1U << (16 + target)) | SGI_ID);
	}
}

static void handle_irq(unsigned int cpu, uint32_t intid, uint32_t src)
{
	if (intid == VTIMER_INTID) {
		WRITE_SYSREG(cntv_ctl_el0, 0); /* stop: the line drops */
		ISB();
		timer_irqs[cpu]++;
	} else if (intid == SGI_ID) {
		sgi_from[cpu] = src;
		sgi_irqs[cpu]++;
	} else {
		fail("unexpected interrupt", intid);
	}
}

void irq_handler(void)
{
	unsigned int cpu = this_cpu();
	uint32_t iar;

	if (gic_version == 3) {
		iar = (uint32_t)READ_SYSREG(ICC_IAR1_EL1);
		if ((iar & 0xffffff) >= 1020)
			return;
		handle_irq(cpu, iar & 0xffffff, 0xff);
		WRITE_SYSREG(ICC_EOIR1_EL1, iar);
		ISB();
	} else {
		iar = rd32(GICC_BASE + 0xc);
		if ((iar & 0x3ff) >= 1020)
			return;
		handle_irq(cpu, iar & 0x3ff, (iar >> 10) & 7);
		wr32(GICC_BASE + 0x10, iar);
	}
}

/* ---- the demo --------------------------------------------------------- */

/* Sleep until *@flag is non-zero; an interrupt between check and WFI
 * cannot be lost because WFI wakes on a pending interrupt while masked. */
static void wait_for(volatile unsigned int *flag)
{
	for (;;) {
		__asm__ volatile("msr daifset, #2" : : : "memory");
		if (*flag)
			break;
		__asm__ volatile("wfi" : : : "memory");
		__asm__ volatile("msr daifclr, #2" : : : "memory");
	}
	__asm__ volatile("msr daifclr, #2" : : : "memory");
}

static void cpu_main(unsigned int cpu)
{
	uint64_t freq = READ_SYSREG(cntfrq_el0), t0;
	unsigned int total;

	gic_cpu_init();
	print("vCPU %u: up, MPIDR 0x%x\n", (unsigned long)cpu,
	      (unsigned long)READ_SYSREG(mpidr_el1));
	t0 = READ_SYSREG(cntvct_el0);
	WRITE_SYSREG(cntv_tval_el0, freq / 100); /* 10 ms */
	WRITE_SYSREG(cntv_ctl_el0, 1);
	ISB();
	wait_for(&timer_irqs[cpu]);
	print("vCPU %u: timer interrupt (INTID 27) after %u us\n",
	      (unsigned long)cpu,
	      (unsigned long)((READ_SYSREG(cntvct_el0) - t0) * 1000000 / freq));
	__atomic_add_fetch(&ready, 1, __ATOMIC_ACQ_REL);
	while (!(total = nr_cpus) ||
	       __atomic_load_n(&ready, __ATOMIC_ACQUIRE) < total)
		;
	send_sgi((cpu + 1) % total);
	wait_for(&sgi_irqs[cpu]);
	if (gic_version == 2)
		print("vCPU %u: SGI %u from vCPU %u\n", (unsigned long)cpu,
		      (unsigned long)SGI_ID, (unsigned long)sgi_from[cpu]);
	else
		print("vCPU %u: SGI %u\n", (unsigned long)cpu,
		      (unsigned long)SGI_ID);
	__atomic_add_fetch(&done, 1, __ATOMIC_ACQ_REL);
}

void secondary_main(uint64_t index)
{
	cpu_main((unsigned int)index);
	psci(PSCI_CPU_OFF, 0, 0, 0);
	fail("CPU_OFF returned", index);
}

static unsigned int start_secondaries(void)
{
	unsigned int n = 1;

	for (unsigned int i = 1; i < MAX_CPUS; i++) {
		long r = psci(PSCI_CPU_ON, i, (uintptr_t)secondary_entry, i);

		if (r == PSCI_INVALID_PARAMETERS)
			break; /* no such vCPU: all are up */
		if (r != 0)
			fail("PSCI CPU_ON", (unsigned long)r);
		n++;
	}
	return n;
}

void boot_main(uint64_t dtb)
{
	unsigned int n;

	gic_version = ((READ_SYSREG(id_aa64pfr0_el1) >> 24) & 0xf) ? 3 : 2;
	print("demo: vkvm demo guest, GICv%u, device tree at 0x%x\n",
	      (unsigned long)gic_version, (unsigned long)dtb);
	gicd_init();
	n = start_secondaries();
	nr_cpus = n;
	cpu_main(0);
	while (__atomic_load_n(&done, __ATOMIC_ACQUIRE) < n)
		;
	print("demo: PASS: %u vCPUs up, timer and SGI interrupts taken\n",
	      (unsigned long)n);
	psci(PSCI_SYSTEM_OFF, 0, 0, 0);
	fail("SYSTEM_OFF returned", 0);
}
