// SPDX-License-Identifier: GPL-2.0
/* Keyword matching and number parsing (lib/core/parse.c). */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "xctl_priv.h"

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

/* Split line and compare with the expected words (NULL-terminated). */
static void check_split(const char *line, const char *const *want)
{
	struct xctl_err err = {};
	char **argv;
	int argc, i;

	assert_int_equal(xctl_split_words(line, &argc, &argv, &err), 0);
	for (i = 0; want[i]; i++) {
		assert_true(i < argc);
		assert_string_equal(argv[i], want[i]);
	}
	assert_int_equal(argc, i);
	assert_null(argv[argc]);
	free(argv);
}

static void test_split_words(void **state)
{
	static const char *const plain[] = { "module", "load", "cc.bpf.o", NULL };
	static const char *const quoted[] = { "a b", "c'd", "e\"f", "", "g#h", NULL };
	static const char *const escaped[] = { "a b", "#c", NULL };
	static const char *const none[] = { NULL };

	(void)state;
	check_split("  module\tload   cc.bpf.o  \n", plain);
	check_split("module load cc.bpf.o # a comment", plain);
	check_split("'a b' \"c'd\" \"e\\\"f\" '' g#h", quoted);
	check_split("a\\ b \\#c", escaped);
	check_split("", none);
	check_split("   # only a comment", none);
}

static void test_split_words_bad(void **state)
{
	struct xctl_err err = {};
	char **argv = (char **)1;
	int argc = 1;

	(void)state;
	assert_int_equal(xctl_split_words("a 'b", &argc, &argv, &err), -EINVAL);
	assert_null(argv);
	assert_int_equal(argc, 0);
	assert_non_null(strstr(err.what, "unterminated single quote"));
	xctl_err_reset(&err);
	assert_int_equal(xctl_split_words("a \"b", &argc, &argv, &err), -EINVAL);
	assert_non_null(strstr(err.what, "double quote"));
	xctl_err_reset(&err);
	assert_int_equal(xctl_split_words("a b\\", &argc, &argv, &err), -EINVAL);
	assert_non_null(strstr(err.what, "backslash"));
	xctl_err_reset(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_and_prefix),
		cmocka_unit_test(test_ambiguous_and_unknown),
		cmocka_unit_test(test_exact_beats_prefix),
		cmocka_unit_test(test_parse_numbers),
		cmocka_unit_test(test_split_words),
		cmocka_unit_test(test_split_words_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
