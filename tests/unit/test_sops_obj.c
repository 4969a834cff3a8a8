// SPDX-License-Identifier: GPL-2.0
/*
 * Opening struct_ops objects (lib/struct_ops/sops_obj.c), which needs no kernel: the
 * checks of the file, the description of its maps, and renaming ops before
 * libbpf reads them. Runs from the repository root, on the built objects.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <bpf/libbpf.h>
#include "xctl_priv.h"
#include "sops_priv.h"

#define CC_OBJ		"examples/cc.bpf.o"
#define CLASH_OBJ	"tests/bpf/sops_clash.bpf.o"

static int open_obj(const char *path, const struct xctl_sops_open_opts *opts,
		    struct xctl_sops_obj **o, struct xctl_err *err)
{
	memset(err, 0, sizeof(*err));
	return xctl_sops_obj_open(path, opts, o, err);
}

static void test_describe(void **state)
{
	struct xctl_sops_obj *o;
	struct xctl_err err;

	(void)state;
	assert_int_equal(open_obj(CC_OBJ, NULL, &o, &err), 0);
	assert_int_equal(xctl_sops_obj_map_cnt(o), 1);
	assert_string_equal(bpf_map__name(xctl_sops_obj_map(o, 0)), "xctl_cc");
	assert_string_equal(xctl_sops_obj_kind(o, 0), "tcp_congestion_ops");
	assert_string_equal(xctl_sops_obj_ops_name(o, 0), "xctl_cc");
	assert_null(xctl_sops_obj_map(o, 1));
	assert_null(xctl_sops_obj_kind(o, 1));
	assert_non_null(xctl_sops_obj_bpf(o));
	xctl_sops_obj_close(o);
}

/* Each map's data is found at its own offset, not the BTF's raw 0. */
static void test_two_maps(void **state)
{
	struct xctl_sops_obj *o;
	struct xctl_err err;

	(void)state;
	assert_int_equal(open_obj(CLASH_OBJ, NULL, &o, &err), 0);
	assert_int_equal(xctl_sops_obj_map_cnt(o), 2);
	assert_string_equal(bpf_map__name(xctl_sops_obj_map(o, 0)), "sops_first");
	assert_string_equal(xctl_sops_obj_ops_name(o, 0), "xctl_sops_first");
	assert_string_equal(bpf_map__name(xctl_sops_obj_map(o, 1)), "reno");
	assert_string_equal(xctl_sops_obj_ops_name(o, 1), "reno");
	xctl_sops_obj_close(o);
}

static const char *rename_first(const char *map, const char *cur, void *ctx)
{
	int *calls = ctx;

	(*calls)++;
	(void)cur;
	return strcmp(map, "sops_first") ? NULL : "xt_renamed";
}

static void test_rename(void **state)
{
	int calls = 0;
	XCTL_OPTS(xctl_sops_open_opts, opts, .rename = rename_first, .rename_ctx = &calls);
	struct xctl_sops_obj *o;
	struct xctl_err err;

	(void)state;
	assert_int_equal(open_obj(CLASH_OBJ, &opts, &o, &err), 0);
	assert_int_equal(calls, 2);
	assert_string_equal(xctl_sops_obj_ops_name(o, 0), "xt_renamed");
	assert_string_equal(xctl_sops_obj_ops_name(o, 1), "reno");
	xctl_sops_obj_close(o);
}

static const char *rename_long(const char *map, const char *cur, void *ctx)
{
	(void)map;
	(void)cur;
	(void)ctx;
	return "sixteen_chars_xx";	/* tcp_congestion_ops.name is char[16] */
}

static void test_rename_too_long(void **state)
{
	XCTL_OPTS(xctl_sops_open_opts, opts, .rename = rename_long);
	struct xctl_sops_obj *o;
	struct xctl_err err;

	(void)state;
	assert_int_equal(open_obj(CC_OBJ, &opts, &o, &err), -EINVAL);
	assert_null(o);
	assert_non_null(strstr(err.why, "15"));
}

static int prepare_calls;

static int prepare_fail(struct bpf_object *obj, void *ctx, struct xctl_err *err)
{
	assert_non_null(obj);
	assert_ptr_equal(ctx, &prepare_calls);
	prepare_calls++;
	return xctl_errf(err, ERANGE, "parameter out of range");
}

static void test_prepare_error(void **state)
{
	XCTL_OPTS(xctl_sops_open_opts, opts, .prepare = prepare_fail,
		  .prepare_ctx = &prepare_calls);
	struct xctl_sops_obj *o;
	struct xctl_err err;

	(void)state;
	assert_int_equal(open_obj(CC_OBJ, &opts, &o, &err), -ERANGE);
	assert_int_equal(prepare_calls, 1);
	assert_null(o);
}

/* Write the first n bytes of src (all of it when n is 0) or text to a temp file. */
static void make_file(char *path, const char *src, size_t n, const char *text)
{
	char buf[65536];
	FILE *in, *out;
	size_t got, done = 0;
	int fd;

	strcpy(path, "/tmp/xctl-unit-sops.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	out = fdopen(fd, "w");
	assert_non_null(out);
	if (text) {
		fputs(text, out);
	} else {
		in = fopen(src, "r");
		assert_non_null(in);
		while ((got = fread(buf, 1, sizeof(buf), in)) > 0 && done < n) {
			if (got > n - done)
				got = n - done;
			fwrite(buf, 1, got, out);
			done += got;
		}
		fclose(in);
	}
	fclose(out);
}

static void expect_fail(const char *path, int errnum, const char *why)
{
	struct xctl_sops_obj *o = (void *)1;
	struct xctl_err err;

	assert_int_equal(open_obj(path, NULL, &o, &err), -errnum);
	assert_null(o);
	assert_non_null(strstr(err.what, path));
	if (why)
		assert_non_null(strstr(xctl_err_reason(&err), why));
	xctl_err_reset(&err);
}

static void test_bad_files(void **state)
{
	char path[64];

	(void)state;
	make_file(path, NULL, 0, "not an object\n");
	expect_fail(path, ENOEXEC, "not an ELF file");
	unlink(path);
	make_file(path, NULL, 0, "");
	expect_fail(path, ENOEXEC, "not an ELF file");
	unlink(path);
	make_file(path, CC_OBJ, 4000, NULL);
	expect_fail(path, ENOEXEC, "truncated");
	unlink(path);
	make_file(path, CC_OBJ, 63, NULL);
	expect_fail(path, ENOEXEC, NULL);
	unlink(path);
	expect_fail("/nonexistent/x.bpf.o", ENOENT, NULL);
	expect_fail("/tmp", EISDIR, "a directory, not a regular file");
	expect_fail("/dev/zero", EINVAL, "a character device");
	expect_fail("tests/bpf/sops_none.bpf.o", ENOENT, "no struct_ops maps");
}

/* Maps of both struct_ops sections are described, with their file section. */
static void test_sections(void **state)
{
	struct xctl_sops_obj *o;
	struct xctl_err err;

	(void)state;
	assert_int_equal(open_obj("tests/bpf/ca_link.bpf.o", NULL, &o, &err), 0);
	assert_int_equal(xctl_sops_obj_map_cnt(o), 1);
	assert_string_equal(bpf_map__name(xctl_sops_obj_map(o, 0)), "ca_link");
	assert_string_equal(xctl_sops_obj_section(o, 0), ".struct_ops.link");
	assert_string_equal(xctl_sops_obj_ops_name(o, 0), "xctl_ca_link");
	xctl_sops_obj_close(o);
	assert_int_equal(open_obj("tests/bpf/ca_mixed.bpf.o", NULL, &o, &err), 0);
	assert_int_equal(xctl_sops_obj_map_cnt(o), 2);
	assert_string_equal(xctl_sops_obj_section(o, 0), ".struct_ops");
	assert_string_equal(xctl_sops_obj_section(o, 1), ".struct_ops.link");
	assert_string_equal(xctl_sops_obj_ops_name(o, 1), "xctl_mixed_b");
	xctl_sops_obj_close(o);
}

static void read_file(const char *path, char **buf, size_t *size)
{
	FILE *f = fopen(path, "r");
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	*buf = malloc(n);
	assert_non_null(*buf);
	assert_int_equal(fread(*buf, 1, n, f), (size_t)n);
	fclose(f);
	*size = n;
}

/* keep() of sops_image_for_legacy: the names in ctx (NULL-terminated). */
static bool keep_named(const char *var, void *ctx)
{
	const char *const *names = ctx;

	for (; *names; names++)
		if (!strcmp(*names, var))
			return true;
	return false;
}

/*
 * The image rewrite for libbpf < 1.2, on any libbpf: after it, libbpf sees
 * the kept maps (maps[], n) in `.struct_ops`, each with its own initial
 * value, and no other struct_ops map.
 */
static void expect_merged(const char *path, const char *const *maps,
			  const char *const *names, size_t n)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .object_name = "merged");
	struct xctl_err err = {};
	struct bpf_object *obj;
	struct bpf_map *m;
	size_t size, i = 0;
	char *img;

	const char *keep[8] = {};

	assert_true(n < 8);
	if (n)
		memcpy(keep, maps, n * sizeof(*maps));
	read_file(path, &img, &size);
	assert_int_equal(sops_image_for_legacy(&img, &size, path, keep_named, keep, &err), 0);
	obj = bpf_object__open_mem(img, size, &oo);
	assert_non_null(obj);
	bpf_object__for_each_map(m, obj) {
		if (bpf_map__type(m) != BPF_MAP_TYPE_STRUCT_OPS)
			continue;
		assert_true(i < n);
		assert_string_equal(bpf_map__name(m), maps[i]);
		i++;
	}
	assert_int_equal(i, n);
	bpf_object__close(obj);
	/* and xctl's own reading of the rewritten file agrees */
	{
		char tmp[] = "/tmp/xctl-unit-merged.XXXXXX";
		struct xctl_sops_obj *o;
		int fd = mkstemp(tmp);

		assert_true(fd >= 0);
		assert_int_equal(write(fd, img, size), (ssize_t)size);
		close(fd);
		if (!n) {	/* nothing kept: no struct_ops map at all */
			assert_int_equal(open_obj(tmp, NULL, &o, &err), -ENOENT);
			assert_non_null(strstr(err.why, "no struct_ops maps"));
			xctl_err_reset(&err);
			unlink(tmp);
			free(img);
			return;
		}
		assert_int_equal(open_obj(tmp, NULL, &o, &err), 0);
		assert_int_equal(xctl_sops_obj_map_cnt(o), n);
		for (i = 0; i < n; i++) {
			assert_string_equal(bpf_map__name(xctl_sops_obj_map(o, i)), maps[i]);
			assert_string_equal(xctl_sops_obj_ops_name(o, i), names[i]);
			assert_string_equal(xctl_sops_obj_section(o, i), ".struct_ops");
		}
		xctl_sops_obj_close(o);
		unlink(tmp);
	}
	free(img);
}

static void test_merge_link(void **state)
{
	static const char *const link_maps[] = { "ca_link" };
	static const char *const link_names[] = { "xctl_ca_link" };
	static const char *const mixed_maps[] = { "ca_mixed_a", "ca_mixed_b" };
	static const char *const mixed_names[] = { "xctl_mixed_a", "xctl_mixed_b" };
	struct xctl_err err = {};
	size_t size, size0;
	char *img;

	(void)state;
	expect_merged("tests/bpf/ca_link.bpf.o", link_maps, link_names, 1);
	expect_merged("tests/bpf/ca_mixed.bpf.o", mixed_maps, mixed_names, 2);
	/* nothing to do without a .struct_ops.link section */
	read_file(CC_OBJ, &img, &size);
	size0 = size;
	assert_int_equal(sops_image_for_legacy(&img, &size, CC_OBJ, keep_named,
					       (void *)link_maps, &err), 0);
	assert_int_equal(size, size0);
	free(img);
}

/*
 * Optional maps (`?.struct_ops`, `?.struct_ops.link`): libbpf < 1.2 sees
 * those kept, and none of the others.
 */
static void test_merge_optional(void **state)
{
	static const char *const base[] = { "ca_opt_base" };
	static const char *const base_n[] = { "xctl_opt_base" };
	static const char *const both[] = { "ca_opt_base", "ca_opt_extra" };
	static const char *const both_n[] = { "xctl_opt_base", "xctl_opt_extra" };
	static const char *const extra[] = { "ca_opt_extra" };
	static const char *const extra_n[] = { "xctl_opt_extra" };
	static const char *const only_b[] = { "ca_optonly_b" };
	static const char *const only_b_n[] = { "xctl_optonly_b" };
	static const char *const only_ab[] = { "ca_optonly_b", "ca_optonly_a" };
	static const char *const only_ab_n[] = { "xctl_optonly_b", "xctl_optonly_a" };

	(void)state;
	expect_merged("tests/bpf/ca_opt.bpf.o", base, base_n, 1);
	expect_merged("tests/bpf/ca_opt.bpf.o", both, both_n, 2);
	expect_merged("tests/bpf/ca_opt.bpf.o", extra, extra_n, 1);
	expect_merged("tests/bpf/ca_optonly.bpf.o", only_b, only_b_n, 1);
	expect_merged("tests/bpf/ca_optonly.bpf.o", only_ab, only_ab_n, 2);
	expect_merged("tests/bpf/ca_optonly.bpf.o", NULL, NULL, 0);
}

/*
 * xctl's view of an object with optional maps, on every libbpf: all maps
 * described, the optional ones flagged and left out unless named; an
 * object with only optional maps opens with none selected, and a load of
 * it is refused naming them.
 */
static void test_optional(void **state)
{
	static const char *const sel[] = { "ca_optonly_a" };
	XCTL_OPTS(xctl_sops_open_opts, oo, .maps = sel, .map_cnt = 1, .need_selected = true);
	XCTL_OPTS(xctl_sops_open_opts, need, .need_selected = true);
	struct xctl_err err = {};
	struct xctl_sops_obj *o;

	(void)state;
	assert_int_equal(open_obj("tests/bpf/ca_opt.bpf.o", NULL, &o, &err), 0);
	assert_int_equal(xctl_sops_obj_all_map_cnt(o), 2);
	assert_int_equal(xctl_sops_obj_map_cnt(o), 1);
	assert_string_equal(xctl_sops_obj_map_name(o, 0), "ca_opt_base");
	assert_false(xctl_sops_obj_optional(o, 0));
	assert_string_equal(xctl_sops_obj_map_name(o, 1), "ca_opt_extra");
	assert_true(xctl_sops_obj_optional(o, 1));
	assert_false(xctl_sops_obj_selected(o, 1));
	assert_string_equal(xctl_sops_obj_section(o, 1), "?.struct_ops.link");
	assert_int_equal(xctl_sops_obj_check_selected(o, &err), 0);
	xctl_sops_obj_close(o);

	assert_int_equal(open_obj("tests/bpf/ca_optonly.bpf.o", NULL, &o, &err), 0);
	assert_int_equal(xctl_sops_obj_all_map_cnt(o), 2);
	assert_int_equal(xctl_sops_obj_map_cnt(o), 0);
	assert_int_equal(xctl_sops_obj_check_selected(o, &err), -ENOENT);
	assert_non_null(strstr(err.why, "ca_optonly_a"));
	assert_non_null(strstr(err.why, "ca_optonly_b"));
	assert_non_null(strstr(err.hint, "map NAME"));
	xctl_err_reset(&err);
	assert_int_equal(xctl_sops_obj_load(o, &err), -ENOENT);
	xctl_err_reset(&err);
	xctl_sops_obj_close(o);

	/* a caller that loads is refused before libbpf reads anything */
	assert_int_equal(open_obj("tests/bpf/ca_optonly.bpf.o", &need, &o, &err), -ENOENT);
	assert_null(o);
	assert_non_null(strstr(err.why, "none is selected"));
	xctl_err_reset(&err);

	assert_int_equal(open_obj("tests/bpf/ca_optonly.bpf.o", &oo, &o, &err), 0);
	assert_int_equal(xctl_sops_obj_map_cnt(o), 1);
	assert_string_equal(xctl_sops_obj_map_name(o, 0), "ca_optonly_a");
	assert_non_null(xctl_sops_obj_map(o, 0));
	assert_string_equal(bpf_map__name(xctl_sops_obj_map(o, 0)), "ca_optonly_a");
	assert_true(bpf_map__autocreate(xctl_sops_obj_map(o, 0)));
	assert_string_equal(xctl_sops_obj_section(o, 1), "?.struct_ops");
	xctl_sops_obj_close(o);
}

/* Kernel-internal errnos are named; the verifier's verdict is found. */
static void test_errors(void **state)
{
	static const char log[] =
		"libbpf: prog 'ok': BPF program load failed: Permission denied\n"
		"libbpf: prog 'ca_get_info': -- BEGIN PROG LOAD LOG --\n"
		"attach to unsupported member get_info of struct tcp_congestion_ops\n"
		"processed 0 insns (limit 1000000) max_states_per_insn 0\n"
		"-- END PROG LOAD LOG --\n"
		"libbpf: prog 'ca_get_info': failed to load: -524\n";
	char prog[64], line[128];

	(void)state;
	assert_non_null(strstr(xctl_strerror(524), "ENOTSUPP"));
	assert_string_equal(xctl_strerror(-524), xctl_strerror(524));
	assert_string_equal(xctl_strerror(EINVAL), strerror(EINVAL));
	assert_true(xctl_log_verdict(log, prog, sizeof(prog), line, sizeof(line)));
	assert_string_equal(prog, "ca_get_info");
	assert_string_equal(line, "attach to unsupported member get_info of struct "
			    "tcp_congestion_ops");
	assert_false(xctl_log_verdict("libbpf: nothing\n", prog, sizeof(prog), line,
				      sizeof(line)));
	assert_false(xctl_log_verdict(NULL, prog, sizeof(prog), line, sizeof(line)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_describe),
		cmocka_unit_test(test_two_maps),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_merge_link),
		cmocka_unit_test(test_merge_optional),
		cmocka_unit_test(test_optional),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_rename),
		cmocka_unit_test(test_rename_too_long),
		cmocka_unit_test(test_prepare_error),
		cmocka_unit_test(test_bad_files),
	};

	libbpf_set_print(NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
