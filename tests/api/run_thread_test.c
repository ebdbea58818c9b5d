// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * run_thread_test.c: KVM_RUN from one host thread per vCPU (the usual
 * VMM design): LSE and LDAXR/STLXR counters shared by 4 vCPUs come out
 * exact (engine spec 2.6), one vCPU waiting in an MMIO exit does not stop
 * the others, and kicks from another thread end KVM_RUN with EINTR.
 */
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include "api_helpers.h"

#define RAM_GPA 0x40000000ULL
#define RAM_SIZE (2ULL << 20)
#define DONE_GPA 0x09000000ULL
#define NCPUS 4
#define ITERS 20000
#define COUNTER_OFF 0x10000

/*
 * At 0: x2 = 1; loop: ldaddal x2, x3, [x0]; subs x1, x1, #1; b.ne loop;
 * str x1, [x4]; b .   At 0x18: the same with ldaxr/add/stlxr/cbnz.
 */
static const uint32_t prog[] = {
	0xd2800022, 0xf8e20003, 0xf1000421, 0x54ffffc1, 0xf9000081,
	0x14000000, 0xc85ffc03, 0x91000463, 0xc805fc03, 0x35ffffa5,
	0xf1000421, 0x54ffff61, 0xf9000081, 0x14000000,
};

struct smp {
	int vm;
	int vcpu[NCPUS];
	struct kvm_run *run[NCPUS];
	uint8_t *ram;
	int exits[NCPUS];
};

static int smp_make(struct smp *s, uint64_t entry_off)
{
	struct kvm_userspace_memory_region mr = {
		.guest_phys_addr = RAM_GPA,
		.memory_size = RAM_SIZE,
	};

	memset(s, 0, sizeof(*s));
	s->ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (s->ram == MAP_FAILED)
		return -1;
	memcpy(s->ram, prog, sizeof(prog));
	mr.userspace_addr = (uint64_t)(uintptr_t)s->ram;
	s->vm = th_vm(0);
	if (s->vm < 0 || vkvm_ioctl(s->vm, KVM_SET_USER_MEMORY_REGION, &mr))
		return -1;
	for (int i = 0; i < NCPUS; i++) {
		s->vcpu[i] = th_vcpu(s->vm, (unsigned long)i, TH_PSCI);
		if (s->vcpu[i] < 0 ||
		    th_set64(s->vcpu[i], CORE_ID(regs.pc),
			     RAM_GPA + entry_off) ||
		    th_set64(s->vcpu[i], CORE_ID(regs.regs[0]),
			     RAM_GPA + COUNTER_OFF) ||
		    th_set64(s->vcpu[i], CORE_ID(regs.regs[1]), ITERS) ||
		    th_set64(s->vcpu[i], CORE_ID(regs.regs[4]), DONE_GPA))
			return -1;
		s->run[i] = mmap(NULL, (size_t)vcpu_mmap_size(),
				 PROT_READ | PROT_WRITE, MAP_SHARED, s->vcpu[i],
				 0);
		if (s->run[i] == MAP_FAILED)
			return -1;
	}
	return 0;
}

static void smp_free(struct smp *s)
{
	for (int i = 0; i < NCPUS; i++) {
		munmap(s->run[i], (size_t)vcpu_mmap_size());
		vkvm_close(s->vcpu[i]);
	}
	vkvm_close(s->vm);
	munmap(s->ram, RAM_SIZE);
}

struct arg {
	struct smp *s;
	int i;
};

/* Run until the guest's "done" store; count the exits on the way. */
static void *vcpu_main(void *p)
{
	struct arg *a = p;
	struct kvm_run *run = a->s->run[a->i];

	for (;;) {
		int r = vkvm_ioctl(a->s->vcpu[a->i], KVM_RUN, 0);

		if (r < 0 && errno != EINTR)
			break;
		a->s->exits[a->i]++;
		if (r == 0 && run->exit_reason == KVM_EXIT_MMIO &&
		    run->mmio.phys_addr == DONE_GPA)
			break;
	}
	return NULL;
}

static uint64_t run_all(struct smp *s)
{
	pthread_t th[NCPUS];
	struct arg a[NCPUS];
	uint64_t v;

	for (int i = 0; i < NCPUS; i++) {
		a[i] = (struct arg){ s, i };
		pthread_create(&th[i], NULL, vcpu_main, &a[i]);
	}
	for (int i = 0; i < NCPUS; i++)
		pthread_join(th[i], NULL);
	memcpy(&v, s->ram + COUNTER_OFF, sizeof(v));
	return v;
}

TEST(lse_counter_is_exact_across_four_vcpu_threads)
{
	struct smp s;

	REQUIRE(smp_make(&s, 0) == 0);
	EXPECT_EQ(run_all(&s), (uint64_t)NCPUS * ITERS);
	smp_free(&s);
}

TEST(exclusive_counter_is_exact_across_four_vcpu_threads)
{
	struct smp s;

	REQUIRE(smp_make(&s, 0x18) == 0);
	EXPECT_EQ(run_all(&s), (uint64_t)NCPUS * ITERS);
	smp_free(&s);
}

static void *kicker(void *p)
{
	struct smp *s = p;

	usleep(20000);
	vkvm_kick_vcpu(s->vcpu[1]);
	return NULL;
}

TEST(kick_from_another_thread_ends_a_spinning_run_with_eintr)
{
	struct smp s;
	pthread_t th;

	REQUIRE(smp_make(&s, 0x14) == 0); /* "b ." */
	pthread_create(&th, NULL, kicker, &s);
	EXPECT_ERRNO(vkvm_ioctl(s.vcpu[1], KVM_RUN, 0), EINTR);
	EXPECT_EQ(s.run[1]->exit_reason, KVM_EXIT_INTR);
	pthread_join(th, NULL);
	smp_free(&s);
}

TEST(a_vcpu_in_an_mmio_exit_does_not_stop_the_others)
{
	struct smp s;
	pthread_t th[NCPUS - 1];
	struct arg a[NCPUS - 1];
	uint64_t v;

	REQUIRE(smp_make(&s, 0) == 0);
	/* vCPU 0 stops in the guest's done store and is never resumed */
	REQUIRE(th_set64(s.vcpu[0], CORE_ID(regs.pc), RAM_GPA + 0x10) == 0);
	EXPECT_OK(vkvm_ioctl(s.vcpu[0], KVM_RUN, 0));
	EXPECT_EQ(s.run[0]->exit_reason, KVM_EXIT_MMIO);
	for (int i = 0; i < NCPUS - 1; i++) {
		a[i] = (struct arg){ &s, i + 1 };
		pthread_create(&th[i], NULL, vcpu_main, &a[i]);
	}
	for (int i = 0; i < NCPUS - 1; i++)
		pthread_join(th[i], NULL);
	memcpy(&v, s.ram + COUNTER_OFF, sizeof(v));
	EXPECT_EQ(v, (uint64_t)(NCPUS - 1) * ITERS);
	smp_free(&s);
}
