// SPDX-License-Identifier: GPL-2.0
/*
 * The BTF walker (lib/btf/btf_walk.c) on BTF built by hand, every kind it
 * renders, malformed BTF it must refuse without crashing, and every struct
 * of the running kernel's BTF.
 */
#include "btf_fixtures.h"

static void test_ints(void **state)
{
	struct btf *b = new_btf();
	int id = build_ints(b);
	struct ints v = {
		.s8 = -128, .u8 = 255, .s16 = -32768, .u16 = 65535,
		.s32 = INT32_MIN, .u32 = UINT32_MAX, .s64 = INT64_MIN,
		.u64 = INT64_MAX, .u64big = UINT64_MAX, .yes = 1, .no = 0, .c = 'A',
		.s128 = -2, .u128 = ((unsigned __int128)0x1234 << 64) | 0xabcd,
	};

	(void)state;
	expect(b, id, &v, sizeof(v), NULL,
	       "{\"s8\": -128, \"u8\": 255, \"s16\": -32768, \"u16\": 65535,"
	       " \"s32\": -2147483648, \"u32\": 4294967295,"
	       " \"s64\": -9223372036854775808, \"u64\": 9223372036854775807,"
	       " \"u64big\": \"18446744073709551615\", \"yes\": true, \"no\": false,"
	       " \"c\": 65, \"s128\": \"0xfffffffffffffffffffffffffffffffe\","
	       " \"u128\": \"0x1234000000000000abcd\"}");
	/* A whole value may be a bare scalar. */
	expect(b, 5, &v.s32, 4, NULL, "-2147483648");
	expect(b, 12, &v.u128, 16, NULL, "\"0x1234000000000000abcd\"");
	v.u128 = 7;
	expect(b, 12, &v.u128, 16, NULL, "\"0x7\"");
	/* A bool byte that is neither 0 nor 1 is shown as the number it is. */
	v.yes = 0;
	memset(&v.yes, 3, 1);
	expect(b, 9, &v.yes, 1, NULL, "3");
	btf__free(b);
}

static void test_ints_text(void **state)
{
	struct btf *b = new_btf();
	int u32 = btf__add_int(b, "unsigned int", 4, 0);
	int bl = btf__add_int(b, "_Bool", 1, BTF_INT_BOOL);
	int st = btf__add_struct(b, "t", 8);
	uint8_t data[8] = { 42, 0, 0, 0, 1 };

	(void)state;
	assert_int_equal(btf__add_field(b, "count", u32, 0, 0), 0);
	assert_int_equal(btf__add_field(b, "enabled", bl, 32, 0), 0);
	expect_text(b, st, data, sizeof(data), "count: 42\nenabled: yes\n");
	btf__free(b);
}

static void test_bitfields_kflag(void **state)
{
	struct btf *b = new_btf();
	int st = build_bits(b, NULL);
	struct bits v;

	(void)state;
	memset(&v, 0xff, sizeof(v));	/* padding bits set: must not leak */
	v.a = 5; v.b = -3; v.c = 0xabcdef; v.e = BLUE; v.w = 0xfedcba9876ULL;
	v.f = 1; v.neg = -64;
	assert_true(btf_kflag(btf__type_by_id(b, st)));
	expect(b, st, &v, sizeof(v), NULL,
	       "{\"a\": 5, \"b\": -3, \"c\": 11259375, \"e\": \"BLUE\","
	       " \"w\": 1094624909430, \"f\": true, \"neg\": -64}");
	v.e = 3;	/* no enumerator */
	v.b = 15;
	v.f = 0;
	expect(b, st, &v, sizeof(v), NULL,
	       "{\"a\": 5, \"b\": 15, \"c\": 11259375, \"e\": 3,"
	       " \"w\": 1094624909430, \"f\": false, \"neg\": -64}");
	btf__free(b);
}

/*
 * The older encoding (no kflag): the member's type is an INT whose bits and
 * bit offset describe the field. libbpf cannot emit it, so build raw BTF:
 * [1] int, [2] u32 3 bits, [3] s32 5 bits at int offset 2, [4] struct.
 */
static void test_bitfields_legacy(void **state)
{
	struct raw r;
	struct btf *b;
	uint32_t x = 0;
	uint8_t data[8] = {};

	(void)state;
	raw_init(&r);
	raw_int(&r, "int", 4, BTF_INT_SIGNED, 32, 0);
	raw_int(&r, "unsigned int", 4, 0, 3, 0);
	raw_int(&r, "int", 4, BTF_INT_SIGNED, 5, 2);
	raw_words(&r, 3, raw_str(&r, "old"), INFO(BTF_KIND_STRUCT, 0, 3), 8);
	raw_words(&r, 3, raw_str(&r, "lo"), 2, 0);	/* bits 0..2 */
	raw_words(&r, 3, raw_str(&r, "mid"), 3, 1);	/* bits 1+2 = 3..7 */
	raw_words(&r, 3, raw_str(&r, "whole"), 1, 32);
	b = raw_btf(&r);
	assert_non_null(b);
	x = 6 | (0x1eU << 3);		/* lo = 6, mid = -2 (5 bits 11110) */
	memcpy(data, &x, 4);
	data[4] = 9;
	expect(b, 4, data, sizeof(data), NULL, "{\"lo\": 6, \"mid\": -2, \"whole\": 9}");
	/* Such an INT on its own: its bits at its offset. */
	expect(b, 3, data, 4, NULL, "-3");	/* bits 2..6 of 0xf6 */
	btf__free(b);
}

/* ---- chars, enums, composites, arrays, floats -------------------------------- */

static void test_char_arrays(void **state)
{
	struct btf *b = new_btf();
	int ch = btf__add_int(b, "char", 1, BTF_INT_SIGNED);
	int u8 = btf__add_int(b, "unsigned char", 1, 0);
	int arr8 = btf__add_array(b, ch, ch, 8);
	int arr4 = btf__add_array(b, ch, ch, 4);
	int bytes = btf__add_array(b, u8, u8, 4);
	int st = btf__add_struct(b, "s", 24);
	struct { char name[8]; char full[4]; char bin[4]; uint8_t mac[4]; char empty[4]; } v = {
		"hello", { 'a', 'b', 'c', 'd' }, { 'x', 1, 0, 0 }, { 1, 2, 3, 255 }, "",
	};

	(void)state;
	assert_int_equal(btf__add_field(b, "name", arr8, 0, 0), 0);
	assert_int_equal(btf__add_field(b, "full", arr4, 64, 0), 0);
	assert_int_equal(btf__add_field(b, "bin", arr4, 96, 0), 0);
	assert_int_equal(btf__add_field(b, "mac", bytes, 128, 0), 0);
	assert_int_equal(btf__add_field(b, "empty", arr4, 160, 0), 0);
	expect(b, st, &v, sizeof(v), NULL,
	       "{\"name\": \"hello\", \"full\": \"abcd\", \"bin\": [120, 1, 0, 0],"
	       " \"mac\": [1, 2, 3, 255], \"empty\": \"\"}");
	expect_text(b, st, &v, sizeof(v),
		    "name: hello\nfull: abcd\nbin: 120, 1, 0, 0\nmac: 1, 2, 3, 255\nempty: \n");
	/* UTF-8 is text; other bytes >= 0x80 are not. */
	memcpy(v.name, "caf\xc3\xa9", 6);
	memcpy(v.full, "\xff\x41\0", 3);
	expect(b, st, &v, sizeof(v), NULL,
	       "{\"name\": \"caf\u00e9\", \"full\": [-1, 65, 0, 100], \"bin\": [120, 1, 0, 0],"
	       " \"mac\": [1, 2, 3, 255], \"empty\": \"\"}");
	btf__free(b);
}

static void test_enums(void **state)
{
	struct btf *b = new_btf();
	int ue, se, e8, e64, s64;
	uint32_t u = 2;
	int32_t s = -1;
	uint8_t small = 200;
	uint64_t big = 1ULL << 40;
	int64_t sneg = -5;

	(void)state;
	ue = btf__add_enum(b, "state", 4);
	btf__add_enum_value(b, "IDLE", 0);
	btf__add_enum_value(b, "RUNNING", 2);
	se = btf__add_enum(b, "sgn", 4);
	btf__add_enum_value(b, "MINUS_ONE", -1);	/* makes it signed (kflag) */
	btf__add_enum_value(b, "ONE", 1);
	e8 = btf__add_enum(b, "tiny", 1);
	btf__add_enum_value(b, "BIG", 200);
	e64 = btf__add_enum64(b, "wide", 8, false);
	btf__add_enum64_value(b, "TERA", 1ULL << 40);
	btf__add_enum64_value(b, "TOP", UINT64_MAX);
	s64 = btf__add_enum64(b, "swide", 8, true);
	btf__add_enum64_value(b, "NEG", (uint64_t)-10);
	assert_true(btf_kflag(btf__type_by_id(b, se)));

	expect(b, ue, &u, 4, NULL, "\"RUNNING\"");
	u = 7;
	expect(b, ue, &u, 4, NULL, "7");
	expect(b, se, &s, 4, NULL, "\"MINUS_ONE\"");
	s = -7;
	expect(b, se, &s, 4, NULL, "-7");
	expect(b, e8, &small, 1, NULL, "\"BIG\"");
	expect(b, e64, &big, 8, NULL, "\"TERA\"");
	big = UINT64_MAX;
	expect(b, e64, &big, 8, NULL, "\"TOP\"");
	big = UINT64_MAX - 1;
	expect(b, e64, &big, 8, NULL, "\"18446744073709551614\"");
	sneg = -10;
	expect(b, s64, &sneg, 8, NULL, "\"NEG\"");
	sneg = -5;
	expect(b, s64, &sneg, 8, NULL, "-5");
	btf__free(b);
}

static void test_composites_arrays(void **state)
{
	struct btf *b = new_btf();
	struct outer_ids o;
	int st = build_outer(b, &o), pos = o.pos;
	struct outer v = {
		.id = 7, .pos = { 1, 2 }, .u = 0x3fc00000, .p = 3, .q = 4,
		.m = { { 1, -2, 3 }, { -4, 5, -6 } }, .arr = { { 8 }, { 9 } },
	};

	(void)state;
	expect(b, st, &v, sizeof(v), NULL,
	       "{\"id\": 7, \"pos\": {\"x\": 1, \"y\": 2}, \"u\": 1069547520, \"f\": 1.5,"
	       " \"p\": 3, \"q\": 4, \"m\": [[1, -2, 3], [-4, 5, -6]],"
	       " \"arr\": [{\"k\": 8}, {\"k\": 9}]}");
	expect_text(b, st, &v, sizeof(v),
		    "id: 7\n"
		    "pos:\n    x: 1\n    y: 2\n"
		    "u: 1069547520\nf: 1.5\np: 3\nq: 4\n"
		    "m:\n    [0]: 1, -2, 3\n\n    [1]: -4, 5, -6\n"
		    "arr:\n    k: 8\n\n    k: 9\n");
	/* A larger buffer is fine (the rest is ignored); a smaller one is not. */
	expect(b, pos, &v.pos, 64, NULL, "{\"x\": 1, \"y\": 2}");
	expect_refused(b, st, &v, sizeof(v) - 1, "too small", true);
	btf__free(b);
}

static void test_floats(void **state)
{
	struct btf *b = new_btf();
	int f2 = btf__add_float(b, "_Float16", 2);
	int f4 = btf__add_float(b, "float", 4);
	int f8 = btf__add_float(b, "double", 8);
	int f16 = btf__add_float(b, "long double", 16);
	uint16_t half = 0xc100;		/* -2.5 */
	float f = 0.25f;
	double d = -1e10;
	/* x87 extended 3.5: mantissa 0xe000000000000000, exponent 0x4000 */
	uint8_t ldb[16] = { 0, 0, 0, 0, 0, 0, 0, 0xe0, 0x00, 0x40 };

	(void)state;
	expect(b, f2, &half, 2, NULL, "-2.5");
	expect(b, f4, &f, 4, NULL, "0.25");
	expect(b, f8, &d, 8, NULL, "-10000000000.0");
	expect(b, f16, ldb, 16, NULL, "3.5");
	d = NAN;
	expect(b, f8, &d, 8, NULL, "\"nan\"");
	d = -INFINITY;
	expect(b, f8, &d, 8, NULL, "\"-inf\"");
	btf__free(b);
}

/* typedef, const, volatile, restrict, type_tag and decl_tag are looked through. */
static void test_modifiers(void **state)
{
	struct btf *b = new_btf();
	int u32 = btf__add_int(b, "unsigned int", 4, 0);
	int td = btf__add_typedef(b, "u32_t", u32);
	int cst = btf__add_const(b, td);
	int vol = btf__add_volatile(b, cst);
	int tag = btf__add_type_tag(b, "user", vol);
	int ptr = btf__add_ptr(b, tag);
	int rst = btf__add_restrict(b, ptr);
	int st = btf__add_struct(b, "m", 16);
	int dtag;
	uint64_t v[2] = { 99, 0x1000 };

	(void)state;
	btf__add_field(b, "val", tag, 0, 0);
	btf__add_field(b, "p", rst, 64, 0);
	dtag = btf__add_decl_tag(b, "tagged", st, -1);
	assert_true(dtag > 0);
	expect(b, st, v, sizeof(v), NULL, "{\"val\": 99, \"p\": 4096}");
	expect(b, dtag, v, sizeof(v), NULL, "{\"val\": 99, \"p\": 4096}");
	expect(b, vol, v, 4, NULL, "99");
	btf__free(b);
}

/* ---- pointers and function pointers (struct_ops values) ------------------- */

static int fake_prog_name(uint32_t id, char *buf, size_t len, void *ctx)
{
	int *calls = ctx;

	(*calls)++;
	if (id != 7)
		return -ENOENT;
	snprintf(buf, len, "my_prog");
	return 0;
}

static void test_pointers(void **state)
{
	struct btf *b = new_btf();
	int s32 = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	int proto = btf__add_func_proto(b, s32);
	int fptr, td, dptr, st, calls = 0;
	struct xctl_err err = {};
	char *txt = NULL;
	uint64_t v[4] = { 7, 0, 9, 0xffff888000001000ULL };
	XCTL_OPTS(xctl_btf_dump_opts, o, .flags = XCTL_BTF_FPTR_PROG,
		  .prog_name = fake_prog_name, .ctx = &calls);
	XCTL_OPTS(xctl_btf_dump_opts, sys, .flags = XCTL_BTF_FPTR_PROG);

	(void)state;
	btf__add_func_param(b, "x", s32);
	fptr = btf__add_ptr(b, proto);
	td = btf__add_typedef(b, "handler_t", fptr);
	dptr = btf__add_ptr(b, s32);
	st = btf__add_struct(b, "ops", 32);
	btf__add_field(b, "init", fptr, 0, 0);
	btf__add_field(b, "release", td, 64, 0);
	btf__add_field(b, "gone", fptr, 128, 0);
	btf__add_field(b, "data", dptr, 192, 0);

	expect(b, st, v, sizeof(v), &o,
	       "{\"init\": {\"prog_id\": 7, \"prog_name\": \"my_prog\"}, \"release\": null,"
	       " \"gone\": {\"prog_id\": 9, \"prog_name\": null},"
	       " \"data\": \"18446612682070036480\"}");
	assert_int_equal(calls, 2);	/* not called for 0 */
	/* The text form, as struct_ops dump shows it. */
	assert_int_equal(btf_to_text(b, st, v, sizeof(v), &o, &txt, &err), 0);
	assert_string_equal(txt,
			    "init:\n    prog_id: 7\n    prog_name: my_prog\n"
			    "release: -\n"
			    "gone:\n    prog_id: 9\n    prog_name: -\n"
			    "data: 18446612682070036480\n");
	free(txt);
	/* Without the flag, function pointers are addresses like any pointer. */
	expect(b, st, v, sizeof(v), NULL,
	       "{\"init\": 7, \"release\": null, \"gone\": 9, \"data\": \"18446612682070036480\"}");
	/* The system lookup: an id no program has gives a null name, not an error. */
	v[0] = 0xfffffff0;
	v[2] = 0;
	expect(b, st, v, sizeof(v), &sys,
	       "{\"init\": {\"prog_id\": 4294967280, \"prog_name\": null}, \"release\": null,"
	       " \"gone\": null, \"data\": \"18446612682070036480\"}");
	btf__free(b);
}

/* DATASEC (a .rodata of module parameters) renders as an object of variables. */
static void test_datasec(void **state)
{
	struct btf *b = new_btf();
	int ds = build_datasec(b);
	uint8_t data[12] = { 10, 0, 0, 0, 'c', 'u', 'b', 'i', 'c' };

	(void)state;
	expect(b, ds, data, sizeof(data), NULL, "{\"ssthresh\": 10, \"label\": \"cubic\"}");
	btf__free(b);
}

/* ---- malformed BTF ----------------------------------------------------------- */

/* Types that have no value are refused, with a message. */
/*
 * Options from a newer caller: bytes beyond the struct this library knows
 * must be zero (libbpf's OPTS_VALID), and a failure sets errno too.
 */
static void test_opts_tail(void **state)
{
	struct btf *b = new_btf();
	int s32 = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	struct {
		struct xctl_btf_dump_opts o;
		uint64_t newer;		/* a field this version does not know */
	} big;
	struct xctl_err err = {};
	int32_t data = -5;
	json_t *v = NULL;

	(void)state;
	memset(&big, 0, sizeof(big));
	big.o.sz = sizeof(big);
	assert_int_equal(xctl_btf_to_json(b, s32, &data, sizeof(data), &big.o, &v, &err), 0);
	assert_int_equal(json_integer_value(v), -5);
	json_decref(v);

	big.newer = 1;
	errno = 0;
	assert_int_equal(xctl_btf_to_json(b, s32, &data, sizeof(data), &big.o, &v, &err),
			 -EINVAL);
	assert_int_equal(errno, EINVAL);
	assert_null(v);
	assert_non_null(strstr(err.what, "xctl_btf_dump_opts"));
	xctl_err_reset(&err);

	/* sz must at least cover itself; an older, shorter struct is fine. */
	big.newer = 0;
	big.o.sz = 4;
	assert_int_equal(xctl_btf_to_json(b, s32, &data, sizeof(data), &big.o, &v, &err),
			 -EINVAL);
	xctl_err_reset(&err);
	big.o.sz = offsetof(struct xctl_btf_dump_opts, flags);
	assert_int_equal(xctl_btf_to_json(b, s32, &data, sizeof(data), &big.o, &v, &err), 0);
	json_decref(v);

	/* errno is the returned errno also when the failure is in the walk. */
	errno = 0;
	assert_int_equal(xctl_btf_to_json(b, 999, &data, sizeof(data), NULL, &v, &err), -EINVAL);
	assert_int_equal(errno, EINVAL);
	xctl_err_reset(&err);
	btf__free(b);
}

static void test_no_value(void **state)
{
	struct btf *b = new_btf();
	int s32 = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	int proto = btf__add_func_proto(b, s32);
	int fwd = btf__add_fwd(b, "opaque", BTF_FWD_STRUCT);
	int func = btf__add_func(b, "f", BTF_FUNC_GLOBAL, proto);
	uint8_t data[16] = {};
	struct xctl_err err = {};
	json_t *v;

	(void)state;
	expect_malformed(b, proto, data, sizeof(data), "no value");
	expect_malformed(b, fwd, data, sizeof(data), "no value");
	expect_malformed(b, func, data, sizeof(data), "no value");
	/* void (id 0) and ids past the end */
	assert_int_equal(xctl_btf_to_json(b, 0, data, sizeof(data), NULL, &v, &err), -EINVAL);
	xctl_err_reset(&err);
	assert_int_equal(xctl_btf_to_json(b, 999, data, sizeof(data), NULL, &v, &err), -EINVAL);
	assert_string_equal(err.what, "malformed BTF");
	assert_non_null(strstr(err.why, "type id 999 out of range"));
	xctl_err_reset(&err);
	assert_int_equal(xctl_btf_to_json(NULL, 1, data, sizeof(data), NULL, &v, &err), -EINVAL);
	xctl_err_reset(&err);
	assert_int_equal(xctl_btf_to_json(b, s32, NULL, 4, NULL, &v, &err), -EINVAL);
	xctl_err_reset(&err);
	btf__free(b);
}

/* Run one malformed raw BTF: btf__new() may refuse it, else the walker must. */
static void malformed(const struct raw *r, int id, const char *msg)
{
	uint8_t data[64] = {};
	struct xctl_err err = {};
	struct btf *b = raw_btf(r);
	char *s = NULL;
	size_t off;
	uint32_t mt;

	if (!b)
		return;		/* libbpf refused it: also fine */
	expect_malformed(b, id, data, sizeof(data), msg);
	/* The C declaration and member lookups must not crash either. */
	if (!xctl_btf_c_decl(b, id, &s, &err))
		free(s);
	xctl_err_reset(&err);
	assert_int_not_equal(xctl_btf_member_path(b, id, "a.b", &mt, &off, NULL, &err), 0);
	xctl_err_reset(&err);
	assert_int_not_equal(xctl_btf_set_member(b, id, data, sizeof(data), "a", "1", &err), 0);
	xctl_err_reset(&err);
	btf__free(b);
}

static void test_malformed_ids(void **state)
{
	struct raw r;

	(void)state;
	/* [1] int, [2] struct { int a; <type 77> b; } */
	raw_init(&r);
	raw_int(&r, "int", 4, BTF_INT_SIGNED, 32, 0);
	raw_words(&r, 3, raw_str(&r, "s"), INFO(BTF_KIND_STRUCT, 0, 2), 8);
	raw_words(&r, 3, raw_str(&r, "a"), 1, 0);
	raw_words(&r, 3, raw_str(&r, "b"), 77, 32);
	malformed(&r, 2, "out of range");

	/* [1] typedef -> 50 */
	raw_init(&r);
	raw_words(&r, 3, raw_str(&r, "t"), INFO(BTF_KIND_TYPEDEF, 0, 0), 50);
	malformed(&r, 1, "out of range");

	/* [1] int, [2] array of [1] with index type 99 */
	raw_init(&r);
	raw_int(&r, "int", 4, BTF_INT_SIGNED, 32, 0);
	raw_words(&r, 6, 0, INFO(BTF_KIND_ARRAY, 0, 0), 0, 1, 99, 2);
	malformed(&r, 2, "out of range");

	/* [1] int, [2] decl_tag on [1], [3] struct whose member is typed [2] */
	raw_init(&r);
	raw_int(&r, "int", 4, BTF_INT_SIGNED, 32, 0);
	raw_words(&r, 4, raw_str(&r, "tag"), INFO(BTF_KIND_DECL_TAG, 0, 0), 1, 0xffffffffU);
	raw_words(&r, 3, raw_str(&r, "s"), INFO(BTF_KIND_STRUCT, 0, 1), 4);
	raw_words(&r, 3, raw_str(&r, "a"), 2, 0);
	malformed(&r, 3, "holds");

	/* [1] int, [2] var of [1], [3] section of [2], [4] array of 2 sections */
	raw_init(&r);
	raw_int(&r, "int", 4, BTF_INT_SIGNED, 32, 0);
	raw_words(&r, 4, raw_str(&r, "v"), INFO(BTF_KIND_VAR, 0, 0), 1, 1);
	raw_words(&r, 6, raw_str(&r, ".data"), INFO(BTF_KIND_DATASEC, 0, 1), 4, 2, 0, 4);
	raw_words(&r, 6, 0, INFO(BTF_KIND_ARRAY, 0, 0), 0, 3, 1, 2);
	malformed(&r, 4, "holds");

	/* [1] int, [2] struct with a member name offset past the strings */
	raw_init(&r);
	raw_int(&r, "int", 4, BTF_INT_SIGNED, 32, 0);
	raw_words(&r, 3, raw_str(&r, "s"), INFO(BTF_KIND_STRUCT, 0, 1), 4);
	raw_words(&r, 3, 5000, 1, 0);
	malformed(&r, 2, "name offset");
}

static void test_malformed_loops(void **state)
{
	struct raw r;
	int i;

	(void)state;
	/* [1] typedef loop -> [1] */
	raw_init(&r);
	raw_words(&r, 3, raw_str(&r, "self"), INFO(BTF_KIND_TYPEDEF, 0, 0), 1);
	malformed(&r, 1, "loop");

	/* [1] const -> [2] typedef -> [3] volatile -> [1] */
	raw_init(&r);
	raw_words(&r, 3, 0, INFO(BTF_KIND_CONST, 0, 0), 2);
	raw_words(&r, 3, raw_str(&r, "t"), INFO(BTF_KIND_TYPEDEF, 0, 0), 3);
	raw_words(&r, 3, 0, INFO(BTF_KIND_VOLATILE, 0, 0), 1);
	malformed(&r, 1, "loop");

	/* [1] int, [2] struct s { int a; struct s again; } (by value) */
	raw_init(&r);
	raw_int(&r, "int", 4, BTF_INT_SIGNED, 32, 0);
	raw_words(&r, 3, raw_str(&r, "s"), INFO(BTF_KIND_STRUCT, 0, 2), 8);
	raw_words(&r, 3, raw_str(&r, "a"), 1, 0);
	raw_words(&r, 3, raw_str(&r, "again"), 2, 0);
	malformed(&r, 2, "contains itself");

	/* [1] struct a { [2] b x; }, [2] struct b { [1] a y; } */
	raw_init(&r);
	raw_words(&r, 3, raw_str(&r, "a"), INFO(BTF_KIND_STRUCT, 0, 1), 4);
	raw_words(&r, 3, raw_str(&r, "x"), 2, 0);
	raw_words(&r, 3, raw_str(&r, "b"), INFO(BTF_KIND_STRUCT, 0, 1), 4);
	raw_words(&r, 3, raw_str(&r, "y"), 1, 0);
	malformed(&r, 1, "contains itself");

	/* [1] array of [1] */
	raw_init(&r);
	raw_int(&r, "int", 4, BTF_INT_SIGNED, 32, 0);
	raw_words(&r, 6, 0, INFO(BTF_KIND_ARRAY, 0, 0), 0, 2, 1, 1);
	malformed(&r, 2, "deeper");

	/* 40 nested structs, each holding the next: too deep. */
	raw_init(&r);
	raw_int(&r, "int", 4, BTF_INT_SIGNED, 32, 0);
	for (i = 0; i < 40; i++) {
		raw_words(&r, 3, raw_str(&r, "n"), INFO(BTF_KIND_STRUCT, 0, 1), 4);
		raw_words(&r, 3, raw_str(&r, "in"), i == 39 ? 1 : i + 3, 0);
	}
	malformed(&r, 2, "deeper");
}

static void test_malformed_sizes(void **state)
{
	uint8_t data[64] = {};
	struct btf *b;
	struct raw r;

	(void)state;
	/* [1] int, [2] struct of size 4 with an int at byte 2 */
	raw_init(&r);
	raw_int(&r, "int", 4, BTF_INT_SIGNED, 32, 0);
	raw_words(&r, 3, raw_str(&r, "s"), INFO(BTF_KIND_STRUCT, 0, 1), 4);
	raw_words(&r, 3, raw_str(&r, "a"), 1, 16);
	malformed(&r, 2, "exceeds");

	/* kflag bitfield past the end: 8 bits at bit 28 of a 4-byte struct */
	raw_init(&r);
	raw_int(&r, "int", 4, BTF_INT_SIGNED, 32, 0);
	raw_words(&r, 3, raw_str(&r, "s"), INFO(BTF_KIND_STRUCT, 1, 1), 4);
	raw_words(&r, 3, raw_str(&r, "a"), 1, (8U << 24) | 28);
	malformed(&r, 2, "does not fit");

	/*
	 * [1] empty struct, [2] int, [3] array of 3 of [1], [4] of 2^32-1 of
	 * [1]: kernel BTF has the first kind (lock_class_key without lockdep),
	 * the second is absurd.
	 */
	raw_init(&r);
	raw_words(&r, 3, raw_str(&r, "empty"), INFO(BTF_KIND_STRUCT, 0, 0), 0);
	raw_int(&r, "int", 4, BTF_INT_SIGNED, 32, 0);
	raw_words(&r, 6, 0, INFO(BTF_KIND_ARRAY, 0, 0), 0, 1, 2, 3);
	raw_words(&r, 6, 0, INFO(BTF_KIND_ARRAY, 0, 0), 0, 1, 2, 0xffffffffU);
	b = raw_btf(&r);
	assert_non_null(b);
	expect(b, 3, data, 0, NULL, "[{}, {}, {}]");
	btf__free(b);
	malformed(&r, 4, "at most");

	/* [1] int, [2] int[0xffffffff]: absurd */
	raw_init(&r);
	raw_int(&r, "int", 4, BTF_INT_SIGNED, 32, 0);
	raw_words(&r, 6, 0, INFO(BTF_KIND_ARRAY, 0, 0), 0, 1, 1, 0xffffffffU);
	malformed(&r, 2, "larger than");

	/* [1] a 3-byte int; [2] an int of 40 bits in 4 bytes */
	raw_init(&r);
	raw_int(&r, "odd", 3, 0, 24, 0);
	raw_int(&r, "fat", 4, 0, 40, 0);
	malformed(&r, 1, "size 3");
	malformed(&r, 2, "40 bits");

	/* [1] int, [2] bitfield member whose type is a struct */
	raw_init(&r);
	raw_int(&r, "int", 4, BTF_INT_SIGNED, 32, 0);
	raw_words(&r, 3, raw_str(&r, "s"), INFO(BTF_KIND_STRUCT, 1, 1), 4);
	raw_words(&r, 3, raw_str(&r, "a"), 3, (3U << 24));
	raw_words(&r, 3, raw_str(&r, "t"), INFO(BTF_KIND_STRUCT, 0, 0), 4);
	malformed(&r, 2, "not an integer");

	/* A sound struct larger than the value passed: refused, type is fine. */
	raw_init(&r);
	raw_int(&r, "int", 4, BTF_INT_SIGNED, 32, 0);
	raw_words(&r, 3, raw_str(&r, "big"), INFO(BTF_KIND_STRUCT, 0, 1), 128);
	raw_words(&r, 3, raw_str(&r, "a"), 1, 0);
	b = raw_btf(&r);
	assert_non_null(b);
	expect_refused(b, 2, data, sizeof(data), "too small", true);
	btf__free(b);
}

/*
 * Mutated BTF: random words of a valid type section replaced, then every
 * entry point run on every type id. Whatever libbpf accepts must be
 * rendered or refused, never crash (the sanitizer-less form of the fuzzing
 * the walker went through; deterministic, so a failure reproduces).
 */
static uint64_t xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void test_mutated_btf(void **state)
{
	static uint8_t data[4096], scratch[4096];
	struct btf *b = new_btf(), *m;
	uint32_t len, id, off, w, k, rendered = 0, refused = 0;
	const struct btf_header *h;
	const uint8_t *raw;
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	struct outer_ids o;
	uint8_t *buf;
	int i, s32, pr;

	(void)state;
	build_ints(b);
	build_bits(b, NULL);
	build_outer(b, &o);
	build_datasec(b);
	s32 = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	pr = btf__add_func_proto(b, s32);
	btf__add_func_param(b, "x", s32);
	btf__add_typedef(b, "fp_t", btf__add_ptr(b, pr));
	btf__add_func(b, "fn", BTF_FUNC_GLOBAL, pr);
	raw = btf__raw_data(b, &len);
	assert_non_null(raw);
	h = (const struct btf_header *)raw;
	buf = malloc(len);
	assert_non_null(buf);
	for (i = 0; i < (int)sizeof(data); i++)
		data[i] = xorshift(&seed);
	for (i = 0; i < 120; i++) {
		memcpy(buf, raw, len);
		for (k = 0; k <= xorshift(&seed) % 3; k++) {
			off = h->hdr_len + h->type_off + (xorshift(&seed) % (h->type_len / 4)) * 4;
			w = xorshift(&seed);
			if (w & 1)
				w = (w >> 1) % 64;	/* small: ids, sizes, kinds */
			memcpy(buf + off, &w, 4);
		}
		m = btf__new(buf, len);
		if (!m) {
			refused++;
			continue;
		}
		for (id = 0; id < btf__type_cnt(m) + 1; id++) {
			XCTL_OPTS(xctl_btf_dump_opts, op, .flags = XCTL_BTF_FPTR_PROG,
				  .prog_name = fake_prog_name, .ctx = &k);
			struct xctl_err err = {};
			json_t *v;
			char *s;

			if (!xctl_btf_to_json(m, id, data, sizeof(data), &op, &v, &err)) {
				json_decref(v);
				rendered++;
			} else {
				refused++;
			}
			xctl_err_reset(&err);
			xctl_btf_check_type(m, id, &err);
			xctl_err_reset(&err);
			if (!xctl_btf_c_decl(m, id, &s, &err))
				free(s);
			xctl_err_reset(&err);
			xctl_btf_member_path(m, id, "pos.y", NULL, NULL, NULL, &err);
			xctl_err_reset(&err);
			memcpy(scratch, data, sizeof(scratch));
			xctl_btf_set_member(m, id, scratch, sizeof(scratch), "a", "1", &err);
			xctl_err_reset(&err);
			xctl_btf_set_member(m, id, scratch, sizeof(scratch), "label", "x", &err);
			xctl_err_reset(&err);
		}
		btf__free(m);
	}
	assert_true(rendered > 300 && refused > 30);
	free(buf);
	btf__free(b);
}

/*
 * Every struct and union of the running kernel's BTF renders (as all-ones
 * bytes) and passes the check: the walker copes with real-world BTF (arrays
 * of empty structs, bitfields, flexible arrays, nested anonymous members).
 */
static void test_vmlinux(void **state)
{
	static uint8_t buf[1 << 20];
	struct btf *b = btf__parse("/sys/kernel/btf/vmlinux", NULL);
	struct xctl_err err = {};
	uint32_t id, n, done = 0;
	json_t *v, *rx;
	char *s;
	int st;

	(void)state;
	if (!b)
		skip();
	memset(buf, 0xff, sizeof(buf));
	n = btf__type_cnt(b);
	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(b, id);

		if (!btf_is_composite(t) || t->size > sizeof(buf))
			continue;
		if (xctl_btf_to_json(b, id, buf, t->size, NULL, &v, &err))
			fail_msg("type %u: %s: %s", id, err.what, xctl_err_reason(&err));
		json_decref(v);
		assert_int_equal(xctl_btf_check_type(b, id, &err), 0);
		done++;
	}
	assert_true(done > 1000);

	st = btf__find_by_name_kind(b, "rtnl_link_stats64", BTF_KIND_STRUCT);
	assert_true(st > 0);
	memset(buf, 0, 256);
	buf[8] = 5;	/* tx_packets, the second __u64 */
	assert_int_equal(xctl_btf_to_json(b, st, buf, 256, NULL, &v, &err), 0);
	rx = json_object_get(v, "tx_packets");
	assert_true(json_is_integer(rx) && json_integer_value(rx) == 5);
	assert_true(json_is_integer(json_object_get(v, "rx_packets")));
	json_decref(v);
	assert_int_equal(xctl_btf_c_decl(b, st, &s, &err), 0);
	assert_non_null(strstr(s, "struct rtnl_link_stats64 {\n\t__u64 rx_packets;\n"));
	assert_non_null(strstr(s, "typedef "));	/* __u64, as this kernel spells it */
	assert_non_null(strstr(s, " __u64;\n"));
	free(s);
	btf__free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ints),
		cmocka_unit_test(test_ints_text),
		cmocka_unit_test(test_bitfields_kflag),
		cmocka_unit_test(test_bitfields_legacy),
		cmocka_unit_test(test_char_arrays),
		cmocka_unit_test(test_enums),
		cmocka_unit_test(test_composites_arrays),
		cmocka_unit_test(test_floats),
		cmocka_unit_test(test_modifiers),
		cmocka_unit_test(test_pointers),
		cmocka_unit_test(test_datasec),
		cmocka_unit_test(test_no_value),
		cmocka_unit_test(test_opts_tail),
		cmocka_unit_test(test_malformed_ids),
		cmocka_unit_test(test_malformed_loops),
		cmocka_unit_test(test_malformed_sizes),
		cmocka_unit_test(test_mutated_btf),
		cmocka_unit_test(test_vmlinux),
	};

	/* libbpf warns about the loops it is shown; that is expected here. */
	libbpf_set_print(NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
