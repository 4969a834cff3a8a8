// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The one bpf_prog_info reader (lib/core/prog.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <bpf/btf.h>
#include "prog.h"

/*
 * The name of the program's main function in its BTF, if the kernel's
 * truncated name is the start of it; else keep what the kernel has.
 */
static void full_name(int fd, const struct bpf_prog_info *info, struct xctl_prog *p)
{
	struct bpf_func_info finfo = {};
	struct bpf_prog_info fi = {};
	uint32_t len = sizeof(fi);
	const struct btf_type *t;
	const char *name = NULL;
	struct btf *btf;

	if (strlen(info->name) < BPF_OBJ_NAME_LEN - 1 || !info->btf_id ||
	    !info->nr_func_info)
		return;
	fi.nr_func_info = 1;
	fi.func_info_rec_size = sizeof(finfo);
	fi.func_info = (uint64_t)(uintptr_t)&finfo;
	if (bpf_obj_get_info_by_fd(fd, &fi, &len) || fi.func_info_rec_size != sizeof(finfo))
		return;
	btf = btf__load_from_kernel_by_id(info->btf_id);
	if (!btf)
		return;
	t = btf__type_by_id(btf, finfo.type_id);
	if (t && btf_is_func(t))
		name = btf__str_by_offset(btf, t->name_off);
	if (name && !strncmp(name, info->name, strlen(info->name)))
		snprintf(p->name, sizeof(p->name), "%s", name);
	btf__free(btf);
}

int xctl_prog_read(uint32_t id, struct xctl_prog *p)
{
	struct bpf_prog_info info = {};
	uint32_t len = sizeof(info);
	int fd, i, r = 0;

	memset(p, 0, sizeof(*p));
	p->id = id;
	fd = bpf_prog_get_fd_by_id(id);
	if (fd < 0)
		return -errno;
	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		r = -errno;
		goto out;
	}
	p->type = info.type;
	snprintf(p->name, sizeof(p->name), "%s", info.name);
	for (i = 0; i < BPF_TAG_SIZE; i++)
		snprintf(p->tag + 2 * i, 3, "%02x", info.tag[i]);
	p->run_cnt = info.run_cnt;
	p->run_time_ns = info.run_time_ns;
	full_name(fd, &info, p);
out:
	close(fd);
	return r;
}

json_t *xctl_prog_json(uint32_t id, bool stats)
{
	struct xctl_prog p;
	bool ok = !xctl_prog_read(id, &p);

	return json_pack("{s:I, s:o, s:o, s:o, s:o}", "id", (json_int_t)id,
			 "name", ok ? json_string(p.name) : json_null(),
			 "tag", ok ? json_string(p.tag) : json_null(),
			 "run_cnt", ok && stats ? json_integer((json_int_t)p.run_cnt) : json_null(),
			 "run_time_ns", ok && stats ? json_integer((json_int_t)p.run_time_ns)
						    : json_null());
}

const char *xctl_prog_type_name(uint32_t type)
{
	return libbpf_bpf_prog_type_str((enum bpf_prog_type)type);
}
