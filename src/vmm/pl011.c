// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pl011.c: PL011 registers (DDI 0183 section 3, and the list in
 * ../shared/spec/virt-machine.md).  Interrupt semantics follow QEMU's
 * model: RX raises as soon as one byte waits (trigger level 1), TX is
 * always raised because transmission is instantaneous.
 */
#include "pl011.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#define UARTDR 0x000
#define UARTRSR 0x004
#define UARTFR 0x018
#define UARTIBRD 0x024
#define UARTFBRD 0x028
#define UARTLCR_H 0x02c
#define UARTCR 0x030
#define UARTIFLS 0x034
#define UARTIMSC 0x038
#define UARTRIS 0x03c
#define UARTMIS 0x040
#define UARTICR 0x044
#define UARTDMACR 0x048
#define UART_ID_BASE 0xfe0

#define FR_RXFE (1U << 4)
#define FR_RXFF (1U << 6)
#define FR_TXFE (1U << 7)
#define LCR_H_FEN (1U << 4)
#define INT_RX (1U << 4)
#define INT_TX (1U << 5)
#define INT_ALL 0x7ffU
#define NO_FIELD 0xffff

/* PeriphID0..3, PCellID0..3: what Linux's AMBA bus probe reads */
static const uint8_t pl011_id[8] = { 0x11, 0x10, 0x14, 0x00,
				     0x0d, 0xf0, 0x05, 0xb1 };

static unsigned int fifo_depth(const struct vmm_pl011 *u)
{
	return (u->lcr_h & LCR_H_FEN) ? PL011_FIFO_DEPTH : 1;
}

static uint32_t raw_status(const struct vmm_pl011 *u)
{
	return u->ris | INT_TX;
}

static void update_irq_locked(struct vmm_pl011 *u)
{
	vmm_irq_set(&u->irq, (raw_status(u) & u->imsc) != 0);
}

static uint32_t read_dr(struct vmm_pl011 *u)
{
	uint32_t c;

	if (u->rx_count == 0)
		return 0;
	c = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % PL011_FIFO_DEPTH;
	u->rx_count--;
	if (u->rx_count == 0)
		u->ris &= ~INT_RX;
	return c;
}

static void write_dr(struct vmm_pl011 *u, uint32_t v)
{
	uint8_t c = (uint8_t)v;

	while (write(u->out_fd, &c, 1) < 0 && errno == EINTR)
		;
}

static uint32_t read_fr(struct vmm_pl011 *u)
{
	uint32_t fr = FR_TXFE;

	if (u->rx_count == 0)
		fr |= FR_RXFE;
	if (u->rx_count >= fifo_depth(u))
		fr |= FR_RXFF;
	return fr;
}

static uint32_t read_lcr_h(struct vmm_pl011 *u)
{
	return u->lcr_h;
}

/*
 * Unlike QEMU, switching the FIFOs on or off keeps what was received:
 * input typed ahead of the guest's UART set-up is not lost.
 */
static void write_lcr_h(struct vmm_pl011 *u, uint32_t v)
{
	u->lcr_h = v & 0xff;
}

static uint32_t read_ris(struct vmm_pl011 *u)
{
	return raw_status(u);
}

static uint32_t read_mis(struct vmm_pl011 *u)
{
	return raw_status(u) & u->imsc;
}

static void write_icr(struct vmm_pl011 *u, uint32_t v)
{
	u->ris &= ~v;
}

struct pl011_reg {
	uint16_t off;
	uint16_t field; /* plain storage: offsetof the value, or NO_FIELD */
	uint32_t wmask;
	uint32_t (*read)(struct vmm_pl011 *u);
	void (*write)(struct vmm_pl011 *u, uint32_t v);
};

#define PLAIN(o, f, m)                                          \
	{                                                       \
		o, offsetof(struct vmm_pl011, f), m, NULL, NULL \
	}
#define SPECIAL(o, r, w)             \
	{                            \
		o, NO_FIELD, 0, r, w \
	}

/* Sorted by offset.  Absent offsets are RAZ/WI. */
static const struct pl011_reg pl011_regs[] = {
	SPECIAL(UARTDR, read_dr, write_dr),
	SPECIAL(UARTFR, read_fr, NULL),
	PLAIN(UARTIBRD, ibrd, 0xffff),
	PLAIN(UARTFBRD, fbrd, 0x3f),
	SPECIAL(UARTLCR_H, read_lcr_h, write_lcr_h),
	PLAIN(UARTCR, cr, 0xffff),
	PLAIN(UARTIFLS, ifls, 0x3f),
	PLAIN(UARTIMSC, imsc, INT_ALL),
	SPECIAL(UARTRIS, read_ris, NULL),
	SPECIAL(UARTMIS, read_mis, NULL),
	SPECIAL(UARTICR, NULL, write_icr),
	PLAIN(UARTDMACR, dmacr, 0x7),
};

static const struct pl011_reg *find_reg(uint64_t off)
{
	size_t lo = 0, hi = sizeof(pl011_regs) / sizeof(pl011_regs[0]);

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (pl011_regs[mid].off == off)
			return &pl011_regs[mid];
		if (pl011_regs[mid].off < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static uint32_t *reg_field(struct vmm_pl011 *u, const struct pl011_reg *r)
{
	return (uint32_t *)((char *)u + r->field);
}

static uint32_t reg_read_locked(struct vmm_pl011 *u, uint64_t off)
{
	const struct pl011_reg *r;

	if (off >= UART_ID_BASE && off < UART_ID_BASE + 32 && !(off & 3))
		return pl011_id[(off - UART_ID_BASE) / 4];
	r = find_reg(off);
	if (!r)
		return 0;
	if (r->field != NO_FIELD)
		return *reg_field(u, r);
	return r->read ? r->read(u) : 0;
}

/* After an access: update the line; true if the feeder should retry. */
static bool access_done_locked(struct vmm_pl011 *u)
{
	bool notify = u->rx_was_full && u->rx_count < fifo_depth(u);

	if (notify)
		u->rx_was_full = 0;
	update_irq_locked(u);
	return notify && u->rx_space;
}

static uint64_t pl011_read(void *opaque, uint64_t off, unsigned int len)
{
	struct vmm_pl011 *u = opaque;
	bool notify;
	uint32_t v;

	pthread_mutex_lock(&u->lock);
	v = reg_read_locked(u, off);
	notify = access_done_locked(u);
	pthread_mutex_unlock(&u->lock);
	if (notify)
		u->rx_space(u->rx_space_opaque);
	return v;
}

static void pl011_write(void *opaque, uint64_t off, uint64_t val,
			unsigned int len)
{
	struct vmm_pl011 *u = opaque;
	const struct pl011_reg *r = find_reg(off);
	bool notify;

	if (!r)
		return;
	pthread_mutex_lock(&u->lock);
	if (r->field != NO_FIELD)
		*reg_field(u, r) = (uint32_t)val & r->wmask;
	else if (r->write)
		r->write(u, (uint32_t)val);
	notify = access_done_locked(u); /* FIFOs on: room for 15 more */
	pthread_mutex_unlock(&u->lock);
	if (notify)
		u->rx_space(u->rx_space_opaque);
}

const struct vmm_mmio_ops vmm_pl011_ops = {
	.read = pl011_read,
	.write = pl011_write,
};

void vmm_pl011_init(struct vmm_pl011 *u, int out_fd, struct vmm_irq_line irq)
{
	memset(u, 0, sizeof(*u));
	pthread_mutex_init(&u->lock, NULL);
	u->out_fd = out_fd;
	u->irq = irq;
	u->cr = 0x300; /* TXE | RXE */
	u->ifls = 0x12; /* both FIFOs at half */
}

void vmm_pl011_destroy(struct vmm_pl011 *u)
{
	pthread_mutex_destroy(&u->lock);
}

size_t vmm_pl011_push_rx(struct vmm_pl011 *u, const uint8_t *buf, size_t len)
{
	size_t n = 0;

	pthread_mutex_lock(&u->lock);
	while (n < len && u->rx_count < fifo_depth(u)) {
		unsigned int tail =
			(u->rx_head + u->rx_count) % PL011_FIFO_DEPTH;

		u->rx[tail] = buf[n++];
		u->rx_count++;
		u->ris |= INT_RX;
	}
	if (n < len)
		u->rx_was_full = 1;
	update_irq_locked(u);
	pthread_mutex_unlock(&u->lock);
	return n;
}
