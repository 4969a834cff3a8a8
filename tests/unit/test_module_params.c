// SPDX-License-Identifier: GPL-2.0
/*
 * Module parameters (lib/module/module_params.c) on a .rodata section built by hand
 * with BTF, laid out like the C struct below, and module names
 * (lib/module/module.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <bpf/btf.h>
#include <linux/btf.h>
#include "module_priv.h"

/* What clang would lay out for the object's .rodata. */
struct rodata {
	uint32_t ssthresh;		/* const volatile __u32 */
	int8_t delta;			/* const volatile signed char */
	_Bool enabled;			/* const volatile _Bool */
	char ca[6];			/* const volatile char[6] */
	int32_t mode;			/* const volatile enum mode {SLOW, FAST=5} */
	uint16_t internal;		/* static const: not a parameter */
	uint16_t mutable_;		/* global, not const: not a parameter */
};

static int sec_id;

static struct btf *build(void)
{
	struct btf *b = btf__new_empty();
	int u32, s8, bo, ch, arr, en, u16, td, cv[5], v, i, cst, vol;
	const struct { const char *name; int type; size_t off, sz; int linkage; } vars[] = {
		{ "ssthresh", 0, offsetof(struct rodata, ssthresh), 4, BTF_VAR_GLOBAL_ALLOCATED },
		{ "delta", 1, offsetof(struct rodata, delta), 1, BTF_VAR_GLOBAL_ALLOCATED },
		{ "enabled", 2, offsetof(struct rodata, enabled), 1, BTF_VAR_GLOBAL_ALLOCATED },
		{ "ca", 3, offsetof(struct rodata, ca), 6, BTF_VAR_GLOBAL_ALLOCATED },
		{ "mode", 4, offsetof(struct rodata, mode), 4, BTF_VAR_GLOBAL_ALLOCATED },
		{ "internal", -1, offsetof(struct rodata, internal), 2, BTF_VAR_STATIC },
		{ "mutable_", -2, offsetof(struct rodata, mutable_), 2, BTF_VAR_GLOBAL_ALLOCATED },
	};
	int vids[7];

	assert_non_null(b);
	u32 = btf__add_int(b, "unsigned int", 4, 0);
	td = btf__add_typedef(b, "__u32", u32);
	s8 = btf__add_int(b, "signed char", 1, BTF_INT_SIGNED);
	bo = btf__add_int(b, "_Bool", 1, BTF_INT_BOOL);
	ch = btf__add_int(b, "char", 1, BTF_INT_SIGNED);
	arr = btf__add_array(b, u32, ch, 6);
	en = btf__add_enum(b, "mode", 4);
	btf__add_enum_value(b, "SLOW", 0);
	btf__add_enum_value(b, "FAST", 5);
	u16 = btf__add_int(b, "short unsigned int", 2, 0);
	{
		int base[5] = { td, s8, bo, arr, en };

		for (i = 0; i < 5; i++) {
			vol = btf__add_volatile(b, base[i]);
			cst = btf__add_const(b, vol);
			cv[i] = cst;
		}
	}
	for (i = 0; i < 7; i++) {
		int t = vars[i].type >= 0 ? cv[vars[i].type] :
			vars[i].type == -1 ? btf__add_const(b, u16) : u16;

		v = btf__add_var(b, vars[i].name, vars[i].linkage, t);
		assert_true(v > 0);
		vids[i] = v;
	}
	sec_id = btf__add_datasec(b, ".rodata", sizeof(struct rodata));
	for (i = 0; i < 7; i++)
		assert_int_equal(btf__add_datasec_var_info(b, vids[i], vars[i].off, vars[i].sz), 0);
	return b;
}

static int set(struct btf *b, struct rodata *ro, struct xctl_err *err, int n, ...)
{
	char *kv[8];
	va_list ap;
	int i;

	va_start(ap, n);
	for (i = 0; i < n; i++)
		kv[i] = va_arg(ap, char *);
	va_end(ap);
	xctl_err_reset(err);
	return mod_params_set(b, sec_id, ro, sizeof(*ro), kv, n, err);
}

static void test_set_values(void **state)
{
	struct btf *b = build();
	struct xctl_err err = {};
	struct rodata ro;

	(void)state;
	memset(&ro, 0, sizeof(ro));
	ro.internal = 7;
	assert_int_equal(set(b, &ro, &err, 5, "ssthresh=0x20", "delta=-3", "enabled=true",
			     "ca=abcde", "mode=FAST"), 0);
	assert_int_equal(ro.ssthresh, 32);
	assert_int_equal(ro.delta, -3);
	assert_true(ro.enabled);
	assert_string_equal(ro.ca, "abcde");
	assert_int_equal(ro.mode, 5);
	assert_int_equal(ro.internal, 7);
	assert_int_equal(set(b, &ro, &err, 3, "ssthresh=4294967295", "mode=0", "ca=x"), 0);
	assert_int_equal(ro.ssthresh, 4294967295u);
	assert_int_equal(ro.mode, 0);
	assert_memory_equal(ro.ca, "x\0\0\0\0", 6);	/* rest zeroed */
	btf__free(b);
}

static void test_set_errors(void **state)
{
	struct btf *b = build();
	struct xctl_err err = {};
	struct rodata ro = {};

	(void)state;
	assert_int_equal(set(b, &ro, &err, 1, "nosuch=1"), -ENOENT);
	assert_non_null(strstr(err.what, "nosuch"));
	/* the hint lists exactly the parameters */
	assert_string_equal(err.hint, "valid parameters: ssthresh, delta, enabled, ca, mode");
	assert_int_equal(set(b, &ro, &err, 1, "internal=1"), -ENOENT);
	assert_int_equal(set(b, &ro, &err, 1, "mutable_=1"), -ENOENT);
	assert_int_equal(set(b, &ro, &err, 1, "ssthresh=4294967296"), -ERANGE);
	assert_non_null(strstr(err.what, "parameter ssthresh"));
	assert_true(set(b, &ro, &err, 1, "ssthresh=-1") < 0);
	assert_true(set(b, &ro, &err, 1, "ssthresh=ten") < 0);
	assert_int_equal(set(b, &ro, &err, 1, "delta=128"), -ERANGE);
	assert_int_equal(set(b, &ro, &err, 1, "delta=-128"), 0);
	assert_true(set(b, &ro, &err, 1, "enabled=maybe") < 0);
	assert_true(set(b, &ro, &err, 1, "ca=abcdef") < 0);	/* no room for NUL */
	assert_true(set(b, &ro, &err, 1, "mode=MEDIUM") < 0);
	/* a number in the enum's range is accepted, like the enumerator names */
	assert_int_equal(set(b, &ro, &err, 1, "mode=3"), 0);
	assert_int_equal(ro.mode, 3);
	assert_int_equal(set(b, &ro, &err, 1, "ssthresh"), -EINVAL);
	assert_int_equal(set(b, &ro, &err, 1, "=5"), -EINVAL);
	/* no section: every name is unknown */
	xctl_err_reset(&err);
	{
		char *kv[] = { "a=1" };

		assert_int_equal(mod_params_set(NULL, 0, NULL, 0, kv, 1, &err), -ENOENT);
		assert_non_null(strstr(err.why, "no parameters"));
	}
	xctl_err_reset(&err);
	btf__free(b);
}

static void test_merge(void **state)
{
	struct btf *b = build();
	struct xctl_err err = {};
	struct rodata ro = { .ssthresh = 10, .delta = -1, .enabled = 1, .ca = "reno",
			     .mode = 5 }, lo = ro;
	json_t *arr = json_array(), *e;
	char *s;

	(void)state;
	assert_int_equal(mod_params_merge(arr, b, sec_id, &ro, sizeof(ro), "default", &err), 0);
	lo.ssthresh = 20;
	assert_int_equal(mod_params_merge(arr, b, sec_id, &lo, sizeof(lo), "value", &err), 0);
	s = json_dumps(arr, JSON_COMPACT);
	assert_string_equal(s,
		"[{\"name\":\"ssthresh\",\"type\":\"__u32\",\"default\":10,\"value\":20},"
		"{\"name\":\"delta\",\"type\":\"signed char\",\"default\":-1,\"value\":-1},"
		"{\"name\":\"enabled\",\"type\":\"_Bool\",\"default\":true,\"value\":true,"
		"\"choices\":[\"true\",\"false\"]},"
		"{\"name\":\"ca\",\"type\":\"char[6]\",\"default\":\"reno\",\"value\":\"reno\"},"
		"{\"name\":\"mode\",\"type\":\"enum mode\",\"default\":\"FAST\",\"value\":\"FAST\","
		"\"choices\":[\"SLOW\",\"FAST\"]}]");
	free(s);
	/* a file's parameters have no value */
	json_decref(arr);
	arr = json_array();
	assert_int_equal(mod_params_merge(arr, b, sec_id, &ro, sizeof(ro), "default", &err), 0);
	e = json_array_get(arr, 0);
	assert_true(json_is_null(json_object_get(e, "value")));
	/* an image smaller than the section is refused, not read past */
	assert_int_equal(mod_params_merge(arr, b, sec_id, &ro, 4, "value", &err), -EINVAL);
	xctl_err_reset(&err);
	assert_int_equal(mod_params_merge(arr, b, 1, &ro, sizeof(ro), "value", &err), -EINVAL);
	xctl_err_reset(&err);
	json_decref(arr);
	btf__free(b);
}

static void test_given(void **state)
{
	char *kv[] = { "a=1", "b=x=y", "a=2" };
	json_t *o = mod_params_given(kv, 3);
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);

	(void)state;
	assert_string_equal(s, "{\"a\":\"2\",\"b\":\"x=y\"}");
	free(s);
	json_decref(o);
}

static void test_names(void **state)
{
	struct xctl_err err = {};
	char out[64];

	(void)state;
	assert_int_equal(xctl_module_name_check("cc", &err), 0);
	assert_int_equal(xctl_module_name_check("a.b-c_D9", &err), 0);
	assert_int_equal(xctl_module_name_check(
		"abcdefghijabcdefghijabcdefghijabcdefghijabcdefgh", &err), 0);	/* 48 */
	assert_int_equal(xctl_module_name_check(
		"abcdefghijabcdefghijabcdefghijabcdefghijabcdefghi", &err), -EINVAL);
	assert_non_null(strstr(err.why, "longer than 48"));
	assert_int_equal(xctl_module_name_check("", &err), -EINVAL);
	assert_int_equal(xctl_module_name_check("../x", &err), -EINVAL);
	assert_int_equal(xctl_module_name_check(".hidden", &err), -EINVAL);
	assert_int_equal(xctl_module_name_check("a b", &err), -EINVAL);
	assert_int_equal(xctl_module_name_check("a/b", &err), -EINVAL);
	assert_int_equal(xctl_module_default_name("/x/y/cc.bpf.o", out, sizeof(out), &err), 0);
	assert_string_equal(out, "cc");
	assert_int_equal(xctl_module_default_name("tcp_x.o", out, sizeof(out), &err), 0);
	assert_string_equal(out, "tcp_x");
	assert_int_equal(xctl_module_default_name("plain", out, sizeof(out), &err), 0);
	assert_string_equal(out, "plain");
	assert_int_equal(xctl_module_default_name("dir/.o", out, sizeof(out), &err), -EINVAL);
	xctl_err_reset(&err);
}

/* The run-time BTF of meta describes struct mod_meta byte for byte. */
static void test_meta_btf(void **state)
{
	struct btf *b = btf__new_empty();
	struct xctl_err err = {};
	struct mod_meta m;
	json_t *v = NULL;
	char *s;
	int st;

	(void)state;
	memset(&m, 0, sizeof(m));
	strcpy(m.name, "cc1");
	strcpy(m.object, "/x/cc.bpf.o");
	strcpy(m.sha256, "ab01");
	strcpy(m.params, "{\"beta\":\"717\"}");
	m.loaded_at = 1795417487;
	strcpy(m.loaded_at_rfc3339, "2026-11-23T07:04:47Z");
	m.uid = 1000;
	strcpy(m.xctl_version, "0.1.0");
	strcpy(m.pin_root, "/sys/fs/bpf/shared");
	strcpy(m.shared, "counts,cfg");
	strcpy(m.struct_ops, "dctcp");
	m.non_restricted = 1;
	strcpy(m.sops_maps, "cc=7");
	st = mod_meta_btf(b);
	assert_true(st > 0);
	assert_int_equal(btf__resolve_size(b, st), sizeof(m));
	assert_int_equal(btf__resolve_size(b, 1), 4);	/* the array map's key */
	assert_int_equal(xctl_btf_to_json(b, st, &m, sizeof(m), NULL, &v, &err), 0);
	s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
	assert_string_equal(s, "{\"name\":\"cc1\",\"object\":\"/x/cc.bpf.o\",\"sha256\":\"ab01\","
			    "\"params\":\"{\\\"beta\\\":\\\"717\\\"}\",\"loaded_at\":1795417487,"
			    "\"loaded_at_rfc3339\":\"2026-11-23T07:04:47Z\",\"uid\":1000,"
			    "\"xctl_version\":\"0.1.0\",\"pin_root\":\"/sys/fs/bpf/shared\","
			    "\"shared\":\"counts,cfg\",\"struct_ops\":\"dctcp\","
			    "\"non_restricted\":1,\"sops_maps\":\"cc=7\"}");
	free(s);
	json_decref(v);
	btf__free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_values),
		cmocka_unit_test(test_set_errors),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_given),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_meta_btf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
