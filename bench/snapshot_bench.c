// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * snapshot_bench.c: snapshot costs (issue 7), through the VMM's own
 * save/restore code on the public API:
 *   1. device + vCPU state, GICv3, 8 vCPUs, no guest RAM: save, parse and
 *      restore onto a second VM (goal <= 1 ms for the three together);
 *   2. RAM snapshot throughput (non-zero pages, CRC-32C and copy into the
 *      file buffer) next to plain memcpy of the same RAM (goal >= 0.5x).
 *
 *   snapshot_bench [ITERATIONS] [RAM_MIB]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../src/vmm/vm_state.h"

#define NR_CPUS 8
#define GOAL_US 1000.0

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* A sink into a buffer that keeps its memory between runs. */
static int sink(void *opaque, const void *buf, size_t len)
{
	struct snap_buf *b = opaque;

	snap_buf_put(b, buf, len);
	return b->oom ? -1 : 0;
}

static void machine(struct snap_machine *m, struct snap_vcpu_desc *v)
{
	memset(m, 0, sizeof(*m));
	for (uint32_t i = 0; i < NR_CPUS; i++)
		v[i] = (struct snap_vcpu_desc){ i, (1ULL << 31) | i };
	m->nr_vcpus = NR_CPUS;
	m->gic_version = 3;
	m->nr_irqs = 288;
	m->nr_ram = 1;
	m->gic_dist = 0x08000000;
	m->gic_cpu = 0x080A0000;
	m->vcpus = v;
	m->ram[0] = (struct snap_ram_desc){ 0x40000000, 0x10000, 0, 0 };
}

static int state_bench(int iters)
{
	struct snap_vcpu_desc v[NR_CPUS];
	struct snap_machine m;
	struct vmm_state_vm a, b;
	struct snap_buf out = { 0 };
	struct vmm_err err;
	double t0, best = 1e30;
	size_t len = 0;

	machine(&m, v);
	if (vmm_state_vm_create(&a, &m, &err) ||
	    vmm_state_vm_create(&b, &m, &err)) {
		fprintf(stderr, "snapshot_bench: %s\n", err.msg);
		return 1;
	}
	for (int i = 0; i < iters; i++) {
		struct snap_writer w = { sink, &out, 0, 0 };
		struct snap_file f;

		out.len = 0;
		t0 = now_us();
		if (vmm_state_save(&a, NULL, &w, &err) ||
		    snap_parse(out.data, out.len, &f, &err) ||
		    vmm_state_restore(&b, &f, &err)) {
			fprintf(stderr, "snapshot_bench: %s\n", err.msg);
			return 1;
		}
		t0 = now_us() - t0;
		best = t0 < best ? t0 : best;
		len = out.len;
		snap_file_free(&f);
	}
	printf("%-44s %10.1f us  (goal <= %.0f us, %zu bytes)\n",
	       "state save+parse+restore, GICv3, 8 vCPUs", best, GOAL_US, len);
	vmm_state_vm_destroy(&a);
	vmm_state_vm_destroy(&b);
	snap_buf_free(&out);
	return 0; /* the goal is reported, not enforced */
}

static int ram_bench(size_t mib)
{
	size_t size = mib << 20;
	uint8_t *ram = malloc(size), *copy = malloc(size);
	struct snap_buf out = { 0 };
	struct snap_writer w = { sink, &out, 0, 0 };
	double t_snap, t_copy;

	if (!ram || !copy)
		return 1;
	for (size_t i = 0; i < size; i++)
		ram[i] = (uint8_t)(i * 2654435761u >> 13) | 1;
	memcpy(copy, ram, size); /* fault everything in once */
	snap_write_ram(&w, 0x40000000, ram, size);
	t_copy = now_us();
	memcpy(copy, ram, size);
	__asm__ volatile("" : : "r"(copy) : "memory"); /* keep the copy */
	t_copy = now_us() - t_copy;
	out.len = 0;
	t_snap = now_us();
	snap_write_ram(&w, 0x40000000, ram, size);
	t_snap = now_us() - t_snap;
	printf("%-44s %10.0f MB/s\n", "memcpy of guest RAM", size / t_copy);
	printf("%-44s %10.0f MB/s  (%.2fx memcpy, goal >= 0.5x)\n",
	       "RAM snapshot (CRC-32C + copy to the file)", size / t_snap,
	       t_copy / t_snap);
	free(ram);
	free(copy);
	snap_buf_free(&out);
	return out.oom;
}

int main(int argc, char **argv)
{
	int iters = argc > 1 ? atoi(argv[1]) : 200;
	size_t mib = argc > 2 ? (size_t)atoi(argv[2]) : 256;

	printf("snapshot_bench: %d iterations (best), %zu MiB RAM\n", iters,
	       mib);
	return state_bench(iters > 0 ? iters : 1) | ram_bench(mib ? mib : 1);
}
