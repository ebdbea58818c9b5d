// SPDX-License-Identifier: GPL-2.0-or-later
/* options.c: parse and check the `vkvm` command line. */
#include "options.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vkvm/vkvm.h>

#include "layout.h"
#include "migrate.h"

#define TIMEOUT_MAX_SEC (365U * 24 * 3600)

static const char usage_text[] =
	"usage: vkvm run --kernel FILE [--initrd FILE] [--append STR]\n"
	"                [--dtb FILE] [--bios FILE] [--smp N] [--memory MiB]\n"
	"                [--gic v2|v3] [--timeout SEC] [--dump-dtb FILE]\n"
	"                [--snapshot FILE [--snapshot-after SEC]]\n"
	"                [--incoming tcp:ADDR:PORT]\n"
	"                [--migrate-to tcp:ADDR:PORT [--migrate-after SEC]]\n"
	"       vkvm restore FILE [--timeout SEC]\n"
	"       vkvm inspect FILE [--json]\n"
	"       vkvm --version | --help\n";

static const char help_text[] =
	"Boot a guest made for QEMU's `-machine virt` on libvkvm.\n"
	"\n"
	"  -k, --kernel FILE    arm64 Image (optionally gzipped), ELF or raw\n"
	"                       binary (loaded at RAM + 0x80000)\n"
	"  -i, --initrd FILE    initial ramdisk\n"
	"  -a, --append STR     kernel command line (/chosen/bootargs)\n"
	"  -d, --dtb FILE       use this device tree instead of the built one\n"
	"  -b, --bios FILE      firmware at address 0; the DTB goes to RAM "
	"start\n"
	"  -s, --smp N          vCPUs (default 1; at most 8 with GICv2, 123 "
	"with v3)\n"
	"  -m, --memory MiB     RAM size in MiB, or with a suffix M or G "
	"(default 128)\n"
	"  -g, --gic v2|v3      interrupt controller (default v2)\n"
	"  -t, --timeout SEC    stop the guest after SEC seconds (exit 4)\n"
	"      --dump-dtb FILE  write the device tree to FILE and exit\n"
	"      --snapshot FILE  save the VM to FILE on SIGUSR1 (and after\n"
	"                       --snapshot-after SEC), then go on\n"
	"      --incoming tcp:ADDR:PORT  take the VM from a migration\n"
	"      --migrate-to tcp:ADDR:PORT  move the VM there on SIGUSR2 and\n"
	"                       after --migrate-after SEC (default 1);\n"
	"                       loopback only\n"
	"  -h, --help           this text\n"
	"  -V, --version        versions of vkvm and libvkvm\n"
	"\n"
	"Console: the guest's PL011 on stdin/stdout; Ctrl-a x quits, Ctrl-a a\n"
	"sends Ctrl-a.  Exit status: 0 power off, 1 host error, 2 bad\n"
	"arguments, 3 reset, 4 timeout, 5 guest error, 6 quit, 7 bad snapshot\n"
	"file or stream, 8 migrated (see vkvm(1)).\n";

enum {
	OPT_DUMP_DTB = 0x100,
	OPT_SNAPSHOT,
	OPT_SNAPSHOT_AFTER,
	OPT_INCOMING,
	OPT_MIGRATE_TO,
	OPT_MIGRATE_AFTER,
};

static const struct option long_opts[] = {
	{ "kernel", required_argument, NULL, 'k' },
	{ "initrd", required_argument, NULL, 'i' },
	{ "append", required_argument, NULL, 'a' },
	{ "dtb", required_argument, NULL, 'd' },
	{ "bios", required_argument, NULL, 'b' },
	{ "smp", required_argument, NULL, 's' },
	{ "memory", required_argument, NULL, 'm' },
	{ "gic", required_argument, NULL, 'g' },
	{ "timeout", required_argument, NULL, 't' },
	{ "dump-dtb", required_argument, NULL, OPT_DUMP_DTB },
	{ "snapshot", required_argument, NULL, OPT_SNAPSHOT },
	{ "snapshot-after", required_argument, NULL, OPT_SNAPSHOT_AFTER },
	{ "incoming", required_argument, NULL, OPT_INCOMING },
	{ "migrate-to", required_argument, NULL, OPT_MIGRATE_TO },
	{ "migrate-after", required_argument, NULL, OPT_MIGRATE_AFTER },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static const char short_opts[] = ":k:i:a:d:b:s:m:g:t:hV";

/* Decimal number without sign or junk; false on anything else. */
static bool parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno == 0 && *end == '\0';
}

static const char *opt_name(int c)
{
	for (const struct option *o = long_opts; o->name; o++)
		if (o->val == c)
			return o->name;
	return "?";
}

static bool parse_memory(const char *s, uint64_t *mib)
{
	char num[32];
	size_t len = strlen(s);
	uint64_t mult = 1;

	if (len == 0 || len >= sizeof(num))
		return false;
	memcpy(num, s, len + 1);
	if (num[len - 1] == 'M' || num[len - 1] == 'm') {
		num[len - 1] = '\0';
	} else if (num[len - 1] == 'G' || num[len - 1] == 'g') {
		num[len - 1] = '\0';
		mult = 1024;
	}
	if (!parse_u64(num, mib) || *mib > UINT64_MAX / mult)
		return false;
	*mib *= mult;
	return true;
}

static int set_value(struct vmm_options *o, int c, const char *arg, FILE *errf)
{
	uint64_t v;

	switch (c) {
	case 's':
		if (!parse_u64(arg, &v) || v == 0 || v > UINT32_MAX)
			goto bad_number;
		o->smp = (unsigned int)v;
		return 0;
	case 'm':
		if (!parse_memory(arg, &o->ram_mib))
			goto bad_number;
		return 0;
	case 't':
	case OPT_SNAPSHOT_AFTER:
	case OPT_MIGRATE_AFTER:
		if (!parse_u64(arg, &v) || v == 0 || v > TIMEOUT_MAX_SEC)
			goto bad_number;
		*(c == 't' ? &o->timeout_sec :
		  c == OPT_SNAPSHOT_AFTER ?
			     &o->snapshot_after_sec :
			     &o->migrate_after_sec) = (unsigned int)v;
		return 0;
	case 'g':
		if (!strcmp(arg, "v2") || !strcmp(arg, "2"))
			o->gic_version = 2;
		else if (!strcmp(arg, "v3") || !strcmp(arg, "3"))
			o->gic_version = 3;
		else
			goto bad;
		return 0;
	}
	return -1;
bad_number:
	fprintf(errf, "vkvm: --%s: '%s' is not a valid number%s\n", opt_name(c),
		arg,
		c == 's' ? " of vCPUs (1 or more)" :
		c == 'm' ? " of MiB (a whole number, suffix M or G)" :
			   " of seconds (1 or more)");
	return -1;
bad:
	fprintf(errf, "vkvm: --gic: '%s' is not a GIC version (v2 or v3)\n",
		arg);
	return -1;
}

static int set_option(struct vmm_options *o, int c, const char *arg, FILE *errf)
{
	switch (c) {
	case 'k':
		o->kernel = arg;
		return 0;
	case 'i':
		o->initrd = arg;
		return 0;
	case 'a':
		o->append = arg;
		return 0;
	case 'd':
		o->dtb = arg;
		return 0;
	case 'b':
		o->bios = arg;
		return 0;
	case OPT_DUMP_DTB:
		o->dump_dtb = arg;
		return 0;
	case OPT_SNAPSHOT:
		o->snapshot = arg;
		return 0;
	case OPT_INCOMING:
		o->incoming = arg;
		return 0;
	case OPT_MIGRATE_TO:
		o->migrate_to = arg;
		return 0;
	default:
		return set_value(o, c, arg, errf);
	}
}

/* An input file must be a readable regular file (or a device/fifo). */
static int check_input(const char *opt, const char *path, FILE *errf)
{
	struct stat st;
	int fd;

	if (!path)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(errf, "vkvm: --%s: %s: %s\n", opt, path,
			strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		fprintf(errf, "vkvm: --%s: %s: is a directory\n", opt, path);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* --incoming/--migrate-to: tcp:ADDR:PORT with a loopback ADDR. */
static int check_migration_addr(const struct vmm_options *o, FILE *errf)
{
	const char *spec[2] = { o->incoming, o->migrate_to };
	struct sockaddr_storage sa;
	struct vmm_err err;
	unsigned int len;

	for (int i = 0; i < 2; i++)
		if (spec[i] && mig_parse_addr(spec[i], &sa, &len, &err)) {
			fprintf(errf, "vkvm: --%s: %s\n",
				i ? "migrate-to" : "incoming", err.msg);
			return -1;
		}
	return 0;
}

static int check_options(const struct vmm_options *o, FILE *errf)
{
	unsigned int max_cpus = o->gic_version == 2 ? VIRT_MAX_CPUS_GICV2 :
						      VIRT_MAX_CPUS_GICV3;

	if (!o->kernel && !o->bios && !o->dump_dtb && !o->incoming) {
		fprintf(errf, "vkvm: run: --kernel FILE (or --bios FILE) is "
			      "required\n");
		return -1;
	}
	if (o->snapshot_after_sec && !o->snapshot) {
		fprintf(errf,
			"vkvm: --snapshot-after: needs --snapshot FILE\n");
		return -1;
	}
	if (o->migrate_after_sec && !o->migrate_to) {
		fprintf(errf, "vkvm: --migrate-after: needs --migrate-to\n");
		return -1;
	}
	if (check_migration_addr(o, errf))
		return -1;
	if (o->smp > max_cpus) {
		fprintf(errf,
			"vkvm: --smp: %u vCPUs, but GICv%d allows at most "
			"%u\n",
			o->smp, o->gic_version, max_cpus);
		return -1;
	}
	if (o->ram_mib < VIRT_RAM_MIN_MIB || o->ram_mib > VIRT_RAM_MAX_MIB) {
		fprintf(errf,
			"vkvm: --memory: %llu MiB is out of range (%llu to "
			"%llu MiB)\n",
			(unsigned long long)o->ram_mib, VIRT_RAM_MIN_MIB,
			VIRT_RAM_MAX_MIB);
		return -1;
	}
	if (check_input("kernel", o->kernel, errf) ||
	    check_input("initrd", o->initrd, errf) ||
	    check_input("dtb", o->dtb, errf) ||
	    check_input("bios", o->bios, errf))
		return -1;
	return 0;
}

static void defaults(struct vmm_options *o)
{
	memset(o, 0, sizeof(*o));
	o->smp = 1;
	o->ram_mib = VIRT_RAM_DEFAULT_MIB;
	o->gic_version = 2;
}

/* getopt's complaint, with the argument named. */
static void report_getopt(int c, char **argv, FILE *errf)
{
	const char *arg = argv[optind - 1];

	if (c == ':')
		fprintf(errf, "vkvm: %s: missing value\n", arg);
	else if (optopt && optopt < 0x100)
		fprintf(errf, "vkvm: -%c: unknown option\n", optopt);
	else
		fprintf(errf, "vkvm: %s: unknown option\n", arg);
	fputs(usage_text, errf);
}

static enum vmm_parse_result
parse_loop(int argc, char **argv, struct vmm_options *o, FILE *out, FILE *errf)
{
	int c;

	while ((c = getopt_long(argc, argv, short_opts, long_opts, NULL)) !=
	       -1) {
		if (c == 'h') {
			fputs(usage_text, out);
			fputs(help_text, out);
			return VMM_PARSE_DONE;
		}
		if (c == 'V') {
			fprintf(out, "vkvm %s (libvkvm %s)\n",
				VKVM_VERSION_STRING, vkvm_version());
			return VMM_PARSE_DONE;
		}
		if (c == ':' || c == '?') {
			report_getopt(c, argv, errf);
			return VMM_PARSE_ERROR;
		}
		if (set_option(o, c, optarg, errf))
			return VMM_PARSE_ERROR;
	}
	return VMM_PARSE_RUN;
}

enum vmm_parse_result vmm_parse_args(int argc, char **argv,
				     struct vmm_options *o, FILE *out,
				     FILE *errf)
{
	enum vmm_parse_result r;
	bool run = argc > 1 && !strcmp(argv[1], "run");
	const char *cmd = argc > 1 ? argv[1] : "(none)";

	defaults(o);
	o->argc = argc;
	o->argv = argv;
	optind = 1;
	opterr = 0;
	r = parse_loop(argc - run, argv + run, o, out, errf);
	if (r != VMM_PARSE_RUN)
		return r;
	if (!run) {
		fprintf(errf, "vkvm: %s: unknown command (try 'vkvm run')\n",
			cmd);
		fputs(usage_text, errf);
		return VMM_PARSE_ERROR;
	}
	if (optind < argc - 1) {
		fprintf(errf, "vkvm: run: unexpected argument '%s'\n",
			argv[optind + 1]);
		return VMM_PARSE_ERROR;
	}
	return check_options(o, errf) ? VMM_PARSE_ERROR : VMM_PARSE_RUN;
}
