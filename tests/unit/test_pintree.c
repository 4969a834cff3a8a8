// SPDX-License-Identifier: GPL-2.0
/*
 * The pin-tree helpers (lib/core/pintree.c) on real bpffs mounts in a
 * private mount namespace: what they make, open and remove is always in
 * xctl's tree, and a symbolic link, a foreign entry or a mount that leaves
 * the bpffs is refused with nothing done through it. Oracles: lstat(2) and
 * the map id the kernel reports. Needs root (mounts, BPF maps); skipped
 * otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <bpf/bpf.h>
#include "xctl_priv.h"
#include "core_priv.h"

struct env {
	char dir[64];		/* the test's directory */
	char other[128];	/* a second bpffs */
	struct xctl_bpffs fs;	/* dir/fs */
	int map;		/* an array map to pin */
};

static char *cat(char *buf, size_t len, const char *a, const char *b)
{
	if (snprintf(buf, len, "%s/%s", a, b) >= (int)len)
		fail_msg("path %s/%s too long for the test", a, b);
	return buf;
}

static bool exists(const char *path)
{
	struct stat st;

	return !lstat(path, &st);
}

static uint32_t map_id(int fd)
{
	struct bpf_map_info info = {};
	uint32_t len = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	char p[256];

	if (geteuid() || unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		free(e);
		*state = NULL;
		return 0;	/* each test skips */
	}
	snprintf(e->dir, sizeof(e->dir), "/tmp/xctl-pintree.XXXXXX");
	assert_non_null(mkdtemp(e->dir));
	cat(e->other, sizeof(e->other), e->dir, "other");
	assert_int_equal(mkdir(cat(p, sizeof(p), e->dir, "fs"), 0700), 0);
	assert_int_equal(mkdir(e->other, 0700), 0);
	assert_int_equal(mount("bpf", p, "bpf", 0, "mode=0700"), 0);
	assert_int_equal(mount("bpf", e->other, "bpf", 0, "mode=0700"), 0);
	assert_int_equal(xctl_bpffs_probe(&e->fs, p), 0);
	e->map = bpf_map_create(BPF_MAP_TYPE_ARRAY, "pintree", 4, 4, 1, NULL);
	assert_true(e->map >= 0);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	char p[256];

	if (!e)
		return 0;
	close(e->map);
	umount2(e->other, MNT_DETACH);
	rmdir(e->other);
	cat(p, sizeof(p), e->dir, "fs");
	umount2(p, MNT_DETACH);
	rmdir(p);
	rmdir(e->dir);
	free(e);
	return 0;
}

#define ENV() \
	struct env *e = *state; \
	char p[512], q[512]; \
	if (!e) \
		skip()

static void test_round_trip(void **state)
{
	struct xctl_err err = {};
	int fd;

	ENV();
	cat(p, sizeof(p), e->fs.base, "a/b");
	assert_int_equal(xctl_pin_path_mkdirs(&e->fs, p, &err), 0);
	assert_int_equal(xctl_pin_path_mkdirs(&e->fs, p, &err), 0);	/* idempotent */
	cat(p, sizeof(p), e->fs.base, "a/b/m");
	assert_int_equal(xctl_pin_path_pin(&e->fs, e->map, p, &err), 0);
	assert_int_equal(xctl_pin_path_pin(&e->fs, e->map, p, &err), -EEXIST);
	fd = xctl_pin_path_get(&e->fs, p, &err);
	assert_true(fd >= 0);
	assert_int_equal(map_id(fd), map_id(e->map));
	close(fd);
	cat(q, sizeof(q), e->fs.base, "a/n");
	assert_int_equal(xctl_pin_path_rename(&e->fs, p, q, &err), 0);
	assert_false(exists(p));
	assert_int_equal(xctl_pin_path_unlink(&e->fs, q, &err), 0);
	assert_false(exists(q));
	assert_int_equal(xctl_pin_path_get(&e->fs, q, &err), -ENOENT);
	assert_int_equal(errno, ENOENT);
	cat(p, sizeof(p), e->fs.base, "a/b");
	assert_int_equal(xctl_pin_path_rmdir(&e->fs, p, &err), 0);
	cat(p, sizeof(p), e->fs.base, "a");
	assert_int_equal(xctl_pin_path_mkdir(&e->fs, p, &err), -EEXIST);
	assert_int_equal(xctl_pin_path_rmdir(&e->fs, p, &err), 0);
}

/* A directory of the tree replaced by a link to a directory of another bpffs. */
static void test_link_component(void **state)
{
	struct xctl_err err = {};
	char target[256], t2[300];
	int fd;

	ENV();
	cat(target, sizeof(target), e->other, "dir");
	assert_int_equal(mkdir(target, 0700), 0);
	cat(t2, sizeof(t2), target, "m");
	assert_int_equal(bpf_obj_pin(e->map, t2), 0);
	cat(p, sizeof(p), e->fs.base, "l");
	assert_int_equal(symlink(target, p), 0);

	cat(p, sizeof(p), e->fs.base, "l/x");
	assert_int_equal(xctl_pin_path_mkdirs(&e->fs, p, &err), -ELOOP);
	assert_non_null(strstr(err.what, "refusing to use"));
	assert_non_null(strstr(err.why, "symbolic link"));
	assert_int_equal(xctl_pin_path_mkdir(&e->fs, p, &err), -ELOOP);
	cat(q, sizeof(q), target, "x");
	assert_false(exists(q));
	cat(p, sizeof(p), e->fs.base, "l/new");
	assert_int_equal(xctl_pin_path_pin(&e->fs, e->map, p, &err), -ELOOP);
	cat(q, sizeof(q), target, "new");
	assert_false(exists(q));
	cat(p, sizeof(p), e->fs.base, "l/m");
	fd = xctl_pin_path_get(&e->fs, p, &err);
	assert_int_equal(fd, -ELOOP);
	assert_int_equal(xctl_pin_path_unlink(&e->fs, p, &err), -ELOOP);
	assert_true(exists(t2));
	cat(p, sizeof(p), e->fs.base, "l");
	assert_int_equal(xctl_pin_path_rmdir(&e->fs, p, &err), -ELOOP);
	assert_true(exists(p));
	assert_int_equal(unlink(p), 0);
	assert_int_equal(unlink(t2), 0);
	assert_int_equal(rmdir(target), 0);
}

/* A pin of the tree replaced by a link to a pin of another bpffs. */
static void test_link_leaf(void **state)
{
	struct xctl_err err = {};
	char target[256];

	ENV();
	cat(target, sizeof(target), e->other, "p");
	assert_int_equal(bpf_obj_pin(e->map, target), 0);
	cat(p, sizeof(p), e->fs.base, "s");
	assert_int_equal(symlink(target, p), 0);

	assert_int_equal(xctl_pin_path_get(&e->fs, p, &err), -ELOOP);
	assert_non_null(strstr(err.why, "symbolic link"));
	assert_int_equal(xctl_pin_path_unlink(&e->fs, p, &err), -ELOOP);
	assert_int_equal(xctl_pin_path_pin(&e->fs, e->map, p, &err), -EEXIST);
	cat(q, sizeof(q), e->fs.base, "t");
	assert_int_equal(xctl_pin_path_rename(&e->fs, p, q, &err), -ELOOP);
	assert_int_equal(xctl_pin_path_rmdir(&e->fs, p, &err), -ELOOP);
	assert_true(exists(p));
	assert_false(exists(q));
	assert_true(exists(target));
	/* the same through the directory-fd calls */
	{
		int dfd = xctl_pin_opendir(&e->fs, e->fs.base, &err);

		assert_true(dfd >= 0);
		assert_int_equal(xctl_pin_kind(dfd, "s"), XCTL_PIN_SYMLINK);
		assert_int_equal(xctl_pin_get(dfd, "s", &err), -ELOOP);
		close(dfd);
	}
	assert_int_equal(unlink(p), 0);
	assert_int_equal(unlink(target), 0);
}

/* Entries of the wrong kind, bad paths, and a mount that leaves the bpffs. */
static void test_wrong_kind_and_paths(void **state)
{
	struct xctl_err err = {};

	ENV();
	cat(p, sizeof(p), e->fs.base, "d");
	assert_int_equal(xctl_pin_path_mkdir(&e->fs, p, &err), 0);
	assert_int_equal(xctl_pin_path_unlink(&e->fs, p, &err), -EISDIR);
	assert_int_equal(xctl_pin_path_get(&e->fs, p, &err), -EISDIR);
	assert_true(exists(p));
	cat(q, sizeof(q), e->fs.base, "pin");
	assert_int_equal(xctl_pin_path_pin(&e->fs, e->map, q, &err), 0);
	assert_int_equal(xctl_pin_path_rmdir(&e->fs, q, &err), -ENOTDIR);
	assert_int_equal(xctl_pin_path_mkdirs(&e->fs, q, &err), -ENOTDIR);
	assert_true(exists(q));
	cat(q, sizeof(q), e->fs.base, "pin/x");
	assert_int_equal(xctl_pin_path_get(&e->fs, q, &err), -ENOTDIR);

	/* a tmpfs mounted inside the tree leads out of the bpffs */
	assert_int_equal(mount("tmpfs", p, "tmpfs", 0, "size=64k"), 0);
	cat(q, sizeof(q), p, "x");
	assert_int_equal(xctl_pin_path_pin(&e->fs, e->map, q, &err), -EXDEV);
	assert_int_equal(xctl_pin_path_mkdirs(&e->fs, q, &err), -EXDEV);
	assert_false(exists(q));
	assert_int_equal(umount(p), 0);

	assert_int_equal(xctl_pin_path_get(&e->fs, "/etc/passwd", &err), -EINVAL);
	assert_int_equal(xctl_pin_path_mkdirs(&e->fs, "/tmp/x", &err), -EINVAL);
	cat(q, sizeof(q), e->fs.base, "d/../pin");
	assert_int_equal(xctl_pin_path_get(&e->fs, q, &err), -EINVAL);
	cat(q, sizeof(q), e->fs.base, "d/..");
	assert_int_equal(xctl_pin_path_unlink(&e->fs, q, &err), -EINVAL);
	cat(q, sizeof(q), e->fs.base, "d/.");
	assert_int_equal(xctl_pin_path_rmdir(&e->fs, q, &err), -EINVAL);
	assert_true(exists(p));
	/* err may be NULL: errno still says what happened */
	assert_int_equal(xctl_pin_path_get(&e->fs, "/etc/passwd", NULL), -EINVAL);
	assert_int_equal(errno, EINVAL);

	cat(q, sizeof(q), e->fs.base, "pin");
	assert_int_equal(xctl_pin_path_unlink(&e->fs, q, &err), 0);
	assert_int_equal(xctl_pin_path_rmdir(&e->fs, p, &err), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_link_component),
		cmocka_unit_test(test_link_leaf),
		cmocka_unit_test(test_wrong_kind_and_paths),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
