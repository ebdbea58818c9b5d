// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * echo.c: a console guest for QEMU's `virt` and vkvm: it enables the
 * PL011 receive interrupts (SPI 1, INTID 33, level) in the UART and the
 * GIC, sleeps in WFI, and in the interrupt handler echoes every received
 * byte as "<c>" until it reads 'q'; then it powers off with PSCI
 * SYSTEM_OFF.  Checks the VMM's stdin -> RX FIFO -> KVM_IRQ_LINE path.
 */
#include "virt.h"

#define UART_INTID 33
#define UARTDR 0x000
#define UARTFR 0x018
#define UARTLCR_H 0x02c
#define UARTIMSC 0x038
#define UARTICR 0x044
#define FR_RXFE (1U << 4)
#define INT_RX (1U << 4)
#define INT_RT (1U << 6)

static volatile unsigned int quit;
static volatile unsigned int rx_irqs;

void handle_irq(unsigned int cpu, uint32_t intid, uint32_t src)
{
	if (intid != UART_INTID)
		fail("unexpected interrupt", intid);
	rx_irqs++;
	while (!(rd32(UART_BASE + UARTFR) & FR_RXFE)) {
		char c = (char)rd32(UART_BASE + UARTDR);

		if (c == 'q')
			quit = 1;
		else if (c != '\n' && c != '\r')
			print("<%c>", c);
	}
	wr32(UART_BASE + UARTICR, INT_RX | INT_RT);
}

void secondary_main(uint64_t index)
{
	fail("secondary vCPU started", index);
}

void boot_main(uint64_t dtb)
{
	gic_init();
	gic_cpu_init(0);
	gic_enable_spi(UART_INTID);
	wr32(UART_BASE + UARTLCR_H, 0x70); /* 8 bits, FIFOs on */
	wr32(UART_BASE + UARTIMSC, INT_RX | INT_RT);
	print("echo: ready (GICv%u)\n", (unsigned long)gic_version);
	wait_for(&quit);
	print("\necho: bye after %u RX interrupts\n", (unsigned long)rx_irqs);
	psci(PSCI_SYSTEM_OFF, 0, 0, 0);
	fail("SYSTEM_OFF returned", 0);
}
