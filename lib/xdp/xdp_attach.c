// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * xctl-managed XDP attachments: a program attached through a bpf_link pinned
 * at <bpffs>/xctl/xdp/<ifname>, which keeps it attached after xctl exits and
 * lets a later xctl find and remove it. Also the link helpers redirect setup
 * uses for its pass-through program.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "xctl_priv.h"
#include "prog.h"
#include "compat.h"
#include "core_priv.h"
#include "btf_priv.h"
#include "xdp_priv.h"

int xdp_link_attach_pin(int prog_fd, int ifindex, uint32_t flags,
			const struct xctl_bpffs *fs, const char *path, struct xctl_err *err)
{
	LIBBPF_OPTS(bpf_link_create_opts, lo, .flags = flags);
	char name[IF_NAMESIZE] = "?";
	int fd, r;

	if_indextoname((unsigned int)ifindex, name);
	fd = bpf_link_create(prog_fd, ifindex, BPF_XDP, &lo);
	if (fd < 0) {
		r = xctl_errf(err, errno, "cannot attach XDP program to %s", name);
		if (errno == EBUSY)
			xctl_err_why(err, "another XDP program is attached");
		else if (errno == EOPNOTSUPP && (flags & XDP_FLAGS_DRV_MODE))
			xctl_err_why(err, "the driver has no native XDP support");
		else if (errno == EPERM)
			xctl_err_hint(err, "attaching XDP needs CAP_BPF and CAP_NET_ADMIN (root)");
		return r;
	}
	r = xctl_pin_path_pin(fs, fd, path, err);
	if (r) {
		if (r == -EEXIST)
			xctl_err_why(err, "something is already pinned there");
		bpf_link_detach(fd);
		close(fd);
		return r;
	}
	return fd;
}

int xdp_pin_open(const struct xctl_bpffs *fs, const char *path, struct xctl_err *err)
{
	struct xctl_err e = {0};
	int fd;

	if (!fs || !path || !path[0])
		return -ENOENT;	/* no bpffs: nothing of xctl's is pinned */
	fd = xctl_pin_path_get(fs, path, &e);
	if (fd >= 0 || fd == -ENOENT || !err) {
		xctl_err_reset(&e);
		return fd;
	}
	xctl_err_reset(err);
	*err = e;	/* err owns e's log now */
	return fd;
}

int xdp_pin_opendir(const struct xctl_bpffs *fs, const char *path, struct xctl_err *err)
{
	struct xctl_err e = {0};
	int fd;

	if (!fs || !path || !path[0])
		return -ENOENT;
	fd = xctl_pin_opendir(fs, path, &e);
	if (fd >= 0 || fd == -ENOENT || !err) {
		xctl_err_reset(&e);
		return fd;
	}
	xctl_err_reset(err);
	*err = e;
	return fd;
}

/*
 * Whether fd is a bpf_link, map or prog (kind "bpf-link", "bpf-map", ...):
 * bpf_obj_get_info_by_fd() fills whichever info the object has, so a pinned
 * map would pass for a link by its type field.
 */
bool xdp_fd_is(int fd, const char *kind)
{
	char proc[64], target[64], want[64];
	ssize_t n;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	snprintf(want, sizeof(want), "anon_inode:%s", kind);
	n = readlink(proc, target, sizeof(target) - 1);
	if (n < 0)
		return false;
	target[n] = '\0';
	return !strcmp(target, want);
}

int xdp_pin_open_as(const struct xctl_bpffs *fs, const char *path, const char *kind,
		    void *info, uint32_t len, bool (*ok)(const void *info),
		    const char *why, struct xctl_err *err)
{
	int fd, r;

	fd = xdp_pin_open(fs, path, err);
	if (fd < 0)
		return fd;
	memset(info, 0, len);
	if (!xdp_fd_is(fd, kind) || bpf_obj_get_info_by_fd(fd, info, &len) ||
	    (ok && !ok(info))) {
		r = xctl_errf(err, EINVAL, "refusing to use %s", path);
		xctl_err_why(err, "%s", why);
		xctl_err_hint(err, "remove what was put there by hand");
		close(fd);
		return r;
	}
	return fd;
}

static bool is_xdp_link(const void *info)
{
	return ((const struct bpf_link_info *)info)->type == BPF_LINK_TYPE_XDP;
}

/* The XDP link pinned at path: its fd and info, or -errno with err filled. */
static int link_open(const struct xctl_bpffs *fs, const char *path,
		     struct bpf_link_info *info, struct xctl_err *err)
{
	return xdp_pin_open_as(fs, path, "bpf-link", info, sizeof(*info), is_xdp_link,
			       "it is not an XDP link (xctl pins only its own links there)",
			       err);
}

int xdp_link_pin_ids(const struct xctl_bpffs *fs, const char *path, uint32_t *link_id,
		     uint32_t *prog_id, struct xctl_err *err)
{
	struct bpf_link_info info;
	int fd;

	fd = link_open(fs, path, &info, err);
	if (fd < 0)
		return fd;
	close(fd);
	if (link_id)
		*link_id = info.id;
	if (prog_id)
		*prog_id = info.prog_id;
	return (int)info.xdp.ifindex;
}

int xdp_link_unpin(const struct xctl_bpffs *fs, const char *path, struct xctl_err *err)
{
	struct bpf_link_info info;
	int fd, r;

	fd = link_open(fs, path, &info, err);
	if (fd < 0)
		return fd;
	/* Detach first: the pin may not be the only reference. */
	if (bpf_link_detach(fd) && errno != EINVAL && errno != ENOLINK) {
		r = xctl_errf(err, errno, "cannot detach link %s", path);
		close(fd);
		return r;
	}
	close(fd);
	return xdp_pin_remove(fs, path, false, err);
}

int xdp_pin_remove(const struct xctl_bpffs *fs, const char *path, bool dir,
		   struct xctl_err *err)
{
	struct xctl_err e = {0};
	int r;

	if (!fs || !path || !path[0])
		return 0;
	r = dir ? xctl_pin_path_rmdir(fs, path, &e) : xctl_pin_path_unlink(fs, path, &e);
	if (r == -ENOENT)
		r = 0;
	if (!r || !err) {
		xctl_err_reset(&e);
		return r;
	}
	xctl_err_reset(err);
	*err = e;
	return r;
}


/* The XDP state of ifindex from the device snapshot (one RTM_GETLINK). */
static int xdp_state(int ifindex, const char *name, struct xctl_nl_dev *q,
		     struct xctl_err *err)
{
	int r = xctl_nl_dev_get(ifindex, 0, q, NULL);

	return r ? xctl_errf(err, r, "cannot query XDP state of %s", name) : 0;
}

/* Whether the device runs program id (0: never) in any mode. */
static bool runs_prog(const struct xctl_nl_dev *q, uint32_t id)
{
	return id && (id == q->xdp_drv_prog_id || id == q->xdp_skb_prog_id ||
		      id == q->xdp_hw_prog_id);
}

/*
 * Whether a program of ours can replace the one xctl's link at path runs
 * with BPF_LINK_UPDATE: the link stays, so it must already be attached in
 * the mode asked for (any mode when none is asked for). Offloaded programs
 * are bound to the device they were loaded for: those are attached anew.
 */
static bool updatable(const struct xctl_nl_dev *q, const struct xctl_bpffs *fs,
		      const char *path, enum xctl_xdp_mode m)
{
	uint32_t prog_id = 0;

	if (m == XCTL_XDP_MODE_DEFAULT)
		return true;
	if (xdp_link_pin_ids(fs, path, NULL, &prog_id, NULL) < 0 || !prog_id)
		return false;
	return (m == XCTL_XDP_MODE_NATIVE && prog_id == q->xdp_drv_prog_id) ||
	       (m == XCTL_XDP_MODE_GENERIC && prog_id == q->xdp_skb_prog_id);
}

/* The attached program, as the kernel reports it: native first. */
static uint32_t first_prog(const struct xctl_nl_dev *q)
{
	return q->xdp_prog_id ? q->xdp_prog_id : q->xdp_skb_prog_id ? q->xdp_skb_prog_id
								   : q->xdp_hw_prog_id;
}

/* The program shown as every verb shows one; null for none. */
static json_t *prog_json(uint32_t id, bool stats)
{
	return id ? xctl_prog_json(id, stats) : json_null();
}

static int pin_path(const struct xctl_bpffs *fs, const char *ifname, char *out,
		    size_t outsz, struct xctl_err *err)
{
	char rel[64];

	snprintf(rel, sizeof(rel), "xdp/%s", ifname);
	return xctl_bpffs_path(fs, rel, out, outsz, err);
}

/* <bpffs>/xctl/xdp-maps/<ifname>: what the attachment keeps pinned. */
static int obj_dir(const struct xctl_bpffs *fs, const char *ifname, char *out,
		   size_t outsz, struct xctl_err *err)
{
	char rel[64];

	snprintf(rel, sizeof(rel), XDP_OBJ_SUBDIR "/%s", ifname);
	return xctl_bpffs_path(fs, rel, out, outsz, err);
}

/*
 * The pinned link at path, if it is attached to ifindex: its fd. -ENOENT when
 * there is none; a stale pin (its device is gone, the link detached) is
 * removed. A pin holding the link of another device (DEV was renamed and the
 * name reused, or a same-named device of another network namespace sharing
 * the bpffs) is -EEXIST and left alone: removing it would detach that
 * device's program.
 */
static int own_link(const struct xctl_bpffs *fs, const char *path, int ifindex,
		    struct xctl_err *err)
{
	struct xctl_nl_dev q;
	uint32_t prog_id = 0;
	char idx[16];
	int r;

	r = xdp_link_pin_ids(fs, path, NULL, &prog_id, err);
	if (r == 0) {
		r = xdp_pin_remove(fs, path, false, err);
		return r ? r : -ENOENT;
	}
	if (r < 0)
		return r;
	if (r != ifindex) {
		xctl_errf(err, EEXIST, "cannot use the pin %s", path);
		xctl_err_why(err, "it holds the XDP link of ifindex %d (a device since renamed?)", r);
		snprintf(idx, sizeof(idx), "%d", r);
		xctl_err_hint_code(err, XCTL_HINT_DETACH_IFINDEX, idx, NULL,
				   "detach the XDP program of ifindex %d or remove the pin", r);
		return -EEXIST;
	}
	/*
	 * An ifindex is unique only within a network namespace: the link is
	 * this device's only if the device here runs the link's program.
	 */
	if (xctl_nl_dev_get(ifindex, 0, &q, NULL) || !runs_prog(&q, prog_id)) {
		xctl_errf(err, EEXIST, "cannot use the pin %s", path);
		xctl_err_why(err, "it holds the XDP link of a device with this name in another network namespace");
		xctl_err_hint_code(err, XCTL_HINT_BPFFS_PER_NETNS, NULL, NULL,
				   "give each network namespace its own bpffs");
		return -EEXIST;
	}
	return xdp_pin_open(fs, path, err);
}

/*
 * Remove whatever XDP program is on ifindex: links by BPF_LINK_DETACH, else
 * through netlink (IFLA_XDP with fd -1) in each mode the query reported.
 */
static int detach_any(int ifindex, const char *name, struct xctl_err *err)
{
	static const uint32_t modes[] = {
		XDP_FLAGS_DRV_MODE, XDP_FLAGS_SKB_MODE, XDP_FLAGS_HW_MODE,
	};
	struct xctl_nl_dev q;
	uint32_t id = 0, ids[3];
	unsigned int i;
	int fd, r;

	r = xdp_state(ifindex, name, &q, err);
	if (r)
		return r;
	/*
	 * A link's info names only an ifindex, which is per network
	 * namespace: the link is this device's only if it also runs the
	 * program attached here.
	 */
	while (!bpf_link_get_next_id(id, &id)) {
		struct bpf_link_info info = {};
		uint32_t len = sizeof(info);

		fd = bpf_link_get_fd_by_id(id);
		if (fd < 0)
			continue;
		if (!bpf_obj_get_info_by_fd(fd, &info, &len) &&
		    info.type == BPF_LINK_TYPE_XDP && (int)info.xdp.ifindex == ifindex &&
		    runs_prog(&q, info.prog_id)) {
			r = bpf_link_detach(fd) ? -errno : 0;
			close(fd);
			if (r)
				return xctl_errf(err, r, "cannot detach XDP link %u from %s", id, name);
			return 0;
		}
		close(fd);
	}
	ids[0] = q.xdp_drv_prog_id;
	ids[1] = q.xdp_skb_prog_id;
	ids[2] = q.xdp_hw_prog_id;
	for (i = 0; i < 3; i++) {
		if (!ids[i])
			continue;
		r = bpf_xdp_detach(ifindex, modes[i], NULL);
		if (r)
			return xctl_errf(err, r, "cannot detach XDP program id %u from %s",
					 ids[i], name);
	}
	return 0;
}

int xctl_xdp_obj_progs(const char *obj_path, json_t **out, struct xctl_err *err)
{
	struct xdp_obj x = {};
	struct bpf_program *p;
	int r;

	*out = NULL;
	r = xdp_obj_read(&x, obj_path, err);
	if (r)
		return r;
	*out = json_array();
	bpf_object__for_each_program(p, x.obj)
		if (bpf_program__type(p) == BPF_PROG_TYPE_XDP)
			json_array_append_new(*out, json_string(bpf_program__name(p)));
	xdp_obj_close(&x, false);
	return *out ? 0 : xctl_errf(err, ENOMEM, "cannot list the programs of %s", obj_path);
}

static uint32_t mode_flags(enum xctl_xdp_mode m)
{
	switch (m) {
	case XCTL_XDP_MODE_NATIVE:
		return XDP_FLAGS_DRV_MODE;
	case XCTL_XDP_MODE_GENERIC:
		return XDP_FLAGS_SKB_MODE;
	case XCTL_XDP_MODE_OFFLOAD:
		return XDP_FLAGS_HW_MODE;
	default:
		return 0;
	}
}

int xctl_xdp_attach(int ifindex, const char *obj_path,
		    const struct xctl_xdp_attach_opts *opts, json_t **report,
		    struct xctl_err *err)
{
	enum xctl_xdp_mode mode = XCTL_OPT(opts, mode, XCTL_XDP_MODE_DEFAULT);
	bool replace = XCTL_OPT(opts, replace, false);
	bool stats = xctl_bpf_stats_enabled();
	struct xctl_nl_dev q;
	char name[IF_NAMESIZE], path[PATH_MAX];
	struct xdp_obj x = {};
	struct bpf_program *prog;
	uint32_t old_id, link_id = 0, prog_id = 0;
	struct xctl_bpffs fs;
	json_t *old = NULL;
	int r, link_fd = -1;
	bool updated = false;

	*report = NULL;
	if (!if_indextoname((unsigned int)ifindex, name))
		return xctl_errf(err, ENODEV, "no device with ifindex %d", ifindex);
	/* The object first: nothing is mounted or created for a bad one. */
	r = xdp_obj_read(&x, obj_path, err);
	if (r)
		return r;
	r = xdp_bpffs_open(XCTL_OPT(opts, bpffs_dir, NULL), XCTL_OPT(opts, no_mount, false),
			   &fs, err) ?:
	    pin_path(&fs, name, path, sizeof(path), err) ?:
	    obj_dir(&fs, name, x.dir, sizeof(x.dir), err) ?:
	    xctl_bpffs_mkdir(&fs, "xdp", err) ?:
	    xdp_obj_open(&x, obj_path, ifindex, &fs, opts, err) ?:
	    xdp_obj_load(&x, &fs, obj_path, err);
	if (r)
		goto out;
	prog = x.prog;

	r = xdp_state(ifindex, name, &q, err);
	if (r)
		goto out;
	old_id = first_prog(&q);
	link_fd = own_link(&fs, path, ifindex, err);
	if (link_fd < 0 && link_fd != -ENOENT) {
		r = link_fd;
		goto out;
	}
	if (old_id && !replace) {
		r = xctl_errf(err, EBUSY, "cannot attach to %s", name);
		xctl_err_why(err, "XDP program id %u is already attached%s", old_id,
			     link_fd >= 0 ? " by xctl" : "");
		xctl_err_hint_code(err, XCTL_HINT_REPLACE, NULL, NULL,
				   "ask for the program to be replaced");
		goto out;
	}
	/* Before replacing: the old program may be gone afterwards. */
	old = prog_json(old_id, stats);
	if (link_fd >= 0 && updatable(&q, &fs, path, mode)) {
		/* Ours, in that mode: swap the program atomically; the pin stays. */
		if (bpf_link_update(link_fd, bpf_program__fd(prog), NULL)) {
			r = xctl_errf(err, errno, "cannot replace the program of %s", path);
			goto out;
		}
		updated = true;
	} else {
		if (link_fd >= 0) {
			close(link_fd);
			link_fd = -1;
			r = xdp_link_unpin(&fs, path, err);
			if (r && r != -ENOENT)
				goto out;
		}
		if (old_id) {
			r = detach_any(ifindex, name, err);
			if (r)
				goto out;
		}
		link_fd = xdp_link_attach_pin(bpf_program__fd(prog), ifindex,
					      mode_flags(mode), &fs, path, err);
		if (link_fd < 0) {
			r = link_fd;
			goto out;
		}
	}
	r = xdp_obj_commit(&x, err);
	if (r)
		goto out;
	xdp_link_pin_ids(&fs, path, &link_id, &prog_id, NULL);
	if (xctl_nl_dev_get(ifindex, 0, &q, NULL))
		memset(&q, 0, sizeof(q));
	*report = json_pack("{s:s, s:i, s:o, s:I, s:s, s:o, s:o, s:b}",
			    "ifname", name, "ifindex", ifindex,
			    "prog", prog_json(prog_id, stats),
			    "link_id", (json_int_t)link_id,
			    "pinned", path,
			    "mode", xdp_mode_name(q.xdp_attached) ? json_string(xdp_mode_name(q.xdp_attached))
							      : json_null(),
			    "replaced", old,
			    "updated_link", updated);
	old = NULL;	/* the report owns it now */
	if (*report) {
		json_object_set_new(*report, "dev_bound", json_boolean(x.dev_bound));
		json_object_set_new(*report, "programs_loaded", xdp_obj_loaded_json(&x));
		json_object_set_new(*report, "maps_pinned", objm_json(&x.maps));
	}
	r = 0;
out:
	json_decref(old);
	if (link_fd >= 0)
		close(link_fd);
	xdp_obj_close(&x, r != 0);
	return r;
}

/*
 * Of the pins detach removed from the attachment's directory: the maps
 * (shared false), or the names of the maps left in their pin_root (true).
 */
static json_t *removed_maps(json_t *removed, bool shared)
{
	size_t plen = strlen(XDP_OBJ_SHARED_PREFIX), i;
	json_t *arr = json_array(), *e;
	const char *n;

	json_array_foreach(removed, i, e) {
		n = json_string_value(e);
		if (!n || !strcmp(n, XDP_OBJ_DEV_BOUND_PIN))
			continue;
		if (!strncmp(n, XDP_OBJ_SHARED_PREFIX, plen) == shared)
			json_array_append_new(arr, json_string(shared ? n + plen : n));
	}
	return arr;
}

int xctl_xdp_detach(int ifindex, const struct xctl_xdp_detach_opts *opts,
		    json_t **report, struct xctl_err *err)
{
	bool force = XCTL_OPT(opts, force, false);
	bool stats = xctl_bpf_stats_enabled();
	struct xctl_nl_dev q;
	char name[IF_NAMESIZE], path[PATH_MAX];
	uint32_t link_id = 0, prog_id = 0, old_id;
	json_t *prog, *removed;
	char dir[PATH_MAX];
	struct xctl_bpffs fs, *fsp = NULL;
	int r;

	*report = NULL;
	if (!if_indextoname((unsigned int)ifindex, name))
		return xctl_errf(err, ENODEV, "no device with ifindex %d", ifindex);
	/* Nothing of xctl's can be pinned without a bpffs: never mount one here. */
	path[0] = '\0';
	if (!xdp_bpffs_probe(XCTL_OPT(opts, bpffs_dir, NULL), &fs)) {
		fsp = &fs;
		r = pin_path(&fs, name, path, sizeof(path), err);
		if (r)
			return r;
	}
	r = xdp_state(ifindex, name, &q, err);
	if (r)
		return r;
	old_id = first_prog(&q);

	r = xdp_link_pin_ids(fsp, path, &link_id, &prog_id, err);
	if (r < 0 && r != -ENOENT)
		return r;	/* something else is where xctl's link would be */
	/* ours only if this namespace's device runs it (ifindex is per netns) */
	if (r == ifindex && runs_prog(&q, prog_id)) {
		prog = prog_json(prog_id, stats);
		r = xdp_link_unpin(fsp, path, err);
		if (r) {
			json_decref(prog);
			return r;
		}
		/* then what the attachment kept: prog_arrays die with their pins */
		removed = json_array();
		r = obj_dir(&fs, name, dir, sizeof(dir), err) ?:
		    objm_remove_dir(dir, removed, err);
		if (r) {
			json_decref(prog);
			json_decref(removed);
			return r;
		}
		*report = json_pack("{s:s, s:i, s:o, s:I, s:s, s:o, s:o}", "ifname", name,
				    "ifindex", ifindex, "detached", prog,
				    "link_id", (json_int_t)link_id, "unpinned", path,
				    "maps_removed", removed_maps(removed, false),
				    "maps_shared", removed_maps(removed, true));
		json_decref(removed);
		return 0;
	}
	if (r == 0) {
		/* a stale pin: its device is gone */
		r = xdp_pin_remove(fsp, path, false, err);
		if (r)
			return r;
	}
	if (!old_id) {
		r = xctl_errf(err, ENOENT, "cannot detach from %s", name);
		xctl_err_why(err, "no XDP program is attached");
		return r;
	}
	if (!force) {
		r = xctl_errf(err, EPERM, "cannot detach from %s", name);
		xctl_err_why(err, "XDP program id %u was not attached by xctl", old_id);
		xctl_err_hint_code(err, XCTL_HINT_FORCE_DETACH, NULL, NULL,
				   "force the detach to remove it anyway");
		return r;
	}
	prog = prog_json(old_id, stats);
	r = detach_any(ifindex, name, err);
	if (r) {
		json_decref(prog);
		return r;
	}
	*report = json_pack("{s:s, s:i, s:o, s:n, s:n}", "ifname", name, "ifindex", ifindex,
			    "detached", prog, "link_id", "unpinned");
	return 0;
}

int xctl_xdp_link_info(const char *ifname, const char *bpffs_dir, json_t **out,
		       struct xctl_err *err)
{
	char path[PATH_MAX];
	struct xctl_bpffs fs;
	uint32_t link_id = 0, prog_id = 0;
	int ifindex, r;

	*out = NULL;
	if (xdp_bpffs_probe(bpffs_dir, &fs))
		return 0;	/* no bpffs: nothing of xctl's can be pinned */
	r = pin_path(&fs, ifname, path, sizeof(path), err);
	if (r)
		return r;
	ifindex = (int)if_nametoindex(ifname);
	r = xdp_link_pin_ids(&fs, path, &link_id, &prog_id, err);
	if (r < 0 && r != -ENOENT)
		return r;
	if (r != ifindex)
		return 0;
	*out = json_pack("{s:I, s:I, s:s}", "link_id", (json_int_t)link_id,
			 "prog_id", (json_int_t)prog_id, "pinned", path);
	return 0;
}
