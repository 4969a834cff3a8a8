// SPDX-License-Identifier: GPL-2.0
/* The plain-text form of result documents (lib/core/json_text.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "json_text.h"

/* Text of the JSON document `json` at `indent`. Caller frees. */
static char *text_of(const char *json, int indent)
{
	json_error_t je;
	json_t *v = json_loads(json, JSON_DECODE_ANY, &je);
	char *s;

	if (!v)
		fail_msg("bad test JSON '%s': %s", json, je.text);
	s = xctl_json_to_text(v, indent);
	json_decref(v);
	assert_non_null(s);
	return s;
}

static void expect_text(const char *json, int indent, const char *expected)
{
	char *s = text_of(json, indent);

	assert_string_equal(s, expected);
	free(s);
}

static void test_scalars_in_object(void **state)
{
	(void)state;
	expect_text("{\"name\": \"eth0\", \"ifindex\": 2, \"ratio\": 1.5, \"up\": true,"
		    " \"xdp\": false, \"prog\": null, \"big\": -9223372036854775808}", 0,
		    "name: eth0\nifindex: 2\nratio: 1.5\nup: yes\nxdp: no\nprog: -\n"
		    "big: -9223372036854775808\n");
}

static void test_nested_objects(void **state)
{
	(void)state;
	expect_text("{\"dev\": {\"name\": \"veth0\", \"stats\": {\"rx\": 10}}, \"ok\": 1}", 0,
		    "dev:\n    name: veth0\n    stats:\n        rx: 10\nok: 1\n");
	/* An empty object is one "-" on its key's line. */
	expect_text("{\"links\": {}}", 0, "links: -\n");
}

static void test_flat_arrays(void **state)
{
	(void)state;
	expect_text("{\"ids\": [3, 5, 8], \"names\": [\"a\", null, true], \"none\": []}", 0,
		    "ids: 3, 5, 8\nnames: a, -, yes\nnone: -\n");
	expect_text("[1, 2]", 0, "1, 2\n");
	expect_text("[]", 0, "-\n");
}

static void test_arrays_of_objects(void **state)
{
	(void)state;
	/* Objects of an array follow each other, a blank line between them. */
	expect_text("{\"maps\": [{\"id\": 1, \"kind\": \"cc\"}, {\"id\": 2, \"kind\": \"dummy\"}]}", 0,
		    "maps:\n    id: 1\n    kind: cc\n\n    id: 2\n    kind: dummy\n");
	expect_text("[{\"a\": 1}, {\"a\": 2}]", 0, "a: 1\n\na: 2\n");
}

static void test_nested_arrays(void **state)
{
	char *s;

	(void)state;
	/* Rows of a matrix are labelled with their index. */
	s = text_of("{\"m\": [[1, 2], [3]]}", 0);
	assert_non_null(strstr(s, "m:\n    [0]: 1, 2\n"));
	assert_non_null(strstr(s, "    [1]: 3\n"));
	free(s);
	/* A scalar in a mixed array keeps its index too. */
	s = text_of("[{\"a\": 1}, 5]", 0);
	assert_non_null(strstr(s, "a: 1\n"));
	assert_non_null(strstr(s, "[1]: 5\n"));
	free(s);
}

static void test_top_level_and_indent(void **state)
{
	char *s;

	(void)state;
	expect_text("42", 0, "42\n");
	expect_text("\"text\"", 0, "text\n");
	expect_text("null", 0, "-\n");
	expect_text("{\"a\": 1, \"b\": {\"c\": 2}}", 4, "    a: 1\n    b:\n        c: 2\n");
	expect_text("[7, 8]", 2, "  7, 8\n");
	expect_text("{}", 0, "");
	s = xctl_json_to_text(NULL, 0);
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
}

/* Text and JSON of the same document carry the same keys, in the same order. */
static void test_key_order_kept(void **state)
{
	(void)state;
	expect_text("{\"z\": 1, \"a\": 2, \"m\": 3}", 0, "z: 1\na: 2\nm: 3\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scalars_in_object),
		cmocka_unit_test(test_nested_objects),
		cmocka_unit_test(test_flat_arrays),
		cmocka_unit_test(test_arrays_of_objects),
		cmocka_unit_test(test_nested_arrays),
		cmocka_unit_test(test_top_level_and_indent),
		cmocka_unit_test(test_key_order_kept),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
