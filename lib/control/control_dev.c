// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The device snapshot behind the device control types (xdp, netdev,
 * ethtool): one RTM_GETLINK dump of the current network namespace, kept
 * sorted by ifindex so get_next walks keys in ascending order. What the
 * control types need per device and nothing more: name, the raw
 * IFLA_STATS64 payload (whatever size the kernel sends) and the IFLA_XDP
 * program ids.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include "xctl_priv.h"
#include "control_type.h"

static int xdp_attr_cb(const struct nlattr *a, void *data)
{
	struct xctl_ctl_dev *d = data;
	uint32_t *dst = NULL;

	switch (mnl_attr_get_type(a)) {
	case IFLA_XDP_ATTACHED:
		if (mnl_attr_validate(a, MNL_TYPE_U8) >= 0)
			d->xdp_attached = mnl_attr_get_u8(a);
		return MNL_CB_OK;
	case IFLA_XDP_PROG_ID:
		dst = &d->xdp_prog_id;
		break;
	case IFLA_XDP_DRV_PROG_ID:
		dst = &d->xdp_drv_prog_id;
		break;
	case IFLA_XDP_SKB_PROG_ID:
		dst = &d->xdp_skb_prog_id;
		break;
	case IFLA_XDP_HW_PROG_ID:
		dst = &d->xdp_hw_prog_id;
		break;
	default:
		return MNL_CB_OK;
	}
	if (mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
		*dst = mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

static int link_attr_cb(const struct nlattr *a, void *data)
{
	struct xctl_ctl_dev *d = data;
	size_t len = mnl_attr_get_payload_len(a);

	switch (mnl_attr_get_type(a)) {
	case IFLA_IFNAME:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
			snprintf(d->name, sizeof(d->name), "%s", mnl_attr_get_str(a));
		break;
	case IFLA_STATS64:
		free(d->stats64);
		d->stats64 = malloc(len ? len : 1);
		if (!d->stats64)
			return MNL_CB_ERROR;
		memcpy(d->stats64, mnl_attr_get_payload(a), len);
		d->stats64_len = len;
		break;
	case IFLA_XDP:
		mnl_attr_parse_nested(a, xdp_attr_cb, d);
		break;
	}
	return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct xctl_ctl_devs *s = data;
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct xctl_ctl_dev *d;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	if (s->cnt == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;

		d = realloc(s->dev, cap * sizeof(*d));
		if (!d)
			return MNL_CB_ERROR;
		s->dev = d;
		s->cap = cap;
	}
	d = &s->dev[s->cnt++];
	memset(d, 0, sizeof(*d));
	d->ifindex = ifi->ifi_index;
	return mnl_attr_parse(nlh, sizeof(*ifi), link_attr_cb, d) < 0 ? MNL_CB_ERROR
								       : MNL_CB_OK;
}

static int cmp_dev(const void *a, const void *b)
{
	const struct xctl_ctl_dev *x = a, *y = b;

	return x->ifindex < y->ifindex ? -1 : x->ifindex > y->ifindex;
}

void xctl_ctl_devs_free(struct xctl_ctl_devs *s)
{
	size_t i;

	for (i = 0; i < s->cnt; i++)
		free(s->dev[i].stats64);
	free(s->dev);
	memset(s, 0, sizeof(*s));
}

int xctl_ctl_devs_get(struct xctl_ctl_devs *s, struct xctl_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	unsigned int portid, seq = time(NULL);
	int r;

	memset(s, 0, sizeof(*s));
	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl)
		return xctl_errf(err, errno, "cannot open a rtnetlink socket");
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		r = xctl_errf(err, errno, "cannot bind a rtnetlink socket");
		goto out;
	}
	portid = mnl_socket_get_portid(nl);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		r = xctl_errf(err, errno, "cannot dump network devices");
		goto out;
	}
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));

		if (n < 0) {
			r = xctl_errf(err, errno, "cannot dump network devices");
			goto out;
		}
		r = mnl_cb_run(buf, n, seq, portid, link_cb, s);
		if (r == MNL_CB_STOP) {
			r = 0;
			break;
		}
		if (r < 0) {
			r = xctl_errf(err, errno ? errno : ENOMEM, "cannot dump network devices");
			goto out;
		}
	}
	qsort(s->dev, s->cnt, sizeof(*s->dev), cmp_dev);
out:
	mnl_socket_close(nl);
	if (r)
		xctl_ctl_devs_free(s);
	return r;
}

struct xctl_ctl_dev *xctl_ctl_devs_find(struct xctl_ctl_devs *s, uint32_t ifindex)
{
	struct xctl_ctl_dev k = { .ifindex = ifindex };

	return s->cnt ? bsearch(&k, s->dev, s->cnt, sizeof(k), cmp_dev) : NULL;
}

int xctl_ctl_devs_next(struct xctl_ctl_devs *s, const uint32_t *key, uint32_t *next)
{
	size_t i;

	for (i = 0; i < s->cnt; i++) {
		if (!key || s->dev[i].ifindex > *key) {
			*next = s->dev[i].ifindex;
			return 0;
		}
	}
	return -ENOENT;
}

int xctl_ctl_devs_missing(struct xctl_ctl_devs *s, uint32_t ifindex, struct xctl_err *err)
{
	int r;

	(void)s;
	r = xctl_errf(err, ENODEV, "no device with ifindex %u", ifindex);
	xctl_err_hint(err, "list devices with 'ip link'");
	return r;
}
