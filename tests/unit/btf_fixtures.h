/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the BTF unit tests (test_btf_walk.c, test_btf_member.c): BTF
 * built by hand with libbpf's btf__add_*(), raw BTF blobs for encodings
 * libbpf cannot produce and for malformed BTF, and C types whose layout the
 * compiler decides, so the BTF can be checked against real memory.
 */
#ifndef XCTL_TEST_BTF_FIXTURES_H
#define XCTL_TEST_BTF_FIXTURES_H

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/btf.h>
#include "xctl_priv.h"
#include "json_text.h"

/* The walker's JSON in the CLI's text form (what text mode prints). */
static inline int btf_to_text(const struct btf *btf, uint32_t type_id,
			      const void *data, size_t size,
			      const struct xctl_btf_dump_opts *opts, char **out,
			      struct xctl_err *err)
{
	json_t *v;
	int r;

	*out = NULL;
	r = xctl_btf_to_json(btf, type_id, data, size, opts, &v, err);
	if (r)
		return r;
	*out = xctl_json_to_text(v, 0);
	json_decref(v);
	return *out ? 0 : -ENOMEM;
}

#define FIXTURE static __attribute__((unused))

/* ---- helpers ------------------------------------------------------------ */

FIXTURE void check_json(const json_t *got, const char *expected)
{
	json_error_t je;
	json_t *exp = json_loads(expected, JSON_DECODE_ANY, &je);
	char *g;

	if (!exp)
		fail_msg("bad expected JSON '%s': %s", expected, je.text);
	if (!json_equal((json_t *)got, exp)) {
		g = json_dumps(got, JSON_ENCODE_ANY | JSON_SORT_KEYS);
		print_error("got      %s\nexpected %s\n", g ? g : "(null)", expected);
		free(g);
		json_decref(exp);
		fail();
	}
	json_decref(exp);
}

/* Render and compare with the expected JSON text. */
FIXTURE void expect(const struct btf *btf, int id, const void *data, size_t size,
		   const struct xctl_btf_dump_opts *opts, const char *expected)
{
	struct xctl_err err = {};
	json_t *v = NULL;
	int r;

	assert_true(id > 0);
	r = xctl_btf_to_json(btf, id, data, size, opts, &v, &err);
	if (r)
		fail_msg("xctl_btf_to_json: %d: %s: %s", r, err.what, xctl_err_reason(&err));
	check_json(v, expected);
	json_decref(v);
	assert_int_equal(xctl_btf_check_type(btf, id, &err), 0);
}

FIXTURE void expect_text(const struct btf *btf, int id, const void *data,
			size_t size, const char *expected)
{
	struct xctl_err err = {};
	char *s = NULL;

	assert_int_equal(btf_to_text(btf, id, data, size, NULL, &s, &err), 0);
	assert_non_null(s);
	assert_string_equal(s, expected);
	free(s);
}

/*
 * Expect the walker to refuse to render type id from data with -EINVAL, and
 * xctl_btf_check_type() to refuse the type too unless only the size is wrong.
 */
FIXTURE void expect_refused(const struct btf *btf, int id, const void *data,
			   size_t size, const char *what_contains, bool type_ok)
{
	struct xctl_err err = {};
	json_t *v = (json_t *)1;
	char *s = (char *)1;
	char msg[1100];

	assert_int_equal(xctl_btf_to_json(btf, id, data, size, NULL, &v, &err), -EINVAL);
	assert_null(v);
	assert_int_equal(err.errnum, EINVAL);
	snprintf(msg, sizeof(msg), "%s: %s", err.what, xctl_err_reason(&err));
	if (what_contains && !strstr(msg, what_contains))
		fail_msg("error '%s' does not mention '%s'", msg, what_contains);
	xctl_err_reset(&err);
	assert_int_equal(btf_to_text(btf, id, data, size, NULL, &s, &err), -EINVAL);
	assert_null(s);
	xctl_err_reset(&err);
	if (type_ok) {
		assert_int_equal(xctl_btf_check_type(btf, id, &err), 0);
		return;
	}
	assert_int_equal(xctl_btf_check_type(btf, id, &err), -EINVAL);
	assert_true(err.what[0] != '\0');
	xctl_err_reset(&err);
}

#define expect_malformed(b, id, data, size, msg) \
	expect_refused(b, id, data, size, msg, false)

FIXTURE struct btf *new_btf(void)
{
	struct btf *b = btf__new_empty();

	assert_non_null(b);
	return b;
}

/* Raw BTF: a type section of u32 words and a string section. */
struct raw {
	uint32_t w[512];
	int nw;
	char s[1024];
	int ns;
};

#define INFO(kind, kflag, vlen) (((uint32_t)(kflag) << 31) | ((kind) << 24) | (vlen))

FIXTURE void raw_init(struct raw *r)
{
	memset(r, 0, sizeof(*r));
	r->ns = 1;	/* offset 0 is the empty name */
}

FIXTURE uint32_t raw_str(struct raw *r, const char *s)
{
	uint32_t off = r->ns;

	strcpy(r->s + r->ns, s);
	r->ns += strlen(s) + 1;
	return off;
}

FIXTURE void raw_words(struct raw *r, int n, ...)
{
	va_list ap;
	int i;

	va_start(ap, n);
	for (i = 0; i < n; i++)
		r->w[r->nw++] = va_arg(ap, uint32_t);
	va_end(ap);
}

/* INT: name, size, encoding, bits, bit offset. */
FIXTURE void raw_int(struct raw *r, const char *name, uint32_t size, uint32_t enc,
		    uint32_t bits, uint32_t off)
{
	raw_words(r, 4, raw_str(r, name), INFO(BTF_KIND_INT, 0, 0), size,
		  (enc << 24) | (off << 16) | bits);
}

FIXTURE struct btf *raw_btf(const struct raw *r)
{
	struct btf_header h = {
		.magic = BTF_MAGIC, .version = BTF_VERSION, .hdr_len = sizeof(h),
		.type_off = 0, .type_len = r->nw * 4,
		.str_off = r->nw * 4, .str_len = r->ns,
	};
	size_t len = sizeof(h) + h.type_len + h.str_len;
	uint8_t *buf = malloc(len);
	struct btf *b;

	assert_non_null(buf);
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), r->w, h.type_len);
	memcpy(buf + sizeof(h) + h.type_len, r->s, h.str_len);
	b = btf__new(buf, len);
	free(buf);
	return b;	/* NULL when libbpf refuses it */
}

/* ---- integers ----------------------------------------------------------- */

struct ints {
	int8_t s8; uint8_t u8; int16_t s16; uint16_t u16;
	int32_t s32; uint32_t u32; int64_t s64; uint64_t u64; uint64_t u64big;
	_Bool yes, no; char c;
	__int128 s128; unsigned __int128 u128;
};

FIXTURE int build_ints(struct btf *b)
{
	int s8 = btf__add_int(b, "signed char", 1, BTF_INT_SIGNED);
	int u8 = btf__add_int(b, "unsigned char", 1, 0);
	int s16 = btf__add_int(b, "short", 2, BTF_INT_SIGNED);
	int u16 = btf__add_int(b, "unsigned short", 2, 0);
	int s32 = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	int u32 = btf__add_int(b, "unsigned int", 4, 0);
	int s64 = btf__add_int(b, "long long", 8, BTF_INT_SIGNED);
	int u64 = btf__add_int(b, "unsigned long long", 8, 0);
	int bl = btf__add_int(b, "_Bool", 1, BTF_INT_BOOL);
	int ch = btf__add_int(b, "char", 1, BTF_INT_SIGNED | BTF_INT_CHAR);
	int s128 = btf__add_int(b, "__int128", 16, BTF_INT_SIGNED);
	int u128 = btf__add_int(b, "unsigned __int128", 16, 0);
	int st = btf__add_struct(b, "ints", sizeof(struct ints));

#define F(name, type) \
	assert_int_equal(btf__add_field(b, #name, type, offsetof(struct ints, name) * 8, 0), 0)
	F(s8, s8); F(u8, u8); F(s16, s16); F(u16, u16); F(s32, s32); F(u32, u32);
	F(s64, s64); F(u64, u64); F(u64big, u64); F(yes, bl); F(no, bl); F(c, ch);
	F(s128, s128); F(u128, u128);
#undef F
	return st;
}

/* ---- bitfields ------------------------------------------------------------ */

enum color { RED, GREEN, BLUE };

struct bits {
	unsigned int a:3;
	int b:5;
	unsigned int c:24;
	unsigned int :4;
	enum color e:2;
	unsigned long long w:40;
	_Bool f:1;
	int neg:7;
};

/* Bit position of a bitfield as the compiler laid it out. */
#define BITPOS(field)							\
	({								\
		struct bits _x;						\
		const uint8_t *_p = (const uint8_t *)&_x;		\
		unsigned int _i;					\
									\
		memset(&_x, 0, sizeof(_x));				\
		_x.field = -1;						\
		for (_i = 0; _i < sizeof(_x) * 8; _i++)			\
			if (_p[_i / 8] & (1U << (_i % 8)))		\
				break;					\
		_i;							\
	})

FIXTURE int build_bits(struct btf *b, int *u32_out)
{
	int u32 = btf__add_int(b, "unsigned int", 4, 0);
	int s32 = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	int u64 = btf__add_int(b, "unsigned long long", 8, 0);
	int bl = btf__add_int(b, "_Bool", 1, BTF_INT_BOOL);
	int en = btf__add_enum(b, "color", 4);
	int st;

	assert_int_equal(btf__add_enum_value(b, "RED", 0), 0);
	assert_int_equal(btf__add_enum_value(b, "GREEN", 1), 0);
	assert_int_equal(btf__add_enum_value(b, "BLUE", 2), 0);
	st = btf__add_struct(b, "bits", sizeof(struct bits));
	assert_int_equal(btf__add_field(b, "a", u32, BITPOS(a), 3), 0);
	assert_int_equal(btf__add_field(b, "b", s32, BITPOS(b), 5), 0);
	assert_int_equal(btf__add_field(b, "c", u32, BITPOS(c), 24), 0);
	/* The unnamed padding bitfield: not shown. */
	assert_int_equal(btf__add_field(b, NULL, u32, BITPOS(c) + 24, 4), 0);
	assert_int_equal(btf__add_field(b, "e", en, BITPOS(e), 2), 0);
	assert_int_equal(btf__add_field(b, "w", u64, BITPOS(w), 40), 0);
	assert_int_equal(btf__add_field(b, "f", bl, BITPOS(f), 1), 0);
	assert_int_equal(btf__add_field(b, "neg", s32, BITPOS(neg), 7), 0);
	if (u32_out)
		*u32_out = u32;
	return st;
}

struct outer {
	uint32_t id;
	struct { uint16_t x, y; } pos;
	union { uint32_t u; float f; };		/* anonymous: merged */
	struct { uint8_t p, q; };		/* anonymous: merged */
	int32_t m[2][3];
	struct { uint8_t k; } arr[2];
};

/* Type ids of the struct outer BTF. */
struct outer_ids {
	int u8, u16, u32, s32, flt, pos, row, st;
};

FIXTURE int build_outer(struct btf *b, struct outer_ids *o)
{
	int un, anon, mat, kst, karr;

	o->u8 = btf__add_int(b, "u8", 1, 0);
	o->u16 = btf__add_int(b, "u16", 2, 0);
	o->u32 = btf__add_int(b, "u32", 4, 0);
	o->s32 = btf__add_int(b, "s32", 4, BTF_INT_SIGNED);
	o->flt = btf__add_float(b, "float", 4);
	o->pos = btf__add_struct(b, NULL, 4);
	btf__add_field(b, "x", o->u16, 0, 0);
	btf__add_field(b, "y", o->u16, 16, 0);
	un = btf__add_union(b, NULL, 4);
	btf__add_field(b, "u", o->u32, 0, 0);
	btf__add_field(b, "f", o->flt, 0, 0);
	anon = btf__add_struct(b, NULL, 2);
	btf__add_field(b, "p", o->u8, 0, 0);
	btf__add_field(b, "q", o->u8, 8, 0);
	o->row = btf__add_array(b, o->u32, o->s32, 3);
	mat = btf__add_array(b, o->u32, o->row, 2);
	kst = btf__add_struct(b, "k", 1);
	btf__add_field(b, "k", o->u8, 0, 0);
	karr = btf__add_array(b, o->u32, kst, 2);
	o->st = btf__add_struct(b, "outer", sizeof(struct outer));
	btf__add_field(b, "id", o->u32, offsetof(struct outer, id) * 8, 0);
	btf__add_field(b, "pos", o->pos, offsetof(struct outer, pos) * 8, 0);
	btf__add_field(b, NULL, un, offsetof(struct outer, u) * 8, 0);
	btf__add_field(b, NULL, anon, offsetof(struct outer, p) * 8, 0);
	btf__add_field(b, "m", mat, offsetof(struct outer, m) * 8, 0);
	btf__add_field(b, "arr", karr, offsetof(struct outer, arr) * 8, 0);
	return o->st;
}

FIXTURE int build_datasec(struct btf *b)
{
	int u32 = btf__add_int(b, "unsigned int", 4, 0);
	int ch = btf__add_int(b, "char", 1, BTF_INT_SIGNED);
	int arr = btf__add_array(b, u32, ch, 8);
	int va = btf__add_var(b, "ssthresh", BTF_VAR_GLOBAL_ALLOCATED, u32);
	int vb = btf__add_var(b, "label", BTF_VAR_GLOBAL_ALLOCATED, arr);
	int ds = btf__add_datasec(b, ".rodata", 12);

	assert_int_equal(btf__add_datasec_var_info(b, va, 0, 4), 0);
	assert_int_equal(btf__add_datasec_var_info(b, vb, 4, 8), 0);
	return ds;
}

#endif /* XCTL_TEST_BTF_FIXTURES_H */
