// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * trng.c: the SMCCC TRNG 1.0 calls (Arm DEN0098) a guest may make when
 * the VM's KVM_REG_ARM_STD_BMAP offers TRNG (spec 4.6), answered as
 * Linux's arch/arm64/kvm/trng.c does: VERSION 1.0, FEATURES of the five
 * calls, GET_UUID (KVM's TRNG UUID, so a guest sees the same back end),
 * RND32/RND64 with up to 96/192 bits from getrandom(2), right-aligned in
 * X3, X2, X1.  With the bit cleared every TRNG call is NOT_SUPPORTED.
 */
#include <string.h>
#include <sys/random.h>

#include "cpu/engine.h"

#define TRNG_VERSION 0x84000050U
#define TRNG_FEATURES 0x84000051U
#define TRNG_GET_UUID 0x84000052U
#define TRNG_RND32 0x84000053U
#define TRNG_RND64 0xc4000053U
#define TRNG_VERSION_1_0 0x10000
#define TRNG_SUCCESS 0
#define TRNG_NOT_SUPPORTED (-1)
#define TRNG_INVALID_PARAMETER (-2)
#define TRNG_NO_ENTROPY (-3)

/* UUID 0d21e000-4384-11eb-8070-5244554e5a4c as four little-endian words. */
static const uint64_t trng_uuid[4] = { 0x00e0210d, 0xeb118443, 0x44527080,
				       0x4c5a4e55 };

static bool trng_is(uint32_t fn)
{
	switch (fn) {
	case TRNG_VERSION:
	case TRNG_FEATURES:
	case TRNG_GET_UUID:
	case TRNG_RND32:
	case TRNG_RND64:
		return true;
	default:
		return false;
	}
}

static void set_x(struct cpu_vcpu *cv, const uint64_t *x, int n)
{
	for (int i = 0; i < n; i++)
		uc_reg_write(cv->uc, UC_ARM64_REG_X0 + i, &x[i]);
}

/* RND32/RND64: @bits wanted of at most 3 * @size, the rest zero. */
static void trng_rnd(struct cpu_vcpu *cv, uint32_t bits, unsigned int size)
{
	uint64_t r[3] = { 0 }, x[4] = { 0 };
	unsigned int words = (bits + 63) / 64;

	if (bits > 3 * size) {
		x[0] = (uint64_t)TRNG_INVALID_PARAMETER;
		set_x(cv, x, 4);
		return;
	}
	if (words && getrandom(r, words * 8, 0) != (ssize_t)(words * 8)) {
		x[0] = (uint64_t)TRNG_NO_ENTROPY;
		set_x(cv, x, 4);
		return;
	}
	if (bits % 64)
		r[words - 1] &= ~0ULL >> (64 - bits % 64);
	/* r is one little-endian bit string: X3 holds its lowest bits. */
	if (size == 32) {
		x[1] = (uint32_t)r[1];
		x[2] = r[0] >> 32;
		x[3] = (uint32_t)r[0];
	} else {
		x[1] = r[2];
		x[2] = r[1];
		x[3] = r[0];
	}
	set_x(cv, x, 4);
	memset(r, 0, sizeof(r));
}

bool trng_call(struct cpu_vcpu *cv, uint32_t fn)
{
	uint64_t x[4] = { (uint64_t)TRNG_NOT_SUPPORTED, 0, 0, 0 }, a1 = 0;

	if (!trng_is(fn))
		return false;
	uc_reg_read(cv->uc, UC_ARM64_REG_X1, &a1);
	if (!(cv->vcpu->vm->fw_bmap[0] &
	      (1ULL << KVM_REG_ARM_STD_BIT_TRNG_V1_0)))
		fn = 0; /* not offered: NOT_SUPPORTED */
	switch (fn) {
	case TRNG_VERSION:
		x[0] = TRNG_VERSION_1_0;
		break;
	case TRNG_FEATURES:
		x[0] = trng_is((uint32_t)a1) ? TRNG_SUCCESS :
					       (uint64_t)TRNG_NOT_SUPPORTED;
		break;
	case TRNG_GET_UUID:
		memcpy(x, trng_uuid, sizeof(x));
		break;
	case TRNG_RND32:
	case TRNG_RND64:
		trng_rnd(cv, (uint32_t)a1, fn == TRNG_RND32 ? 32 : 64);
		return true;
	default:
		break;
	}
	set_x(cv, x, 4);
	return true;
}
