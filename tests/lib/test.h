/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test.h: vkvm's small test harness.
 *
 *   TEST(name) { EXPECT(x == 1); EXPECT_EQ(a, b); EXPECT_ERRNO(call, EINVAL); }
 *
 * Each test binary runs its tests in order (or only those whose name
 * contains argv[1]), prints "ok - name" or "not ok - name" with the failed
 * expectations, and ends with the line "N passed, N failed".  Exit status
 * 0 when nothing failed.  A test with no expectation checked fails: a test
 * must be able to fail.
 */
#ifndef VKVM_TESTS_TEST_H
#define VKVM_TESTS_TEST_H

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef void (*test_fn)(void);

void test_register(const char *name, test_fn fn);
void test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void test_checked(void);

#define TEST(name)                                                     \
	static void name(void);                                        \
	__attribute__((constructor)) static void test_reg_##name(void) \
	{                                                              \
		test_register(#name, name);                            \
	}                                                              \
	static void name(void)

#define EXPECT(cond)                                                          \
	do {                                                                  \
		test_checked();                                               \
		if (!(cond))                                                  \
			test_fail(__FILE__, __LINE__, "expected: %s", #cond); \
	} while (0)

#define EXPECT_EQ(a, b)                                                     \
	do {                                                                \
		unsigned long long a_ = (unsigned long long)(a);            \
		unsigned long long b_ = (unsigned long long)(b);            \
		test_checked();                                             \
		if (a_ != b_)                                               \
			test_fail(__FILE__, __LINE__,                       \
				  "%s == %s: 0x%llx != 0x%llx", #a, #b, a_, \
				  b_);                                      \
	} while (0)

/* EXPECT_OK - @call returns >= 0. */
#define EXPECT_OK(call)                                                       \
	do {                                                                  \
		long r_;                                                      \
		errno = 0;                                                    \
		r_ = (long)(call);                                            \
		test_checked();                                               \
		if (r_ < 0)                                                   \
			test_fail(__FILE__, __LINE__,                         \
				  "%s failed: %ld, errno %d (%s)", #call, r_, \
				  errno, strerror(errno));                    \
	} while (0)

/* EXPECT_ERRNO - @call returns -1 with errno @e. */
#define EXPECT_ERRNO(call, e)                                                 \
	do {                                                                  \
		long r_;                                                      \
		errno = 0;                                                    \
		r_ = (long)(call);                                            \
		test_checked();                                               \
		if (r_ != -1 || errno != (e))                                 \
			test_fail(__FILE__, __LINE__,                         \
				  "%s: got %ld errno %d (%s), want -1 errno " \
				  "%d (%s)",                                  \
				  #call, r_, errno, strerror(errno), (e),     \
				  strerror(e));                               \
	} while (0)

/* Fatal: stop the current test when a precondition for the rest fails. */
#define REQUIRE(cond)                                                         \
	do {                                                                  \
		test_checked();                                               \
		if (!(cond)) {                                                \
			test_fail(__FILE__, __LINE__, "required: %s", #cond); \
			test_abort_current();                                 \
		}                                                             \
	} while (0)

void test_abort_current(void) __attribute__((noreturn));

#endif /* VKVM_TESTS_TEST_H */
