// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Keys of the BPF object control types (prog, struct_ops): ids walked with
 * the *_get_next_id commands, and `name NAME` / `pinned PATH` resolved to an
 * id the way bpftool resolves them.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "xctl_priv.h"
#include "control_type.h"
#include "prog.h"

static int next_id(enum xctl_ctl_obj kind, uint32_t start, uint32_t *next)
{
	int r = kind == XCTL_CTL_OBJ_PROG ? bpf_prog_get_next_id(start, next)
					  : bpf_map_get_next_id(start, next);

	return r ? -errno : 0;
}

static int fd_by_id(enum xctl_ctl_obj kind, uint32_t id)
{
	int fd = kind == XCTL_CTL_OBJ_PROG ? bpf_prog_get_fd_by_id(id)
					   : bpf_map_get_fd_by_id(id);

	return fd < 0 ? -errno : fd;
}

/* Fill name and id of fd; map_type for maps. */
static int obj_ident(enum xctl_ctl_obj kind, int fd, uint32_t *id, char *name,
		     uint32_t *map_type)
{
	union {
		struct bpf_prog_info prog;
		struct bpf_map_info map;
	} info;
	__u32 len;

	memset(&info, 0, sizeof(info));
	len = kind == XCTL_CTL_OBJ_PROG ? sizeof(info.prog) : sizeof(info.map);
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	if (kind == XCTL_CTL_OBJ_PROG) {
		*id = info.prog.id;
		memcpy(name, info.prog.name, BPF_OBJ_NAME_LEN);
	} else {
		*id = info.map.id;
		memcpy(name, info.map.name, BPF_OBJ_NAME_LEN);
		if (map_type)
			*map_type = info.map.type;
	}
	name[BPF_OBJ_NAME_LEN - 1] = '\0';
	return 0;
}

int xctl_ctl_obj_next(enum xctl_ctl_obj kind, uint32_t map_type, const uint32_t *key,
		      uint32_t *next, struct xctl_err *err)
{
	char name[BPF_OBJ_NAME_LEN];
	uint32_t id = key ? *key : 0, oid, type;
	int r, fd;

	for (;;) {
		/* Ids are positive ints: nothing follows INT_MAX (the kernel
		 * refuses such a start id with EINVAL). */
		if (id >= INT_MAX)
			return -ENOENT;
		r = next_id(kind, id, &id);
		if (r == -ENOENT)
			return r;
		if (r)
			return xctl_errf(err, r, "cannot walk BPF %s ids",
					 kind == XCTL_CTL_OBJ_PROG ? "program" : "map");
		if (kind == XCTL_CTL_OBJ_PROG) {
			*next = id;
			return 0;
		}
		/* Maps are filtered by type; one that vanished is skipped. */
		fd = fd_by_id(kind, id);
		if (fd == -ENOENT)
			continue;
		if (fd < 0)
			return xctl_errf(err, fd, "cannot open BPF map id %u", id);
		r = obj_ident(kind, fd, &oid, name, &type);
		close(fd);
		if (r)
			return xctl_errf(err, r, "cannot read BPF map id %u", id);
		if (type == map_type) {
			*next = id;
			return 0;
		}
	}
}

int xctl_ctl_obj_fd(enum xctl_ctl_obj kind, uint32_t id, struct xctl_err *err)
{
	const char *what = kind == XCTL_CTL_OBJ_PROG ? "program" : "map";
	int fd = fd_by_id(kind, id);

	if (fd == -ENOENT) {
		xctl_errf(err, ENOENT, "no BPF %s with id %u", what, id);
		xctl_err_hint(err, "list them with 'bpftool %s show'",
			      kind == XCTL_CTL_OBJ_PROG ? "prog" : "map");
	} else if (fd < 0) {
		xctl_errf(err, fd, "cannot open BPF %s id %u", what, id);
	}
	return fd;
}

void xctl_ctl_obj_name(enum xctl_ctl_obj kind, uint32_t id, char *buf, size_t len)
{
	char name[BPF_OBJ_NAME_LEN] = "";
	uint32_t oid;
	int fd;

	/* Programs by their full (BTF) name, as everything else shows them. */
	if (kind == XCTL_CTL_OBJ_PROG) {
		struct xctl_prog p;

		snprintf(buf, len, "%s", xctl_prog_read(id, &p) ? "" : p.name);
		return;
	}
	fd = fd_by_id(kind, id);
	if (fd >= 0) {
		if (obj_ident(kind, fd, &oid, name, NULL))
			name[0] = '\0';
		close(fd);
	}
	snprintf(buf, len, "%s", name);
}

/* "anon_inode:bpf-prog" / "anon_inode:bpf-map": what an fd from bpffs is. */
static bool fd_is(int fd, const char *what)
{
	char link[64], target[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return false;
	target[n] = '\0';
	return !strcmp(target, what);
}

static int resolve_pinned(enum xctl_ctl_obj kind, uint32_t map_type, const char *path,
			  uint32_t *key, struct xctl_err *err)
{
	const char *what = kind == XCTL_CTL_OBJ_PROG ? "program" : "map";
	char name[BPF_OBJ_NAME_LEN];
	uint32_t type = map_type;
	int fd, r;

	fd = bpf_obj_get(path);
	if (fd < 0) {
		r = xctl_errf(err, errno, "cannot open pinned BPF %s %s", what, path);
		if (errno == ENOENT)
			xctl_err_hint(err, "check the path; pins live on a bpffs");
		return r;
	}
	if (!fd_is(fd, kind == XCTL_CTL_OBJ_PROG ? "anon_inode:bpf-prog"
						 : "anon_inode:bpf-map")) {
		close(fd);
		r = xctl_errf(err, EINVAL, "%s is not a pinned BPF %s", path, what);
		return r;
	}
	r = obj_ident(kind, fd, key, name, &type);
	close(fd);
	if (r)
		return xctl_errf(err, r, "cannot read pinned BPF %s %s", what, path);
	if (kind == XCTL_CTL_OBJ_MAP && type != map_type)
		return xctl_errf(err, EINVAL, "%s is not a struct_ops map", path);
	return 0;
}

int xctl_ctl_obj_resolve(enum xctl_ctl_obj kind, uint32_t map_type, const char *kw,
			 const char *arg, uint32_t *key, struct xctl_err *err)
{
	const char *what = kind == XCTL_CTL_OBJ_PROG ? "program" : "map";
	char name[BPF_OBJ_NAME_LEN];
	uint32_t id = 0, oid, found = 0, cnt = 0;
	int r, fd;

	if (!strcmp(kw, "pinned"))
		return resolve_pinned(kind, map_type, arg, key, err);
	if (!*arg || strlen(arg) >= BPF_OBJ_NAME_LEN) {
		r = xctl_errf(err, EINVAL, "invalid BPF %s name '%s'", what, arg);
		xctl_err_why(err, "names have 1 to %d characters", BPF_OBJ_NAME_LEN - 1);
		return r;
	}
	for (;;) {
		r = xctl_ctl_obj_next(kind, map_type, id ? &id : NULL, &id, err);
		if (r == -ENOENT)
			break;
		if (r)
			return r;
		fd = fd_by_id(kind, id);
		if (fd < 0)
			continue;
		r = obj_ident(kind, fd, &oid, name, NULL);
		close(fd);
		if (!r && !strcmp(name, arg)) {
			found = id;
			cnt++;
		}
	}
	if (!cnt) {
		r = xctl_errf(err, ENOENT, "no BPF %s named '%s'", what, arg);
		xctl_err_hint(err, "names are at most %d characters; try 'id N'",
			      BPF_OBJ_NAME_LEN - 1);
		return r;
	}
	if (cnt > 1) {
		r = xctl_errf(err, ENOTUNIQ, "name '%s' is ambiguous", arg);
		xctl_err_why(err, "%u BPF %ss have that name", cnt, what);
		xctl_err_hint(err, "select one with 'id N'");
		return r;
	}
	*key = found;
	return 0;
}
