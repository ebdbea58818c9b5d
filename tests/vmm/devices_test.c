// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * devices_test.c: the MMIO bus, PL011 (DDI 0183), PL031 (DDI 0224) and the
 * empty virtio-mmio slots, driven through the bus as a guest would.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "lib/test.h"
#include "vmm/bus.h"
#include "vmm/layout.h"
#include "vmm/pl011.h"
#include "vmm/pl031.h"
#include "vmm/virtio_empty.h"

#define UART VIRT_UART_BASE
#define RTC VIRT_RTC_BASE

static uint64_t rd(struct vmm_bus *bus, uint64_t addr, unsigned int len)
{
	uint8_t d[8];
	uint64_t v = 0;

	memset(d, 0xee, sizeof(d));
	vmm_bus_access(bus, addr, d, len, false);
	for (unsigned int i = 0; i < len; i++)
		v |= (uint64_t)d[i] << (8 * i);
	return v;
}

static void wr(struct vmm_bus *bus, uint64_t addr, uint64_t v)
{
	uint8_t d[8];

	for (int i = 0; i < 4; i++)
		d[i] = (uint8_t)(v >> (8 * i));
	vmm_bus_access(bus, addr, d, 4, true);
}

struct rig {
	struct vmm_bus bus;
	struct vmm_pl011 uart;
	struct vmm_pl031 rtc;
	int out[2];
	int space_calls;
};

static void on_space(void *opaque)
{
	((struct rig *)opaque)->space_calls++;
}

static void rig_init(struct rig *r)
{
	struct vmm_irq_line none = { -1, 33, 0 };

	memset(r, 0, sizeof(*r));
	if (pipe2(r->out, O_NONBLOCK) < 0)
		abort();
	vmm_bus_init(&r->bus);
	vmm_pl011_init(&r->uart, r->out[1], none);
	r->uart.rx_space = on_space;
	r->uart.rx_space_opaque = r;
	none.intid = 34;
	vmm_pl031_init(&r->rtc, none);
	if (vmm_bus_add(&r->bus, UART, 0x1000, &vmm_pl011_ops, &r->uart) ||
	    vmm_bus_add(&r->bus, RTC, 0x1000, &vmm_pl031_ops, &r->rtc) ||
	    vmm_bus_add(&r->bus, VIRT_MMIO_BASE, 0x200, &vmm_virtio_empty_ops,
			NULL))
		abort();
}

static void rig_fini(struct rig *r)
{
	vmm_pl011_destroy(&r->uart);
	vmm_pl031_destroy(&r->rtc);
	vmm_bus_destroy(&r->bus);
	close(r->out[0]);
	close(r->out[1]);
}

TEST(bus_rejects_overlap_zero_size_and_overflow)
{
	struct vmm_bus bus;

	vmm_bus_init(&bus);
	EXPECT_EQ(vmm_bus_add(&bus, 0x1000, 0x1000, &vmm_pl011_ops, NULL), 0);
	EXPECT_EQ(vmm_bus_add(&bus, 0x1800, 0x1000, &vmm_pl011_ops, NULL),
		  -EEXIST);
	EXPECT_EQ(vmm_bus_add(&bus, 0x0, 0x1001, &vmm_pl011_ops, NULL),
		  -EEXIST);
	EXPECT_EQ(vmm_bus_add(&bus, 0x5000, 0, &vmm_pl011_ops, NULL), -EINVAL);
	EXPECT_EQ(vmm_bus_add(&bus, UINT64_MAX, 2, &vmm_pl011_ops, NULL),
		  -EINVAL);
	for (unsigned int i = 1; i < VMM_BUS_MAX_REGIONS; i++)
		EXPECT_EQ(vmm_bus_add(&bus, 0x10000 * (i + 1), 0x10,
				      &vmm_pl011_ops, NULL),
			  0);
	EXPECT_EQ(vmm_bus_add(&bus, 0x100000000ULL, 0x10, &vmm_pl011_ops, NULL),
		  -ENOSPC);
	vmm_bus_destroy(&bus);
}

TEST(bus_unmapped_reads_zero_and_bad_length_is_ignored)
{
	struct rig r;
	uint8_t d[8];

	rig_init(&r);
	EXPECT_EQ(rd(&r.bus, 0x12345678, 4), 0);
	EXPECT_EQ(rd(&r.bus, 0x12345678, 8), 0);
	wr(&r.bus, 0x12345678, 0xffffffff); /* no crash, no effect */
	memset(d, 0xee, sizeof(d));
	vmm_bus_access(&r.bus, UART + 0x18, d, 0, false);
	vmm_bus_access(&r.bus, UART + 0x18, d, 9, false);
	EXPECT_EQ(d[0], 0xee);
	rig_fini(&r);
}

TEST(pl011_id_registers_match_amba_probe)
{
	static const uint8_t id[8] = { 0x11, 0x10, 0x14, 0x00,
				       0x0d, 0xf0, 0x05, 0xb1 };
	struct rig r;

	rig_init(&r);
	for (int i = 0; i < 8; i++)
		EXPECT_EQ(rd(&r.bus, UART + 0xfe0 + 4 * i, 4), id[i]);
	rig_fini(&r);
}

TEST(pl011_reset_flags_and_registers)
{
	struct rig r;

	rig_init(&r);
	EXPECT_EQ(rd(&r.bus, UART + 0x18, 4), 0x90); /* TXFE | RXFE */
	EXPECT_EQ(rd(&r.bus, UART + 0x30, 4), 0x300);
	EXPECT_EQ(rd(&r.bus, UART + 0x34, 4), 0x12);
	EXPECT_EQ(rd(&r.bus, UART + 0x3c, 4), 0x20); /* TX raised */
	EXPECT_EQ(rd(&r.bus, UART + 0x40, 4), 0);
	wr(&r.bus, UART + 0x24, 0x12345);
	EXPECT_EQ(rd(&r.bus, UART + 0x24, 4), 0x2345);
	EXPECT_EQ(rd(&r.bus, UART + 0x24, 2), 0x2345); /* 16-bit access */
	EXPECT_EQ(rd(&r.bus, UART + 0x26, 2), 0); /* mid-register: RAZ */
	rig_fini(&r);
}

TEST(pl011_tx_writes_the_byte_out)
{
	struct rig r;
	char buf[8];

	rig_init(&r);
	wr(&r.bus, UART, 'h');
	wr(&r.bus, UART, 0x100 | 'i');
	EXPECT_EQ(read(r.out[0], buf, sizeof(buf)), 2);
	EXPECT(!memcmp(buf, "hi", 2));
	rig_fini(&r);
}

TEST(pl011_rx_without_fifo_holds_one_byte)
{
	struct rig r;

	rig_init(&r);
	EXPECT_EQ(vmm_pl011_push_rx(&r.uart, (const uint8_t *)"ab", 2), 1);
	EXPECT_EQ(rd(&r.bus, UART + 0x18, 4) & 0x50, 0x40); /* RXFF */
	EXPECT_EQ(rd(&r.bus, UART, 4), 'a');
	EXPECT_EQ(r.space_calls, 1);
	EXPECT_EQ(rd(&r.bus, UART + 0x18, 4) & 0x50, 0x10); /* RXFE */
	rig_fini(&r);
}

TEST(pl011_rx_fifo_of_16_and_interrupt_level)
{
	uint8_t in[20];
	struct rig r;

	rig_init(&r);
	for (int i = 0; i < 20; i++)
		in[i] = (uint8_t)('A' + i);
	wr(&r.bus, UART + 0x2c, 0x70); /* FEN, 8 bits */
	wr(&r.bus, UART + 0x38, 0x10); /* RXIM */
	EXPECT_EQ(r.uart.irq.level, 0);
	EXPECT_EQ(vmm_pl011_push_rx(&r.uart, in, 20), 16);
	EXPECT_EQ(r.uart.irq.level, 1);
	EXPECT_EQ(rd(&r.bus, UART + 0x40, 4), 0x10);
	for (int i = 0; i < 16; i++)
		EXPECT_EQ(rd(&r.bus, UART, 4), 'A' + i);
	EXPECT_EQ(r.uart.irq.level, 0);
	EXPECT_EQ(rd(&r.bus, UART, 4), 0); /* empty FIFO reads 0 */
	rig_fini(&r);
}

TEST(pl011_icr_clears_and_imsc_masks)
{
	struct rig r;

	rig_init(&r);
	wr(&r.bus, UART + 0x38, 0x30); /* RXIM | TXIM */
	EXPECT_EQ(r.uart.irq.level, 1); /* TX is always raised */
	wr(&r.bus, UART + 0x38, 0x10);
	EXPECT_EQ(r.uart.irq.level, 0);
	vmm_pl011_push_rx(&r.uart, (const uint8_t *)"z", 1);
	EXPECT_EQ(r.uart.irq.level, 1);
	wr(&r.bus, UART + 0x44, 0x10);
	EXPECT_EQ(r.uart.irq.level, 0);
	EXPECT_EQ(rd(&r.bus, UART + 0x3c, 4), 0x20);
	rig_fini(&r);
}

TEST(pl011_fifo_toggle_keeps_typed_ahead_input)
{
	struct rig r;

	rig_init(&r);
	vmm_pl011_push_rx(&r.uart, (const uint8_t *)"q", 1);
	wr(&r.bus, UART + 0x2c, 0x10);
	EXPECT_EQ(rd(&r.bus, UART + 0x2c, 4), 0x10);
	EXPECT_EQ(rd(&r.bus, UART + 0x18, 4) & 0x10, 0);
	EXPECT_EQ(rd(&r.bus, UART, 4), 'q');
	wr(&r.bus, UART + 0x2c, 0);
	EXPECT_EQ(vmm_pl011_push_rx(&r.uart, (const uint8_t *)"ab", 2), 1);
	EXPECT_EQ(r.space_calls, 0);
	wr(&r.bus, UART + 0x2c, 0x10); /* FIFOs on: the feeder may go on */
	EXPECT_EQ(r.space_calls, 1);
	rig_fini(&r);
}

TEST(pl031_counts_host_time_and_load_moves_it)
{
	struct rig r;
	uint32_t now;

	rig_init(&r);
	now = (uint32_t)time(NULL);
	EXPECT(rd(&r.bus, RTC, 4) - now <= 1);
	EXPECT_EQ(rd(&r.bus, RTC + 0x0c, 4), 1);
	wr(&r.bus, RTC + 0x08, 1000);
	EXPECT(rd(&r.bus, RTC, 4) - 1000 <= 1);
	EXPECT_EQ(rd(&r.bus, RTC + 0xfe0, 4), 0x31);
	EXPECT_EQ(rd(&r.bus, RTC + 0xff0, 4), 0x0d);
	EXPECT_EQ(rd(&r.bus, RTC + 0x7fc, 4), 0);
	rig_fini(&r);
}

TEST(pl031_match_raises_interrupt_until_cleared)
{
	struct rig r;
	uint32_t now;

	rig_init(&r);
	now = (uint32_t)rd(&r.bus, RTC, 4);
	wr(&r.bus, RTC + 0x04, now + 1);
	wr(&r.bus, RTC + 0x10, 1);
	EXPECT(vmm_pl031_poll(&r.rtc) >= 0);
	usleep(1100 * 1000);
	EXPECT(vmm_pl031_poll(&r.rtc) < 0);
	EXPECT_EQ(rd(&r.bus, RTC + 0x14, 4), 1);
	EXPECT_EQ(rd(&r.bus, RTC + 0x18, 4), 1);
	EXPECT_EQ(r.rtc.irq.level, 1);
	wr(&r.bus, RTC + 0x1c, 1);
	EXPECT_EQ(rd(&r.bus, RTC + 0x14, 4), 0);
	EXPECT_EQ(r.rtc.irq.level, 0);
	rig_fini(&r);
}

static void on_alarm_changed(void *opaque)
{
	(*(int *)opaque)++;
}

/* The main loop sleeps as long as vmm_pl031_poll() said; an alarm armed
 * meanwhile must shorten that sleep, or it fires late (by the --timeout). */
TEST(pl031_arming_the_alarm_tells_the_poller)
{
	struct rig r;
	int calls = 0;

	rig_init(&r);
	r.rtc.alarm_changed = on_alarm_changed;
	r.rtc.alarm_changed_opaque = &calls;
	EXPECT(vmm_pl031_poll(&r.rtc) < 0);
	wr(&r.bus, RTC + 0x04, (uint32_t)rd(&r.bus, RTC, 4) + 1); /* MR */
	EXPECT_EQ(calls, 1);
	EXPECT(vmm_pl031_poll(&r.rtc) >= 0);
	wr(&r.bus, RTC + 0x10, 1); /* IMSC */
	EXPECT_EQ(calls, 2);
	wr(&r.bus, RTC + 0x08, 1000); /* LR moves the counter */
	EXPECT_EQ(calls, 3);
	wr(&r.bus, RTC + 0x1c, 1); /* ICR only clears */
	EXPECT_EQ(calls, 3);
	rig_fini(&r);
}

TEST(virtio_slot_is_present_but_empty)
{
	struct rig r;

	rig_init(&r);
	EXPECT_EQ(rd(&r.bus, VIRT_MMIO_BASE, 4), 0x74726976);
	EXPECT_EQ(rd(&r.bus, VIRT_MMIO_BASE + 4, 4), 2);
	EXPECT_EQ(rd(&r.bus, VIRT_MMIO_BASE + 8, 4), 0); /* no device */
	wr(&r.bus, VIRT_MMIO_BASE + 0x70, 0xf);
	EXPECT_EQ(rd(&r.bus, VIRT_MMIO_BASE + 0x70, 4), 0);
	rig_fini(&r);
}
