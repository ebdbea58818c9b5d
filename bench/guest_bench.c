// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * guest_bench.c: runs bench/guest/bench_guest.bin on vkvm (the test VMM,
 * BUILD/guest/runner) and on qemu-system-aarch64 -M virt (TCG) in the
 * same run and prints the costs side by side (issue 5 goals: GIC access
 * <= 50 ns, SGI round trip <= 0.5x QEMU's).
 */
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 16
#define RUNS 5

struct row {
	char name[64];
	unsigned long long ns[2]; /* vkvm, QEMU: the best of the runs */
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

int main(int argc, char **argv)
{
	char self[PATH_MAX], cmd[2 * PATH_MAX + 128], qcmd[PATH_MAX + 160];
	char *dir;
	int ret = 0;

	(void)argc;
	if (!realpath(argv[0], self))
		return 1;
	dir = dirname(dirname(self)); /* BUILD */
	snprintf(cmd, sizeof(cmd),
		 "timeout 120 %s/guest/runner -n 2 -g 3 "
		 "%s/bench/guest/bench_guest.bin",
		 dir, dir);
	snprintf(qcmd, sizeof(qcmd),
		 "timeout 120 qemu-system-aarch64 -M virt,gic-version=3 "
		 "-cpu max -smp 2 -m 128M -nographic -no-reboot "
		 "-kernel %s/bench/guest/bench_guest.bin",
		 dir);
	/* Alternating runs, the best of each: a shared host is noisy. */
	for (int i = 0; i < RUNS; i++)
		ret |= collect(cmd, 0) | collect(qcmd, 1);
	printf("%-24s %12s %12s %8s\n", "guest operation (ns)", "vkvm",
	       "qemu-tcg", "ratio");
	for (int i = 0; i < nrows; i++)
		printf("%-24s %12llu %12llu %8.2f\n", rows[i].name,
		       rows[i].ns[0], rows[i].ns[1],
		       rows[i].ns[1] ?
			       (double)rows[i].ns[0] / (double)rows[i].ns[1] :
			       0.0);
	printf("(best of %d alternating runs each, GICv3, 2 vCPUs)\n", RUNS);
	return ret ? 1 : 0;
}
