// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The object behind `xdp attach`, loaded as its author declared it: the
 * selected XDP program plus every program a map initialiser names (a
 * prog_array's `.values = { [0] = &prog }`), maps sized and pinned as
 * declared (objmaps.h) below the attachment's own directory
 * <bpffs>/xctl/xdp-maps/<ifname>/, and programs that call the XDP RX
 * metadata kfuncs loaded bound to the device (BPF_F_XDP_DEV_BOUND_ONLY +
 * prog_ifindex), which the verifier requires of them.
 *
 * The object is read once into memory, checked as a whole and parsed by
 * libbpf from that image; its relocations are read from the same bytes.
 *
 * The kernel's bpf_prog_info tells nothing of a device-bound (not
 * offloaded) program, so the attached program is also pinned as
 * XDP_OBJ_DEV_BOUND_PIN in that directory when it is device-bound: `xdp
 * show` reads it back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "compat.h"
#include "core_priv.h"
#include "btf_priv.h"
#include "xdp_priv.h"

static struct bpf_program *pick_prog(struct bpf_object *obj, const char *path,
				     const char *want, struct xctl_err *err)
{
	struct bpf_program *p, *found = NULL;

	bpf_object__for_each_program(p, obj) {
		bool xdp = bpf_program__type(p) == BPF_PROG_TYPE_XDP;

		if (want && !strcmp(bpf_program__name(p), want)) {
			if (!xdp) {
				xctl_errf(err, EINVAL, "program '%s' of %s is not an XDP program",
					  want, path);
				xctl_err_hint(err, "XDP programs are in SEC(\"xdp\") sections");
				return NULL;
			}
			found = p;
		} else if (!want && xdp && !found) {
			found = p;
		}
	}
	if (!found) {
		if (want) {
			xctl_errf(err, ENOENT, "no program '%s' in %s", want, path);
		} else {
			xctl_errf(err, ENOENT, "no XDP program in %s", path);
			xctl_err_hint(err, "attach needs an object with a SEC(\"xdp\") program");
		}
		return NULL;
	}
	return found;
}

/*
 * Autoload the selected program and those map initialisers name; bind to
 * the device those that call metadata kfuncs (or, forced, the selected
 * one). A device-bound program cannot run in generic mode.
 */
static int plan_progs(struct xdp_obj *x, const char *path, int ifindex,
		      const struct objm_progs *pp, bool force_bound, bool generic,
		      struct xctl_err *err)
{
	struct bpf_program *p;
	bool kfunc = pp->declares_kfunc;
	const char *name;
	int r;

	bpf_object__for_each_program(p, x->obj) {
		name = bpf_program__name(p);
		bpf_program__set_autoload(p, p == x->prog ||
					  objm_progs_has(pp->needed, pp->needed_cnt, name));
		if (!bpf_program__autoload(p) || bpf_program__type(p) != BPF_PROG_TYPE_XDP)
			continue;
		if (!(p == x->prog && (force_bound || (kfunc && pp->kfunc_subprog))) &&
		    !(kfunc && objm_progs_has(pp->kfunc, pp->kfunc_cnt, name)))
			continue;
		if (objm_progs_has(pp->needed, pp->needed_cnt, name)) {
			r = xctl_errf(err, EINVAL, "cannot load %s bound to the device", name);
			xctl_err_why(err, "a prog_array of %s holds it, and the kernel refuses "
				     "device-bound programs in program maps", path);
			if (p == x->prog && force_bound)
				xctl_err_hint(err, "attach it without dev_bound");
			return r;
		}
		if (p == x->prog && generic) {
			r = xctl_errf(err, EINVAL, "cannot attach %s in generic mode", name);
			xctl_err_why(err, "it is device-bound (%s), and the kernel runs "
				     "device-bound programs only in native mode",
				     force_bound ? "dev_bound given" : "it calls XDP metadata kfuncs");
			xctl_err_hint(err, "attach it without 'mode generic'");
			return r;
		}
		bpf_program__set_ifindex(p, (uint32_t)ifindex);
		if (bpf_program__set_flags(p, bpf_program__flags(p) | BPF_F_XDP_DEV_BOUND_ONLY))
			return xctl_errf(err, errno, "cannot bind program %s to the device", name);
		if (p == x->prog)
			x->dev_bound = true;
	}
	return 0;
}

/*
 * Read the object once (regular files only, never blocking), check it as a
 * whole, and let libbpf parse that image; file keeps the bytes libbpf
 * refers to until the object is closed (xdp_obj_close()).
 */
int xdp_obj_read(struct xdp_obj *x, const char *obj_path, struct xctl_err *err)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo);
	struct xctl_file *file = &x->file;
	const char *base = strrchr(obj_path, '/');
	int r;

	r = xctl_file_read(obj_path, XCTL_OBJ_MAX, file, err);
	if (r) {
		if (err)
			snprintf(err->what, sizeof(err->what), "cannot open BPF object %s", obj_path);
		return r;
	}
	r = xbtf_check_object(file->data, file->size, obj_path, err);
	if (r) {
		xctl_file_free(file);
		return r;
	}
	oo.object_name = base ? base + 1 : obj_path;
	if (xctl_klog_init(&x->klog, &oo)) {
		xctl_file_free(file);
		return xctl_errf(err, ENOMEM, "cannot open BPF object %s", obj_path);
	}
	x->obj = bpf_object__open_mem(file->data, file->size, &oo);
	if (!x->obj) {
		r = xctl_errf(err, errno ? errno : EINVAL, "cannot open BPF object %s", obj_path);
		xctl_err_why(err, "not a valid BPF ELF object (%s)", xctl_strerror(-r));
		xctl_klog_free(&x->klog);
		xctl_file_free(file);
		return r;
	}
	return 0;
}

int xdp_obj_open(struct xdp_obj *x, const char *path, int ifindex,
		 const struct xctl_bpffs *fs, const struct xctl_xdp_attach_opts *opts,
		 struct xctl_err *err)
{
	enum xctl_xdp_mode mode = XCTL_OPT(opts, mode, XCTL_XDP_MODE_DEFAULT);
	struct objm_opts mo = {
		.fs = fs,
		.own_dir = x->dir,
		.pin_root = XCTL_OPT(opts, pin_root, NULL),
		.max_entries = XCTL_OPT(opts, max_entries, NULL),
	};
	struct objm_progs pp;
	int r;

	x->fs = fs;
	mo.max_entries_cnt = mo.max_entries ? XCTL_OPT(opts, max_entries_cnt, 0) : 0;
	x->prog = pick_prog(x->obj, path, XCTL_OPT(opts, prog_name, NULL), err);
	if (!x->prog)
		return -(err && err->errnum ? err->errnum : EINVAL);
	r = objm_progs_read(x->file.data, x->file.size, path, &pp, err);
	if (r)
		return r;
	r = plan_progs(x, path, ifindex, &pp, XCTL_OPT(opts, dev_bound, false),
		       mode == XCTL_XDP_MODE_GENERIC, err);
	objm_progs_free(&pp);
	if (r)
		return r;
	if (mode == XCTL_XDP_MODE_OFFLOAD)
		bpf_program__set_ifindex(x->prog, (uint32_t)ifindex);
	return objm_prepare(&x->maps, x->obj, path, &mo, err);
}

int xdp_obj_load(struct xdp_obj *x, const struct xctl_bpffs *fs, const char *path,
		 struct xctl_err *err)
{
	int r;

	if (x->maps.cnt || x->dev_bound) {
		r = xctl_bpffs_mkdir(fs, XDP_OBJ_SUBDIR, err);
		if (r)
			return r;
		/*
		 * The attachment's directory is written after the program is
		 * attached (xdp_obj_commit): refuse now, before anything
		 * changes, when something other than a directory is there.
		 */
		r = xdp_pin_opendir(fs, x->dir, err);
		if (r < 0 && r != -ENOENT)
			return r;
		if (r >= 0)
			close(r);
	}
	r = objm_begin(&x->maps, err);
	if (r)
		return r;
	x->begun = true;
	if (bpf_object__load(x->obj)) {
		r = xctl_errf(err, errno, "cannot load %s from %s",
			      bpf_program__name(x->prog), path);
		if (x->dev_bound && errno == EOPNOTSUPP)
			xctl_err_why(err, "the driver cannot run device-bound programs");
		xctl_klog_attach(&x->klog, err);
		return r;
	}
	return objm_stage(&x->maps, err);
}

/*
 * The maps this attachment shares in a pin_root are pinned once more in its
 * directory as XDP_OBJ_SHARED_PREFIX<name>, so detach can say which maps it
 * leaves in place (the extra pin goes with the directory).
 */
static int record_shared(struct xdp_obj *x, struct xctl_err *err)
{
	char path[PATH_MAX];
	size_t i;
	int r;

	for (i = 0; i < x->maps.cnt; i++) {
		const struct objm_pin *p = &x->maps.pins[i];

		if (!p->shared)
			continue;
		r = xctl_pin_path_mkdirs(x->fs, x->dir, err);
		if (r)
			return r;
		if (snprintf(path, sizeof(path), "%s/" XDP_OBJ_SHARED_PREFIX "%s", x->dir,
			     p->file) >= (int)sizeof(path))
			return xctl_errf(err, ENAMETOOLONG, "pin path %s", x->dir);
		r = xdp_pin_remove(x->fs, path, false, err) ?:
		    xctl_pin_path_pin(x->fs, bpf_map__fd(p->map), path, err);
		if (r)
			return r;
	}
	return 0;
}

int xdp_obj_commit(struct xdp_obj *x, struct xctl_err *err)
{
	char path[PATH_MAX];
	int r;

	/* first: it removes what the plan does not name, and an empty dir */
	r = objm_commit(&x->maps, err);
	if (r)
		return r;
	if (!x->dev_bound)
		return record_shared(x, err);
	if (snprintf(path, sizeof(path), "%s/%s", x->dir, XDP_OBJ_DEV_BOUND_PIN) >=
	    (int)sizeof(path))
		return xctl_errf(err, ENAMETOOLONG, "pin path %s", x->dir);
	r = xctl_pin_path_mkdirs(x->fs, x->dir, err) ?:
	    xctl_pin_path_pin(x->fs, bpf_program__fd(x->prog), path, err);
	return r ? r : record_shared(x, err);
}

void xdp_obj_close(struct xdp_obj *x, bool failed)
{
	if (failed && x->begun)
		objm_rollback(&x->maps);
	objm_free(&x->maps);
	bpf_object__close(x->obj);
	x->obj = NULL;
	xctl_klog_free(&x->klog);
	xctl_file_free(&x->file);
}

json_t *xdp_obj_loaded_json(const struct xdp_obj *x)
{
	json_t *arr = json_array();
	struct bpf_program *p;

	bpf_object__for_each_program(p, x->obj)
		if (bpf_program__autoload(p))
			json_array_append_new(arr, json_string(bpf_program__name(p)));
	return arr;
}

bool xdp_obj_is_dev_bound(const struct xctl_bpffs *fs, const char *dir, uint32_t prog_id)
{
	struct bpf_prog_info info = {};
	char path[PATH_MAX];
	bool bound;
	int fd;

	if (snprintf(path, sizeof(path), "%s/%s", dir, XDP_OBJ_DEV_BOUND_PIN) >= (int)sizeof(path))
		return false;
	fd = xdp_pin_open_as(fs, path, "bpf-prog", &info, sizeof(info), NULL,
			     "it is not a program", NULL);
	if (fd < 0)
		return false;
	bound = info.id == prog_id;
	close(fd);
	return bound;
}
