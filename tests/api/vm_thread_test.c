// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vm_thread_test.c: VM-wide operations from several threads at once:
 * KVM_CREATE_VCPU racing on the same ids, and memory slot changes racing
 * with engine-style lookups under vm->slots_lock (run under TSan).
 */
#include <pthread.h>
#include <sys/mman.h>

#include "api_helpers.h"

#define NR_THREADS 4
#define NR_IDS 32

struct creator {
	pthread_t thread;
	int vm;
	int fds[NR_IDS];
	int eexist;
};

static void *creator_main(void *arg)
{
	struct creator *c = arg;

	for (int id = 0; id < NR_IDS; id++) {
		c->fds[id] = vkvm_ioctl(c->vm, KVM_CREATE_VCPU, id);
		if (c->fds[id] < 0 && errno == EEXIST)
			c->eexist++;
	}
	return NULL;
}

TEST(create_vcpu_race_has_one_winner_per_id)
{
	struct creator c[NR_THREADS];
	int vm = th_vm(0), total = 0, eexist = 0;
	struct vm *v = th_priv(vm);

	REQUIRE(vm >= 0 && v);
	for (int i = 0; i < NR_THREADS; i++) {
		c[i].vm = vm;
		c[i].eexist = 0;
		REQUIRE(pthread_create(&c[i].thread, NULL, creator_main,
				       &c[i]) == 0);
	}
	for (int i = 0; i < NR_THREADS; i++)
		pthread_join(c[i].thread, NULL);
	for (int id = 0; id < NR_IDS; id++) {
		int winners = 0;

		for (int i = 0; i < NR_THREADS; i++)
			winners += c[i].fds[id] >= 0;
		EXPECT_EQ(winners, 1);
	}
	for (int i = 0; i < NR_THREADS; i++) {
		eexist += c[i].eexist;
		for (int id = 0; id < NR_IDS; id++)
			if (c[i].fds[id] >= 0) {
				total++;
				vkvm_close(c[i].fds[id]);
			}
	}
	EXPECT_EQ(total, NR_IDS);
	EXPECT_EQ(eexist, NR_IDS * (NR_THREADS - 1));
	EXPECT_EQ(atomic_load(&v->nr_vcpus), NR_IDS);
	vkvm_close(vm);
}

#define SLOT_SIZE (64 * 4096ULL)
#define LOOPS 2000

struct slotter {
	pthread_t thread;
	int vm;
	struct vm *v;
	uint32_t slot;
	uint64_t hva;
	int errors;
};

/* Create, move, re-flag and delete one slot over and over. */
static void *slot_writer(void *arg)
{
	struct slotter *s = arg;
	struct kvm_userspace_memory_region mr = {
		.slot = s->slot,
		.memory_size = SLOT_SIZE,
		.userspace_addr = s->hva,
	};

	for (int i = 0; i < LOOPS; i++) {
		mr.guest_phys_addr = (uint64_t)s->slot * 0x1000000 +
				     (uint64_t)(i % 4) * SLOT_SIZE;
		mr.flags = i % 3 == 0 ? KVM_MEM_LOG_DIRTY_PAGES : 0;
		mr.memory_size = SLOT_SIZE;
		if (vkvm_ioctl(s->vm, KVM_SET_USER_MEMORY_REGION, &mr))
			s->errors++;
		if (i % 5 == 4) {
			mr.memory_size = 0;
			if (vkvm_ioctl(s->vm, KVM_SET_USER_MEMORY_REGION, &mr))
				s->errors++;
		}
	}
	return NULL;
}

/* What the engine does: look slots up and mark pages dirty. */
static void *slot_reader(void *arg)
{
	struct slotter *s = arg;

	for (int i = 0; i < LOOPS * 4; i++) {
		uint64_t gpa = (uint64_t)(i % NR_THREADS) * 0x1000000 +
			       (uint64_t)(i % 7) * 4096;
		const struct memslot *m;

		pthread_mutex_lock(&s->v->slots_lock);
		m = memslot_find(s->v, gpa);
		if (m && (gpa < m->gpa || gpa >= m->gpa + m->size))
			s->errors++;
		memslot_mark_dirty(s->v, gpa);
		for (unsigned int k = 0; memslot_at(s->v, k); k++)
			if (k && memslot_at(s->v, k - 1)->gpa >=
					 memslot_at(s->v, k)->gpa)
				s->errors++;
		pthread_mutex_unlock(&s->v->slots_lock);
	}
	return NULL;
}

TEST(memslot_changes_race_with_lookups)
{
	struct slotter w[NR_THREADS], r;
	int vm = th_vm(0);
	struct vm *v = th_priv(vm);
	char *mem = mmap(NULL, NR_THREADS * SLOT_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	REQUIRE(vm >= 0 && v && mem != MAP_FAILED);
	for (int i = 0; i < NR_THREADS; i++) {
		w[i] = (struct slotter){ .vm = vm,
					 .v = v,
					 .slot = (uint32_t)i,
					 .hva = (uint64_t)(uintptr_t)mem +
						(uint64_t)i * SLOT_SIZE };
		REQUIRE(pthread_create(&w[i].thread, NULL, slot_writer,
				       &w[i]) == 0);
	}
	r = (struct slotter){ .vm = vm, .v = v };
	REQUIRE(pthread_create(&r.thread, NULL, slot_reader, &r) == 0);
	for (int i = 0; i < NR_THREADS; i++) {
		pthread_join(w[i].thread, NULL);
		EXPECT_EQ(w[i].errors, 0);
	}
	pthread_join(r.thread, NULL);
	EXPECT_EQ(r.errors, 0);
	vkvm_close(vm);
	munmap(mem, NR_THREADS * SLOT_SIZE);
}
