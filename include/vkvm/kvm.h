/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * <vkvm/kvm.h>: the Linux arm64 KVM user-space ABI as served by libvkvm.
 *
 * Names, numbers and structure layouts are those of Linux's
 * include/uapi/linux/kvm.h and arch/arm64/include/uapi/asm/kvm.h, taken as
 * facts from ../shared/spec/kvm-arm-api.md (section numbers below).  The
 * text is vkvm's own.  A VMM written against <linux/kvm.h> includes this
 * header instead and renames open/ioctl/close to vkvm_open/vkvm_ioctl/
 * vkvm_close (see <vkvm/vkvm.h>).
 *
 * Do not include this together with <linux/kvm.h>: both define the same
 * names.
 */
#ifndef VKVM_KVM_H
#define VKVM_KVM_H

#include <stdint.h>

/* ---------------------------------------------------------------------- */
/* ioctl number encoding: Linux's generic _IOC layout (spec 1.1).          */
/* dir 31:30 (write 1, read 2), size 29:16, type 15:8, nr 7:0.             */

#define VKVM_IOC_NONE 0U
#define VKVM_IOC_WRITE 1U
#define VKVM_IOC_READ 2U
#define VKVM_IOC(dir, type, nr, size)                   \
	((unsigned long)(((unsigned int)(dir) << 30) |  \
			 ((unsigned int)(size) << 16) | \
			 ((unsigned int)(type) << 8) | (unsigned int)(nr)))
#define VKVM_IO(type, nr) VKVM_IOC(VKVM_IOC_NONE, type, nr, 0)
#define VKVM_IOR(type, nr, t) VKVM_IOC(VKVM_IOC_READ, type, nr, sizeof(t))
#define VKVM_IOW(type, nr, t) VKVM_IOC(VKVM_IOC_WRITE, type, nr, sizeof(t))
#define VKVM_IOWR(type, nr, t) \
	VKVM_IOC(VKVM_IOC_READ | VKVM_IOC_WRITE, type, nr, sizeof(t))

#define KVMIO 0xAE
#define KVM_API_VERSION 12

/* ---------------------------------------------------------------------- */
/* Structures (spec 1.2).                                                  */

struct kvm_userspace_memory_region {
	uint32_t slot;
	uint32_t flags;
	uint64_t guest_phys_addr;
	uint64_t memory_size;
	uint64_t userspace_addr;
};

#define KVM_MEM_LOG_DIRTY_PAGES (1U << 0)
#define KVM_MEM_READONLY (1U << 1)

struct kvm_dirty_log {
	uint32_t slot;
	uint32_t padding1;
	union {
		void *dirty_bitmap;
		uint64_t padding2;
	};
};

struct kvm_clear_dirty_log {
	uint32_t slot;
	uint32_t num_pages;
	uint64_t first_page;
	union {
		void *dirty_bitmap;
		uint64_t padding2;
	};
};

/* KVM_ENABLE_CAP argument. */
struct kvm_enable_cap {
	uint32_t cap;
	uint32_t flags;
	uint64_t args[4];
	uint8_t pad[64];
};

/* KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 args[0] bits. */
#define KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE (1ULL << 0)
#define KVM_DIRTY_LOG_INITIALLY_SET (1ULL << 1)
#define KVM_DIRTY_LOG_MANUAL_CAPS \
	(KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE | KVM_DIRTY_LOG_INITIALLY_SET)

struct kvm_signal_mask {
	uint32_t len;
	uint8_t sigset[];
};

struct kvm_arm_device_addr {
	uint64_t id;
	uint64_t addr;
};

struct kvm_create_device {
	uint32_t type;
	uint32_t fd;
	uint32_t flags;
};

#define KVM_CREATE_DEVICE_TEST 1

struct kvm_device_attr {
	uint32_t flags;
	uint32_t group;
	uint64_t attr;
	uint64_t addr;
};

struct kvm_one_reg {
	uint64_t id;
	uint64_t addr;
};

struct kvm_reg_list {
	uint64_t n;
	uint64_t reg[];
};

struct kvm_irq_level {
	union {
		uint32_t irq;
		int32_t status;
	};
	uint32_t level;
};

struct kvm_vcpu_init {
	uint32_t target;
	uint32_t features[7];
};

struct kvm_msi {
	uint32_t address_lo;
	uint32_t address_hi;
	uint32_t data;
	uint32_t flags;
	uint32_t devid;
	uint8_t pad[12];
};

#define KVM_MSI_VALID_DEVID (1U << 0)

struct kvm_mp_state {
	uint32_t mp_state;
};

#define KVM_MP_STATE_RUNNABLE 0
#define KVM_MP_STATE_STOPPED 5
#define KVM_MP_STATE_SUSPENDED 10

/* struct kvm_regs (spec 4.3): the layout the CORE register ids index. */
struct user_pt_regs {
	uint64_t regs[31];
	uint64_t sp;
	uint64_t pc;
	uint64_t pstate;
};

struct user_fpsimd_state {
	__uint128_t vregs[32];
	uint32_t fpsr;
	uint32_t fpcr;
	uint32_t __reserved[2];
};

#define KVM_NR_SPSR 5

struct kvm_regs {
	struct user_pt_regs regs;
	uint64_t sp_el1;
	uint64_t elr_el1;
	uint64_t spsr[KVM_NR_SPSR];
	struct user_fpsimd_state fp_regs;
};

#define KVM_SPSR_EL1 0
#define KVM_SPSR_SVC KVM_SPSR_EL1
#define KVM_SPSR_ABT 1
#define KVM_SPSR_UND 2
#define KVM_SPSR_IRQ 3
#define KVM_SPSR_FIQ 4

/* The shared run structure mmap()ed from a vCPU fd. */
struct kvm_run {
	/* in */
	uint8_t request_interrupt_window;
	uint8_t immediate_exit;
	uint8_t padding1[6];

	/* out */
	uint32_t exit_reason;
	uint8_t ready_for_interrupt_injection;
	uint8_t if_flag;
	uint16_t flags;

	/* in (pre_kvm_run), out (post_kvm_run) */
	uint64_t cr8;
	uint64_t apic_base;

	union {
		struct {
			uint64_t hardware_exit_reason;
		} hw;
		struct {
			uint64_t hardware_entry_failure_reason;
			uint32_t cpu;
		} fail_entry;
		struct {
			uint64_t phys_addr;
			uint8_t data[8];
			uint32_t len;
			uint8_t is_write;
		} mmio;
		struct {
			uint32_t suberror;
			uint32_t ndata;
			uint64_t data[16];
		} internal;
		struct {
			uint32_t type;
			uint32_t ndata;
			union {
				uint64_t flags;
				uint64_t data[16];
			};
		} system_event;
		struct {
			uint64_t esr_iss;
			uint64_t fault_ipa;
		} arm_nisv;
		char padding[256];
	};

	uint64_t kvm_valid_regs;
	uint64_t kvm_dirty_regs;
	union {
		char padding[2048];
	} s;
};

/* exit reasons (spec 5.4) */
#define KVM_EXIT_UNKNOWN 0
#define KVM_EXIT_MMIO 6
#define KVM_EXIT_FAIL_ENTRY 9
#define KVM_EXIT_INTR 10
#define KVM_EXIT_INTERNAL_ERROR 17
#define KVM_EXIT_SYSTEM_EVENT 24
#define KVM_EXIT_ARM_NISV 28

#define KVM_EXIT_FAIL_ENTRY_CPU_UNSUPPORTED 1

#define KVM_INTERNAL_ERROR_EMULATION 1
#define KVM_INTERNAL_ERROR_SIMUL_EX 2
#define KVM_INTERNAL_ERROR_DELIVERY_EV 3
#define KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON 4

#define KVM_SYSTEM_EVENT_SHUTDOWN 1
#define KVM_SYSTEM_EVENT_RESET 2
#define KVM_SYSTEM_EVENT_CRASH 3
#define KVM_SYSTEM_EVENT_WAKEUP 4
#define KVM_SYSTEM_EVENT_SUSPEND 5
#define KVM_SYSTEM_EVENT_RESET_FLAG_PSCI_RESET2 (1ULL << 0)

/* ---------------------------------------------------------------------- */
/* ioctls (spec 1.1).                                                      */

/* system fd */
#define KVM_GET_API_VERSION VKVM_IO(KVMIO, 0x00)
#define KVM_CREATE_VM VKVM_IO(KVMIO, 0x01)
#define KVM_CHECK_EXTENSION VKVM_IO(KVMIO, 0x03)
#define KVM_GET_VCPU_MMAP_SIZE VKVM_IO(KVMIO, 0x04)

/* VM fd */
#define KVM_CREATE_VCPU VKVM_IO(KVMIO, 0x41)
#define KVM_GET_DIRTY_LOG VKVM_IOW(KVMIO, 0x42, struct kvm_dirty_log)
#define KVM_SET_USER_MEMORY_REGION \
	VKVM_IOW(KVMIO, 0x46, struct kvm_userspace_memory_region)
#define KVM_CREATE_IRQCHIP VKVM_IO(KVMIO, 0x60)
#define KVM_IRQ_LINE VKVM_IOW(KVMIO, 0x61, struct kvm_irq_level)
#define KVM_ENABLE_CAP VKVM_IOW(KVMIO, 0xa3, struct kvm_enable_cap)
#define KVM_SIGNAL_MSI VKVM_IOW(KVMIO, 0xa5, struct kvm_msi)
#define KVM_ARM_SET_DEVICE_ADDR \
	VKVM_IOW(KVMIO, 0xab, struct kvm_arm_device_addr)
#define KVM_ARM_PREFERRED_TARGET VKVM_IOR(KVMIO, 0xaf, struct kvm_vcpu_init)
#define KVM_CREATE_DEVICE VKVM_IOWR(KVMIO, 0xe0, struct kvm_create_device)
#define KVM_CLEAR_DIRTY_LOG VKVM_IOWR(KVMIO, 0xc0, struct kvm_clear_dirty_log)

/* vCPU fd */
#define KVM_RUN VKVM_IO(KVMIO, 0x80)
#define KVM_SET_SIGNAL_MASK VKVM_IOW(KVMIO, 0x8b, struct kvm_signal_mask)
#define KVM_GET_MP_STATE VKVM_IOR(KVMIO, 0x98, struct kvm_mp_state)
#define KVM_SET_MP_STATE VKVM_IOW(KVMIO, 0x99, struct kvm_mp_state)
#define KVM_GET_ONE_REG VKVM_IOW(KVMIO, 0xab, struct kvm_one_reg)
#define KVM_SET_ONE_REG VKVM_IOW(KVMIO, 0xac, struct kvm_one_reg)
#define KVM_ARM_VCPU_INIT VKVM_IOW(KVMIO, 0xae, struct kvm_vcpu_init)
#define KVM_GET_REG_LIST VKVM_IOWR(KVMIO, 0xb0, struct kvm_reg_list)
#define KVM_ARM_VCPU_FINALIZE VKVM_IOW(KVMIO, 0xc2, int)

/* device fd (and vCPU / VM fds for their own attributes) */
#define KVM_SET_DEVICE_ATTR VKVM_IOW(KVMIO, 0xe1, struct kvm_device_attr)
#define KVM_GET_DEVICE_ATTR VKVM_IOW(KVMIO, 0xe2, struct kvm_device_attr)
#define KVM_HAS_DEVICE_ATTR VKVM_IOW(KVMIO, 0xe3, struct kvm_device_attr)

/* ---------------------------------------------------------------------- */
/* Capabilities (spec 1.4 and Linux's numbering).                          */

#define KVM_CAP_IRQCHIP 0
#define KVM_CAP_USER_MEMORY 3
#define KVM_CAP_NR_VCPUS 9
#define KVM_CAP_NR_MEMSLOTS 10
#define KVM_CAP_MP_STATE 14
#define KVM_CAP_SYNC_MMU 16
#define KVM_CAP_MAX_VCPUS 66
#define KVM_CAP_ONE_REG 70
#define KVM_CAP_READONLY_MEM 81
#define KVM_CAP_ARM_PSCI 87
#define KVM_CAP_ARM_SET_DEVICE_ADDR 88
#define KVM_CAP_DEVICE_CTRL 89
#define KVM_CAP_ARM_EL1_32BIT 93
#define KVM_CAP_VM_ATTRIBUTES 101
#define KVM_CAP_ARM_PSCI_0_2 102
#define KVM_CAP_ARM_PMU_V3 126
#define KVM_CAP_VCPU_ATTRIBUTES 127
#define KVM_CAP_MAX_VCPU_ID 128
#define KVM_CAP_MSI_DEVID 131
#define KVM_CAP_IMMEDIATE_EXIT 136
#define KVM_CAP_ARM_USER_IRQ 144
#define KVM_CAP_ARM_VM_IPA_SIZE 165
#define KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2 168
#define KVM_CAP_ARM_SVE 170
#define KVM_CAP_ARM_IRQ_LINE_LAYOUT_2 174
#define KVM_CAP_ARM_NISV_TO_USER 177
#define KVM_CAP_ARM_INJECT_EXT_DABT 178
#define KVM_CAP_ARM_SYSTEM_SUSPEND 216

/* KVM_CREATE_VM type on arm64: bits 7:0 = IPA size in bits (0 = 40). */
#define KVM_VM_TYPE_ARM_IPA_SIZE_MASK 0xffULL
#define KVM_VM_TYPE_ARM_IPA_SIZE(x) ((x)&KVM_VM_TYPE_ARM_IPA_SIZE_MASK)

/* ---------------------------------------------------------------------- */
/* Device types (spec 1.3).                                                */

enum kvm_device_type {
	KVM_DEV_TYPE_FSL_MPIC_20 = 1,
	KVM_DEV_TYPE_FSL_MPIC_42 = 2,
	KVM_DEV_TYPE_XICS = 3,
	KVM_DEV_TYPE_VFIO = 4,
	KVM_DEV_TYPE_ARM_VGIC_V2 = 5,
	KVM_DEV_TYPE_FLIC = 6,
	KVM_DEV_TYPE_ARM_VGIC_V3 = 7,
	KVM_DEV_TYPE_ARM_VGIC_ITS = 8,
	KVM_DEV_TYPE_XIVE = 9,
	KVM_DEV_TYPE_ARM_PV_TIME = 10,
	KVM_DEV_TYPE_RISCV_AIA = 11,
	KVM_DEV_TYPE_MAX,
};

/* ---------------------------------------------------------------------- */
/* KVM_ARM_SET_DEVICE_ADDR ids (spec 2.1).                                 */

#define KVM_ARM_DEVICE_TYPE_SHIFT 0
#define KVM_ARM_DEVICE_TYPE_MASK (0xffff << KVM_ARM_DEVICE_TYPE_SHIFT)
#define KVM_ARM_DEVICE_ID_SHIFT 16
#define KVM_ARM_DEVICE_ID_MASK (0xffff << KVM_ARM_DEVICE_ID_SHIFT)
#define KVM_ARM_DEVICE_VGIC_V2 0

#define KVM_VGIC_V2_ADDR_TYPE_DIST 0
#define KVM_VGIC_V2_ADDR_TYPE_CPU 1
#define KVM_VGIC_V2_DIST_SIZE 0x1000
#define KVM_VGIC_V2_CPU_SIZE 0x2000

/* vGIC device attribute address types (spec 3.4). */
#define KVM_VGIC_V3_ADDR_TYPE_DIST 2
#define KVM_VGIC_V3_ADDR_TYPE_REDIST 3
#define KVM_VGIC_ITS_ADDR_TYPE 4
#define KVM_VGIC_V3_ADDR_TYPE_REDIST_REGION 5

#define KVM_VGIC_V3_DIST_SIZE 0x10000
#define KVM_VGIC_V3_REDIST_SIZE (2 * 0x10000)
#define KVM_VGIC_V3_ITS_SIZE (2 * 0x10000)

#define KVM_VGIC_V3_RDIST_INDEX_MASK 0x0000000000000fffULL
#define KVM_VGIC_V3_RDIST_FLAGS_MASK 0x000000000000f000ULL
#define KVM_VGIC_V3_RDIST_FLAGS_SHIFT 12
#define KVM_VGIC_V3_RDIST_BASE_MASK 0x000fffffffff0000ULL
#define KVM_VGIC_V3_RDIST_COUNT_MASK 0xfff0000000000000ULL
#define KVM_VGIC_V3_RDIST_COUNT_SHIFT 52

/* vGIC device attribute groups (spec 3.4 to 3.8). */
#define KVM_DEV_ARM_VGIC_GRP_ADDR 0
#define KVM_DEV_ARM_VGIC_GRP_DIST_REGS 1
#define KVM_DEV_ARM_VGIC_GRP_CPU_REGS 2
#define KVM_DEV_ARM_VGIC_GRP_NR_IRQS 3
#define KVM_DEV_ARM_VGIC_GRP_CTRL 4
#define KVM_DEV_ARM_VGIC_GRP_REDIST_REGS 5
#define KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS 6
#define KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO 7
#define KVM_DEV_ARM_VGIC_GRP_ITS_REGS 8
#define KVM_DEV_ARM_VGIC_GRP_MAINT_IRQ 9

#define KVM_DEV_ARM_VGIC_CPUID_SHIFT 32
#define KVM_DEV_ARM_VGIC_CPUID_MASK (0xffULL << KVM_DEV_ARM_VGIC_CPUID_SHIFT)
#define KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT 32
#define KVM_DEV_ARM_VGIC_V3_MPIDR_MASK \
	(0xffffffffULL << KVM_DEV_ARM_VGIC_V3_MPIDR_SHIFT)
#define KVM_DEV_ARM_VGIC_OFFSET_SHIFT 0
#define KVM_DEV_ARM_VGIC_OFFSET_MASK \
	(0xffffffffULL << KVM_DEV_ARM_VGIC_OFFSET_SHIFT)
#define KVM_DEV_ARM_VGIC_SYSREG_INSTR_MASK 0xffffULL
#define KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_SHIFT 10
#define KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_MASK \
	(0x3fffffULL << KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_SHIFT)
#define KVM_DEV_ARM_VGIC_LINE_LEVEL_INTID_MASK 0x3ffULL
#define VGIC_LEVEL_INFO_LINE_LEVEL 0

#define KVM_DEV_ARM_VGIC_CTRL_INIT 0
#define KVM_DEV_ARM_ITS_SAVE_TABLES 1
#define KVM_DEV_ARM_ITS_RESTORE_TABLES 2
#define KVM_DEV_ARM_VGIC_SAVE_PENDING_TABLES 3
#define KVM_DEV_ARM_ITS_CTRL_RESET 4

/* ---------------------------------------------------------------------- */
/* vCPU init (spec 5.1, 5.2).                                              */

#define KVM_ARM_TARGET_AEM_V8 0
#define KVM_ARM_TARGET_FOUNDATION_V8 1
#define KVM_ARM_TARGET_CORTEX_A57 2
#define KVM_ARM_TARGET_XGENE_POTENZA 3
#define KVM_ARM_TARGET_CORTEX_A53 4
#define KVM_ARM_TARGET_GENERIC_V8 5
#define KVM_ARM_NUM_TARGETS 6

#define KVM_ARM_VCPU_POWER_OFF 0
#define KVM_ARM_VCPU_EL1_32BIT 1
#define KVM_ARM_VCPU_PSCI_0_2 2
#define KVM_ARM_VCPU_PMU_V3 3
#define KVM_ARM_VCPU_SVE 4
#define KVM_ARM_VCPU_PTRAUTH_ADDRESS 5
#define KVM_ARM_VCPU_PTRAUTH_GENERIC 6
#define KVM_ARM_VCPU_HAS_EL2 7
#define KVM_ARM_VCPU_HAS_EL2_E2H0 8

/* vCPU device attributes (spec 5.4, vcpu.rst) */
#define KVM_ARM_VCPU_PMU_V3_CTRL 0
#define KVM_ARM_VCPU_TIMER_CTRL 1
#define KVM_ARM_VCPU_TIMER_IRQ_VTIMER 0
#define KVM_ARM_VCPU_TIMER_IRQ_PTIMER 1
#define KVM_ARM_VCPU_TIMER_IRQ_HVTIMER 2
#define KVM_ARM_VCPU_TIMER_IRQ_HPTIMER 3
#define KVM_ARM_VCPU_PVTIME_CTRL 2

/* ---------------------------------------------------------------------- */
/* KVM_IRQ_LINE encoding (spec 5.3).                                       */

#define KVM_ARM_IRQ_VCPU2_SHIFT 28
#define KVM_ARM_IRQ_VCPU2_MASK 0xf
#define KVM_ARM_IRQ_TYPE_SHIFT 24
#define KVM_ARM_IRQ_TYPE_MASK 0xf
#define KVM_ARM_IRQ_VCPU_SHIFT 16
#define KVM_ARM_IRQ_VCPU_MASK 0xff
#define KVM_ARM_IRQ_NUM_SHIFT 0
#define KVM_ARM_IRQ_NUM_MASK 0xffff

#define KVM_ARM_IRQ_TYPE_CPU 0
#define KVM_ARM_IRQ_TYPE_SPI 1
#define KVM_ARM_IRQ_TYPE_PPI 2

#define KVM_ARM_IRQ_CPU_IRQ 0
#define KVM_ARM_IRQ_CPU_FIQ 1

#define KVM_ARM_IRQ_GIC_MAX 127
#define KVM_ARM_IRQ_NUM_MAX 0xffff

/* ---------------------------------------------------------------------- */
/* ONE_REG ids (spec 4.2 to 4.6).                                          */

#define KVM_REG_ARCH_MASK 0xff00000000000000ULL
#define KVM_REG_GENERIC 0x0000000000000000ULL
#define KVM_REG_ARM64 0x6000000000000000ULL

#define KVM_REG_SIZE_SHIFT 52
#define KVM_REG_SIZE_MASK 0x00f0000000000000ULL
#define KVM_REG_SIZE_U8 0x0000000000000000ULL
#define KVM_REG_SIZE_U16 0x0010000000000000ULL
#define KVM_REG_SIZE_U32 0x0020000000000000ULL
#define KVM_REG_SIZE_U64 0x0030000000000000ULL
#define KVM_REG_SIZE_U128 0x0040000000000000ULL
#define KVM_REG_SIZE_U256 0x0050000000000000ULL
#define KVM_REG_SIZE_U512 0x0060000000000000ULL
#define KVM_REG_SIZE_U1024 0x0070000000000000ULL
#define KVM_REG_SIZE_U2048 0x0080000000000000ULL
#define KVM_REG_SIZE(id) \
	(1U << (((id)&KVM_REG_SIZE_MASK) >> KVM_REG_SIZE_SHIFT))

#define KVM_REG_ARM_COPROC_MASK 0x000000000FFF0000ULL
#define KVM_REG_ARM_COPROC_SHIFT 16

/* CORE: index = offset in struct kvm_regs / 4 */
#define KVM_REG_ARM_CORE (0x0010ULL << KVM_REG_ARM_COPROC_SHIFT)
#define KVM_REG_ARM_CORE_REG(name) \
	(__builtin_offsetof(struct kvm_regs, name) / sizeof(uint32_t))

/* DEMUX (CCSIDR) */
#define KVM_REG_ARM_DEMUX (0x0011ULL << KVM_REG_ARM_COPROC_SHIFT)
#define KVM_REG_ARM_DEMUX_ID_MASK 0x000000000000FF00ULL
#define KVM_REG_ARM_DEMUX_ID_SHIFT 8
#define KVM_REG_ARM_DEMUX_ID_CCSIDR (0x00ULL << KVM_REG_ARM_DEMUX_ID_SHIFT)
#define KVM_REG_ARM_DEMUX_VAL_MASK 0x00000000000000FFULL
#define KVM_REG_ARM_DEMUX_VAL_SHIFT 0

/* SYSREG */
#define KVM_REG_ARM64_SYSREG (0x0013ULL << KVM_REG_ARM_COPROC_SHIFT)
#define KVM_REG_ARM64_SYSREG_OP0_MASK 0x000000000000c000ULL
#define KVM_REG_ARM64_SYSREG_OP0_SHIFT 14
#define KVM_REG_ARM64_SYSREG_OP1_MASK 0x0000000000003800ULL
#define KVM_REG_ARM64_SYSREG_OP1_SHIFT 11
#define KVM_REG_ARM64_SYSREG_CRN_MASK 0x0000000000000780ULL
#define KVM_REG_ARM64_SYSREG_CRN_SHIFT 7
#define KVM_REG_ARM64_SYSREG_CRM_MASK 0x0000000000000078ULL
#define KVM_REG_ARM64_SYSREG_CRM_SHIFT 3
#define KVM_REG_ARM64_SYSREG_OP2_MASK 0x0000000000000007ULL
#define KVM_REG_ARM64_SYSREG_OP2_SHIFT 0

#define ARM64_SYS_REG_SHIFT_MASK(x, n)                         \
	(((uint64_t)(x) << KVM_REG_ARM64_SYSREG_##n##_SHIFT) & \
	 KVM_REG_ARM64_SYSREG_##n##_MASK)

#define __ARM64_SYS_REG(op0, op1, crn, crm, op2) \
	(KVM_REG_ARM64 | KVM_REG_ARM64_SYSREG |  \
	 ARM64_SYS_REG_SHIFT_MASK(op0, OP0) |    \
	 ARM64_SYS_REG_SHIFT_MASK(op1, OP1) |    \
	 ARM64_SYS_REG_SHIFT_MASK(crn, CRN) |    \
	 ARM64_SYS_REG_SHIFT_MASK(crm, CRM) |    \
	 ARM64_SYS_REG_SHIFT_MASK(op2, OP2))

#define ARM64_SYS_REG(...) (__ARM64_SYS_REG(__VA_ARGS__) | KVM_REG_SIZE_U64)

/* Timer registers; CNT and CVAL of the virtual timer are swapped (4.4). */
#define KVM_REG_ARM_TIMER_CTL ARM64_SYS_REG(3, 3, 14, 3, 1)
#define KVM_REG_ARM_TIMER_CNT ARM64_SYS_REG(3, 3, 14, 3, 2)
#define KVM_REG_ARM_TIMER_CVAL ARM64_SYS_REG(3, 3, 14, 0, 2)
#define KVM_REG_ARM_PTIMER_CTL ARM64_SYS_REG(3, 3, 14, 2, 1)
#define KVM_REG_ARM_PTIMER_CVAL ARM64_SYS_REG(3, 3, 14, 2, 2)
#define KVM_REG_ARM_PTIMER_CNT ARM64_SYS_REG(3, 3, 14, 0, 1)

/* FW pseudo-registers (spec 4.6) */
#define KVM_REG_ARM_FW (0x0014ULL << KVM_REG_ARM_COPROC_SHIFT)
#define KVM_REG_ARM_FW_REG(r) \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_FW | ((r)&0xffff))
#define KVM_REG_ARM_PSCI_VERSION KVM_REG_ARM_FW_REG(0)
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1 KVM_REG_ARM_FW_REG(1)
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1_NOT_AVAIL 0
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1_AVAIL 1
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1_NOT_REQUIRED 2
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2 KVM_REG_ARM_FW_REG(2)
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_NOT_AVAIL 0
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_UNKNOWN 1
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_AVAIL 2
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_NOT_REQUIRED 3
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_ENABLED (1U << 4)
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3 KVM_REG_ARM_FW_REG(3)
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3_NOT_AVAIL 0
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3_AVAIL 1
#define KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3_NOT_REQUIRED 2

#define KVM_ARM_PSCI_0_1 0x00001
#define KVM_ARM_PSCI_0_2 0x00002
#define KVM_ARM_PSCI_1_0 0x10000
#define KVM_ARM_PSCI_1_1 0x10001
#define KVM_ARM_PSCI_LATEST KVM_ARM_PSCI_1_1

/* SVE (spec 4.5): ids only; vkvm does not offer SVE. */
#define KVM_REG_ARM64_SVE (0x0015ULL << KVM_REG_ARM_COPROC_SHIFT)
#define KVM_REG_ARM64_SVE_VLS \
	(KVM_REG_ARM64 | KVM_REG_ARM64_SVE | KVM_REG_SIZE_U512 | 0xffff)

/* FW feature bitmaps (spec 4.6) */
#define KVM_REG_ARM_FW_FEAT_BMAP (0x0016ULL << KVM_REG_ARM_COPROC_SHIFT)
#define KVM_REG_ARM_FW_FEAT_BMAP_REG(r)                                \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_FW_FEAT_BMAP | \
	 ((r)&0xffff))
#define KVM_REG_ARM_STD_BMAP KVM_REG_ARM_FW_FEAT_BMAP_REG(0)
#define KVM_REG_ARM_STD_BIT_TRNG_V1_0 0
#define KVM_REG_ARM_STD_HYP_BMAP KVM_REG_ARM_FW_FEAT_BMAP_REG(1)
#define KVM_REG_ARM_STD_HYP_BIT_PV_TIME 0
#define KVM_REG_ARM_VENDOR_HYP_BMAP KVM_REG_ARM_FW_FEAT_BMAP_REG(2)
#define KVM_REG_ARM_VENDOR_HYP_BIT_FUNC_FEAT 0
#define KVM_REG_ARM_VENDOR_HYP_BIT_PTP 1

/* PSCI function ids and return codes (spec 5.4) */
#define KVM_PSCI_FN_BASE 0x95c1ba5eU
#define KVM_PSCI_FN(n) (KVM_PSCI_FN_BASE + (n))
#define KVM_PSCI_FN_CPU_SUSPEND KVM_PSCI_FN(0)
#define KVM_PSCI_FN_CPU_OFF KVM_PSCI_FN(1)
#define KVM_PSCI_FN_CPU_ON KVM_PSCI_FN(2)
#define KVM_PSCI_FN_MIGRATE KVM_PSCI_FN(3)

#define KVM_PSCI_RET_SUCCESS 0
#define KVM_PSCI_RET_NI ((unsigned long)-1)
#define KVM_PSCI_RET_INVAL ((unsigned long)-2)
#define KVM_PSCI_RET_DENIED ((unsigned long)-3)

#endif /* VKVM_KVM_H */
