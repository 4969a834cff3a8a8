// SPDX-License-Identifier: GPL-2.0
/*
 * Control-map pieces that need no kernel (lib/control*.c): the type table,
 * key parsing, lookup's min-size copy, BTF synthesised from string sets
 * (ethtool) and deep copies of types for pinned snapshots.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <bpf/btf.h>
#include "xctl_priv.h"

static void test_ident(void **state)
{
	char out[32];

	(void)state;
	xctl_ctl_ident("rx_queue_0_xdp_packets", out, sizeof(out));
	assert_string_equal(out, "rx_queue_0_xdp_packets");
	xctl_ctl_ident("tx-timeout", out, sizeof(out));
	assert_string_equal(out, "tx_timeout");
	xctl_ctl_ident("0rx.bytes [q]", out, sizeof(out));
	assert_string_equal(out, "_0rx_bytes__q_");
	xctl_ctl_ident("", out, sizeof(out));
	assert_string_equal(out, "_");
	xctl_ctl_ident("abcdefghij", out, 5);
	assert_string_equal(out, "abcd");
}

static const char *member_name(const struct btf *btf, const struct btf_type *t, int i)
{
	return btf__name_by_offset(btf, btf_members(t)[i].name_off);
}

static void test_u64_struct(void **state)
{
	static const char *const names[] = {
		"rx_packets", "rx-packets", "rx packets", "tx_xdp_xmit", "1st",
	};
	const struct btf_type *t, *mt;
	struct btf *btf = btf__new_empty();
	uint64_t vals[5] = { 1, 2, 3, 4, (uint64_t)1 << 40 };
	json_t *j = NULL;
	int id, i;

	(void)state;
	assert_non_null(btf);
	id = xctl_ctl_btf_u64_struct(btf, "xctl_ethtool_veth", names, 5);
	assert_true(id > 0);
	t = btf__type_by_id(btf, id);
	assert_true(btf_is_struct(t));
	assert_int_equal(t->size, 5 * 8);
	assert_int_equal(btf_vlen(t), 5);
	/* Sanitised, and unique: the 2nd and 3rd collide with the 1st. */
	assert_string_equal(member_name(btf, t, 0), "rx_packets");
	assert_string_equal(member_name(btf, t, 1), "rx_packets_2");
	assert_string_equal(member_name(btf, t, 2), "rx_packets_3");
	assert_string_equal(member_name(btf, t, 3), "tx_xdp_xmit");
	assert_string_equal(member_name(btf, t, 4), "_1st");
	for (i = 0; i < 5; i++) {
		assert_int_equal(btf_member_bit_offset(t, i), i * 64);
		mt = btf__type_by_id(btf, btf__resolve_type(btf, btf_members(t)[i].type));
		assert_true(btf_is_int(mt));
		assert_int_equal(mt->size, 8);
	}
	/* A second struct in the same BTF reuses __u64. */
	assert_true(xctl_ctl_btf_u64_struct(btf, "other", names, 1) > id);
	assert_int_equal(btf__find_by_name_kind(btf, "__u64", BTF_KIND_TYPEDEF) > 0, 1);
	/* The walker prints it with the member names. */
	assert_int_equal(xctl_btf_to_json(btf, id, vals, sizeof(vals), NULL, &j, NULL), 0);
	assert_int_equal(json_integer_value(json_object_get(j, "rx_packets_3")), 3);
	assert_int_equal(json_integer_value(json_object_get(j, "_1st")), (json_int_t)1 << 40);
	json_decref(j);
	btf__free(btf);
}

static void test_u64_struct_empty(void **state)
{
	struct btf *btf = btf__new_empty();
	int id;

	(void)state;
	id = xctl_ctl_btf_u64_struct(btf, "none", NULL, 0);
	assert_true(id > 0);
	assert_int_equal(btf__type_by_id(btf, id)->size, 0);
	btf__free(btf);
}

static void test_copy_value(void **state)
{
	uint8_t src[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	uint8_t dst[12];

	(void)state;
	/* Caller knows less than the kernel: copy what fits. */
	memset(dst, 0xff, sizeof(dst));
	assert_int_equal(xctl_ctl_copy_value(dst, 4, src, sizeof(src)), 4);
	assert_memory_equal(dst, src, 4);
	assert_int_equal(dst[4], 0xff);
	/* Caller knows more: the rest is zeroed, the real size is reported apart. */
	memset(dst, 0xff, sizeof(dst));
	assert_int_equal(xctl_ctl_copy_value(dst, sizeof(dst), src, sizeof(src)), 8);
	assert_memory_equal(dst, src, 8);
	assert_int_equal(dst[8] | dst[9] | dst[10] | dst[11], 0);
	assert_int_equal(xctl_ctl_copy_value(NULL, 0, src, sizeof(src)), 0);
}

/* struct s { int *p; unsigned int a[2]; enum e k; unsigned int bf:3; }; */
static void test_btf_copy(void **state)
{
	struct btf *src = btf__new_empty(), *dst = btf__new_empty();
	const struct btf_type *t, *pt;
	int u32, pint, arr, en, s, id;

	(void)state;
	u32 = btf__add_int(src, "unsigned int", 4, 0);
	pint = btf__add_ptr(src, u32);
	arr = btf__add_array(src, u32, u32, 2);
	en = btf__add_enum(src, "e", 4);
	btf__add_enum_value(src, "E_ONE", 1);
	s = btf__add_struct(src, "s", 24);
	btf__add_field(src, "p", pint, 0, 0);
	btf__add_field(src, "a", arr, 64, 0);
	btf__add_field(src, "k", en, 128, 0);
	btf__add_field(src, "bf", u32, 160, 3);
	assert_true(s > 0);

	/* Something unrelated first, so ids differ between src and dst. */
	assert_true(btf__add_int(dst, "char", 1, BTF_INT_SIGNED) > 0);
	id = xctl_ctl_btf_copy(dst, src, s);
	assert_true(id > 0);
	t = btf__type_by_id(dst, id);
	assert_true(btf_is_struct(t));
	assert_string_equal(btf__name_by_offset(dst, t->name_off), "s");
	assert_int_equal(t->size, 24);
	assert_int_equal(btf_vlen(t), 4);
	pt = btf__type_by_id(dst, btf_members(t)[0].type);
	assert_true(btf_is_ptr(pt));
	assert_int_equal(pt->type, 0);		/* void * */
	assert_true(btf_is_array(btf__type_by_id(dst, btf_members(t)[1].type)));
	assert_int_equal(btf_array(btf__type_by_id(dst, btf_members(t)[1].type))->nelems, 2);
	assert_true(btf_is_enum(btf__type_by_id(dst, btf_members(t)[2].type)));
	assert_int_equal(btf_member_bit_offset(t, 3), 160);
	assert_int_equal(btf_member_bitfield_size(t, 3), 3);
	assert_int_equal(btf__find_by_name_kind(dst, "e", BTF_KIND_ENUM) > 0, 1);
	/* Out-of-range ids are refused. */
	assert_int_equal(xctl_ctl_btf_copy(dst, src, 1000), -EINVAL);
	btf__free(src);
	btf__free(dst);
}

static void test_type_table(void **state)
{
	const struct xctl_ctl_type_info *t;
	int r;
	size_t i;

	(void)state;
	assert_true(xctl_ctl_type_cnt() >= 2);
	for (i = 0; (t = xctl_ctl_type_at(i)); i++) {
		assert_non_null(t->name);
		assert_non_null(t->desc);
		assert_non_null(t->key_type);
		assert_non_null(t->value_type);
		assert_true(t->ops & XCTL_CTL_OP_LOOKUP);
		assert_ptr_equal(xctl_ctl_type_find(t->name, &r), t);
		assert_int_equal(r, 0);
	}
	assert_int_equal(i, xctl_ctl_type_cnt());
	t = xctl_ctl_type_find("pr", &r);
	assert_non_null(t);
	assert_string_equal(t->name, "prog");
	assert_null(xctl_ctl_type_find("nosuch", &r));
	assert_int_equal(r, -ENOENT);
	t = xctl_ctl_type_find("struct_ops", &r);
	assert_non_null(t);
	assert_true(t->per_key_type);
	assert_false(t->ops & XCTL_CTL_OP_UPDATE);
}

/* name/pinned keys resolve in lib (the key grammar is the CLI's, cli/args.c). */
static void test_resolve_obj_key(void **state)
{
	struct xctl_err err = {};
	struct xctl_ctl *c;
	uint32_t key = 0;

	(void)state;
	assert_int_equal(xctl_ctl_open("prog", &c, &err), 0);
	assert_int_equal(xctl_ctl_resolve(c, "name", "abcdefghijklmnop", &key, &err), -EINVAL);
	assert_non_null(strstr(err.what, "abcdefghijklmnop"));
	xctl_err_reset(&err);
	xctl_ctl_close(c);
	assert_int_equal(xctl_ctl_open("netdev", &c, &err), 0);
	assert_int_equal(xctl_ctl_resolve(c, "name", "lo", &key, &err), -EINVAL);
	xctl_err_reset(&err);
	xctl_ctl_close(c);
}

static void test_open_unknown_and_read_only(void **state)
{
	struct xctl_err err = {};
	struct xctl_ctl *c;
	const char *assign[] = { "x=1" };
	uint32_t key = 1;

	(void)state;
	assert_int_equal(xctl_ctl_open("nosuch", &c, &err), -ENOENT);
	assert_non_null(strstr(err.what, "unknown control type 'nosuch'"));
	assert_non_null(strstr(err.why, "prog"));
	xctl_err_reset(&err);
	assert_int_equal(xctl_ctl_open("prog", &c, &err), 0);
	assert_int_equal(xctl_ctl_update(c, &key, assign, 1, NULL, &err), -EOPNOTSUPP);
	assert_string_equal(err.what, "control type 'prog' is read-only");
	xctl_err_reset(&err);
	xctl_ctl_close(c);
}

/*
 * The sz rule through the real lookup, on `lo` (ifindex 1 in every network
 * namespace; reading link statistics needs no privilege): a caller built
 * against an older, smaller opts struct gets only the fields it knows, and
 * a caller that knows less of the value gets a prefix of it.
 */
struct old_lookup_opts {	/* the first fields of struct xctl_ctl_lookup_opts */
	size_t sz;
	void *value;
	size_t value_sz;
	size_t size;
};

static void test_lookup_sizes(void **state)
{
	struct xctl_ctl_lookup_opts full = { .sz = sizeof(full) };
	struct old_lookup_opts old = { .sz = sizeof(old) };
	struct xctl_err err = {};
	struct xctl_ctl *c;
	uint64_t all[64], prefix[2] = { ~0ULL, ~0ULL };
	uint32_t key = 1;

	(void)state;
	assert_int_equal(xctl_ctl_open("netdev", &c, &err), 0);
	full.value = all;
	full.value_sz = sizeof(all);
	assert_int_equal(xctl_ctl_lookup(c, &key, &full, &err), 0);
	/* struct rtnl_link_stats64: at least the 23 counters of 4.x kernels */
	assert_true(full.size >= 23 * 8 && full.size <= sizeof(all));
	assert_non_null(full.btf);
	assert_true(full.type_id > 0);
	/* Beyond the real size the caller's buffer is zeroed. */
	assert_int_equal(all[full.size / 8], 0);

	old.value = prefix;
	old.value_sz = 8;	/* knows rx_packets only */
	assert_int_equal(xctl_ctl_lookup(c, &key, (struct xctl_ctl_lookup_opts *)&old, &err), 0);
	assert_int_equal(old.size, full.size);
	assert_true(prefix[0] >= all[0]);	/* rx_packets, read again */
	assert_true(prefix[1] == ~0ULL);	/* not written past value_sz */
	xctl_ctl_close(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ident),
		cmocka_unit_test(test_u64_struct),
		cmocka_unit_test(test_u64_struct_empty),
		cmocka_unit_test(test_copy_value),
		cmocka_unit_test(test_btf_copy),
		cmocka_unit_test(test_type_table),
		cmocka_unit_test(test_resolve_obj_key),
		cmocka_unit_test(test_open_unknown_and_read_only),
		cmocka_unit_test(test_lookup_sizes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
