// SPDX-License-Identifier: GPL-2.0-or-later
/* test.c: the harness behind test.h (registration, running, summary). */
#include "lib/test.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>

#define MAX_TESTS 1024

static struct {
	const char *name;
	test_fn fn;
} tests[MAX_TESTS];
static int nr_tests;
static int cur_failed;
static long cur_checks;
static jmp_buf cur_jmp;

void test_register(const char *name, test_fn fn)
{
	if (nr_tests == MAX_TESTS) {
		fprintf(stderr, "too many tests\n");
		exit(2);
	}
	tests[nr_tests].name = name;
	tests[nr_tests].fn = fn;
	nr_tests++;
}

void test_checked(void)
{
	cur_checks++;
}

void test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	cur_failed = 1;
	printf("#   %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

void test_abort_current(void)
{
	longjmp(cur_jmp, 1);
}

static void run_test(test_fn fn)
{
	if (!setjmp(cur_jmp))
		fn();
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 0; i < nr_tests; i++) {
		if (argc > 1 && !strstr(tests[i].name, argv[1]))
			continue;
		cur_failed = 0;
		cur_checks = 0;
		run_test(tests[i].fn);
		if (!cur_checks && !cur_failed) {
			printf("#   %s checked nothing\n", tests[i].name);
			cur_failed = 1;
		}
		printf("%s - %s\n", cur_failed ? "not ok" : "ok",
		       tests[i].name);
		if (cur_failed)
			failed++;
		else
			passed++;
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
