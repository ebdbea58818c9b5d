// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * guest_bench.c: runs bench/guest/bench_guest.bin on vkvm (the test VMM,
 * BUILD/guest/runner) and on qemu-system-aarch64 -M virt (TCG) in the
 * same run and prints the costs side by side (issue 5 goals: GIC access
 * <= 50 ns, SGI round trip <= 0.5x QEMU's); bench_gicv2.bin the same for
 * a GICv2.  The gic_floor_read rows read an offset with no register: the
 * cost of reaching a GIC frame at all, mostly Unicorn's MMIO path.
 * VKVM_BENCH_BASE=RUNNER adds a third column: that (older) runner, run
 * alternately with the others, for before/after numbers from one run;
 * VKVM_BENCH_RUNS=N changes the number of rounds (5).
 */
#include <libgen.h>
#include <stdbool.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 24
#define RUNS 5

struct row {
	char name[64];
	unsigned long long ns[3]; /* vkvm, QEMU, base: the best of the runs */
};

static struct row rows[MAX_ROWS];
static int nrows;

static struct row *row_of(const char *name)
{
	for (int i = 0; i < nrows; i++)
		if (!strcmp(rows[i].name, name))
			return &rows[i];
	if (nrows == MAX_ROWS)
		return NULL;
	snprintf(rows[nrows].name, sizeof(rows[nrows].name), "%s", name);
	return &rows[nrows++];
}

/* Run @cmd and collect its "BENCH name 0xNS" lines into column @col. */
static int collect(const char *cmd, int col)
{
	char line[256], name[64];
	unsigned long long ns;
	FILE *f = popen(cmd, "r");
	struct row *r;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "BENCH %63s %llx", name, &ns) != 2)
			continue;
		r = row_of(name);
		if (r && (!r->ns[col] || ns < r->ns[col]))
			r->ns[col] = ns;
	}
	return pclose(f) == 0 ? 0 : -1;
}

/* The vkvm runner @runner and QEMU commands for guest @bin, GIC @gic. */
static void commands(char *vcmd, char *qcmd, size_t size, const char *runner,
		     const char *dir, const char *bin, int gic, int cpus)
{
	snprintf(vcmd, size, "timeout 120 %s -n %d -g %d %s/bench/guest/%s",
		 runner, cpus, gic, dir, bin);
	snprintf(qcmd, size,
		 "timeout 120 qemu-system-aarch64 -M virt,gic-version=%d "
		 "-cpu max -smp %d -m 128M -nographic -no-reboot "
		 "-kernel %s/bench/guest/%s",
		 gic, cpus, dir, bin);
}

static void print_rows(bool base)
{
	printf("%-24s %12s %12s %8s%s\n", "guest operation (ns)", "vkvm",
	       "qemu-tcg", "ratio", base ? "     base" : "");
	for (int i = 0; i < nrows; i++) {
		printf("%-24s %12llu %12llu %8.2f", rows[i].name, rows[i].ns[0],
		       rows[i].ns[1],
		       rows[i].ns[1] ?
			       (double)rows[i].ns[0] / (double)rows[i].ns[1] :
			       0.0);
		if (base)
			printf(" %8llu", rows[i].ns[2]);
		printf("\n");
	}
}

int main(int argc, char **argv)
{
	static const struct {
		const char *bin;
		int gic, cpus;
	} guests[] = { { "bench_guest.bin", 3, 2 },
		       { "bench_gicv2.bin", 2, 1 } };
	char self[PATH_MAX], runner[PATH_MAX + 16], cmd[3][2 * PATH_MAX + 160];
	const char *base = getenv("VKVM_BENCH_BASE");
	const char *nruns = getenv("VKVM_BENCH_RUNS");
	int runs = nruns && atoi(nruns) > 0 ? atoi(nruns) : RUNS;
	char *dir;
	int ret = 0;

	(void)argc;
	if (!realpath(argv[0], self))
		return 1;
	dir = dirname(dirname(self)); /* BUILD */
	snprintf(runner, sizeof(runner), "%s/guest/runner", dir);
	/* Alternating runs, the best of each: a shared host is noisy. */
	for (size_t g = 0; g < sizeof(guests) / sizeof(guests[0]); g++) {
		commands(cmd[0], cmd[1], sizeof(cmd[0]), runner, dir,
			 guests[g].bin, guests[g].gic, guests[g].cpus);
		if (base)
			commands(cmd[2], cmd[1], sizeof(cmd[0]), base, dir,
				 guests[g].bin, guests[g].gic, guests[g].cpus);
		for (int i = 0; i < runs; i++)
			for (int col = 0; col < (base ? 3 : 2); col++)
				ret |= collect(cmd[col], col);
	}
	print_rows(base);
	printf("(best of %d alternating runs each; 2 vCPUs on GICv3, 1 on "
	       "GICv2 (v2_ rows))\n",
	       runs);
	return ret ? 1 : 0;
}
