// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Control type `netdev`: ifindex -> struct rtnl_link_stats64 as rtnetlink
 * reports it (IFLA_STATS64, the counters `ip -s link` shows), typed by the
 * kernel's own BTF. The value is sized by the kernel's BTF struct: a kernel
 * that sends more than it describes is cut to what is described, one that
 * sends less leaves the rest 0 and marks those members absent.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "xctl_priv.h"
#include "control_type.h"

static int netdev_open(struct xctl_ctl *c, struct xctl_err *err)
{
	struct xctl_nl_devs *s = calloc(1, sizeof(*s));
	int r;

	if (!s)
		return xctl_errf(err, ENOMEM, "cannot open control type 'netdev'");
	r = xctl_nl_devs_get(s, XCTL_NL_DEV_STATS, err);
	if (r) {
		free(s);
		return r;
	}
	c->priv = s;
	return 0;
}

static void netdev_close(struct xctl_ctl *c)
{
	if (c->priv)
		xctl_nl_devs_free(c->priv);
	free(c->priv);
}

static int netdev_get_next(struct xctl_ctl *c, const uint32_t *key, uint32_t *next,
			   struct xctl_err *err)
{
	(void)err;
	return xctl_nl_devs_next(c->priv, key, next);
}

static int netdev_value_type(struct xctl_ctl *c, const uint32_t *key,
			     const struct btf **btf, uint32_t *id, struct xctl_err *err)
{
	(void)c;
	(void)key;
	return xctl_ctl_kstruct("rtnl_link_stats64", btf, id, err);
}

/* Members (by index) that lie beyond the len bytes the kernel sent. */
static uint64_t absent_beyond(const struct btf *btf, uint32_t id, size_t len)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	uint64_t absent = 0;
	int i;

	for (i = 0; i < btf_vlen(t) && i < 64; i++) {
		size_t end = btf_member_bit_offset(t, i) / 8 +
			     btf__resolve_size(btf, btf_members(t)[i].type);

		if (end > len)
			absent |= 1ULL << i;
	}
	return absent;
}

static int netdev_lookup(struct xctl_ctl *c, uint32_t key, struct xctl_ctl_val *v,
			 struct xctl_err *err)
{
	struct xctl_nl_dev *d = xctl_nl_devs_find(c->priv, key);
	size_t size;
	int r;

	if (!d)
		return xctl_ctl_dev_missing(key, err);
	if (!d->stats64) {
		r = xctl_errf(err, ENODATA, "device %s reports no statistics", d->name);
		return r;
	}
	r = netdev_value_type(c, &key, &v->btf, &v->type_id, err);
	if (r)
		return r;
	size = btf__type_by_id(v->btf, v->type_id)->size;
	v->data = calloc(1, size);
	if (!v->data)
		return xctl_errf(err, ENOMEM, "cannot read the statistics of %s", d->name);
	xctl_ctl_copy_value(v->data, size, d->stats64, d->stats64_len);
	v->size = size;
	if (d->stats64_len < size)
		v->absent = absent_beyond(v->btf, v->type_id, d->stats64_len);
	return 0;
}

static void netdev_key_name(struct xctl_ctl *c, uint32_t key, char *buf, size_t len)
{
	struct xctl_nl_dev *d = xctl_nl_devs_find(c->priv, key);

	snprintf(buf, len, "%s", d ? d->name : "");
}

const struct xctl_ctl_ops xctl_ctl_netdev_ops = {
	.info = {
		.name = "netdev",
		.desc = "network devices: the kernel's rtnl_link_stats64 counters",
		.key_name = "ifindex",
		.key_type = "xctl_ifindex_t",
		.value_type = "struct rtnl_link_stats64",
		.ops = XCTL_CTL_OP_GET_NEXT | XCTL_CTL_OP_LOOKUP | XCTL_CTL_OP_PIN,
		.device_key = true,
	},
	.open = netdev_open,
	.close = netdev_close,
	.get_next = netdev_get_next,
	.lookup = netdev_lookup,
	.value_type = netdev_value_type,
	.key_name = netdev_key_name,
};
