// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Control type `prog`: program id -> struct bpf_prog_info, typed by the
 * kernel's BTF. The info is fetched with the size the running kernel gives
 * the struct (bigger than our 6.1 headers'), so newer fields such as
 * verified_insns or attach_btf_obj_id print without a rebuild. Pointer
 * fields are left 0: the kernel then fills only the counts (nr_map_ids, ...),
 * and they are absent (null in JSON). xctl_prog_type_name() names the type as
 * bpftool does; the CLI prints the tag as the hex string bpftool prints.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "xctl_priv.h"
#include "control_type.h"

static int prog_get_next(struct xctl_ctl *c, const uint32_t *key, uint32_t *next,
			 struct xctl_err *err)
{
	(void)c;
	return xctl_ctl_obj_next(XCTL_CTL_OBJ_PROG, 0, key, next, err);
}

/* Members of bpf_prog_info that are user-space pointers for the kernel to fill. */
static const char *const prog_info_pointers[] = {
	"jited_prog_insns", "xlated_prog_insns", "map_ids", "jited_ksyms",
	"jited_func_lens", "func_info", "line_info", "jited_line_info", "prog_tags",
};

/* The absent mask of the pointer members (the kernel fills none: null). */
static uint64_t pointer_members(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t = btf ? btf__type_by_id(btf, id) : NULL;
	const struct btf_member *m;
	uint64_t mask = 0;
	size_t i, k;

	if (!t || !btf_is_composite(t))
		return 0;
	m = btf_members(t);
	for (i = 0; i < btf_vlen(t) && i < 64; i++, m++)
		for (k = 0; k < sizeof(prog_info_pointers) / sizeof(prog_info_pointers[0]); k++)
			if (!strcmp(btf__name_by_offset(btf, m->name_off) ?: "",
				    prog_info_pointers[k]))
				mask |= 1ULL << i;
	return mask;
}

static int prog_lookup(struct xctl_ctl *c, uint32_t key, struct xctl_ctl_val *v,
		       struct xctl_err *err)
{
	int fd, id;

	(void)c;
	fd = xctl_ctl_obj_fd(XCTL_CTL_OBJ_PROG, key, err);
	if (fd < 0)
		return fd;
	id = xctl_ctl_obj_info(fd, "bpf_prog_info", &v->data, &v->size, err);
	close(fd);
	if (id < 0)
		return id;
	v->btf = xctl_kernel_btf(err);
	v->type_id = id;
	v->absent = pointer_members(v->btf, id);
	return 0;
}

static int prog_value_type(struct xctl_ctl *c, const uint32_t *key,
			   const struct btf **btf, uint32_t *id, struct xctl_err *err)
{
	(void)c;
	(void)key;
	return xctl_ctl_kstruct("bpf_prog_info", btf, id, err);
}

static void prog_key_name(struct xctl_ctl *c, uint32_t key, char *buf, size_t len)
{
	(void)c;
	xctl_ctl_obj_name(XCTL_CTL_OBJ_PROG, key, buf, len);
}

static int prog_resolve(struct xctl_ctl *c, const char *kw, const char *arg,
			uint32_t *key, struct xctl_err *err)
{
	(void)c;
	return xctl_ctl_obj_resolve(XCTL_CTL_OBJ_PROG, 0, kw, arg, key, err);
}

const struct xctl_ctl_ops xctl_ctl_prog_ops = {
	.info = {
		.name = "prog",
		.desc = "BPF programs: the kernel's bpf_prog_info of each program",
		.key_name = "id",
		.key_type = "xctl_prog_id_t",
		.value_type = "struct bpf_prog_info",
		.ops = XCTL_CTL_OP_GET_NEXT | XCTL_CTL_OP_LOOKUP | XCTL_CTL_OP_PIN,
	},
	.get_next = prog_get_next,
	.lookup = prog_lookup,
	.value_type = prog_value_type,
	.key_name = prog_key_name,
	.resolve = prog_resolve,
};
