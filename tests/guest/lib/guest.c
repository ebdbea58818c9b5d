// SPDX-License-Identifier: GPL-2.0-or-later
/* guest.c: the guest test runtime (see guest.h). */
#include "guest.h"

struct exc_record exc_rec[MAX_CPUS];
void (*irq_handler)(struct frame *f);

static volatile uint32_t print_lock;
static volatile unsigned int passed, failed;

#define EC_SVC64 0x15
#define EC_IABT_LOWER 0x20
#define EC_IABT_CUR 0x21

static void lock(volatile uint32_t *l)
{
	uint32_t tmp, one = 1;

	__asm__ volatile("1: ldaxr %w0, [%1]\n"
			 "   cbnz %w0, 1b\n"
			 "   stxr %w0, %w2, [%1]\n"
			 "   cbnz %w0, 1b\n"
			 : "=&r"(tmp)
			 : "r"(l), "r"(one)
			 : "memory");
}

static void unlock(volatile uint32_t *l)
{
	__asm__ volatile("stlr wzr, [%0]" ::"r"(l) : "memory");
}

unsigned int cpu_id(void)
{
	return (unsigned int)(sysreg_read(mpidr_el1) & 0xff);
}

static void putc_(char c)
{
	while (mmio_read32(UART_BASE + 0x18) & (1U << 5))
		;
	mmio_write32(UART_BASE, (uint8_t)c);
}

static void puts_nolock(const char *s)
{
	while (*s)
		putc_(*s++);
}

static void put_hex_nolock(uint64_t v)
{
	char buf[19] = "0x";

	for (int i = 0; i < 16; i++)
		buf[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 0xf];
	buf[18] = 0;
	puts_nolock(buf);
}

void puts_(const char *s)
{
	lock(&print_lock);
	puts_nolock(s);
	unlock(&print_lock);
}

void put_hex(uint64_t v)
{
	lock(&print_lock);
	put_hex_nolock(v);
	unlock(&print_lock);
}

int64_t psci(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("hvc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 :
			 : "memory");
	return (int64_t)x0;
}

void system_off(void)
{
	psci(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

void check(const char *name, bool ok)
{
	lock(&print_lock);
	puts_nolock(ok ? "PASS " : "FAIL ");
	puts_nolock(name);
	puts_nolock("\n");
	if (ok)
		passed++;
	else
		failed++;
	unlock(&print_lock);
}

void check_eq(const char *name, uint64_t got, uint64_t want)
{
	check(name, got == want);
	if (got != want) {
		lock(&print_lock);
		puts_nolock("  got ");
		put_hex_nolock(got);
		puts_nolock(" want ");
		put_hex_nolock(want);
		puts_nolock("\n");
		unlock(&print_lock);
	}
}

static void put_dec_nolock(unsigned int v)
{
	char buf[12];
	int i = 11;

	buf[i] = 0;
	do
		buf[--i] = (char)('0' + v % 10);
	while ((v /= 10) && i);
	puts_nolock(&buf[i]);
}

void finish(void)
{
	lock(&print_lock);
	puts_nolock("VERDICT ");
	puts_nolock(failed || !passed ? "FAIL" : "PASS");
	puts_nolock(" passed=");
	put_dec_nolock(passed);
	puts_nolock(" failed=");
	put_dec_nolock(failed);
	puts_nolock("\n");
	unlock(&print_lock);
	system_off();
}

/* Called from the vectors (start.S) with the saved frame. */
void exc_entry(struct frame *f, uint64_t kind);
void exc_entry(struct frame *f, uint64_t kind)
{
	struct exc_record *r = &exc_rec[cpu_id() % MAX_CPUS];
	uint64_t esr;

	if (kind == 5 || kind == 9) {
		if (irq_handler)
			irq_handler(f);
		r->count++;
		r->kind = kind;
		return;
	}
	esr = sysreg_read(esr_el1);
	if (kind == 8 && (esr >> 26) == EC_SVC64 && (esr & 0xffff) == 0xfff) {
		/* EL0 is done: back to EL1h in run_at_el0's caller. */
		f->elr = (uint64_t)(uintptr_t)el0_exit;
		f->spsr = 0x3c5;
		return;
	}
	r->esr = esr;
	r->far = sysreg_read(far_el1);
	r->elr = f->elr;
	r->kind = kind;
	r->count++;
	/* SVC/HVC return past themselves; an instruction abort returns to
	 * X30 (tests branch to bad addresses with BLR); anything else is
	 * skipped. */
	if ((esr >> 26) == EC_IABT_LOWER || (esr >> 26) == EC_IABT_CUR)
		f->elr = f->x[30];
	else if ((esr >> 26) != EC_SVC64 && (esr >> 26) != 0x16)
		f->elr += 4;
}

void c_entry(unsigned int cpu, uint64_t arg);
void c_entry(unsigned int cpu, uint64_t arg)
{
	if (cpu == 0) {
		main_cpu0();
		finish();
	}
	main_secondary(cpu, arg);
	psci(PSCI_CPU_OFF, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}
