// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The declared state: DIR/modules.d/ *.conf and DIR/xdp.d/ *.conf, read in
 * lexical (byte) order of the file names, one declaration per line that is
 * neither blank nor a comment. What cannot be read becomes a declaration
 * carrying its error, so one bad file or line does not hide the others.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "xctl_priv.h"

/* Longest line accepted: far beyond any command, short of a runaway file. */
#define DECL_LINE_MAX	16384

static const struct {
	const char *sub;
	enum xctl_decl_kind kind;
} subdirs[] = {
	{ "modules.d", XCTL_DECL_MODULE },
	{ "xdp.d", XCTL_DECL_XDP },
};

void xctl_decls_free(struct xctl_decls *d)
{
	size_t i;

	for (i = 0; i < d->cnt; i++)
		free(d->v[i].argv);
	free(d->v);
	d->v = NULL;
	d->cnt = 0;
}

/* Append a declaration; NULL when out of memory. */
static struct xctl_decl *add(struct xctl_decls *d, enum xctl_decl_kind kind,
			     const char *file, unsigned int line)
{
	struct xctl_decl *tmp, *e;

	tmp = realloc(d->v, (d->cnt + 1) * sizeof(*tmp));
	if (!tmp)
		return NULL;
	d->v = tmp;
	e = &d->v[d->cnt++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	snprintf(e->file, sizeof(e->file), "%s", file);
	e->line = line;
	return e;
}

/* A declaration that reports a problem with a file or one of its lines. */
static int add_error(struct xctl_decls *d, enum xctl_decl_kind kind,
		     const char *file, unsigned int line, const char *msg,
		     struct xctl_err *err)
{
	struct xctl_decl *e = add(d, kind, file, line);

	if (!e)
		return xctl_errf(err, ENOMEM, "cannot read %s", file);
	snprintf(e->error, sizeof(e->error), "%s", msg);
	return 0;
}

static int read_lines(struct xctl_decls *d, enum xctl_decl_kind kind,
		      const char *path, FILE *f, struct xctl_err *err)
{
	char *line = NULL, msg[sizeof(d->v->error)];
	struct xctl_err lerr = {};
	unsigned int no = 0;
	struct xctl_decl *e;
	size_t cap = 0;
	ssize_t n;
	int r = 0;

	while (!r && (n = getline(&line, &cap, f)) >= 0) {
		no++;
		if (n > DECL_LINE_MAX || memchr(line, '\0', n)) {
			snprintf(msg, sizeof(msg), "line is %s",
				 n > DECL_LINE_MAX ? "longer than 16384 bytes" : "not text (NUL byte)");
			r = add_error(d, kind, path, no, msg, err);
			continue;
		}
		e = add(d, kind, path, no);
		if (!e) {
			r = xctl_errf(err, ENOMEM, "cannot read %s", path);
			break;
		}
		if (xctl_split_words(line, &e->argc, &e->argv, &lerr)) {
			snprintf(e->error, sizeof(e->error), "%s: %s", lerr.what,
				 xctl_err_reason(&lerr));
			xctl_err_reset(&lerr);
		} else if (!e->argc) {
			free(e->argv);
			d->cnt--;	/* blank line or comment */
		}
	}
	if (!r && ferror(f)) {
		snprintf(msg, sizeof(msg), "cannot read %s after line %u: %s", path, no,
			 xctl_strerror(errno ?: EIO));
		r = add_error(d, kind, path, no + 1, msg, err);
	}
	free(line);
	return r;
}

static int read_file(struct xctl_decls *d, enum xctl_decl_kind kind,
		     const char *path, struct xctl_err *err)
{
	char msg[sizeof(d->v->error)];
	struct stat st;
	FILE *f;
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &st)) {
		snprintf(msg, sizeof(msg), "cannot read %s: %s", path, xctl_strerror(errno));
		if (fd >= 0)
			close(fd);
		return add_error(d, kind, path, 0, msg, err);
	}
	if (S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 && minor(st.st_rdev) == 3) {
		close(fd);	/* a link to /dev/null masks the name, as in systemd */
		return 0;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		snprintf(msg, sizeof(msg), "cannot read %s: not a regular file", path);
		return add_error(d, kind, path, 0, msg, err);
	}
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return xctl_errf(err, errno, "cannot read %s", path);
	}
	r = read_lines(d, kind, path, f, err);
	fclose(f);
	return r;
}

static int is_conf(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return e->d_name[0] != '.' && n > 5 && !strcmp(e->d_name + n - 5, ".conf");
}

/* Byte order, whatever the locale: the order systemd's .d directories use. */
static int bytesort(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int read_subdir(struct xctl_decls *d, const char *dir, size_t i,
		       struct xctl_err *err)
{
	char sub[PATH_MAX], path[PATH_MAX], msg[sizeof(d->v->error)];
	struct dirent **ents;
	int k, ne, r = 0;

	if (snprintf(sub, sizeof(sub), "%s/%s", dir, subdirs[i].sub) >= (int)sizeof(sub))
		return xctl_errf(err, ENAMETOOLONG, "configuration directory %s", dir);
	ne = scandir(sub, &ents, is_conf, bytesort);
	if (ne < 0) {
		if (errno == ENOENT)
			return 0;	/* declares nothing */
		snprintf(msg, sizeof(msg), "cannot read %s: %s", sub, xctl_strerror(errno));
		return add_error(d, subdirs[i].kind, sub, 0, msg, err);
	}
	for (k = 0; k < ne; k++) {
		if (!r) {
			if (snprintf(path, sizeof(path), "%s/%s", sub, ents[k]->d_name) >=
			    (int)sizeof(path))
				r = add_error(d, subdirs[i].kind, sub, 0, "file name too long", err);
			else
				r = read_file(d, subdirs[i].kind, path, err);
		}
		free(ents[k]);
	}
	free(ents);
	return r;
}

int xctl_decls_read(const char *dir, struct xctl_decls *d, struct xctl_err *err)
{
	struct stat st;
	size_t i;
	int r;

	memset(d, 0, sizeof(*d));
	r = stat(dir, &st) ? -errno : S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
	if (r) {
		xctl_errf(err, -r, "cannot read configuration directory %s", dir);
		if (r == -ENOENT || r == -ENOTDIR)
			xctl_err_hint_code(err, XCTL_HINT_CONFIG_DIR, dir, dir,
					   "create %s/modules.d and %s/xdp.d, or name "
					   "another configuration directory", dir, dir);
		return r;
	}
	for (i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++) {
		r = read_subdir(d, dir, i, err);
		if (r) {
			xctl_decls_free(d);
			return r;
		}
	}
	return 0;
}
