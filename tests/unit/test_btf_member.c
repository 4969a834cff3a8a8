// SPDX-License-Identifier: GPL-2.0
/*
 * Member paths and writes (lib/btf/btf_member.c) and C declarations
 * (lib/btf/btf_cdecl.c) on BTF built by hand.
 */
#include "btf_fixtures.h"

/* ---- member paths and writes -------------------------------------------------- */

static void test_member_path(void **state)
{
	struct btf *b = new_btf();
	struct outer_ids o;
	int st = build_outer(b, &o), ds;
	struct xctl_err err = {};
	uint32_t mt, bf;
	size_t off;

	(void)state;
	assert_int_equal(xctl_btf_member_path(b, st, "pos.y", &mt, &off, &bf, &err), 0);
	assert_int_equal(mt, o.u16);
	assert_int_equal(off, (offsetof(struct outer, pos) + 2) * 8);
	assert_int_equal(bf, 0);
	assert_int_equal(xctl_btf_member_path(b, st, "f", &mt, &off, &bf, &err), 0);
	assert_int_equal(mt, o.flt);
	assert_int_equal(off, offsetof(struct outer, f) * 8);
	assert_int_equal(xctl_btf_member_path(b, st, "q", &mt, &off, NULL, &err), 0);
	assert_int_equal(off, offsetof(struct outer, q) * 8);
	assert_int_equal(xctl_btf_member_path(b, st, "m[1][2]", &mt, &off, NULL, &err), 0);
	assert_int_equal(mt, o.s32);
	assert_int_equal(off, offsetof(struct outer, m[1][2]) * 8);
	assert_int_equal(xctl_btf_member_path(b, st, "m[1]", &mt, &off, NULL, &err), 0);
	assert_int_equal(mt, o.row);
	assert_int_equal(xctl_btf_member_path(b, st, "arr[1].k", &mt, &off, NULL, &err), 0);
	assert_int_equal(mt, o.u8);
	assert_int_equal(off, offsetof(struct outer, arr[1].k) * 8);
	assert_int_equal(xctl_btf_member_path(b, st, "", &mt, &off, &bf, &err), 0);
	assert_int_equal(mt, st);
	assert_int_equal(off, 0);

	assert_int_equal(xctl_btf_member_path(b, st, "nope", &mt, &off, NULL, &err), -ENOENT);
	assert_string_equal(err.what, "unknown member 'nope'");
	assert_string_equal(err.why, "struct outer has no member of that name");
	assert_string_equal(err.hint, "members: id, pos, u, f, p, q, m, arr");
	xctl_err_reset(&err);
	assert_int_equal(xctl_btf_member_path(b, st, "pos.z", &mt, &off, NULL, &err), -ENOENT);
	xctl_err_reset(&err);
	assert_int_equal(xctl_btf_member_path(b, st, "m[2]", &mt, &off, NULL, &err), -ERANGE);
	xctl_err_reset(&err);
	assert_int_equal(xctl_btf_member_path(b, st, "id.x", &mt, &off, NULL, &err), -EINVAL);
	assert_string_equal(err.why, "'id' is u32, which has no members");
	xctl_err_reset(&err);
	assert_int_equal(xctl_btf_member_path(b, st, "id[0]", &mt, &off, NULL, &err), -EINVAL);
	xctl_err_reset(&err);
	assert_int_equal(xctl_btf_member_path(b, st, "pos..x", &mt, &off, NULL, &err), -EINVAL);
	xctl_err_reset(&err);
	assert_int_equal(xctl_btf_member_path(b, st, "pos.", &mt, &off, NULL, &err), -EINVAL);
	xctl_err_reset(&err);
	assert_int_equal(xctl_btf_member_path(b, st, "m[x]", &mt, &off, NULL, &err), -EINVAL);
	xctl_err_reset(&err);
	assert_int_equal(xctl_btf_member_path(b, st, "m[1", &mt, &off, NULL, &err), -EINVAL);
	xctl_err_reset(&err);
	/* Indexes are decimal: no octal surprise, no hex. */
	assert_int_equal(xctl_btf_member_path(b, st, "m[01]", &mt, &off, NULL, &err), 0);
	assert_int_equal(off, offsetof(struct outer, m[1]) * 8);
	assert_int_equal(xctl_btf_member_path(b, st, "m[0x1]", &mt, &off, NULL, &err), -EINVAL);
	xctl_err_reset(&err);
	assert_int_equal(xctl_btf_member_path(b, st, "[0]", &mt, &off, NULL, &err), -EINVAL);
	assert_string_equal(err.what, "bad member path '[0]'");
	assert_string_equal(err.why, "struct outer is not an array");
	xctl_err_reset(&err);
	assert_int_equal(xctl_btf_member_path(b, st, "pos[0]", &mt, &off, NULL, &err), -EINVAL);
	assert_string_equal(err.why, "'pos' is anonymous struct, not an array");
	xctl_err_reset(&err);
	btf__free(b);

	/* Bitfields (kflag) and DATASEC variables. */
	b = new_btf();
	st = build_bits(b, NULL);
	assert_int_equal(xctl_btf_member_path(b, st, "w", &mt, &off, &bf, &err), 0);
	assert_int_equal(off, BITPOS(w));
	assert_int_equal(bf, 40);
	assert_int_equal(xctl_btf_member_path(b, st, "w.x", &mt, &off, &bf, &err), -EINVAL);
	xctl_err_reset(&err);
	ds = build_datasec(b);
	assert_int_equal(xctl_btf_member_path(b, ds, "label", &mt, &off, &bf, &err), 0);
	assert_int_equal(off, 32);
	assert_int_equal(bf, 0);
	btf__free(b);
}

static void test_member_to_json(void **state)
{
	struct btf *b = new_btf();
	struct outer_ids o;
	int st = build_outer(b, &o), bst = build_bits(b, NULL);
	struct outer v = {
		.id = 7, .pos = { 1, 2 }, .u = 0x3fc00000, .p = 3, .q = 4,
		.m = { { 1, -2, 3 }, { -4, 5, -6 } }, .arr = { { 8 }, { 9 } },
	};
	struct bits bv = { .w = 12345, .e = GREEN, .b = -2 };
	struct xctl_err err = {};
	json_t *j;

	(void)state;
	assert_int_equal(xctl_btf_member_to_json(b, st, &v, sizeof(v), "pos", NULL, &j, &err), 0);
	check_json(j, "{\"x\": 1, \"y\": 2}");
	json_decref(j);
	assert_int_equal(xctl_btf_member_to_json(b, st, &v, sizeof(v), "m[1]", NULL, &j, &err), 0);
	check_json(j, "[-4, 5, -6]");
	json_decref(j);
	assert_int_equal(xctl_btf_member_to_json(b, st, &v, sizeof(v), "f", NULL, &j, &err), 0);
	check_json(j, "1.5");
	json_decref(j);
	assert_int_equal(xctl_btf_member_to_json(b, st, &v, sizeof(v), "", NULL, &j, &err), 0);
	assert_true(json_is_object(j) && json_object_size(j) == 8);
	json_decref(j);
	assert_int_equal(xctl_btf_member_to_json(b, bst, &bv, sizeof(bv), "w", NULL, &j, &err), 0);
	check_json(j, "12345");
	json_decref(j);
	assert_int_equal(xctl_btf_member_to_json(b, bst, &bv, sizeof(bv), "e", NULL, &j, &err), 0);
	check_json(j, "\"GREEN\"");
	json_decref(j);
	assert_int_equal(xctl_btf_member_to_json(b, bst, &bv, sizeof(bv), "b", NULL, &j, &err), 0);
	check_json(j, "-2");
	json_decref(j);
	assert_int_equal(xctl_btf_member_to_json(b, st, &v, sizeof(v), "nope", NULL, &j, &err),
			 -ENOENT);
	assert_null(j);
	xctl_err_reset(&err);
	assert_int_equal(xctl_btf_member_to_json(b, st, &v, 4, "id", NULL, &j, &err), -EINVAL);
	xctl_err_reset(&err);
	btf__free(b);
}

static void set_ok(const struct btf *b, int id, void *data, size_t size,
		   const char *path, const char *text)
{
	struct xctl_err err = {};
	int r = xctl_btf_set_member(b, id, data, size, path, text, &err);

	if (r)
		fail_msg("set %s=%s: %d: %s (hint: %s)", path, text, r, err.what, err.hint);
}

static void set_fails(const struct btf *b, int id, void *data, size_t size,
		      const char *path, const char *text, int expected)
{
	struct xctl_err err = {};
	uint8_t before[128];

	assert_true(size <= sizeof(before));
	memcpy(before, data, size);
	assert_int_equal(xctl_btf_set_member(b, id, data, size, path, text, &err), expected);
	assert_true(err.what[0] != '\0');
	assert_memory_equal(before, data, size);	/* nothing written */
	xctl_err_reset(&err);
}

static void test_set_ints(void **state)
{
	struct btf *b = new_btf();
	int id = build_ints(b);
	struct ints v;

	(void)state;
	memset(&v, 0, sizeof(v));
	set_ok(b, id, &v, sizeof(v), "s8", "-128");
	set_ok(b, id, &v, sizeof(v), "u8", "0xff");
	set_ok(b, id, &v, sizeof(v), "s16", "0x7fff");
	set_ok(b, id, &v, sizeof(v), "u32", "4294967295");
	set_ok(b, id, &v, sizeof(v), "s64", "-9223372036854775808");
	set_ok(b, id, &v, sizeof(v), "u64big", "18446744073709551615");
	set_ok(b, id, &v, sizeof(v), "yes", "true");
	set_ok(b, id, &v, sizeof(v), "no", "off");
	set_ok(b, id, &v, sizeof(v), "s128", "-170141183460469231731687303715884105728");
	set_ok(b, id, &v, sizeof(v), "u128", "0xffffffffffffffffffffffffffffffff");
	assert_int_equal(v.s8, -128);
	assert_int_equal(v.u8, 255);
	assert_int_equal(v.s16, 32767);
	assert_true(v.u32 == UINT32_MAX);
	assert_true(v.s64 == INT64_MIN);
	assert_true(v.u64big == UINT64_MAX);
	assert_true(v.yes == 1 && v.no == 0);
	assert_true(v.s128 == (__int128)((unsigned __int128)1 << 127));
	assert_true(v.u128 == ~(unsigned __int128)0);
	assert_int_equal(v.u16, 0);	/* neighbours untouched */

	set_fails(b, id, &v, sizeof(v), "u8", "256", -ERANGE);
	set_fails(b, id, &v, sizeof(v), "s8", "128", -ERANGE);
	set_fails(b, id, &v, sizeof(v), "s8", "-129", -ERANGE);
	set_fails(b, id, &v, sizeof(v), "u8", "-1", -EINVAL);
	set_fails(b, id, &v, sizeof(v), "u32", "12abc", -EINVAL);
	set_fails(b, id, &v, sizeof(v), "u32", "", -EINVAL);
	set_fails(b, id, &v, sizeof(v), "u32", "0x", -EINVAL);
	set_fails(b, id, &v, sizeof(v), "u64", "18446744073709551616", -ERANGE);
	set_fails(b, id, &v, sizeof(v), "u128", "0x1ffffffffffffffffffffffffffffffff", -ERANGE);
	set_fails(b, id, &v, sizeof(v), "yes", "maybe", -EINVAL);
	set_fails(b, id, &v, sizeof(v), "missing", "1", -ENOENT);
	set_fails(b, id, &v, sizeof(v) - 1, "u8", "1", -EINVAL);	/* buffer too small */
	btf__free(b);
}

static void test_set_range_message(void **state)
{
	struct btf *b = new_btf();
	int id = build_ints(b);
	struct xctl_err err = {};
	struct ints v = {};

	(void)state;
	assert_int_equal(xctl_btf_set_member(b, id, &v, sizeof(v), "s8", "200", &err), -ERANGE);
	assert_string_equal(err.what, "value '200' is out of range for 's8' (signed char)");
	assert_string_equal(err.why, "8 bits hold -128..127");
	btf__free(b);
}

static void test_set_bitfields(void **state)
{
	struct btf *b = new_btf();
	int st = build_bits(b, NULL);
	struct bits v;

	(void)state;
	memset(&v, 0xff, sizeof(v));
	set_ok(b, st, &v, sizeof(v), "a", "2");
	set_ok(b, st, &v, sizeof(v), "b", "-16");
	set_ok(b, st, &v, sizeof(v), "c", "0x123456");
	set_ok(b, st, &v, sizeof(v), "e", "GREEN");
	set_ok(b, st, &v, sizeof(v), "w", "1099511627775");
	set_ok(b, st, &v, sizeof(v), "f", "no");
	set_ok(b, st, &v, sizeof(v), "neg", "63");
	assert_int_equal(v.a, 2);
	assert_int_equal(v.b, -16);
	assert_int_equal(v.c, 0x123456);
	assert_int_equal(v.e, GREEN);
	assert_true(v.w == 0xffffffffffULL);
	assert_int_equal(v.f, 0);
	assert_int_equal(v.neg, 63);
	set_ok(b, st, &v, sizeof(v), "e", "2");
	assert_int_equal(v.e, BLUE);
	set_fails(b, st, &v, sizeof(v), "a", "8", -ERANGE);
	set_fails(b, st, &v, sizeof(v), "b", "16", -ERANGE);
	set_fails(b, st, &v, sizeof(v), "b", "-17", -ERANGE);
	set_fails(b, st, &v, sizeof(v), "w", "1099511627776", -ERANGE);
	set_fails(b, st, &v, sizeof(v), "e", "4", -ERANGE);
	set_fails(b, st, &v, sizeof(v), "e", "PURPLE", -EINVAL);
	btf__free(b);
}

static void test_set_other_kinds(void **state)
{
	struct btf *b = new_btf();
	int ds = build_datasec(b);
	int se, flt, dbl, st, s32, ptr;
	struct xctl_err err = {};
	uint8_t data[12];
	struct { int32_t e; float f; double d; void *p; } v = {};

	(void)state;
	memset(data, 0xaa, sizeof(data));
	set_ok(b, ds, data, sizeof(data), "label", "reno");
	assert_memory_equal(data + 4, "reno\0\0\0\0", 8);
	set_ok(b, ds, data, sizeof(data), "label", "1234567");
	assert_memory_equal(data + 4, "1234567\0", 8);
	set_fails(b, ds, data, sizeof(data), "label", "12345678", -ERANGE);
	set_ok(b, ds, data, sizeof(data), "ssthresh", "77");
	assert_int_equal(data[0], 77);

	se = btf__add_enum(b, "mode", 4);
	btf__add_enum_value(b, "LOW", -1);
	btf__add_enum_value(b, "HIGH", 5);
	flt = btf__add_float(b, "float", 4);
	dbl = btf__add_float(b, "double", 8);
	s32 = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	ptr = btf__add_ptr(b, s32);
	st = btf__add_struct(b, "misc", sizeof(v));
	btf__add_field(b, "e", se, 0, 0);
	btf__add_field(b, "f", flt, 32, 0);
	btf__add_field(b, "d", dbl, 64, 0);
	btf__add_field(b, "p", ptr, 128, 0);
	set_ok(b, st, &v, sizeof(v), "e", "LOW");
	assert_int_equal(v.e, -1);
	set_ok(b, st, &v, sizeof(v), "e", "-3");
	assert_int_equal(v.e, -3);
	set_ok(b, st, &v, sizeof(v), "f", "0.5");
	set_ok(b, st, &v, sizeof(v), "d", "-2e3");
	assert_true(v.f == 0.5f && v.d == -2000.0);
	set_fails(b, st, &v, sizeof(v), "d", "x", -EINVAL);
	set_fails(b, st, &v, sizeof(v), "p", "0", -EINVAL);
	assert_int_equal(xctl_btf_set_member(b, st, &v, sizeof(v), "", "1", &err), -EINVAL);
	assert_non_null(strstr(err.hint, "members one by one"));
	xctl_err_reset(&err);
	assert_int_equal(xctl_btf_set_member(b, st, &v, sizeof(v), "e", "MID", &err), -EINVAL);
	assert_string_equal(err.hint, "expected one of: LOW, HIGH (or a number)");
	xctl_err_reset(&err);
	/* A bare scalar type, path "" */
	set_ok(b, s32, &v.e, 4, "", "-42");
	assert_int_equal(v.e, -42);
	btf__free(b);
}

/* ---- C declarations ------------------------------------------------------------ */

static void test_c_decl(void **state)
{
	struct btf *b = new_btf();
	int u32 = btf__add_int(b, "unsigned int", 4, 0);
	int td = btf__add_typedef(b, "u32_t", u32);
	int ch = btf__add_int(b, "char", 1, BTF_INT_SIGNED);
	int arr = btf__add_array(b, u32, ch, 8);
	int st = btf__add_struct(b, "cfg", 12);
	struct xctl_err err = {};
	int ds, ptr, proto, fn;
	char *s = NULL;

	(void)state;
	btf__add_field(b, "count", td, 0, 0);
	btf__add_field(b, "name", arr, 32, 0);
	assert_int_equal(xctl_btf_c_decl(b, st, &s, &err), 0);
	assert_string_equal(s,
			    "typedef unsigned int u32_t;\n\n"
			    "struct cfg {\n\tu32_t count;\n\tchar name[8];\n};\n");
	free(s);
	assert_int_equal(xctl_btf_c_decl(b, u32, &s, &err), 0);
	assert_string_equal(s, "unsigned int\n");
	free(s);
	/* A section lists its variables; a function is its prototype. */
	ds = build_datasec(b);
	assert_int_equal(xctl_btf_c_decl(b, ds, &s, &err), 0);
	assert_string_equal(s, "/* section .rodata */\nunsigned int ssthresh;\nchar label[8];\n");
	free(s);
	ptr = btf__add_ptr(b, st);
	proto = btf__add_func_proto(b, td);
	assert_int_equal(btf__add_func_param(b, "c", ptr), 0);
	fn = btf__add_func(b, "count_of", BTF_FUNC_GLOBAL, proto);
	assert_int_equal(xctl_btf_c_decl(b, fn, &s, &err), 0);
	/* Behind a pointer, struct cfg needs no definition. */
	assert_string_equal(s, "typedef unsigned int u32_t;\n\nu32_t count_of(struct cfg *c);\n");
	free(s);
	assert_int_equal(xctl_btf_c_decl(b, 999, &s, &err), -EINVAL);
	assert_null(s);
	btf__free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_member_path),
		cmocka_unit_test(test_member_to_json),
		cmocka_unit_test(test_set_ints),
		cmocka_unit_test(test_set_range_message),
		cmocka_unit_test(test_set_bitfields),
		cmocka_unit_test(test_set_other_kinds),
		cmocka_unit_test(test_c_decl),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
