// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `xdp features`: XDP, XDP metadata and AF_XDP features of every device from
 * one dump of the `netdev` generic netlink family (dev-get).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include "xctl_priv.h"
#include "compat.h"
#include "control_type.h"
#include "xdp_priv.h"

struct bitname {
	uint64_t bit;
	const char *name;
};

/* include/uapi/linux/netdev.h, names as the netdev YAML spec gives them. */
static const struct bitname xdp_act[] = {
	{ 1ULL << 0, "basic" },
	{ 1ULL << 1, "redirect" },
	{ 1ULL << 2, "ndo-xmit" },
	{ 1ULL << 3, "xsk-zerocopy" },
	{ 1ULL << 4, "hw-offload" },
	{ 1ULL << 5, "rx-sg" },
	{ 1ULL << 6, "ndo-xmit-sg" },
	{ 0 }
};

static const struct bitname rx_md[] = {
	{ 1ULL << 0, "timestamp" },
	{ 1ULL << 1, "hash" },
	{ 1ULL << 2, "vlan-tag" },
	{ 0 }
};

static const struct bitname xsk[] = {
	{ 1ULL << 0, "tx-timestamp" },
	{ 1ULL << 1, "tx-checksum" },
	{ 1ULL << 2, "tx-launch-time-fifo" },
	{ 0 }
};

/* Names of the set bits; bits without a name as "bit-N". */
static json_t *flags_json(uint64_t v, const struct bitname *names)
{
	json_t *a = json_array();
	char buf[16];
	int b;

	for (b = 0; b < 64; b++) {
		const struct bitname *n;

		if (!(v & (1ULL << b)))
			continue;
		for (n = names; n->name && n->bit != (1ULL << b); n++)
			;
		if (!n->name)
			snprintf(buf, sizeof(buf), "bit-%d", b);
		json_array_append_new(a, json_string(n->name ? n->name : buf));
	}
	return a;
}

struct feat {
	uint32_t ifindex;
	uint64_t xdp, rx_md, xsk;
	uint32_t zc_max_segs;
	bool has_xdp, has_rx_md, has_xsk, has_zc;
};

struct feats {
	struct feat *f;
	size_t n, cap;
	int err;
};

static int feat_attr_cb(const struct nlattr *a, void *data)
{
	struct feat *f = data;

	switch (mnl_attr_get_type(a)) {
	case XCTL_NETDEV_A_DEV_IFINDEX:
		f->ifindex = mnl_attr_get_u32(a);
		break;
	case XCTL_NETDEV_A_DEV_XDP_FEATURES:
		f->xdp = mnl_attr_get_u64(a);
		f->has_xdp = true;
		break;
	case XCTL_NETDEV_A_DEV_XDP_ZC_MAX_SEGS:
		f->zc_max_segs = mnl_attr_get_u32(a);
		f->has_zc = true;
		break;
	case XCTL_NETDEV_A_DEV_XDP_RX_METADATA_FEATURES:
		f->rx_md = mnl_attr_get_u64(a);
		f->has_rx_md = true;
		break;
	case XCTL_NETDEV_A_DEV_XSK_FEATURES:
		f->xsk = mnl_attr_get_u64(a);
		f->has_xsk = true;
		break;
	}
	return MNL_CB_OK;
}

static int feat_cb(const struct nlmsghdr *nlh, void *data)
{
	struct feats *s = data;
	struct feat f = {};

	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), feat_attr_cb, &f);
	if (!f.ifindex)
		return MNL_CB_OK;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		void *p = realloc(s->f, cap * sizeof(*s->f));

		if (!p) {
			s->err = -ENOMEM;
			return MNL_CB_ERROR;
		}
		s->f = p;
		s->cap = cap;
	}
	s->f[s->n++] = f;
	return MNL_CB_OK;
}

static int netdev_dump(struct feats *s, struct xctl_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct xgenl g;
	int r;

	r = xgenl_open(&g, XCTL_NETDEV_GENL_NAME, NULL);
	if (r) {
		xctl_errf(err, r, "cannot read XDP features");
		xctl_err_why(err, "this kernel has no 'netdev' generic netlink family");
		xctl_err_hint(err, "XDP features are reported by Linux 6.3 and later");
		return r;
	}
	nlh = xgenl_msg(buf, g.family, XCTL_NETDEV_CMD_DEV_GET, NLM_F_DUMP);
	r = xgenl_talk(&g, nlh, feat_cb, s);
	xgenl_close(&g);
	if (s->err)
		r = s->err;
	if (r)
		return xctl_errf(err, r, "cannot dump the netdev generic netlink family");
	return 0;
}

int xctl_xdp_features(const struct xctl_xdp_query *q, json_t **out,
		      struct xctl_err *err)
{
	struct xctl_ctl_devs devs = {};
	struct feats s = {};
	json_t *arr = NULL;
	size_t i, j;
	int r;

	r = xctl_ctl_devs_get(&devs, err);
	if (r)
		return r;
	r = netdev_dump(&s, err);
	if (r)
		goto out;
	for (j = 0; j < q->dev_cnt; j++) {
		for (i = 0; i < devs.cnt && strcmp(devs.dev[i].name, q->devs[j]); i++)
			;
		if (i == devs.cnt) {
			r = xctl_errf(err, ENODEV, "no device named '%s'", q->devs[j]);
			goto out;
		}
	}
	arr = json_array();
	for (i = 0; i < devs.cnt; i++) {
		const struct xctl_ctl_dev *d = &devs.dev[i];
		const struct feat *f = NULL;
		json_t *o;

		if (q->dev_cnt) {
			for (j = 0; j < q->dev_cnt && strcmp(d->name, q->devs[j]); j++)
				;
			if (j == q->dev_cnt)
				continue;
		}
		for (j = 0; j < s.n; j++)
			if (s.f[j].ifindex == d->ifindex)
				f = &s.f[j];
		o = json_pack("{s:s, s:I}", "ifname", d->name, "ifindex", (json_int_t)d->ifindex);
		json_object_set_new(o, "xdp_features", f && f->has_xdp ?
				    flags_json(f->xdp, xdp_act) : json_null());
		json_object_set_new(o, "xdp_zc_max_segs", f && f->has_zc ?
				    json_integer(f->zc_max_segs) : json_null());
		json_object_set_new(o, "xdp_rx_metadata_features", f && f->has_rx_md ?
				    flags_json(f->rx_md, rx_md) : json_null());
		json_object_set_new(o, "xsk_features", f && f->has_xsk ?
				    flags_json(f->xsk, xsk) : json_null());
		json_array_append_new(arr, o);
	}
	*out = arr;
	arr = NULL;
out:
	json_decref(arr);
	free(s.f);
	xctl_ctl_devs_free(&devs);
	return r;
}
