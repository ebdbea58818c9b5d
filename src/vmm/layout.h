/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * layout.h: the QEMU `virt` machine's memory map, interrupt numbers and
 * limits (../shared/spec/virt-machine.md, "Memory map").
 */
#ifndef VKVM_VMM_LAYOUT_H
#define VKVM_VMM_LAYOUT_H

#define VIRT_FLASH_BASE 0x00000000ULL
#define VIRT_FLASH_SIZE 0x04000000ULL /* flash bank 0: --bios */
#define VIRT_FLASH1_BASE 0x04000000ULL /* flash bank 1: empty, reads 0 */
#define VIRT_GIC_DIST_BASE 0x08000000ULL
#define VIRT_GIC_DIST_SIZE 0x00010000ULL
#define VIRT_GIC_CPU_BASE 0x08010000ULL
#define VIRT_GIC_CPU_SIZE 0x00010000ULL
#define VIRT_GIC_REDIST_BASE 0x080A0000ULL
#define VIRT_GIC_REDIST_SIZE 0x00F60000ULL
#define VIRT_GIC_REDIST_FRAME 0x20000ULL
#define VIRT_UART_BASE 0x09000000ULL
#define VIRT_UART_SIZE 0x1000ULL
#define VIRT_RTC_BASE 0x09010000ULL
#define VIRT_RTC_SIZE 0x1000ULL
#define VIRT_MMIO_BASE 0x0A000000ULL
#define VIRT_MMIO_SLOT_SIZE 0x200ULL
#define VIRT_MMIO_SLOTS 32
#define VIRT_RAM_BASE 0x40000000ULL

/* SPI numbers (INTID - 32), as the device tree's interrupt cells give them */
#define VIRT_UART_SPI 1
#define VIRT_RTC_SPI 2
#define VIRT_MMIO_SPI 16

/* Interrupt IDs handed to the vGIC: 256 SPIs, as QEMU's virt. */
#define VIRT_NR_IRQS 288

/* PPIs of the generic timer (INTID - 16): secure, non-secure, virt, hyp */
#define VIRT_TIMER_S_PPI 13
#define VIRT_TIMER_NS_PPI 14
#define VIRT_TIMER_VIRT_PPI 11
#define VIRT_TIMER_HYP_PPI 10

/* vCPU limits: GICv2's 8 targets; one GICv3 redistributor region. */
#define VIRT_MAX_CPUS_GICV2 8
#define VIRT_MAX_CPUS_GICV3 (VIRT_GIC_REDIST_SIZE / VIRT_GIC_REDIST_FRAME)

/* RAM: 1 MiB at least; it must end below the default 40-bit IPA space. */
#define VIRT_RAM_MIN_MIB 1ULL
#define VIRT_RAM_MAX_MIB (((1ULL << 40) - VIRT_RAM_BASE) >> 20)
#define VIRT_RAM_DEFAULT_MIB 128ULL

/* Boot placement (QEMU hw/arm/boot.c behaviour, virt-machine.md) */
#define VIRT_RAW_LOAD_OFFSET 0x80000ULL
#define VIRT_INITRD_MAX_OFFSET (128ULL << 20)
#define VIRT_DTB_ALIGN (2ULL << 20)
#define VIRT_DTB_MAX_SIZE (2ULL << 20)

/* The fixed clock of the PL011 and PL031 (QEMU: 24 MHz "apb-pclk"). */
#define VIRT_APB_CLOCK_HZ 24000000U

#endif /* VKVM_VMM_LAYOUT_H */
