// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile input to pieces that need no kernel: C declarations of BTF built
 * to expand exponentially, text that is not UTF-8 in JSON documents, files
 * that are not regular files, and crafted object images.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include <bpf/libbpf.h>
#include <bpf/btf.h>
#include "xctl_priv.h"
#include "core_priv.h"
#include "btf_priv.h"

/*
 * Anonymous struct level i holds two members of level i-1: declaring level
 * 30 inline would print 2^30 lines. It must be refused, fast, and a small
 * one must still be declared.
 */
static struct btf *doubling(int levels, int *top)
{
	struct btf *b = btf__new_empty();
	int i, prev, cur;

	assert_non_null(b);
	prev = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	for (i = 0; i < levels; i++) {
		cur = btf__add_struct(b, NULL, 8);
		assert_true(cur > 0);
		assert_int_equal(btf__add_field(b, "a", prev, 0, 0), 0);
		assert_int_equal(btf__add_field(b, "b", prev, 0, 0), 0);
		prev = cur;
	}
	*top = btf__add_typedef(b, "top_t", prev);
	return b;
}

static void test_cdecl_blowup(void **state)
{
	struct xctl_err err = {};
	struct timespec t0, t1;
	char *text = NULL;
	struct btf *b;
	int top;

	(void)state;
	b = doubling(30, &top);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(xctl_btf_c_decl(b, top, &text, &err), -EINVAL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_null(text);
	assert_non_null(strstr(xctl_err_reason(&err), "would have more than"));
	assert_true(t1.tv_sec - t0.tv_sec < 2);
	xctl_err_reset(&err);
	btf__free(b);

	b = doubling(3, &top);
	assert_int_equal(xctl_btf_c_decl(b, top, &text, &err), 0);
	assert_non_null(strstr(text, "typedef struct {"));
	free(text);
	btf__free(b);
}

/* Nesting anonymous types deeper than the walker's limit is refused. */
static void test_cdecl_deep(void **state)
{
	struct btf *b = btf__new_empty();
	struct xctl_err err = {};
	char *text = NULL;
	int i, prev, cur;

	(void)state;
	prev = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	for (i = 0; i < 100; i++) {
		cur = btf__add_struct(b, NULL, 4);
		btf__add_field(b, "x", prev, 0, 0);
		prev = cur;
	}
	cur = btf__add_typedef(b, "deep_t", prev);
	assert_int_equal(xctl_btf_c_decl(b, cur, &text, &err), -EINVAL);
	assert_non_null(strstr(xctl_err_reason(&err), "deeper than"));
	xctl_err_reset(&err);
	btf__free(b);
}

/* Nested arrays of empty structs: 2^40 values from a few bytes of BTF. */
static void test_walk_blowup(void **state)
{
	struct btf *b = btf__new_empty();
	struct xctl_err err = {};
	struct timespec t0, t1;
	int u32, empty, a1, a2;
	json_t *j = NULL;
	char byte = 0;

	(void)state;
	u32 = btf__add_int(b, "unsigned int", 4, 0);
	empty = btf__add_struct(b, "empty", 0);
	a1 = btf__add_array(b, u32, empty, 1U << 20);
	a2 = btf__add_array(b, u32, a1, 1U << 20);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(xctl_btf_to_json(b, a2, &byte, 1, NULL, &j, &err), -EINVAL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_null(j);
	assert_non_null(strstr(xctl_err_reason(&err), "renders to more than"));
	assert_true(t1.tv_sec - t0.tv_sec < 5);
	xctl_err_reset(&err);
	btf__free(b);
}

static void test_json_text(void **state)
{
	json_t *j;
	char *s;

	(void)state;
	j = xctl_json_text("rel\xff\xe9", 5);
	assert_non_null(j);
	assert_string_equal(json_string_value(j), "rel\xef\xbf\xbd\xef\xbf\xbd");
	s = json_dumps(j, JSON_ENCODE_ANY);
	assert_non_null(s);
	free(s);
	json_decref(j);
	/* valid multi-byte text is kept; overlong and surrogate forms are not */
	j = xctl_json_text("caf\xc3\xa9", 5);
	assert_string_equal(json_string_value(j), "caf\xc3\xa9");
	json_decref(j);
	j = xctl_json_text("\xc0\xaf\xed\xa0\x80", 5);
	assert_int_equal(strlen(json_string_value(j)), 5 * 3);
	json_decref(j);
	j = xctl_json_text("a\0b", 3);
	assert_string_equal(json_string_value(j), "a\xef\xbf\xbd" "b");
	json_decref(j);
}

static void expect_refused(const char *path, int errnum, const char *why)
{
	struct xctl_err err = {};
	struct xctl_file f;

	assert_int_equal(xctl_file_read(path, XCTL_OBJ_MAX, &f, &err), -errnum);
	assert_null(f.data);
	assert_non_null(strstr(xctl_err_reason(&err), why));
	xctl_err_reset(&err);
}

/* Never blocks, never reads a byte of what is not a regular file. */
static void test_file_kinds(void **state)
{
	char dir[] = "/tmp/xctl-unit-harden.XXXXXX", fifo[64], big[64];
	struct xctl_err err = {};
	struct xctl_file f;
	int fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	expect_refused(fifo, EINVAL, "a FIFO");
	expect_refused("/dev/zero", EINVAL, "a character device");
	expect_refused(dir, EISDIR, "a directory");
	/* sparse file past the limit: refused from its size alone */
	snprintf(big, sizeof(big), "%s/big", dir);
	fd = open(big, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)XCTL_OBJ_MAX + 1), 0);
	close(fd);
	expect_refused(big, EFBIG, "the limit is");
	/* the hash is of the bytes read: sha256("abc") */
	fd = open(big, O_TRUNC | O_WRONLY);
	assert_int_equal(write(fd, "abc", 3), 3);
	close(fd);
	assert_int_equal(xctl_file_read(big, XCTL_OBJ_MAX, &f, &err), 0);
	assert_int_equal(f.size, 3);
	assert_string_equal(f.sha256,
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	xctl_file_free(&f);
	unlink(big);
	unlink(fifo);
	rmdir(dir);
}

/* Truncations of a good object at every 1/64th are refused, never crash. */
static void test_truncated_objects(void **state)
{
	struct xctl_file f;
	struct xctl_err err = {};
	size_t cut;

	(void)state;
	assert_int_equal(xctl_file_read("examples/cc.bpf.o", XCTL_OBJ_MAX, &f, &err), 0);
	assert_int_equal(xbtf_check_object(f.data, f.size, "cc.bpf.o", &err), 0);
	for (cut = 0; cut < f.size; cut += f.size / 64 + 1) {
		assert_int_equal(xbtf_check_object(f.data, cut, "cc.bpf.o", &err), -ENOEXEC);
		assert_non_null(strstr(err.what, "cannot open object cc.bpf.o"));
		xctl_err_reset(&err);
	}
	xctl_file_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cdecl_blowup),
		cmocka_unit_test(test_cdecl_deep),
		cmocka_unit_test(test_walk_blowup),
		cmocka_unit_test(test_json_text),
		cmocka_unit_test(test_file_kinds),
		cmocka_unit_test(test_truncated_objects),
	};

	libbpf_set_print(NULL);	/* libbpf stays quiet */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
