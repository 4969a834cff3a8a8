// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Control-map core: the type table, key parsing and formatting, and the
 * map-shaped operations every type shares (lookup copying min(caller size,
 * real size), rendering through the one BTF walker, update refusal for
 * read-only types). Types live in lib/control_<type>.c.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/bpf.h>
#include "xctl_priv.h"
#include "control_type.h"

static const struct xctl_ctl_ops *const ctl_types[] = {
	&xctl_ctl_xdp_ops,
	&xctl_ctl_netdev_ops,
	&xctl_ctl_prog_ops,
	&xctl_ctl_struct_ops_ops,
	&xctl_ctl_ethtool_ops,
};

#define CTL_TYPE_CNT (sizeof(ctl_types) / sizeof(ctl_types[0]))

size_t xctl_ctl_type_cnt(void)
{
	return CTL_TYPE_CNT;
}

const struct xctl_ctl_type_info *xctl_ctl_type_at(size_t i)
{
	return i < CTL_TYPE_CNT ? &ctl_types[i]->info : NULL;
}

static const struct xctl_ctl_ops *find_ops(const char *name, int *errp)
{
	const char *words[CTL_TYPE_CNT + 1];
	size_t i;
	int idx;

	for (i = 0; i < CTL_TYPE_CNT; i++)
		words[i] = ctl_types[i]->info.name;
	words[i] = NULL;
	idx = xctl_keyword_index(name, words);
	if (errp)
		*errp = idx == -2 ? -EINVAL : idx < 0 ? -ENOENT : 0;
	return idx >= 0 ? ctl_types[idx] : NULL;
}

const struct xctl_ctl_type_info *xctl_ctl_type_find(const char *name, int *errp)
{
	const struct xctl_ctl_ops *ops = find_ops(name, errp);

	return ops ? &ops->info : NULL;
}

static void type_list(char *buf, size_t len)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < CTL_TYPE_CNT; i++)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", i ? ", " : "",
			 ctl_types[i]->info.name);
}

/* Key types are typedefs of __u32 named after what they hold. */
static int add_key_type(struct xctl_ctl *c, struct xctl_err *err)
{
	int u32, id;

	u32 = btf__add_int(c->btf, "unsigned int", 4, 0);
	if (u32 > 0)
		u32 = btf__add_typedef(c->btf, "__u32", u32);
	id = u32 > 0 ? btf__add_typedef(c->btf, c->ops->info.key_type, u32) : u32;
	if (id < 0)
		return xctl_errf(err, id, "cannot build the key BTF of control type '%s'",
				 c->ops->info.name);
	c->key_type_id = id;
	return 0;
}

int xctl_ctl_open(const char *type, struct xctl_ctl **out, struct xctl_err *err)
{
	return xctl_ret(xctl_ctl_open_ext(type, NULL, out, err));
}

static void ctl_free(struct xctl_ctl *c)
{
	btf__free(c->btf);
	free(c->bpffs_dir);
	free(c);
}

int xctl_ctl_open_ext(const char *type, const struct xctl_ctl_opts *opts,
		      struct xctl_ctl **out, struct xctl_err *err)
{
	const char *dir = XCTL_OPT(opts, bpffs_dir, NULL);
	const struct xctl_ctl_ops *ops;
	struct xctl_ctl *c;
	char names[256];
	int r;

	r = XCTL_OPTS_CHECK(opts, xctl_ctl_opts, err);
	if (r)
		return xctl_ret(r);
	ops = find_ops(type, &r);
	if (!ops) {
		type_list(names, sizeof(names));
		r = xctl_errf(err, r == -EINVAL ? EINVAL : ENOENT,
			      "%s control type '%s'", r == -EINVAL ? "ambiguous" : "unknown",
			      type);
		xctl_err_why(err, "known types: %s", names);
		xctl_err_hint_code(err, XCTL_HINT_CONTROL_TYPES, NULL, NULL,
				   "xctl_ctl_type_at() lists them");
		return xctl_ret(r);
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return xctl_errf(err, ENOMEM, "cannot open control type '%s'", ops->info.name);
	c->ops = ops;
	c->no_mount = XCTL_OPT(opts, no_mount, false);
	c->bpffs_dir = dir ? strdup(dir) : NULL;
	c->btf = btf__new_empty();
	if (!c->btf || (dir && !c->bpffs_dir)) {
		r = xctl_errf(err, c->btf ? ENOMEM : errno, "cannot open control type '%s'",
			      ops->info.name);
		ctl_free(c);
		return xctl_ret(r);
	}
	r = add_key_type(c, err);
	if (!r && ops->open)
		r = ops->open(c, err);
	if (r) {
		ctl_free(c);
		return xctl_ret(r);
	}
	*out = c;
	return 0;
}

void xctl_ctl_close(struct xctl_ctl *c)
{
	if (!c)
		return;
	if (c->ops->close)
		c->ops->close(c);
	ctl_free(c);
}

const struct xctl_ctl_type_info *xctl_ctl_info(const struct xctl_ctl *c)
{
	return &c->ops->info;
}

int xctl_ctl_resolve(struct xctl_ctl *c, const char *kw, const char *arg, uint32_t *key,
		     struct xctl_err *err)
{
	int r;

	if (c->ops->info.device_key || !c->ops->resolve) {
		r = xctl_errf(err, EINVAL, "%s keys are not resolved by %s",
			      c->ops->info.name, kw);
		return r;
	}
	return c->ops->resolve(c, kw, arg, key, err);
}

int xctl_ctl_key_name(struct xctl_ctl *c, const void *key, char *buf, size_t len)
{
	uint32_t k;

	if (!len)
		return xctl_ret(-EINVAL);
	buf[0] = '\0';
	memcpy(&k, key, sizeof(k));
	if (c->ops->key_name)
		c->ops->key_name(c, k, buf, len);
	return 0;
}

int xctl_ctl_get_next_key(struct xctl_ctl *c, const void *key, void *next_key,
			  struct xctl_err *err)
{
	uint32_t k, next;
	int r;

	if (key)
		memcpy(&k, key, sizeof(k));
	r = c->ops->get_next(c, key ? &k : NULL, &next, err);
	if (r == -ENOENT && key) {
		r = xctl_errf(err, ENOENT, "no %s key after %s %u", c->ops->info.name,
			      c->ops->info.key_name, k);
		xctl_err_why(err, "it is the last key");
	} else if (r == -ENOENT) {
		r = xctl_errf(err, ENOENT, "control type '%s' has no keys", c->ops->info.name);
	}
	if (!r)
		memcpy(next_key, &next, sizeof(next));
	return xctl_ret(r);
}

size_t xctl_ctl_copy_value(void *dst, size_t dst_sz, const void *src, size_t src_sz)
{
	size_t n = dst_sz < src_sz ? dst_sz : src_sz;

	if (!dst)
		return 0;
	memcpy(dst, src, n);
	if (dst_sz > n)
		memset((char *)dst + n, 0, dst_sz - n);
	return n;
}

static int do_lookup(struct xctl_ctl *c, const void *key, struct xctl_ctl_val *v,
		     struct xctl_err *err)
{
	uint32_t k;

	memcpy(&k, key, sizeof(k));
	memset(v, 0, sizeof(*v));
	return c->ops->lookup(c, k, v, err);
}

int xctl_ctl_lookup(struct xctl_ctl *c, const void *key,
		    struct xctl_ctl_lookup_opts *opts, struct xctl_err *err)
{
	struct xctl_ctl_val v;
	int r;

	r = XCTL_OPTS_CHECK(opts, xctl_ctl_lookup_opts, err) ?:
	    do_lookup(c, key, &v, err);
	if (r)
		return xctl_ret(r);
	if (XCTL_OPT_HAS(opts, value_sz) && opts->value)
		xctl_ctl_copy_value(opts->value, opts->value_sz, v.data, v.size);
	if (XCTL_OPT_HAS(opts, size))
		opts->size = v.size;
	if (XCTL_OPT_HAS(opts, btf))
		opts->btf = v.btf;
	if (XCTL_OPT_HAS(opts, type_id))
		opts->type_id = v.type_id;
	if (XCTL_OPT_HAS(opts, absent))
		opts->absent = v.absent;
	if (XCTL_OPT_HAS(opts, dump_flags))
		opts->dump_flags = v.dump_flags;
	free(v.data);
	return 0;
}

static int apply_assignments(const struct btf *btf, uint32_t id, void *buf, size_t size,
			     const char *const *assign, size_t n, struct xctl_err *err)
{
	char path[256];
	const char *eq;
	size_t i;
	int r;

	for (i = 0; i < n; i++) {
		eq = strchr(assign[i], '=');
		if (!eq || eq == assign[i] || (size_t)(eq - assign[i]) >= sizeof(path)) {
			r = xctl_errf(err, EINVAL, "invalid assignment '%s'", assign[i]);
			xctl_err_why(err, "expected FIELD=VALUE");
			return r;
		}
		memcpy(path, assign[i], eq - assign[i]);
		path[eq - assign[i]] = '\0';
		r = xctl_btf_set_member(btf, id, buf, size, path, eq + 1, err);
		if (r)
			return r;
	}
	return 0;
}

int xctl_ctl_update(struct xctl_ctl *c, const void *key,
		    const char *const *assign, size_t n, json_t **report,
		    struct xctl_err *err)
{
	const struct btf *btf;
	uint32_t k, id;
	size_t size;
	void *buf;
	int r;

	if (!(c->ops->info.ops & XCTL_CTL_OP_UPDATE) || !c->ops->update) {
		r = xctl_errf(err, EOPNOTSUPP, "control type '%s' is read-only",
			      c->ops->info.name);
		xctl_err_why(err, "its values can be read, not changed");
		return xctl_ret(r);
	}
	if (!n)
		return xctl_errf(err, EINVAL, "nothing to update: give FIELD=VALUE");
	r = c->ops->update_type(c, &btf, &id, err);
	if (r)
		return xctl_ret(r);
	r = btf__resolve_size(btf, id);
	if (r <= 0)
		return xctl_errf(err, r ? r : EINVAL, "cannot size the update type of '%s'",
				 c->ops->info.name);
	size = r;
	buf = calloc(1, size);
	if (!buf)
		return xctl_errf(err, ENOMEM, "cannot update '%s'", c->ops->info.name);
	memcpy(&k, key, sizeof(k));
	r = apply_assignments(btf, id, buf, size, assign, n, err);
	if (!r)
		r = c->ops->update(c, k, buf, size, report, err);
	free(buf);
	return xctl_ret(r);
}

int xctl_ctl_btf(struct xctl_ctl *c, const void *key, struct xctl_ctl_btf *out,
		 struct xctl_err *err)
{
	uint32_t k;
	int r;

	if (key)
		memcpy(&k, key, sizeof(k));
	if (!key && c->ops->info.per_key_type) {
		r = xctl_errf(err, EINVAL, "control type '%s' has a value type per key",
			      c->ops->info.name);
		xctl_err_hint_code(err, XCTL_HINT_CONTROL_BTF_KEY, c->ops->info.name, NULL,
				   "give a key of '%s'", c->ops->info.name);
		return xctl_ret(r);
	}
	r = c->ops->value_type(c, key ? &k : NULL, &out->value_btf, &out->value_type_id,
			       err);
	if (r)
		return xctl_ret(r);
	out->key_btf = c->btf;
	out->key_type_id = c->key_type_id;
	out->update_btf = NULL;
	out->update_type_id = 0;
	if (c->ops->update_type)
		return xctl_ret(c->ops->update_type(c, &out->update_btf, &out->update_type_id, err));
	return 0;
}

int xctl_ctl_dev_missing(uint32_t ifindex, struct xctl_err *err)
{
	int r = xctl_errf(err, ENODEV, "no device with ifindex %u", ifindex);

	xctl_err_hint(err, "list devices with 'ip link'");
	return r;
}
