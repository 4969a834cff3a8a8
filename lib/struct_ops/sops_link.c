// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * struct_ops links (kernel 6.4+): a BPF_STRUCT_OPS link registers a READY
 * BPF_F_LINK map and the registration lives exactly as long as the link.
 * libbpf 1.1's bpf_link_create/bpf_link_update/bpf_link_detach pass the
 * attributes through unchanged, so the raw commands work with it:
 *   create  prog_fd slot = map fd, attach type BPF_STRUCT_OPS
 *   update  new_prog_fd slot = new map fd, old_prog_fd slot = old map fd
 *           with BPF_F_REPLACE (the kernel's new_map_fd/old_map_fd)
 *   detach  BPF_LINK_DETACH (struct_ops links since 6.11)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "xctl_priv.h"
#include "compat.h"
#include "core_priv.h"
#include "sops_priv.h"

void sops_register_why(struct xctl_err *err, int errnum, const char *kind,
		       const char *ops_name)
{
	switch (errnum) {
	case EEXIST:
		if (ops_name && *ops_name)
			xctl_err_why(err, "the kernel already has a %s named '%s'",
				     kind ? kind : "struct_ops", ops_name);
		else
			xctl_err_why(err, "the kernel already has one of this name");
		xctl_err_hint(err, "choose another name, or unregister the other one first");
		break;
	case EPERM:
		xctl_err_hint(err, "registering struct_ops needs CAP_BPF and "
			      "CAP_SYS_ADMIN (run as root)");
		break;
	case EOPNOTSUPP:
		if (kind)
			xctl_err_why(err, "the kernel does not register %s struct_ops (%s)",
				     kind, xctl_strerror(errnum));
		else
			xctl_err_why(err, "the kernel refuses to register it (%s)",
				     xctl_strerror(errnum));
		break;
	}
}

int xctl_sops_link_create(int map_fd, struct xctl_err *err)
{
	struct bpf_map_info info = {};
	uint32_t len = sizeof(info);
	int fd, e;

	fd = bpf_link_create(map_fd, 0, BPF_STRUCT_OPS, NULL);
	if (fd >= 0)
		return xctl_ret(fd);
	e = errno;
	if (bpf_obj_get_info_by_fd(map_fd, &info, &len))
		info.name[0] = '\0';
	xctl_errf(err, e, "cannot register struct_ops %s", info.name);
	if (e == EINVAL && !xctl_features()->sops_link) {
		xctl_err_why(err, "this kernel has no link-based struct_ops");
		xctl_err_hint(err, "Linux 6.4 or later is needed; register it the legacy way");
	} else if (e == EEXIST) {
		struct xctl_sops_map m = {
			.btf_vmlinux_value_type_id = info.btf_vmlinux_value_type_id,
		};

		sops_decode_value(&m, map_fd, info.value_size);
		sops_register_why(err, e, *m.kind ? m.kind : NULL,
				  m.has_ops_name ? m.ops_name : NULL);
	} else {
		sops_register_why(err, e, NULL, NULL);
	}
	return xctl_ret(-e);
}

int xctl_sops_link_update(int link_fd, int new_map_fd, int old_map_fd,
			  struct xctl_err *err)
{
	LIBBPF_OPTS(bpf_link_update_opts, opts);
	int e;

	if (old_map_fd >= 0) {
		opts.flags = BPF_F_REPLACE;
		opts.old_prog_fd = old_map_fd;
	}
	if (!bpf_link_update(link_fd, new_map_fd, &opts))
		return 0;
	e = errno;
	xctl_errf(err, e, "cannot replace the struct_ops of a link");
	switch (e) {
	case EOPNOTSUPP:
		xctl_err_why(err, "this struct_ops kind cannot be replaced in place");
		xctl_err_hint(err, "unregister it and register the new one");
		break;
	case EPERM:
		if (old_map_fd >= 0 && !xctl_missing_caps(NULL, 0)) {
			xctl_err_why(err, "the link no longer runs the struct_ops this "
				     "command read: another change replaced it meanwhile");
			xctl_err_hint(err, "look at the current state and run the command again");
		} else {
			xctl_err_why(err, "CAP_BPF and CAP_SYS_ADMIN are needed");
			xctl_err_hint(err, "run as root");
		}
		break;
	case EINVAL:
		xctl_err_why(err, "the new map is of another kind, not READY, or "
			     "its ops name differs (tcp congestion controls keep their name)");
		break;
	}
	return xctl_ret(-e);
}

int xctl_sops_link_detach(int link_fd, struct xctl_err *err)
{
	int e;

	if (!bpf_link_detach(link_fd))
		return 0;
	e = errno;
	if (e == EINVAL || e == EOPNOTSUPP) {
		xctl_errf(err, EOPNOTSUPP, "cannot detach the struct_ops link");
		xctl_err_why(err, "this kernel cannot detach struct_ops links "
			     "(Linux 6.11 or later can)");
		return xctl_ret(-EOPNOTSUPP);
	}
	return xctl_errf(err, e, "cannot detach the struct_ops link");
}

/*
 * BPF_OBJ_GET_INFO_BY_FD answers for maps and programs too, with their own
 * info layout, so the fd's file tells whether it is a link (when /proc says).
 */
static bool not_a_link(int fd)
{
	char proc[64], target[64];
	ssize_t n;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, target, sizeof(target) - 1);
	if (n < 0)
		return false;
	target[n] = '\0';
	return strcmp(target, "anon_inode:bpf-link") && strcmp(target, "anon_inode:bpf_link");
}

int xctl_sops_link_map_id(int link_fd, uint32_t *map_id, uint32_t *link_id)
{
	struct xctl_link_info info = {};
	uint32_t len = sizeof(info);

	if (not_a_link(link_fd))
		return xctl_ret(-EINVAL);
	if (bpf_obj_get_info_by_fd(link_fd, &info, &len))
		return xctl_ret(-errno);
	if (info.type != BPF_LINK_TYPE_STRUCT_OPS)
		return xctl_ret(-EINVAL);
	if (map_id)
		*map_id = info.struct_ops.map_id;
	if (link_id)
		*link_id = info.id;
	return 0;
}
