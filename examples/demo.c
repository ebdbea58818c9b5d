// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * demo.c: create a VM with two vCPUs and print, for each, its register
 * list (KVM_GET_REG_LIST, by name) and its core registers and MPIDR
 * (KVM_GET_ONE_REG), using only the public API.  `make demo` runs it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vkvm/vkvm.h>

#define NR_VCPUS 2
#define LINE_WIDTH 78
#define REG_MPIDR_EL1 ARM64_SYS_REG(3, 0, 0, 0, 5)

struct reg_name {
	uint64_t id;
	const char *name;
};

/* Names for the registers a reader looks for; the rest print encoded. */
static const struct reg_name named_regs[] = {
	{ ARM64_SYS_REG(3, 0, 0, 0, 0), "MIDR_EL1" },
	{ REG_MPIDR_EL1, "MPIDR_EL1" },
	{ ARM64_SYS_REG(3, 0, 0, 4, 0), "ID_AA64PFR0_EL1" },
	{ ARM64_SYS_REG(3, 0, 0, 6, 0), "ID_AA64ISAR0_EL1" },
	{ ARM64_SYS_REG(3, 0, 0, 7, 0), "ID_AA64MMFR0_EL1" },
	{ ARM64_SYS_REG(3, 0, 1, 0, 0), "SCTLR_EL1" },
	{ ARM64_SYS_REG(3, 0, 1, 0, 2), "CPACR_EL1" },
	{ ARM64_SYS_REG(3, 0, 2, 0, 0), "TTBR0_EL1" },
	{ ARM64_SYS_REG(3, 0, 2, 0, 1), "TTBR1_EL1" },
	{ ARM64_SYS_REG(3, 0, 2, 0, 2), "TCR_EL1" },
	{ ARM64_SYS_REG(3, 0, 5, 2, 0), "ESR_EL1" },
	{ ARM64_SYS_REG(3, 0, 6, 0, 0), "FAR_EL1" },
	{ ARM64_SYS_REG(3, 0, 10, 2, 0), "MAIR_EL1" },
	{ ARM64_SYS_REG(3, 0, 12, 0, 0), "VBAR_EL1" },
	{ ARM64_SYS_REG(3, 0, 13, 0, 1), "CONTEXTIDR_EL1" },
	{ ARM64_SYS_REG(3, 0, 13, 0, 4), "TPIDR_EL1" },
	{ ARM64_SYS_REG(3, 3, 13, 0, 2), "TPIDR_EL0" },
	{ ARM64_SYS_REG(3, 3, 13, 0, 3), "TPIDRRO_EL0" },
	{ KVM_REG_ARM_TIMER_CTL, "CNTV_CTL_EL0" },
	{ KVM_REG_ARM_TIMER_CNT, "CNTVCT_EL0" },
	{ KVM_REG_ARM_TIMER_CVAL, "CNTV_CVAL_EL0" },
	{ KVM_REG_ARM_PTIMER_CTL, "CNTP_CTL_EL0" },
	{ KVM_REG_ARM_PTIMER_CNT, "CNTPCT_EL0" },
	{ KVM_REG_ARM_PTIMER_CVAL, "CNTP_CVAL_EL0" },
	{ KVM_REG_ARM_PSCI_VERSION, "PSCI_VERSION" },
	{ KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1, "SMCCC_WORKAROUND_1" },
	{ KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2, "SMCCC_WORKAROUND_2" },
	{ KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3, "SMCCC_WORKAROUND_3" },
	{ KVM_REG_ARM_STD_BMAP, "FW_STD_BMAP" },
	{ KVM_REG_ARM_STD_HYP_BMAP, "FW_STD_HYP_BMAP" },
	{ KVM_REG_ARM_VENDOR_HYP_BMAP, "FW_VENDOR_HYP_BMAP" },
};

/* Core registers are named by their index (offset in kvm_regs / 4). */
static const struct reg_name core_regs[] = {
	{ KVM_REG_ARM_CORE_REG(regs.sp), "SP" },
	{ KVM_REG_ARM_CORE_REG(regs.pc), "PC" },
	{ KVM_REG_ARM_CORE_REG(regs.pstate), "PSTATE" },
	{ KVM_REG_ARM_CORE_REG(sp_el1), "SP_EL1" },
	{ KVM_REG_ARM_CORE_REG(elr_el1), "ELR_EL1" },
	{ KVM_REG_ARM_CORE_REG(fp_regs.fpsr), "FPSR" },
	{ KVM_REG_ARM_CORE_REG(fp_regs.fpcr), "FPCR" },
};

static const char *find_name(const struct reg_name *t, size_t n, uint64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].id == id)
			return t[i].name;
	return NULL;
}

static void core_name(uint64_t idx, char *buf, size_t len)
{
	const uint64_t spsr0 = KVM_REG_ARM_CORE_REG(spsr[0]);
	const uint64_t v0 = KVM_REG_ARM_CORE_REG(fp_regs.vregs[0]);
	const char *name = find_name(
		core_regs, sizeof(core_regs) / sizeof(core_regs[0]), idx);

	if (name)
		snprintf(buf, len, "%s", name);
	else if (idx < KVM_REG_ARM_CORE_REG(regs.sp))
		snprintf(buf, len, "X%u", (unsigned int)(idx / 2));
	else if (idx >= spsr0 && idx < spsr0 + 2 * KVM_NR_SPSR)
		snprintf(buf, len, "SPSR[%u]", (unsigned int)(idx - spsr0) / 2);
	else if (idx >= v0 && idx < v0 + 4 * 32)
		snprintf(buf, len, "V%u", (unsigned int)(idx - v0) / 4);
	else
		snprintf(buf, len, "CORE+%#x", (unsigned int)idx);
}

static void sysreg_name(uint64_t id, char *buf, size_t len)
{
	snprintf(buf, len, "S%u_%u_C%u_C%u_%u",
		 (unsigned int)((id & KVM_REG_ARM64_SYSREG_OP0_MASK) >>
				KVM_REG_ARM64_SYSREG_OP0_SHIFT),
		 (unsigned int)((id & KVM_REG_ARM64_SYSREG_OP1_MASK) >>
				KVM_REG_ARM64_SYSREG_OP1_SHIFT),
		 (unsigned int)((id & KVM_REG_ARM64_SYSREG_CRN_MASK) >>
				KVM_REG_ARM64_SYSREG_CRN_SHIFT),
		 (unsigned int)((id & KVM_REG_ARM64_SYSREG_CRM_MASK) >>
				KVM_REG_ARM64_SYSREG_CRM_SHIFT),
		 (unsigned int)((id & KVM_REG_ARM64_SYSREG_OP2_MASK) >>
				KVM_REG_ARM64_SYSREG_OP2_SHIFT));
}

/* reg_name - a readable name for register @id (spec 4.2 id layout). */
static void reg_name(uint64_t id, char *buf, size_t len)
{
	const char *name = find_name(
		named_regs, sizeof(named_regs) / sizeof(named_regs[0]), id);

	if (name) {
		snprintf(buf, len, "%s", name);
		return;
	}
	switch (id & KVM_REG_ARM_COPROC_MASK) {
	case KVM_REG_ARM_CORE:
		core_name(id & 0xffff, buf, len);
		break;
	case KVM_REG_ARM64_SYSREG:
		sysreg_name(id, buf, len);
		break;
	case KVM_REG_ARM_DEMUX:
		snprintf(buf, len, "CCSIDR[%u]",
			 (unsigned int)(id & KVM_REG_ARM_DEMUX_VAL_MASK));
		break;
	default:
		snprintf(buf, len, "%#llx", (unsigned long long)id);
		break;
	}
}

/* Print @text as the next item of a wrapped, indented list. */
static void list_item(const char *text, int *col)
{
	int w = (int)strlen(text) + 1;

	if (*col + w > LINE_WIDTH) {
		printf("\n");
		*col = 0;
	}
	if (*col == 0)
		*col = printf("   ");
	*col += printf(" %s", text);
}

static struct kvm_reg_list *get_reg_list(int vcpu)
{
	struct kvm_reg_list probe = { .n = 0 }, *list;

	/* n = 0 is too small for any vCPU: E2BIG, with the count in n. */
	if (vkvm_ioctl(vcpu, KVM_GET_REG_LIST, &probe) < 0 && errno != E2BIG)
		return NULL;
	list = calloc(1, sizeof(*list) + probe.n * sizeof(uint64_t));
	if (!list)
		return NULL;
	list->n = probe.n;
	if (vkvm_ioctl(vcpu, KVM_GET_REG_LIST, list) < 0) {
		free(list);
		return NULL;
	}
	return list;
}

/* Format register @id of @vcpu as "NAME=VALUE" (up to 128 bits, in hex). */
static int format_reg(int vcpu, uint64_t id, char *buf, size_t len)
{
	uint64_t v[2] = { 0, 0 };
	struct kvm_one_reg reg = { .id = id, .addr = (uint64_t)(uintptr_t)v };
	char name[32];

	if (KVM_REG_SIZE(id) > sizeof(v) ||
	    vkvm_ioctl(vcpu, KVM_GET_ONE_REG, &reg) < 0)
		return -1;
	reg_name(id, name, sizeof(name));
	if (v[1])
		snprintf(buf, len, "%s=%#llx%016llx", name,
			 (unsigned long long)v[1], (unsigned long long)v[0]);
	else
		snprintf(buf, len, "%s=%#llx", name, (unsigned long long)v[0]);
	return 0;
}

static int print_vcpu(int vcpu, int index)
{
	struct kvm_reg_list *list = get_reg_list(vcpu);
	char text[80];
	int col = 0;

	if (!list)
		return -1;
	printf("vCPU %d: %llu registers in KVM_GET_REG_LIST:\n", index,
	       (unsigned long long)list->n);
	for (uint64_t r = 0; r < list->n; r++) {
		reg_name(list->reg[r], text, sizeof(text));
		list_item(text, &col);
	}
	printf("\nvCPU %d: core registers and MPIDR_EL1 (KVM_GET_ONE_REG):\n",
	       index);
	col = 0;
	for (uint64_t r = 0; r < list->n; r++) {
		uint64_t id = list->reg[r];

		if ((id & KVM_REG_ARM_COPROC_MASK) != KVM_REG_ARM_CORE &&
		    id != REG_MPIDR_EL1)
			continue;
		if (format_reg(vcpu, id, text, sizeof(text)) < 0) {
			free(list);
			return -1;
		}
		list_item(text, &col);
	}
	printf("\n");
	free(list);
	return 0;
}

int main(void)
{
	struct kvm_vcpu_init init;
	int kvm, vm, vcpu[NR_VCPUS];

	kvm = vkvm_open();
	if (kvm < 0) {
		perror("vkvm_open");
		return 1;
	}
	printf("vkvm %s, KVM API version %d, %d vCPUs\n", vkvm_version(),
	       vkvm_ioctl(kvm, KVM_GET_API_VERSION, 0), NR_VCPUS);
	vm = vkvm_ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0 || vkvm_ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init) < 0) {
		perror("KVM_CREATE_VM");
		return 1;
	}
	init.features[0] = 1U << KVM_ARM_VCPU_PSCI_0_2;
	for (int i = 0; i < NR_VCPUS; i++) {
		vcpu[i] = vkvm_ioctl(vm, KVM_CREATE_VCPU, i);
		if (vcpu[i] < 0 ||
		    vkvm_ioctl(vcpu[i], KVM_ARM_VCPU_INIT, &init) < 0) {
			perror("KVM_CREATE_VCPU/KVM_ARM_VCPU_INIT");
			return 1;
		}
	}
	for (int i = 0; i < NR_VCPUS; i++) {
		if (print_vcpu(vcpu[i], i) < 0) {
			perror("KVM_GET_REG_LIST/KVM_GET_ONE_REG");
			return 1;
		}
	}
	for (int i = 0; i < NR_VCPUS; i++)
		vkvm_close(vcpu[i]);
	vkvm_close(vm);
	vkvm_close(kvm);
	return 0;
}
