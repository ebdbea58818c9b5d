// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * psci.c: SMCCC calls from the guest (HVC, SMC) as KVM serves them
 * (spec 5.4, virt-machine "PSCI"): PSCI 0.1 (KVM's private ids), 0.2,
 * 1.0 and 1.1 by the VM's selected version, SMCCC_VERSION and
 * ARCH_FEATURES with the workaround answers, NOT_SUPPORTED otherwise.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "api/reg_groups.h"
#include "api/sysreg.h"
#include "common/log.h"
#include "cpu/engine.h"

#define PSCI_0_2_FN(n) (0x84000000U + (n))
#define PSCI_0_2_FN64(n) (0xC4000000U + (n))
#define PSCI_VERSION PSCI_0_2_FN(0)
#define PSCI_CPU_SUSPEND 1
#define PSCI_CPU_OFF 2
#define PSCI_CPU_ON 3
#define PSCI_AFFINITY_INFO 4
#define PSCI_MIGRATE 5
#define PSCI_MIGRATE_INFO_TYPE 6
#define PSCI_SYSTEM_OFF 8
#define PSCI_SYSTEM_RESET 9
#define PSCI_FEATURES 10
#define PSCI_SYSTEM_RESET2 18
#define KVM_PSCI_FN_BASE 0x95c1ba5eU /* PSCI 0.1: +0 SUSPEND .. +3 MIGRATE */

#define PSCI_RET_SUCCESS 0
#define PSCI_RET_NOT_SUPPORTED (-1)
#define PSCI_RET_INVALID_PARAMS (-2)
#define PSCI_RET_ALREADY_ON (-4)
#define PSCI_RET_INTERNAL_FAILURE (-6)
#define PSCI_AFF_ON 0
#define PSCI_AFF_OFF 1
#define PSCI_MIGRATE_TOS_NOT_PRESENT_MP 2

#define SMCCC_VERSION_FN 0x80000000U
#define SMCCC_ARCH_FEATURES_FN 0x80000001U
#define SMCCC_ARCH_WORKAROUND_1 0x80008000U
#define SMCCC_ARCH_WORKAROUND_2 0x80007fffU
#define SMCCC_ARCH_WORKAROUND_3 0x80003fffU
#define SMCCC_VERSION_1_1 0x10001
#define SMCCC_RET_SUCCESS 0
#define SMCCC_RET_NOT_SUPPORTED (-1)
#define SMCCC_RET_NOT_REQUIRED (-2)
#define SMCCC_RET_UNAFFECTED 1 /* SMCCC_ARCH_WORKAROUND_RET_UNAFFECTED */

#define MPIDR_HWID_MASK 0xff00ffffffULL

/* A vCPU's affinity as PSCI sees it: its MPIDR_EL1 (sysreg table). */
static uint64_t vcpu_aff(struct vcpu *v)
{
	return v->regs.sys[sysreg_find(SYSREG_MPIDR_EL1)] & MPIDR_HWID_MASK;
}

static uint64_t xreg(struct cpu_vcpu *cv, int i)
{
	uint64_t v = 0;

	uc_reg_read(cv->uc, UC_ARM64_REG_X0 + i, &v);
	return v;
}

static void set_x0(struct cpu_vcpu *cv, int64_t v)
{
	uint64_t u = (uint64_t)v;

	uc_reg_write(cv->uc, UC_ARM64_REG_X0, &u);
}

/* Is @cv on for PSCI (caller holds eng->lock)? */
static bool cv_is_on_locked(struct cpu_vcpu *cv)
{
	if (cv->seen_mp_state == UINT32_MAX)
		return cv->vcpu->mp_state != KVM_MP_STATE_STOPPED;
	return cv->powered_on;
}

static struct vcpu *vcpu_by_mpidr(struct vm *vm, uint64_t mpidr)
{
	struct vcpu *v;

	for (uint32_t i = 0; (v = vm_vcpu_by_index(vm, i)); i++)
		if (vcpu_aff(v) == (mpidr & MPIDR_HWID_MASK))
			return v;
	return NULL;
}

/* CPU_ON: exactly one of racing callers wins (eng->lock). */
static int64_t psci_cpu_on(struct cpu_vcpu *cv, uint64_t target, uint64_t entry,
			   uint64_t ctx, bool v0_1)
{
	struct cpu_engine *eng = cv->eng;
	struct vcpu *tv = vcpu_by_mpidr(eng->vm, target);
	struct cpu_vcpu *t;
	int64_t ret = PSCI_RET_SUCCESS;

	if (!tv)
		return PSCI_RET_INVALID_PARAMS;
	pthread_mutex_lock(&eng->lock);
	t = cv_lookup_locked(eng, tv->index);
	if (!t) {
		ret = PSCI_RET_INTERNAL_FAILURE;
	} else if (cv_is_on_locked(t)) {
		ret = v0_1 ? PSCI_RET_INVALID_PARAMS : PSCI_RET_ALREADY_ON;
	} else {
		if (t->seen_mp_state == UINT32_MAX)
			t->seen_mp_state = tv->mp_state;
		t->powered_on = true;
		t->on_pending = true;
		t->on_entry = entry;
		t->on_ctx = ctx;
	}
	pthread_mutex_unlock(&eng->lock);
	if (t && ret == PSCI_RET_SUCCESS)
		cv_request_stop(t);
	return ret;
}

static int64_t psci_affinity_info(struct cpu_vcpu *cv, uint64_t target,
				  uint64_t level)
{
	struct cpu_engine *eng = cv->eng;
	uint64_t mask = MPIDR_HWID_MASK;
	unsigned int matches = 0;
	bool on = false;
	struct vcpu *v;

	if (level > 3)
		return PSCI_RET_INVALID_PARAMS;
	mask &= ~((1ULL << (8 * level)) - 1);
	pthread_mutex_lock(&eng->lock);
	for (uint32_t i = 0; (v = vm_vcpu_by_index(eng->vm, i)); i++) {
		struct cpu_vcpu *o = cv_lookup_locked(eng, i);

		if ((vcpu_aff(v) & mask) != (target & mask))
			continue;
		matches++;
		on |= o ? cv_is_on_locked(o) :
			  v->mp_state != KVM_MP_STATE_STOPPED;
	}
	pthread_mutex_unlock(&eng->lock);
	if (!matches)
		return PSCI_RET_INVALID_PARAMS;
	return on ? PSCI_AFF_ON : PSCI_AFF_OFF;
}

static void psci_cpu_off(struct cpu_vcpu *cv)
{
	pthread_mutex_lock(&cv->eng->lock);
	cv->powered_on = false;
	pthread_mutex_unlock(&cv->eng->lock);
	/* a stop of ours, not a WFI: the run loop then sleeps powered off */
	atomic_store(&cv->stop_req, true);
	uc_emu_stop(cv->uc);
}

/* SYSTEM_OFF/RESET/RESET2: every vCPU stops, the caller exits. */
static void psci_system_event(struct cpu_vcpu *cv, uint32_t type,
			      uint64_t flags)
{
	struct cpu_engine *eng = cv->eng;
	struct kvm_run *run = cv->vcpu->run;

	pthread_mutex_lock(&eng->lock);
	for (unsigned int i = 0; i < VKVM_MAX_VCPUS; i++)
		if (eng->vcpus[i])
			eng->vcpus[i]->powered_on = false;
	pthread_mutex_unlock(&eng->lock);
	for (unsigned int i = 0; i < VKVM_MAX_VCPUS; i++)
		if (eng->vcpus[i] && eng->vcpus[i] != cv)
			cv_request_stop(eng->vcpus[i]);
	set_x0(cv, PSCI_RET_INTERNAL_FAILURE);
	run->exit_reason = KVM_EXIT_SYSTEM_EVENT;
	run->system_event.type = type;
	run->system_event.ndata = 1;
	run->system_event.data[0] = flags;
	cv_set_exit(cv, 0);
}

static void psci_suspend(struct cpu_vcpu *cv)
{
	cv->want_wfi = true;
	uc_emu_stop(cv->uc);
}

static bool psci_fn_known(uint32_t fn, uint32_t ver)
{
	switch (fn) {
	case PSCI_VERSION:
	case PSCI_0_2_FN(PSCI_CPU_SUSPEND):
	case PSCI_0_2_FN64(PSCI_CPU_SUSPEND):
	case PSCI_0_2_FN(PSCI_CPU_OFF):
	case PSCI_0_2_FN(PSCI_CPU_ON):
	case PSCI_0_2_FN64(PSCI_CPU_ON):
	case PSCI_0_2_FN(PSCI_AFFINITY_INFO):
	case PSCI_0_2_FN64(PSCI_AFFINITY_INFO):
	case PSCI_0_2_FN(PSCI_MIGRATE_INFO_TYPE):
	case PSCI_0_2_FN(PSCI_SYSTEM_OFF):
	case PSCI_0_2_FN(PSCI_SYSTEM_RESET):
	case PSCI_0_2_FN(PSCI_FEATURES):
	case SMCCC_VERSION_FN:
		return true;
	case PSCI_0_2_FN(PSCI_SYSTEM_RESET2):
	case PSCI_0_2_FN64(PSCI_SYSTEM_RESET2):
		return ver >= KVM_ARM_PSCI_1_1;
	default:
		return false;
	}
}

/*
 * ARCH_FEATURES(@fn) as Linux's kvm_smccc_call_handler answers it, from the
 * level the workaround's FW register reads (spec 4.6): WORKAROUND_1/3
 * AVAIL -> SUCCESS, NOT_REQUIRED -> UNAFFECTED; WORKAROUND_2 AVAIL ->
 * SUCCESS, NOT_REQUIRED -> NOT_REQUIRED; NOT_AVAIL/UNKNOWN and any other
 * function -> NOT_SUPPORTED.
 */
static int64_t smccc_arch_features(uint32_t fn)
{
	switch (fn) {
	case SMCCC_ARCH_WORKAROUND_1:
	case SMCCC_ARCH_WORKAROUND_3:
		switch (fw_wa_level(
			fn == SMCCC_ARCH_WORKAROUND_1 ?
				KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1 :
				KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_3)) {
		case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1_AVAIL:
			return SMCCC_RET_SUCCESS;
		case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_1_NOT_REQUIRED:
			return SMCCC_RET_UNAFFECTED;
		default:
			return SMCCC_RET_NOT_SUPPORTED;
		}
	case SMCCC_ARCH_WORKAROUND_2:
		switch (fw_wa_level(KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2)) {
		case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_AVAIL:
			return SMCCC_RET_SUCCESS;
		case KVM_REG_ARM_SMCCC_ARCH_WORKAROUND_2_NOT_REQUIRED:
			return SMCCC_RET_NOT_REQUIRED;
		default:
			return SMCCC_RET_NOT_SUPPORTED;
		}
	default:
		return SMCCC_RET_NOT_SUPPORTED;
	}
}

/*
 * The SMCCC architecture calls, served before PSCI whatever the PSCI
 * version (0.1 included), as in Linux: SMCCC_VERSION (1.1), ARCH_FEATURES,
 * and the workaround calls themselves, which Linux's EL2 vectors return
 * from at once with X0 = 0 for an HVC; an SMC of them is refused
 * (NOT_SUPPORTED, Linux's SMCCC filter).  False for any other @fn.
 */
static bool smccc_arch_call(struct cpu_vcpu *cv, uint32_t fn, bool hvc,
			    int64_t *ret)
{
	switch (fn) {
	case SMCCC_VERSION_FN:
		*ret = SMCCC_VERSION_1_1;
		return true;
	case SMCCC_ARCH_FEATURES_FN:
		*ret = smccc_arch_features((uint32_t)xreg(cv, 1));
		return true;
	case SMCCC_ARCH_WORKAROUND_1:
	case SMCCC_ARCH_WORKAROUND_2:
	case SMCCC_ARCH_WORKAROUND_3:
		*ret = hvc ? SMCCC_RET_SUCCESS : SMCCC_RET_NOT_SUPPORTED;
		return true;
	default:
		return false;
	}
}

/* The vendor-specific hypervisor service (owner 6) KVM offers while
 * KVM_REG_ARM_VENDOR_HYP_BMAP has FUNC_FEAT: the call UID (KVM's, so a
 * Linux guest knows its hypervisor) and the feature bitmap. */
#define VENDOR_HYP_KVM_FEATURES 0x86000000U
#define VENDOR_HYP_CALL_UID 0x8600ff01U

static bool vendor_hyp_call(struct cpu_vcpu *cv, uint32_t fn)
{
	static const uint64_t kvm_uid[4] = { 0xb66fb428, 0xe911c52e, 0x564bcaa9,
					     0x743a004d };
	uint64_t bmap = cv->vcpu->vm->fw_bmap[2], x[4] = { 0 };

	if (fn != VENDOR_HYP_KVM_FEATURES && fn != VENDOR_HYP_CALL_UID)
		return false;
	if (!(bmap & (1ULL << KVM_REG_ARM_VENDOR_HYP_BIT_FUNC_FEAT)))
		x[0] = (uint64_t)SMCCC_RET_NOT_SUPPORTED;
	else if (fn == VENDOR_HYP_CALL_UID)
		memcpy(x, kvm_uid, sizeof(x));
	else
		x[0] = bmap;
	for (int i = 0; i < 4; i++)
		uc_reg_write(cv->uc, UC_ARM64_REG_X0 + i, &x[i]);
	return true;
}

/* PSCI 0.1 with KVM's private function ids. */
static bool psci_0_1_call(struct cpu_vcpu *cv, uint32_t fn)
{
	switch (fn - KVM_PSCI_FN_BASE) {
	case 0:
		set_x0(cv, PSCI_RET_SUCCESS);
		psci_suspend(cv);
		return true;
	case 1:
		psci_cpu_off(cv);
		return true;
	case 2:
		set_x0(cv, psci_cpu_on(cv, xreg(cv, 1), xreg(cv, 2), 0, true));
		return true;
	default:
		return false;
	}
}

static int64_t psci_reset2(struct cpu_vcpu *cv, uint64_t type)
{
	if (type != 0 && !(type & (1ULL << 31)))
		return PSCI_RET_INVALID_PARAMS;
	psci_system_event(cv, KVM_SYSTEM_EVENT_RESET,
			  KVM_SYSTEM_EVENT_RESET_FLAG_PSCI_RESET2);
	return PSCI_RET_INTERNAL_FAILURE;
}

/* A PSCI >= 0.2 or SMCCC call; returns the value for X0. */
static int64_t psci_0_2_call(struct cpu_vcpu *cv, uint32_t fn, uint32_t ver)
{
	bool is32 = !(fn & 0x40000000U);
	uint64_t a1 = xreg(cv, 1), a2 = xreg(cv, 2), a3 = xreg(cv, 3);

	if (is32) {
		a1 = (uint32_t)a1;
		a2 = (uint32_t)a2;
		a3 = (uint32_t)a3;
	}
	/* PSCI_FEATURES is PSCI 1.0's: not there in 0.2. */
	if (!psci_fn_known(fn, ver) ||
	    (fn == PSCI_0_2_FN(PSCI_FEATURES) && ver < KVM_ARM_PSCI_1_0))
		return PSCI_RET_NOT_SUPPORTED;
	switch (fn | 0x40000000U) {
	case PSCI_0_2_FN64(0):
		return ver;
	case PSCI_0_2_FN64(PSCI_CPU_SUSPEND):
		psci_suspend(cv);
		return PSCI_RET_SUCCESS;
	case PSCI_0_2_FN64(PSCI_CPU_OFF):
		psci_cpu_off(cv);
		return xreg(cv, 0);
	case PSCI_0_2_FN64(PSCI_CPU_ON):
		return psci_cpu_on(cv, a1, a2, a3, false);
	case PSCI_0_2_FN64(PSCI_AFFINITY_INFO):
		return psci_affinity_info(cv, a1, a2);
	case PSCI_0_2_FN64(PSCI_MIGRATE_INFO_TYPE):
		return PSCI_MIGRATE_TOS_NOT_PRESENT_MP;
	case PSCI_0_2_FN64(PSCI_SYSTEM_OFF):
		psci_system_event(cv, KVM_SYSTEM_EVENT_SHUTDOWN, 0);
		return PSCI_RET_INTERNAL_FAILURE;
	case PSCI_0_2_FN64(PSCI_SYSTEM_RESET):
		psci_system_event(cv, KVM_SYSTEM_EVENT_RESET, 0);
		return PSCI_RET_INTERNAL_FAILURE;
	case PSCI_0_2_FN64(PSCI_SYSTEM_RESET2):
		return psci_reset2(cv, a1);
	case PSCI_0_2_FN64(PSCI_FEATURES):
		return psci_fn_known((uint32_t)a1, ver) ?
			       PSCI_RET_SUCCESS :
			       PSCI_RET_NOT_SUPPORTED;
	default:
		return PSCI_RET_NOT_SUPPORTED;
	}
}

void psci_call(struct cpu_vcpu *cv, bool hvc)
{
	uint32_t fn = (uint32_t)xreg(cv, 0);
	struct vcpu *vcpu = cv->vcpu;
	uint32_t ver = vcpu->vm->psci_version;
	int64_t ret;

	if (smccc_arch_call(cv, fn, hvc, &ret)) {
		set_x0(cv, ret);
		return;
	}
	if (trng_call(cv, fn) || vendor_hyp_call(cv, fn))
		return;
	if (!(vcpu->features[0] & (1U << KVM_ARM_VCPU_PSCI_0_2))) {
		if (!psci_0_1_call(cv, fn))
			set_x0(cv, PSCI_RET_NOT_SUPPORTED);
		return;
	}
	set_x0(cv, psci_0_2_call(cv, fn, ver));
}
