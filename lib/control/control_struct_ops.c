// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Control type `struct_ops`: struct_ops map id -> the map's value,
 * struct bpf_struct_ops_<kind> { common; data }, typed by the BTF the kernel
 * names in the map's info (btf_vmlinux_value_type_id, in vmlinux or, on
 * kernels that report btf_vmlinux_id, in a module's BTF). The value type
 * therefore differs per key. Function-pointer members hold program ids.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include "xctl_priv.h"
#include "control_type.h"

#define MAX_MOD_BTF 16

/* Module BTFs loaded for value types that do not live in vmlinux. */
struct sops_priv {
	uint32_t mod_id[MAX_MOD_BTF];
	struct btf *mod_btf[MAX_MOD_BTF];
	size_t mod_cnt;
};

static int sops_open(struct xctl_ctl *c, struct xctl_err *err)
{
	c->priv = calloc(1, sizeof(struct sops_priv));
	if (!c->priv)
		return xctl_errf(err, ENOMEM, "cannot open control type 'struct_ops'");
	return 0;
}

static void sops_close(struct xctl_ctl *c)
{
	struct sops_priv *p = c->priv;
	size_t i;

	for (i = 0; p && i < p->mod_cnt; i++)
		btf__free(p->mod_btf[i]);
	free(p);
}

static uint32_t info_u32(const void *info, size_t size, const char *member)
{
	size_t msz = 0;
	int off = xctl_ctl_kmember_off("bpf_map_info", member, &msz);
	uint32_t v;

	if (off < 0 || msz != sizeof(v) || off + msz > size)
		return 0;
	memcpy(&v, (const char *)info + off, sizeof(v));
	return v;
}

/* The BTF a value type id refers to: vmlinux, or the module BTF btf_id. */
static const struct btf *value_btf(struct xctl_ctl *c, uint32_t btf_id,
				   struct xctl_err *err)
{
	struct sops_priv *p = c->priv;
	struct btf *vmlinux = xctl_kernel_btf(err), *mod;
	struct bpf_btf_info info = {};
	char name[64] = "";
	__u32 len = sizeof(info);
	size_t i;
	int fd;

	if (!vmlinux || !btf_id)
		return vmlinux;
	for (i = 0; i < p->mod_cnt; i++)
		if (p->mod_id[i] == btf_id)
			return p->mod_btf[i];
	fd = bpf_btf_get_fd_by_id(btf_id);
	if (fd < 0) {
		xctl_errf(err, errno, "cannot open kernel BTF id %u", btf_id);
		return NULL;
	}
	info.name = (__u64)(unsigned long)name;
	info.name_len = sizeof(name);
	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		xctl_errf(err, errno, "cannot read kernel BTF id %u", btf_id);
		close(fd);
		return NULL;
	}
	close(fd);
	if (!strcmp(name, "vmlinux"))
		return vmlinux;
	if (p->mod_cnt == MAX_MOD_BTF) {
		xctl_errf(err, E2BIG, "too many module BTFs for struct_ops values");
		return NULL;
	}
	mod = btf__load_from_kernel_by_id_split(btf_id, vmlinux);
	if (!mod) {
		xctl_errf(err, errno, "cannot load BTF of kernel module '%s'", name);
		return NULL;
	}
	p->mod_id[p->mod_cnt] = btf_id;
	p->mod_btf[p->mod_cnt++] = mod;
	return mod;
}

/* Open map key, read its info and resolve its value type. */
static int sops_map(struct xctl_ctl *c, uint32_t key, int *fdp, uint32_t *value_size,
		    const struct btf **btf, uint32_t *type_id, struct xctl_err *err)
{
	void *info = NULL;
	size_t size;
	int fd, r;

	fd = xctl_ctl_obj_fd(XCTL_CTL_OBJ_MAP, key, err);
	if (fd < 0)
		return fd;
	r = xctl_ctl_obj_info(fd, "bpf_map_info", &info, &size, err);
	if (r < 0)
		goto fail;
	if (info_u32(info, size, "type") != BPF_MAP_TYPE_STRUCT_OPS) {
		r = xctl_errf(err, ENOENT, "BPF map id %u is not a struct_ops map", key);
		goto fail;
	}
	*value_size = info_u32(info, size, "value_size");
	*type_id = info_u32(info, size, "btf_vmlinux_value_type_id");
	*btf = value_btf(c, info_u32(info, size, "btf_vmlinux_id"), err);
	if (!*btf) {
		r = -ENOENT;
		goto fail;
	}
	free(info);
	if (fdp)
		*fdp = fd;
	else
		close(fd);
	return 0;
fail:
	free(info);
	close(fd);
	return r;
}

static int sops_get_next(struct xctl_ctl *c, const uint32_t *key, uint32_t *next,
			 struct xctl_err *err)
{
	(void)c;
	return xctl_ctl_obj_next(XCTL_CTL_OBJ_MAP, BPF_MAP_TYPE_STRUCT_OPS, key, next, err);
}

static int sops_lookup(struct xctl_ctl *c, uint32_t key, struct xctl_ctl_val *v,
		       struct xctl_err *err)
{
	uint32_t zero = 0, size;
	int fd, r;

	r = sops_map(c, key, &fd, &size, &v->btf, &v->type_id, err);
	if (r)
		return r;
	v->data = calloc(1, size ? size : 1);
	if (!v->data) {
		close(fd);
		return xctl_errf(err, ENOMEM, "cannot read struct_ops map id %u", key);
	}
	if (bpf_map_lookup_elem(fd, &zero, v->data)) {
		r = xctl_errf(err, errno, "cannot read the value of struct_ops map id %u", key);
		free(v->data);
		v->data = NULL;
		close(fd);
		return r;
	}
	close(fd);
	v->size = size;
	v->dump_flags = XCTL_BTF_FPTR_PROG;
	return 0;
}

static int sops_value_type(struct xctl_ctl *c, const uint32_t *key,
			   const struct btf **btf, uint32_t *id, struct xctl_err *err)
{
	uint32_t size;

	return sops_map(c, *key, NULL, &size, btf, id, err);
}

static void sops_key_name(struct xctl_ctl *c, uint32_t key, char *buf, size_t len)
{
	(void)c;
	xctl_ctl_obj_name(XCTL_CTL_OBJ_MAP, key, buf, len);
}

static int sops_resolve(struct xctl_ctl *c, const char *kw, const char *arg,
			uint32_t *key, struct xctl_err *err)
{
	(void)c;
	return xctl_ctl_obj_resolve(XCTL_CTL_OBJ_MAP, BPF_MAP_TYPE_STRUCT_OPS, kw, arg,
				    key, err);
}

const struct xctl_ctl_ops xctl_ctl_struct_ops_ops = {
	.info = {
		.name = "struct_ops",
		.desc = "struct_ops maps: the registered value, programs by id",
		.key_name = "id",
		.key_type = "xctl_map_id_t",
		.value_type = "struct bpf_struct_ops_<kind>",
		.ops = XCTL_CTL_OP_GET_NEXT | XCTL_CTL_OP_LOOKUP | XCTL_CTL_OP_PIN,
		.per_key_type = true,
	},
	.open = sops_open,
	.close = sops_close,
	.get_next = sops_get_next,
	.lookup = sops_lookup,
	.value_type = sops_value_type,
	.key_name = sops_key_name,
	.resolve = sops_resolve,
};
