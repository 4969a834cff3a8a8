// SPDX-License-Identifier: GPL-2.0
/*
 * What a command may do to the bpffs named by --bpffs (or the default):
 *
 *  - A read-only command never mounts or creates anything, and a --bpffs
 *    that is not a bpffs (an empty directory, a file, another filesystem)
 *    is an error there, not an empty result (probe_bpffs()).
 *  - A command that fails leaves the bpffs as it found it: before it runs,
 *    main() records whether DIR existed and was a bpffs, and which
 *    directories existed below DIR/xctl; after a failure, directories it
 *    created below DIR/xctl are removed if empty, a bpffs it mounted on DIR
 *    is unmounted if nothing but the kernel's *.debug iterators is in it,
 *    and the mount point is removed if xctl created it (bpffs_undo()).
 *    The library rolls back its kernel objects itself; this covers the
 *    directories and the mount, which the CLI chose.
 *
 * The record lives for one command of this process (a batch line counts
 * as a command). Only DIR/xctl and its folders are pruned (GUARD_DEPTH),
 * never another command's reservation below them; a concurrent command
 * that created the same empty folder a moment before its first pin can
 * still see it vanish, fail cleanly (ENOENT) and be retried.
 */
#include <errno.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"

#define GUARD_MAX_DIRS	256
/*
 * Only DIR/xctl and its folders (modules/, xdp/, struct_ops/) are pruned:
 * per-name directories below them are reservations of concurrent commands
 * (module load reserves modules/NAME by creating it), which the library
 * removes itself when its own command fails.
 */
#define GUARD_DEPTH	2

static struct {
	char dir[PATH_MAX];
	char top_missing[PATH_MAX];	/* first component of dir that did not exist */
	bool existed, was_bpffs, active;
	bool base_link;			/* DIR/xctl is a symbolic link */
	char *dirs[GUARD_MAX_DIRS];	/* below DIR/xctl, before the command */
	size_t ndirs;
} guard;

static void collect(const char *path, int depth, char **out, size_t *n, size_t max)
{
	char sub[PATH_MAX];
	struct dirent *de;
	DIR *d;

	if (depth > GUARD_DEPTH || *n >= max)
		return;
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d)) && *n < max) {
		if (de->d_type != DT_DIR || !strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name) >= (int)sizeof(sub))
			continue;
		out[(*n)++] = strdup(sub);
		collect(sub, depth + 1, out, n, max);
	}
	closedir(d);
}

static void first_missing(const char *dir, char *out, size_t len)
{
	char path[PATH_MAX];
	struct stat st;
	char *p;

	snprintf(path, sizeof(path), "%s", dir);
	for (p = path + 1; ; p++) {
		char c = *p;

		if (c && c != '/')
			continue;
		*p = '\0';
		if (stat(path, &st)) {
			snprintf(out, len, "%s", path);
			return;
		}
		*p = c;
		if (!c)
			return;
	}
}

void bpffs_snapshot(void)
{
	char base[PATH_MAX + 8];
	struct stat st;

	snprintf(guard.dir, sizeof(guard.dir), "%s", bpffs_dir ?: XCTL_BPFFS_DEFAULT);
	guard.existed = !stat(guard.dir, &st);
	guard.top_missing[0] = '\0';
	if (!guard.existed)
		first_missing(guard.dir, guard.top_missing, sizeof(guard.top_missing));
	guard.was_bpffs = guard.existed && xctl_is_bpffs(guard.dir);
	snprintf(base, sizeof(base), "%s/%s", guard.dir, XCTL_PIN_SUBDIR);
	guard.ndirs = 0;
	/* a link at xctl/ is refused by every command: never walked here */
	guard.base_link = !lstat(base, &st) && S_ISLNK(st.st_mode);
	if (!guard.base_link && !stat(base, &st))
		guard.dirs[guard.ndirs++] = strdup(base);
	if (!guard.base_link)
		collect(base, 1, guard.dirs, &guard.ndirs, GUARD_MAX_DIRS);
	guard.active = true;
}

static bool existed_before(const char *path)
{
	size_t i;

	for (i = 0; i < guard.ndirs; i++)
		if (guard.dirs[i] && !strcmp(guard.dirs[i], path))
			return true;
	return false;
}

/* Remove empty directories below (and including) path that the command made. */
static void prune(const char *path, int depth)
{
	char sub[PATH_MAX];
	struct dirent *de;
	DIR *d;

	if (depth > GUARD_DEPTH)
		return;
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_type != DT_DIR || !strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name) < (int)sizeof(sub))
			prune(sub, depth + 1);
	}
	closedir(d);
	if (!existed_before(path))
		rmdir(path);	/* only if empty */
}

/* Only the kernel's own iterators (maps.debug, progs.debug) are in dir. */
static bool only_kernel_files(const char *dir)
{
	struct dirent *de;
	bool only = true;
	DIR *d = opendir(dir);

	if (!d)
		return false;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n > 6 && !strcmp(de->d_name + n - 6, ".debug"))
			continue;
		only = false;
		break;
	}
	closedir(d);
	return only;
}

void bpffs_undo(void)
{
	char base[PATH_MAX + 8];
	size_t i;

	if (!guard.active)
		return;
	snprintf(base, sizeof(base), "%s/%s", guard.dir, XCTL_PIN_SUBDIR);
	if (!guard.base_link)
		prune(base, 1);
	if (!guard.was_bpffs && xctl_is_bpffs(guard.dir) && only_kernel_files(guard.dir))
		umount2(guard.dir, UMOUNT_NOFOLLOW);
	/* The mount point and any parents xctl created for it, if still empty. */
	if (!guard.existed && guard.top_missing[0]) {
		char path[PATH_MAX], *slash;
		size_t top = strlen(guard.top_missing);

		snprintf(path, sizeof(path), "%s", guard.dir);
		while (strlen(path) >= top && !rmdir(path) && (slash = strrchr(path, '/')))
			*slash = '\0';
	}
	for (i = 0; i < guard.ndirs; i++)
		free(guard.dirs[i]);
	guard.ndirs = 0;
	guard.active = false;
}

void bpffs_guard_end(void)
{
	size_t i;

	for (i = 0; i < guard.ndirs; i++)
		free(guard.dirs[i]);
	guard.ndirs = 0;
	guard.active = false;
}

int probe_bpffs(struct xctl_bpffs *fs, struct xctl_err *err)
{
	struct stat st;
	int r;

	if (!xctl_bpffs_probe(fs, bpffs_dir))
		return 0;
	memset(fs, 0, sizeof(*fs));
	if (!bpffs_dir)
		return -ENOENT;	/* the default is not mounted: nothing of xctl's there */
	r = xctl_errf(err, EINVAL, "--bpffs %s is not a bpffs mount", bpffs_dir);
	if (stat(bpffs_dir, &st))
		xctl_err_why(err, "it does not exist");
	else if (!S_ISDIR(st.st_mode))
		xctl_err_why(err, "it is not a directory");
	else
		xctl_err_why(err, "it is a directory on another filesystem (a read-only "
			     "command does not mount one)");
	xctl_err_hint(err, "pass the bpffs xctl uses (default %s)", XCTL_BPFFS_DEFAULT);
	return r;
}
