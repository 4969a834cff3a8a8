// SPDX-License-Identifier: GPL-2.0
/*
 * What an object's programs need (lib/core/objmaps_elf.c), read from the
 * test objects' bytes, and the map types that need no size from the loader.
 * No kernel needed: only ELF relocations and BTF are read.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <linux/bpf.h>
#include "xctl_priv.h"
#include "core_priv.h"
#include "objmaps.h"

static void read_progs(const char *path, struct objm_progs *p)
{
	struct xctl_err err = {};
	struct xctl_file f = {};

	assert_int_equal(xctl_file_read(path, XCTL_OBJ_MAX, &f, &err), 0);
	assert_int_equal(objm_progs_read(f.data, f.size, path, p, &err), 0);
	xctl_file_free(&f);
}

/* A static prog_array initialiser names xt_pass: only that one is needed. */
static void test_tail_call_table(void **state)
{
	struct objm_progs p;

	(void)state;
	read_progs("tests/bpf/xdp_tail.bpf.o", &p);
	assert_int_equal(p.needed_cnt, 1);
	assert_string_equal(p.needed[0], "xt_pass");
	assert_true(objm_progs_has(p.needed, p.needed_cnt, "xt_pass"));
	assert_false(objm_progs_has(p.needed, p.needed_cnt, "xt_entry"));
	assert_false(objm_progs_has(p.needed, p.needed_cnt, "xt_other"));
	assert_int_equal(p.kfunc_cnt, 0);
	assert_false(p.declares_kfunc);
	objm_progs_free(&p);
}

/* The caller of bpf_xdp_metadata_rx_hash, found by its relocation and BTF. */
static void test_metadata_kfunc(void **state)
{
	struct objm_progs p;

	(void)state;
	read_progs("tests/bpf/xdp_rx_hash.bpf.o", &p);
	assert_true(p.declares_kfunc);
	assert_int_equal(p.kfunc_cnt, 1);
	assert_string_equal(p.kfunc[0], "xrh_prog");
	assert_false(p.kfunc_subprog);
	assert_int_equal(p.needed_cnt, 0);
	objm_progs_free(&p);
}

/* Not an ELF image: an error, nothing allocated. */
static void test_not_elf(void **state)
{
	static const char junk[] = "not an object at all, just text";
	struct xctl_err err = {};
	struct objm_progs p;

	(void)state;
	assert_int_equal(objm_progs_read(junk, sizeof(junk), "junk", &p, &err), -ENOEXEC);
	assert_non_null(strstr(err.what, "junk"));
	assert_null(p.needed);
	assert_null(p.kfunc);
}

static void test_size_optional(void **state)
{
	(void)state;
	assert_true(objm_size_optional(BPF_MAP_TYPE_PERF_EVENT_ARRAY));
	assert_true(objm_size_optional(BPF_MAP_TYPE_SK_STORAGE));
	assert_true(objm_size_optional(BPF_MAP_TYPE_STRUCT_OPS));
	assert_false(objm_size_optional(BPF_MAP_TYPE_HASH));
	assert_false(objm_size_optional(BPF_MAP_TYPE_PROG_ARRAY));
	assert_false(objm_size_optional(BPF_MAP_TYPE_RINGBUF));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tail_call_table),
		cmocka_unit_test(test_metadata_kfunc),
		cmocka_unit_test(test_not_elf),
		cmocka_unit_test(test_size_optional),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
