// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * options_test.c: `vkvm` argument checks: each bad argument is refused
 * with a message naming it (the binary then exits 2), defaults are QEMU
 * virt's.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#include "lib/test.h"
#include "vmm/layout.h"
#include "vmm/options.h"

static char kernel_path[] = "/tmp/vkvm-options-XXXXXX";

__attribute__((constructor)) static void make_kernel(void)
{
	int fd = mkstemp(kernel_path);

	if (fd < 0 || write(fd, "x", 1) != 1)
		abort();
	close(fd);
}

__attribute__((destructor)) static void drop_kernel(void)
{
	unlink(kernel_path);
}

/* Parse a NULL-terminated argument list; stderr text goes to @msg. */
static enum vmm_parse_result parse(struct vmm_options *o, char *msg,
				   size_t msglen, ...)
{
	char *argv[32] = { "vkvm" };
	int argc = 1;
	enum vmm_parse_result r;
	FILE *err = fmemopen(msg, msglen, "w");
	FILE *out = fopen("/dev/null", "w");
	va_list ap;

	va_start(ap, msglen);
	while (argc < 31 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	memset(msg, 0, msglen);
	r = vmm_parse_args(argc, argv, o, out, err);
	fclose(err);
	fclose(out);
	return r;
}

#define PARSE(o, m, ...) parse(o, m, sizeof(m), __VA_ARGS__, (char *)NULL)

/* The call fails and the message names @needle. */
#define EXPECT_REFUSED(needle, ...)                                      \
	do {                                                             \
		struct vmm_options o_;                                   \
		char m_[512];                                            \
		EXPECT_EQ(PARSE(&o_, m_, __VA_ARGS__), VMM_PARSE_ERROR); \
		if (!strstr(m_, needle))                                 \
			test_fail(__FILE__, __LINE__,                    \
				  "message '%s' does not name '%s'", m_, \
				  needle);                               \
	} while (0)

TEST(defaults_are_qemu_virt)
{
	struct vmm_options o;
	char m[256];

	EXPECT_EQ(PARSE(&o, m, "run", "--kernel", kernel_path), VMM_PARSE_RUN);
	EXPECT_EQ(o.smp, 1);
	EXPECT_EQ(o.ram_mib, 128);
	EXPECT_EQ(o.gic_version, 2);
	EXPECT_EQ(o.timeout_sec, 0);
	EXPECT(!strcmp(o.kernel, kernel_path));
}

TEST(all_options_are_taken)
{
	struct vmm_options o;
	char m[256];

	EXPECT_EQ(PARSE(&o, m, "run", "-k", kernel_path, "--initrd",
			kernel_path, "--append", "a b", "--smp", "4",
			"--memory", "1G", "--gic", "v3", "--timeout", "9",
			"--dump-dtb", "/tmp/x.dtb"),
		  VMM_PARSE_RUN);
	EXPECT_EQ(o.smp, 4);
	EXPECT_EQ(o.ram_mib, 1024);
	EXPECT_EQ(o.gic_version, 3);
	EXPECT_EQ(o.timeout_sec, 9);
	EXPECT(!strcmp(o.append, "a b"));
	EXPECT(!strcmp(o.dump_dtb, "/tmp/x.dtb"));
}

TEST(help_and_version_are_done)
{
	struct vmm_options o;
	char m[256];

	EXPECT_EQ(PARSE(&o, m, "--version"), VMM_PARSE_DONE);
	EXPECT_EQ(PARSE(&o, m, "--help"), VMM_PARSE_DONE);
	EXPECT_EQ(PARSE(&o, m, "run", "-h"), VMM_PARSE_DONE);
}

TEST(missing_kernel_is_refused)
{
	EXPECT_REFUSED("--kernel", "run");
	EXPECT_REFUSED("/nonexistent/k", "run", "--kernel", "/nonexistent/k");
	EXPECT_REFUSED("is a directory", "run", "--kernel", "/");
}

TEST(missing_initrd_dtb_bios_are_refused)
{
	EXPECT_REFUSED("--initrd: /no/i", "run", "--kernel", kernel_path,
		       "--initrd", "/no/i");
	EXPECT_REFUSED("--dtb: /no/d", "run", "--kernel", kernel_path, "--dtb",
		       "/no/d");
	EXPECT_REFUSED("--bios: /no/b", "run", "--bios", "/no/b");
}

TEST(smp_zero_junk_or_too_many_is_refused)
{
	EXPECT_REFUSED("--smp", "run", "--kernel", kernel_path, "--smp", "0");
	EXPECT_REFUSED("--smp", "run", "--kernel", kernel_path, "--smp", "-1");
	EXPECT_REFUSED("--smp", "run", "--kernel", kernel_path, "--smp", "2x");
	EXPECT_REFUSED("at most 8", "run", "--kernel", kernel_path, "--smp",
		       "9");
	EXPECT_REFUSED("at most 123", "run", "--kernel", kernel_path, "--smp",
		       "124", "--gic", "v3");
}

TEST(memory_not_a_number_or_too_big_is_refused)
{
	EXPECT_REFUSED("--memory", "run", "--kernel", kernel_path, "--memory",
		       "lots");
	EXPECT_REFUSED("--memory", "run", "--kernel", kernel_path, "--memory",
		       "");
	EXPECT_REFUSED("--memory", "run", "--kernel", kernel_path, "--memory",
		       "0");
	EXPECT_REFUSED("out of range", "run", "--kernel", kernel_path,
		       "--memory", "2000G");
	EXPECT_REFUSED("--memory", "run", "--kernel", kernel_path, "--memory",
		       "99999999999999999999999");
}

TEST(unknown_gic_timeout_option_or_command_is_refused)
{
	EXPECT_REFUSED("--gic", "run", "--kernel", kernel_path, "--gic", "v4");
	EXPECT_REFUSED("--timeout", "run", "--kernel", kernel_path, "--timeout",
		       "0");
	EXPECT_REFUSED("--frobnicate", "run", "--kernel", kernel_path,
		       "--frobnicate");
	EXPECT_REFUSED("--smp", "run", "--kernel", kernel_path, "--smp");
	EXPECT_REFUSED("boot", "boot", "--kernel", kernel_path);
	EXPECT_REFUSED("stray", "run", "--kernel", kernel_path, "stray");
}
