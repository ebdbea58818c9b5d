// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * virt.c: console, PSCI and GIC helpers for the freestanding example
 * guests (see virt.h).  GICv2: IHI 0048B; GICv3: IHI 0069.
 */
#include "virt.h"

#include <stdarg.h>

/* GICv3 CPU interface registers by encoding (any assembler knows these) */
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_SGI1R_EL1 S3_0_C12_C11_5
#define ICC_SRE_EL1 S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_RPR_EL1 S3_0_C12_C11_3

unsigned int gic_version;
static unsigned int print_lock;

long psci(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
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

unsigned int this_cpu(void)
{
	return (unsigned int)READ_SYSREG(tpidr_el1);
}

unsigned int start_secondaries(unsigned int max)
{
	unsigned int n = 1;

	for (unsigned int i = 1; i < max; i++) {
		long r = psci(PSCI_CPU_ON, i, (uintptr_t)secondary_entry, i);

		if (r == PSCI_INVALID_PARAMETERS)
			break; /* no such vCPU: all are up */
		if (r != 0)
			fail("PSCI CPU_ON", (unsigned long)r);
		n++;
	}
	return n;
}

/* ---- console ---------------------------------------------------------- */

void uart_putc(char c)
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
		case 'c':
			uart_putc((char)va_arg(ap, int));
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

void print(const char *fmt, ...)
{
	va_list ap;

	while (__atomic_exchange_n(&print_lock, 1, __ATOMIC_ACQUIRE))
		;
	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
	__atomic_store_n(&print_lock, 0, __ATOMIC_RELEASE);
}

void fail(const char *why, unsigned long v)
{
	print("FAIL: %s (0x%x)\n", why, v);
	psci(PSCI_SYSTEM_RESET, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

void bad_exception(uint64_t vec, uint64_t esr, uint64_t elr, uint64_t far)
{
	print("vCPU %u: exception vector %u, ESR 0x%x, ELR 0x%x, FAR 0x%x\n",
	      (unsigned long)this_cpu(), (unsigned long)vec, (unsigned long)esr,
	      (unsigned long)elr, (unsigned long)far);
	fail("unexpected exception", vec);
}

/* ---- GIC -------------------------------------------------------------- */

void gic_init(void)
{
	gic_version = ((READ_SYSREG(id_aa64pfr0_el1) >> 24) & 0xf) ? 3 : 2;
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

static void gic_cpu_init_v3(uint32_t mask)
{
	uintptr_t rd = gicr_find(), sgi = rd + 0x10000;

	wr32(rd + 0x14, rd32(rd + 0x14) & ~(1U << 1)); /* WAKER */
	while (rd32(rd + 0x14) & (1U << 2))
		;
	wr32(sgi + 0x80, 0xffffffff); /* IGROUPR0: group 1 */
	wr32(sgi + 0x100, mask);
	WRITE_SYSREG(ICC_SRE_EL1, READ_SYSREG(ICC_SRE_EL1) | 1);
	ISB();
	WRITE_SYSREG(ICC_PMR_EL1, 0xff);
	WRITE_SYSREG(ICC_IGRPEN1_EL1, 1);
	ISB();
}

void gic_cpu_init(uint32_t mask)
{
	if (gic_version == 3) {
		gic_cpu_init_v3(mask);
		return;
	}
	wr32(GICD_BASE + 0x100, mask); /* banked ISENABLER0 */
	wr32(GICC_BASE + 0x4, 0xff); /* PMR */
	wr32(GICC_BASE + 0x0, 1); /* CTLR */
}

void gic_enable_spi_to(unsigned int intid, unsigned int cpu)
{
	uintptr_t cfg = GICD_BASE + 0xc00 + (intid / 16) * 4;
	uint32_t bit = 1U << (intid % 32);

	if (gic_version == 3) {
		/* IROUTER: Aff0 = index (MPIDR = index on virt and vkvm) */
		wr64(GICD_BASE + 0x6000 + 8 * intid, cpu);
		wr32(GICD_BASE + 0x80 + (intid / 32) * 4,
		     rd32(GICD_BASE + 0x80 + (intid / 32) * 4) | bit);
	} else {
		*(volatile uint8_t *)(GICD_BASE + 0x800 + intid) =
			(uint8_t)(1U << cpu);
	}
	wr32(cfg, rd32(cfg) & ~(2U << (2 * (intid % 16)))); /* level */
	wr32(GICD_BASE + 0x100 + (intid / 32) * 4, bit);
}

void gic_enable_spi(unsigned int intid)
{
	gic_enable_spi_to(intid, 0);
}

void gic_send_sgi(unsigned int target, unsigned int intid)
{
	if (gic_version == 3) {
		/* Aff1 = 0, target list bit = Aff0 (MPIDR = index here) */
		WRITE_SYSREG(ICC_SGI1R_EL1,
			     ((uint64_t)intid << 24) | (1U << target));
		ISB();
	} else {
		wr32(GICD_BASE + 0xf00, (1U << (16 + target)) | intid);
	}
}

uint32_t gic_ack(void)
{
	if (gic_version == 3)
		return (uint32_t)READ_SYSREG(ICC_IAR1_EL1);
	return rd32(GICC_BASE + 0xc);
}

void gic_eoi(uint32_t iar)
{
	if (gic_version == 3) {
		WRITE_SYSREG(ICC_EOIR1_EL1, iar);
		ISB();
	} else {
		wr32(GICC_BASE + 0x10, iar);
	}
}

uint32_t gic_intid(uint32_t iar)
{
	return iar & (gic_version == 3 ? 0xffffff : 0x3ff);
}

void gic_set_pmr(uint8_t prio)
{
	if (gic_version == 3) {
		WRITE_SYSREG(ICC_PMR_EL1, prio);
		ISB();
	} else {
		wr32(GICC_BASE + 0x4, prio);
	}
}

uint32_t gic_rpr(void)
{
	if (gic_version == 3)
		return (uint32_t)READ_SYSREG(ICC_RPR_EL1);
	return rd32(GICC_BASE + 0x14);
}

void gic_set_priority(unsigned int intid, uint8_t prio)
{
	uintptr_t base = gic_version == 3 && intid < 32 ?
				 gicr_find() + 0x10000 :
				 GICD_BASE;

	*(volatile uint8_t *)(base + 0x400 + intid) = prio;
}

void irq_handler(void)
{
	uint32_t iar = gic_ack(), intid = gic_intid(iar);

	if (intid >= 1020)
		return;
	handle_irq(this_cpu(), intid,
		   gic_version == 3 ? 0xff : (iar >> 10) & 7);
	gic_eoi(iar);
}

/* An interrupt between the check and WFI is not lost: WFI wakes on a
 * pending interrupt even while it is masked. */
void wait_until(int (*done)(const void *arg), const void *arg)
{
	for (;;) {
		__asm__ volatile("msr daifset, #2" : : : "memory");
		if (done(arg))
			break;
		__asm__ volatile("wfi" : : : "memory");
		__asm__ volatile("msr daifclr, #2" : : : "memory");
	}
	__asm__ volatile("msr daifclr, #2" : : : "memory");
}

static int flag_set(const void *flag)
{
	return *(const volatile unsigned int *)flag != 0;
}

void wait_for(volatile unsigned int *flag)
{
	wait_until(flag_set, (const void *)flag);
}
