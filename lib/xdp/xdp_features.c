// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `xdp features`: XDP, XDP metadata and AF_XDP features of every device from
 * the device snapshot (one RTM_GETLINK dump and one dump of the `netdev`
 * generic netlink family, dev-get).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include "xctl_priv.h"
#include "compat.h"
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

json_t *xdp_features_json(const struct xctl_nl_dev *d)
{
	return d->features_known ? flags_json(d->xdp_features, xdp_act) : json_null();
}

int xctl_xdp_features(const struct xctl_xdp_query *q, json_t **out,
		      struct xctl_err *err)
{
	struct xctl_nl_devs devs = {};
	json_t *arr = NULL;
	size_t i, j;
	int r;

	r = xctl_nl_devs_get(&devs, XCTL_NL_DEV_FEATURES, err);
	if (r)
		return r;
	if (devs.features_err) {
		r = devs.features_err;
		if (r == -ENOENT) {
			xctl_errf(err, r, "cannot read XDP features");
			xctl_err_why(err, "this kernel has no 'netdev' generic netlink family");
			xctl_err_hint(err, "XDP features are reported by Linux 6.3 and later");
		} else {
			xctl_errf(err, r, "cannot dump the netdev generic netlink family");
		}
		goto out;
	}
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
		const struct xctl_nl_dev *d = &devs.dev[i];
		json_t *o;

		if (q->dev_cnt) {
			for (j = 0; j < q->dev_cnt && strcmp(d->name, q->devs[j]); j++)
				;
			if (j == q->dev_cnt)
				continue;
		}
		o = json_pack("{s:s, s:I}", "ifname", d->name, "ifindex", (json_int_t)d->ifindex);
		json_object_set_new(o, "xdp_features", d->features_known ?
				    flags_json(d->xdp_features, xdp_act) : json_null());
		json_object_set_new(o, "xdp_zc_max_segs", d->zc_known ?
				    json_integer(d->zc_max_segs) : json_null());
		json_object_set_new(o, "xdp_rx_metadata_features", d->rx_md_known ?
				    flags_json(d->rx_md_features, rx_md) : json_null());
		json_object_set_new(o, "xsk_features", d->xsk_known ?
				    flags_json(d->xsk_features, xsk) : json_null());
		json_array_append_new(arr, o);
	}
	*out = arr;
	arr = NULL;
out:
	json_decref(arr);
	xctl_nl_devs_free(&devs);
	return r;
}
