// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the declared state (lib/apply/apply_conf.c): which files, in which
 * order, what a line becomes, and how unreadable files and lines are kept
 * as declarations carrying their error.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "xctl_priv.h"

static char dir[64];

static void put(const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int make_tree(void **state)
{
	char path[256];

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/xctl-conf.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/modules.d", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/xdp.d", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	put("modules.d/20-b.conf", "b.bpf.o name b\n");
	put("modules.d/10-a.conf", "# a comment\n\n  a.bpf.o 'x=1 2'  # trailing\nbad 'quote\n");
	put("modules.d/.hidden.conf", "hidden.bpf.o\n");
	put("modules.d/notes.txt", "notes.bpf.o\n");
	put("modules.d/9-Z.conf", "z.bpf.o\n");
	snprintf(path, sizeof(path), "%s/modules.d/30-masked.conf", dir);
	assert_int_equal(symlink("/dev/null", path), 0);
	snprintf(path, sizeof(path), "%s/modules.d/40-dir.conf", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	put("xdp.d/x.conf", "attach eth0 x.bpf.o\nredirect setup eth1 --rings 2");
	return 0;
}

static int remove_tree(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) ? -1 : 0;
}

static void test_order_kinds_lines(void **state)
{
	struct xctl_err err = {};
	struct xctl_decls d;
	const struct xctl_decl *v;

	(void)state;
	assert_int_equal(xctl_decls_read(dir, &d, &err), 0);
	/* byte order of names: "10-a" < "20-b" < "40-dir" < "9-Z"; masked skipped */
	assert_int_equal(d.cnt, 7);
	v = d.v;
	assert_int_equal(v[0].kind, XCTL_DECL_MODULE);
	assert_non_null(strstr(v[0].file, "modules.d/10-a.conf"));
	assert_int_equal(v[0].line, 3);
	assert_int_equal(v[0].argc, 2);
	assert_string_equal(v[0].argv[0], "a.bpf.o");
	assert_string_equal(v[0].argv[1], "x=1 2");
	assert_string_equal(v[0].error, "");
	assert_int_equal(v[1].line, 4);
	assert_int_equal(v[1].argc, 0);
	assert_non_null(strstr(v[1].error, "unterminated single quote"));
	assert_non_null(strstr(v[2].file, "20-b.conf"));
	assert_int_equal(v[2].argc, 3);
	/* a directory named .conf is an error, not silence */
	assert_non_null(strstr(v[3].file, "40-dir.conf"));
	assert_int_equal(v[3].line, 0);
	assert_non_null(strstr(v[3].error, "not a regular file"));
	assert_non_null(strstr(v[4].file, "9-Z.conf"));
	/* xdp.d after modules.d; a last line without a newline counts */
	assert_int_equal(v[5].kind, XCTL_DECL_XDP);
	assert_string_equal(v[5].argv[0], "attach");
	assert_int_equal(v[6].line, 2);
	assert_int_equal(v[6].argc, 5);
	xctl_decls_free(&d);
	assert_int_equal(d.cnt, 0);
}

static void test_missing(void **state)
{
	struct xctl_err err = {};
	struct xctl_decls d;
	char path[256];

	(void)state;
	snprintf(path, sizeof(path), "%s/nosuch", dir);
	assert_int_equal(xctl_decls_read(path, &d, &err), -ENOENT);
	assert_non_null(strstr(err.what, "cannot read configuration directory"));
	/* a neutral hint, and a code the CLI words as --config DIR */
	assert_non_null(strstr(err.hint, "modules.d"));
	assert_null(strstr(err.hint, "--"));
	assert_int_equal(err.hint_code, XCTL_HINT_CONFIG_DIR);
	assert_string_equal(err.hint_arg[0], path);
	xctl_err_reset(&err);
	/* a file is not a configuration directory */
	snprintf(path, sizeof(path), "%s/modules.d/20-b.conf", dir);
	assert_int_equal(xctl_decls_read(path, &d, &err), -ENOTDIR);
	xctl_err_reset(&err);
	/* no .d directories: nothing declared */
	snprintf(path, sizeof(path), "%s/modules.d/40-dir.conf", dir);
	assert_int_equal(xctl_decls_read(path, &d, &err), 0);
	assert_int_equal(d.cnt, 0);
	xctl_decls_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_kinds_lines),
		cmocka_unit_test(test_missing),
	};

	return cmocka_run_group_tests(tests, make_tree, remove_tree);
}
