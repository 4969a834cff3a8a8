// SPDX-License-Identifier: GPL-2.0
/* Keyword matching and number parsing (lib/core/parse.c). */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "xctl.h"

static const char *const verbs[] = { "list", "load", "info", "unload", "reload", NULL };

static void test_exact_and_prefix(void **state)
{
	(void)state;
	assert_int_equal(xctl_keyword_index("list", verbs), 0);
	assert_int_equal(xctl_keyword_index("li", verbs), 0);
	assert_int_equal(xctl_keyword_index("lo", verbs), 1);
	assert_int_equal(xctl_keyword_index("i", verbs), 2);
	assert_int_equal(xctl_keyword_index("u", verbs), 3);
}

static void test_ambiguous_and_unknown(void **state)
{
	(void)state;
	assert_int_equal(xctl_keyword_index("l", verbs), -2);
	assert_int_equal(xctl_keyword_index("x", verbs), -1);
	assert_int_equal(xctl_keyword_index("listing", verbs), -1);
	assert_int_equal(xctl_keyword_index("", verbs), -1);
}

static void test_exact_beats_prefix(void **state)
{
	static const char *const w[] = { "show", "shows", NULL };

	(void)state;
	assert_int_equal(xctl_keyword_index("show", w), 0);
	assert_int_equal(xctl_keyword_index("shows", w), 1);
	assert_int_equal(xctl_keyword_index("sho", w), -2);
}

static void test_parse_numbers(void **state)
{
	uint64_t v;
	uint32_t u;

	(void)state;
	assert_int_equal(xctl_parse_u64("42", &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(xctl_parse_u64("0x10", &v), 0);
	assert_int_equal(v, 16);
	assert_int_equal(xctl_parse_u64("18446744073709551615", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(xctl_parse_u64("18446744073709551616", &v), -ERANGE);
	assert_int_equal(xctl_parse_u64("-1", &v), -EINVAL);
	assert_int_equal(xctl_parse_u64("12abc", &v), -EINVAL);
	assert_int_equal(xctl_parse_u64("", &v), -EINVAL);
	assert_int_equal(xctl_parse_u32("4294967295", &u), 0);
	assert_true(u == UINT32_MAX);
	assert_int_equal(xctl_parse_u32("4294967296", &u), -ERANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_and_prefix),
		cmocka_unit_test(test_ambiguous_and_unknown),
		cmocka_unit_test(test_exact_beats_prefix),
		cmocka_unit_test(test_parse_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
