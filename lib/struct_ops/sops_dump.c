// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `xctl struct_ops dump`: a struct_ops map's value (struct
 * bpf_struct_ops_<kind>) rendered through the kernel's BTF, function
 * pointers as the programs they hold.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include "xctl_priv.h"
#include "sops_priv.h"

int xctl_sops_value_json(uint32_t map_id, json_t **out, struct xctl_err *err)
{
	XCTL_OPTS(xctl_btf_dump_opts, dopts, .flags = XCTL_BTF_FPTR_PROG);
	struct bpf_map_info info = {};
	uint32_t len = sizeof(info), zero = 0;
	struct btf *btf;
	void *v = NULL;
	int fd, r;

	*out = NULL;
	btf = xctl_kernel_btf(err);
	if (!btf)
		return -ENOENT;
	fd = bpf_map_get_fd_by_id(map_id);
	if (fd < 0)
		return xctl_errf(err, errno, "cannot open struct_ops map id %u", map_id);
	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		r = xctl_errf(err, errno, "cannot read struct_ops map id %u", map_id);
		goto out;
	}
	v = calloc(1, info.value_size ? info.value_size : 1);
	if (!v) {
		r = xctl_errf(err, ENOMEM, "cannot read struct_ops map id %u", map_id);
		goto out;
	}
	if (bpf_map_lookup_elem(fd, &zero, v)) {
		r = xctl_errf(err, errno, "cannot read the value of struct_ops map id %u",
			      map_id);
		goto out;
	}
	r = xctl_btf_to_json(btf, info.btf_vmlinux_value_type_id, v, info.value_size,
			     &dopts, out, err);
out:
	free(v);
	close(fd);
	return r;
}
