// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * snapshot_test.c: save, restore, save again (issue 7): a GICv2 and a
 * GICv3 VM with 4 vCPUs configured through the API are saved, restored
 * onto fresh VMs and saved again; the two files' sections must be equal
 * byte for byte (the free-running counters aside), and the restored VM
 * must show the configured state through the API.  With VKVM_SNAPSHOT_DIR
 * set, the snapshots are also written there (v2.snap, v3.snap) for the
 * CLI checks.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "snapshot_util.h"
#include "vmm/device_state.h"

/* Counter values move between two saves; they are compared apart. */
static bool is_counter(uint64_t id)
{
	return id == KVM_REG_ARM_TIMER_CNT || id == KVM_REG_ARM_PTIMER_CNT;
}

/* A copy of a VCPU_REGS payload with the counter values zeroed. */
static void mask_counters(uint8_t *p, size_t len)
{
	struct snap_span s = { p + 4, len - 4, 0 };
	struct snap_cursor c = snap_cursor_of(&s);
	struct snap_reg r;

	while (snap_next_reg(&c, &r))
		if (is_counter(r.id))
			memset((uint8_t *)r.value, 0, r.size);
}

/* Compare section by section: type, instance, payload. */
static void expect_same_sections(const struct snap_buf *a,
				 const struct snap_buf *b)
{
	size_t oa = SNAP_FILE_HDR_LEN, ob = SNAP_FILE_HDR_LEN;
	unsigned int n = 0;

	EXPECT_EQ(a->len, b->len);
	while (oa < a->len && ob < b->len) {
		uint64_t la = vmm_le64(a->data + oa + 8);
		uint64_t lb = vmm_le64(b->data + ob + 8);
		uint32_t type = vmm_le32(a->data + oa);
		uint8_t *pa = a->data + oa + SNAP_SECT_HDR_LEN;
		uint8_t *pb = b->data + ob + SNAP_SECT_HDR_LEN;

		EXPECT_EQ(type, vmm_le32(b->data + ob));
		EXPECT_EQ(vmm_le32(a->data + oa + 4),
			  vmm_le32(b->data + ob + 4));
		REQUIRE(la == lb);
		if (type == SNAP_SEC_VCPU_REGS) {
			mask_counters(pa, la);
			mask_counters(pb, lb);
		}
		if (memcmp(pa, pb, la))
			test_fail(__FILE__, __LINE__,
				  "section %u (%s) differs after restore", n,
				  snap_section_name(type));
		oa += SNAP_SECT_HDR_LEN + la;
		ob += SNAP_SECT_HDR_LEN + lb;
		n++;
	}
	EXPECT(n > 10);
}

static void write_out(const char *name, const struct snap_buf *b)
{
	const char *dir = getenv("VKVM_SNAPSHOT_DIR");
	char path[512];
	int fd;

	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	REQUIRE(fd >= 0);
	EXPECT_EQ(write(fd, b->data, b->len), (ssize_t)b->len);
	close(fd);
}

/* What the restored VM shows through the API. */
static void expect_restored_state(const struct vmm_state_vm *vm)
{
	bool v3 = vm->m->gic_version == 3;
	uint64_t a1 = v3 ? vmm_gic_v3_mpidr_attr(vm->m->vcpus[1].mpidr) :
			   1ULL << 32;
	struct kvm_mp_state mp;
	uint64_t pc = 0, sctlr = 0;
	struct kvm_one_reg r = { ST_CORE(regs.pc), (uint64_t)(uintptr_t)&pc };

	EXPECT_EQ(st_get(vm->gic_fd, GD, 0x100 + 4), 0x0000ff0f);
	EXPECT_EQ(st_get(vm->gic_fd, GD, 0x200 + 4) & 0x500, 0x500);
	EXPECT_EQ(st_get(vm->gic_fd, GD, 0x300 + 4), 0x2000);
	EXPECT_EQ(st_get(vm->gic_fd, GD, 0x400 + 44), ST_PRIO(44));
	if (v3) {
		EXPECT_EQ(st_get(vm->gic_fd, GD, 0x6000 + 8 * 33), 1);
		EXPECT_EQ(st_get(vm->gic_fd, GR, a1 | 0x10200), 2);
		EXPECT_EQ(st_get(vm->gic_fd, GS, a1 | 0xC230), 0xe8);
		EXPECT_EQ(st_get(vm->gic_fd, GS, a1 | 0xC648), 4);
	} else {
		EXPECT_EQ(st_get(vm->gic_fd, GD, 0x820), 0x08040201);
		EXPECT_EQ(st_get(vm->gic_fd, GD, a1 | 0x300), 1u << 5);
		EXPECT_EQ(st_get(vm->gic_fd, GC, a1 | 0x04), 0x1d);
	}
	EXPECT_OK(vkvm_ioctl(vm->vcpu_fds[2], KVM_GET_ONE_REG, &r));
	EXPECT_EQ(pc, VIRT_RAM_BASE + 0x80000 + 8);
	r = (struct kvm_one_reg){ ST_SCTLR_EL1, (uint64_t)(uintptr_t)&sctlr };
	EXPECT_OK(vkvm_ioctl(vm->vcpu_fds[1], KVM_GET_ONE_REG, &r));
	EXPECT_EQ(sctlr & 1, 1);
	EXPECT_OK(vkvm_ioctl(vm->vcpu_fds[3], KVM_GET_MP_STATE, &mp));
	EXPECT_EQ(mp.mp_state, KVM_MP_STATE_STOPPED);
	EXPECT(!memcmp(vm->ram[0] + 0x1000, "guest RAM page", 14));
}

static void round_trip(uint32_t gic, const char *name)
{
	struct st_machine sm;
	struct vmm_state_vm a, b;
	struct snap_buf s1, s2;
	struct snap_file f;
	struct vmm_err err;

	st_machine_init(&sm, gic);
	st_vm_new(&a, &sm.m, true);
	REQUIRE(!st_save(&a, &s1));
	vmm_state_vm_destroy(&a);
	write_out(name, &s1);
	REQUIRE(!snap_parse(s1.data, s1.len, &f, &err));
	EXPECT_EQ(f.m.nr_vcpus, ST_NR_CPUS);
	EXPECT_EQ(f.m.gic_version, gic);
	EXPECT(f.has_pl011 && f.has_pl031);
	EXPECT_EQ(f.pl011.rx_count, 3);
	EXPECT_EQ(f.pl031.mr, 1234);
	st_vm_new(&b, &f.m, false);
	if (vmm_state_restore(&b, &f, &err))
		test_fail(__FILE__, __LINE__, "restore: %s", err.msg);
	expect_restored_state(&b);
	REQUIRE(!st_save(&b, &s2));
	expect_same_sections(&s1, &s2);
	vmm_state_vm_destroy(&b);
	snap_file_free(&f);
	snap_buf_free(&s1);
	snap_buf_free(&s2);
}

/* The UART's line as the GICv3 sees it (LEVEL_INFO of INTIDs 32..63). */
static bool uart_line_high(int gic_fd)
{
	uint64_t attr = (uint64_t)VGIC_LEVEL_INFO_LINE_LEVEL
				<< KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_SHIFT |
			32;

	return st_get(gic_fd, KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO, attr) &
	       (1U << (33 - 32));
}

/* The vGIC's copy may hold a level the device's saved state does not
 * (input between the two saves): the restored device's level wins. */
TEST(restored_device_drives_its_line_low_too)
{
	struct st_machine sm;
	struct vmm_state_vm vm;
	struct vmm_pl011 u;
	struct snap_pl011 s = *st_pl011();
	struct kvm_irq_level high = {
		.irq = KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT | 33,
		.level = 1
	};

	st_machine_init(&sm, 3);
	st_vm_new(&vm, &sm.m, false);
	vmm_pl011_init(&u, -1, (struct vmm_irq_line){ vm.vm_fd, 33, 0 });
	st_set(vm.gic_fd, GD, 0xc08, 0); /* GICD_ICFGR2: INTIDs 32.. level */
	EXPECT_OK(vkvm_ioctl(vm.vm_fd, KVM_IRQ_LINE, &high));
	EXPECT(uart_line_high(vm.gic_fd));
	s.irq_level = 0;
	vmm_pl011_set_state(&u, &s);
	EXPECT(!uart_line_high(vm.gic_fd));
	s.irq_level = 1;
	vmm_pl011_set_state(&u, &s);
	EXPECT(uart_line_high(vm.gic_fd));
	vmm_pl011_destroy(&u);
	vmm_state_vm_destroy(&vm);
}

TEST(gicv2_4cpu_save_restore_save_is_identical)
{
	round_trip(2, "v2.snap");
}

TEST(gicv3_4cpu_save_restore_save_is_identical)
{
	round_trip(3, "v3.snap");
}

/* Restoring onto a VM of another shape is refused, naming the mismatch. */
TEST(restore_onto_other_machine_is_einval)
{
	struct st_machine s2, s3;
	struct vmm_state_vm a, b;
	struct snap_buf s;
	struct snap_file f;
	struct vmm_err err;

	st_machine_init(&s2, 2);
	st_machine_init(&s3, 3);
	st_vm_new(&a, &s2.m, false);
	REQUIRE(!st_save(&a, &s));
	vmm_state_vm_destroy(&a);
	REQUIRE(!snap_parse(s.data, s.len, &f, &err));
	st_vm_new(&b, &s3.m, false);
	EXPECT_EQ(vmm_state_restore(&b, &f, &err), -EINVAL);
	EXPECT(strstr(err.msg, "does not match") != NULL);
	vmm_state_vm_destroy(&b);
	snap_file_free(&f);
	snap_buf_free(&s);
}

/* A record the library refuses makes the restore fail, naming it. */
TEST(restore_reports_the_failing_register)
{
	struct st_machine sm;
	struct vmm_state_vm a, b;
	struct snap_buf s;
	struct snap_file f;
	struct vmm_err err;
	uint8_t *p;

	st_machine_init(&sm, 3);
	st_vm_new(&a, &sm.m, false);
	REQUIRE(!st_save(&a, &s));
	REQUIRE(!snap_parse(s.data, s.len, &f, &err));
	/* ICC_SRE_EL1 without SRE is EINVAL (kvm-arm-api.md 7.5) */
	for (struct snap_cursor c = snap_cursor_of(&f.gic);;) {
		struct snap_gic_rec r;
		const uint8_t *at = c.p;

		REQUIRE(snap_next_gic(&c, &r));
		if (r.group == GS && (r.attr & 0xffff) == 0xC665) {
			p = (uint8_t *)at + 16;
			memset(p, 0, 8);
			break;
		}
	}
	b = a;
	EXPECT_EQ(vmm_state_restore(&b, &f, &err), -EINVAL);
	EXPECT(strstr(err.msg, "vGIC record") != NULL);
	vmm_state_vm_destroy(&a);
	snap_file_free(&f);
	snap_buf_free(&s);
}
