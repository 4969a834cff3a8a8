// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Loading an opened struct_ops object (sops_obj.c) and registering its maps:
 * bpf_object__load(), then each selected map's value written by xctl
 * (sops_value.c: never bpf_map__attach_struct_ops(), whose meaning changed
 * in libbpf 1.2), and links created from the map fds. A load the kernel
 * refuses is explained from the errno and the verifier's verdict.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "xctl_priv.h"
#include "compat.h"
#include "sops_priv.h"

/* Legacy maps registered by a failed load are unregistered again. */
static void unregister_legacy(struct xctl_sops_obj *o, size_t n)
{
	uint32_t zero = 0;

	while (n-- > 0)
		bpf_map_delete_elem(bpf_map__fd(o->maps[n].map), &zero);
}

/*
 * The program a selected map of kind sets member to, or NULL. (libbpf
 * closes every program of a failed load, so which one the kernel refused
 * is not in their fds.)
 */
static const char *member_prog(const struct xctl_sops_obj *o, const char *kind,
			       const char *member)
{
	const struct btf_type *t;
	size_t i, j;

	for (i = 0; i < o->sel_cnt; i++) {
		const struct sops_obj_map *m = &o->maps[i];

		t = btf__type_by_id(o->btf, m->type_id);
		if (!t || strcmp(m->kind, kind))
			continue;
		for (j = 0; j < m->slot_cnt; j++)
			if (m->slots[j].member < btf_vlen(t) &&
			    !strcmp(btf__name_by_offset(o->btf,
				    btf_members(t)[m->slots[j].member].name_off), member))
				return m->slots[j].prog;
	}
	return NULL;
}

/*
 * Why the load failed, from the errno and the verifier's verdict in the
 * kernel's log: shown without -d (which shows the whole log).
 */
static void load_fail_why(const struct xctl_sops_obj *o, struct xctl_err *err,
			  int errnum)
{
	char line[256], member[64], kind[64];
	const char *prog = NULL;
	struct bpf_program *p;

	if (errnum == EPERM) {
		xctl_err_hint(err, "loading struct_ops needs CAP_BPF and CAP_SYS_ADMIN "
			      "(run as root)");
		return;
	}
	/* libbpf loads in order and stops at the first program refused */
	bpf_object__for_each_program(p, o->obj) {
		if (bpf_program__autoload(p) && bpf_program__fd(p) < 0) {
			prog = bpf_program__name(p);
			break;
		}
	}
	if (!prog || !xctl_klog_verdict(o->klog.buf, line, sizeof(line)))
		return;
	if (sscanf(line, "attach to unsupported member %63s of struct %63s", member,
		   kind) == 2) {
		xctl_err_why(err, "the kernel does not support member %s of %s (program %s)",
			     member, kind, member_prog(o, kind, member) ?: prog);
		xctl_err_hint(err, "leave %s unset, or leave the maps that set it out "
			      "with 'map NAME'", member);
		return;
	}
	xctl_err_why(err, "the verifier refused program %s: %s", prog, line);
}
/* Every map's kind must be a struct_ops type of the running kernel. */
static int check_kinds(const struct xctl_sops_obj *o, struct xctl_err *err)
{
	char tname[128];
	struct btf *btf;
	size_t i;
	int r;

	btf = xctl_kernel_btf(err);
	if (!btf)
		return -ENOENT;
	for (i = 0; i < o->sel_cnt; i++) {
		snprintf(tname, sizeof(tname), "bpf_struct_ops_%s", o->maps[i].kind);
		if (btf__find_by_name_kind(btf, tname, BTF_KIND_STRUCT) > 0)
			continue;
		r = xctl_errf(err, EOPNOTSUPP, "cannot load struct_ops %s of %s",
			      o->maps[i].name, o->path);
		xctl_err_why(err, "this kernel has no struct_ops type %s", o->maps[i].kind);
		xctl_err_hint(err, "the kernel's struct_ops types are the "
			      "struct bpf_struct_ops_* of /sys/kernel/btf/vmlinux");
		return r;
	}
	return 0;
}

/* Write map i's value: registers a legacy map, makes a link map READY. */
static int write_value(struct xctl_sops_obj *o, size_t i, struct xctl_err *err)
{
	struct sops_obj_map *m = &o->maps[i];
	struct sops_value_src src;
	size_t j;
	int r;

	for (j = 0; j < m->slot_cnt; j++)
		m->slots[j].prog_fd = bpf_program__fd(
			bpf_object__find_program_by_name(o->obj, m->slots[j].prog));
	sops_value_src_of(o, m, &src);
	r = sops_value_write(&src, bpf_map__fd(m->map), o->legacy, err);
	if (r && err && !err->why[0])
		sops_register_why(err, -r, m->kind, m->has_ops_name ? m->ops_name : NULL);
	return r;
}

int xctl_sops_obj_load(struct xctl_sops_obj *o, struct xctl_err *err)
{
	size_t i;
	int r;

	r = xctl_sops_obj_check_selected(o, err) ?: check_kinds(o, err);
	if (r)
		return xctl_ret(r);
	if (bpf_object__load(o->obj)) {
		r = xctl_errf(err, errno, "cannot load object %s", o->path);
		xctl_klog_attach(&o->klog, err);
		load_fail_why(o, err, -r);
		return xctl_ret(r);
	}
	o->loaded = true;
	for (i = 0; i < o->sel_cnt; i++) {
		r = write_value(o, i, err);
		if (r) {
			if (o->legacy)
				unregister_legacy(o, i);
			return xctl_ret(r);
		}
	}
	return 0;
}

int xctl_sops_obj_link_create(const struct xctl_sops_obj *o, size_t i, struct xctl_err *err)
{
	int fd;

	if (i >= o->sel_cnt)
		return xctl_errf(err, EINVAL, "no struct_ops map %zu to register in %s", i,
				 o->path);
	fd = xctl_sops_link_create(bpf_map__fd(o->maps[i].map), err);
	if (fd < 0 && err)	/* name the map and the file, not the kernel's names */
		snprintf(err->what, sizeof(err->what), "cannot register struct_ops %s of %s",
			 o->maps[i].name, o->path);
	return xctl_ret(fd);
}
