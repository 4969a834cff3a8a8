// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The device snapshot (lib/nl/nl_dev.h). For all devices: one RTM_GETLINK
 * dump, and one dump per optional genl part (netdev dev-get, ethtool
 * CHANNELS_GET, RINGS_GET), merged by ifindex; never a request per device.
 * For one device: the same requests for its ifindex.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include "xctl_priv.h"
#include "compat.h"
#include "nl.h"
#include "nl_dev.h"
#include "ethtool_priv.h"

/* ---- message parsers ---------------------------------------------------- */

static const struct xctl_nl_pol link_pol[IFLA_MAX + 1] = {
	[IFLA_IFNAME]		= { MNL_TYPE_NUL_STRING, IF_NAMESIZE },
	[IFLA_LINK]		= { MNL_TYPE_U32 },
	[IFLA_LINK_NETNSID]	= { MNL_TYPE_U32 },
	[IFLA_LINKINFO]		= { MNL_TYPE_NESTED },
	[IFLA_XDP]		= { MNL_TYPE_NESTED },
	[IFLA_STATS64]		= { MNL_TYPE_BINARY },
};

static const struct xctl_nl_pol linkinfo_pol[IFLA_INFO_MAX + 1] = {
	[IFLA_INFO_KIND]	= { MNL_TYPE_NUL_STRING },
};

static const struct xctl_nl_pol xdp_pol[IFLA_XDP_MAX + 1] = {
	[IFLA_XDP_ATTACHED]	= { MNL_TYPE_U8 },
	[IFLA_XDP_PROG_ID]	= { MNL_TYPE_U32 },
	[IFLA_XDP_DRV_PROG_ID]	= { MNL_TYPE_U32 },
	[IFLA_XDP_SKB_PROG_ID]	= { MNL_TYPE_U32 },
	[IFLA_XDP_HW_PROG_ID]	= { MNL_TYPE_U32 },
};

static uint32_t u32_or(const struct nlattr *a, uint32_t dflt)
{
	return a ? mnl_attr_get_u32(a) : dflt;
}

static int parse_xdp(const struct nlattr *nest, struct xctl_nl_dev *d)
{
	const struct nlattr *tb[IFLA_XDP_MAX + 1];

	if (xctl_nl_parse_nested(nest, xdp_pol, IFLA_XDP_MAX, tb, NULL))
		return -EINVAL;
	d->xdp_attached = tb[IFLA_XDP_ATTACHED] ? mnl_attr_get_u8(tb[IFLA_XDP_ATTACHED]) : 0;
	d->xdp_prog_id = u32_or(tb[IFLA_XDP_PROG_ID], 0);
	d->xdp_drv_prog_id = u32_or(tb[IFLA_XDP_DRV_PROG_ID], 0);
	d->xdp_skb_prog_id = u32_or(tb[IFLA_XDP_SKB_PROG_ID], 0);
	d->xdp_hw_prog_id = u32_or(tb[IFLA_XDP_HW_PROG_ID], 0);
	return 0;
}

/* Fills the RTM_NEWLINK part of d; d->stats64 is malloc'd when present. */
int xctl_nl_dev_parse_link(const struct nlmsghdr *nlh, struct xctl_nl_dev *d)
{
	const struct nlattr *tb[IFLA_MAX + 1], *li[IFLA_INFO_MAX + 1];
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *st;

	if (xctl_nl_parse(nlh, sizeof(*ifi), link_pol, IFLA_MAX, tb, NULL))
		return -EINVAL;
	if (!tb[IFLA_IFNAME] || ifi->ifi_index <= 0)
		return -EINVAL;
	d->ifindex = (uint32_t)ifi->ifi_index;
	xctl_nl_strcpy(d->name, sizeof(d->name), tb[IFLA_IFNAME]);
	if (tb[IFLA_LINKINFO]) {
		if (xctl_nl_parse_nested(tb[IFLA_LINKINFO], linkinfo_pol, IFLA_INFO_MAX,
					 li, NULL))
			return -EINVAL;
		xctl_nl_strcpy(d->kind, sizeof(d->kind), li[IFLA_INFO_KIND]);
	}
	d->link_ifindex = u32_or(tb[IFLA_LINK], 0);
	d->link_other_netns = tb[IFLA_LINK_NETNSID];
	d->link_netnsid = (int32_t)u32_or(tb[IFLA_LINK_NETNSID], 0);
	if (tb[IFLA_XDP] && parse_xdp(tb[IFLA_XDP], d))
		return -EINVAL;
	st = tb[IFLA_STATS64];
	if (st) {
		size_t len = mnl_attr_get_payload_len(st);

		free(d->stats64);
		d->stats64 = malloc(len ? len : 1);
		if (!d->stats64)
			return -ENOMEM;
		memcpy(d->stats64, mnl_attr_get_payload(st), len);
		d->stats64_len = len;
	}
	return 0;
}

#define NETDEV_A_MAX XCTL_NETDEV_A_DEV_XSK_FEATURES
static const struct xctl_nl_pol netdev_pol[NETDEV_A_MAX + 1] = {
	[XCTL_NETDEV_A_DEV_IFINDEX]			= { MNL_TYPE_U32 },
	[XCTL_NETDEV_A_DEV_XDP_FEATURES]		= { MNL_TYPE_U64 },
	[XCTL_NETDEV_A_DEV_XDP_ZC_MAX_SEGS]		= { MNL_TYPE_U32 },
	[XCTL_NETDEV_A_DEV_XDP_RX_METADATA_FEATURES]	= { MNL_TYPE_U64 },
	[XCTL_NETDEV_A_DEV_XSK_FEATURES]		= { MNL_TYPE_U64 },
};

/* Fills d->ifindex and the feature fields from a netdev dev-get reply. */
int xctl_nl_dev_parse_netdev(const struct nlmsghdr *nlh, struct xctl_nl_dev *d)
{
	const struct nlattr *tb[NETDEV_A_MAX + 1], *a;

	if (xctl_nl_parse(nlh, sizeof(struct genlmsghdr), netdev_pol, NETDEV_A_MAX, tb,
			  NULL) || !tb[XCTL_NETDEV_A_DEV_IFINDEX])
		return -EINVAL;
	d->ifindex = mnl_attr_get_u32(tb[XCTL_NETDEV_A_DEV_IFINDEX]);
	a = tb[XCTL_NETDEV_A_DEV_XDP_FEATURES];
	d->features_known = a;
	d->xdp_features = a ? mnl_attr_get_u64(a) : 0;
	a = tb[XCTL_NETDEV_A_DEV_XDP_ZC_MAX_SEGS];
	d->zc_known = a;
	d->zc_max_segs = a ? mnl_attr_get_u32(a) : 0;
	a = tb[XCTL_NETDEV_A_DEV_XDP_RX_METADATA_FEATURES];
	d->rx_md_known = a;
	d->rx_md_features = a ? mnl_attr_get_u64(a) : 0;
	a = tb[XCTL_NETDEV_A_DEV_XSK_FEATURES];
	d->xsk_known = a;
	d->xsk_features = a ? mnl_attr_get_u64(a) : 0;
	return 0;
}

static const struct xctl_nl_pol header_pol[ETHTOOL_A_HEADER_MAX + 1] = {
	[ETHTOOL_A_HEADER_DEV_INDEX]	= { MNL_TYPE_U32 },
};

static const struct xctl_nl_pol channels_pol[ETHTOOL_A_CHANNELS_MAX + 1] = {
	[ETHTOOL_A_CHANNELS_HEADER]		= { MNL_TYPE_NESTED },
	[ETHTOOL_A_CHANNELS_RX_MAX]		= { MNL_TYPE_U32 },
	[ETHTOOL_A_CHANNELS_TX_MAX]		= { MNL_TYPE_U32 },
	[ETHTOOL_A_CHANNELS_OTHER_MAX]		= { MNL_TYPE_U32 },
	[ETHTOOL_A_CHANNELS_COMBINED_MAX]	= { MNL_TYPE_U32 },
	[ETHTOOL_A_CHANNELS_RX_COUNT]		= { MNL_TYPE_U32 },
	[ETHTOOL_A_CHANNELS_TX_COUNT]		= { MNL_TYPE_U32 },
	[ETHTOOL_A_CHANNELS_OTHER_COUNT]	= { MNL_TYPE_U32 },
	[ETHTOOL_A_CHANNELS_COMBINED_COUNT]	= { MNL_TYPE_U32 },
};

/* The ifindex of an ethtool reply header (nested attribute hdr). */
static int eth_header(const struct nlattr *hdr, uint32_t *ifindex)
{
	const struct nlattr *tb[ETHTOOL_A_HEADER_MAX + 1];

	if (!hdr || xctl_nl_parse_nested(hdr, header_pol, ETHTOOL_A_HEADER_MAX, tb, NULL) ||
	    !tb[ETHTOOL_A_HEADER_DEV_INDEX])
		return -EINVAL;
	*ifindex = mnl_attr_get_u32(tb[ETHTOOL_A_HEADER_DEV_INDEX]);
	return 0;
}

int xctl_nl_dev_parse_channels(const struct nlmsghdr *nlh, uint32_t *ifindex,
			       struct xctl_eth_channels *ch)
{
	const struct nlattr *tb[ETHTOOL_A_CHANNELS_MAX + 1];

	if (xctl_nl_parse(nlh, sizeof(struct genlmsghdr), channels_pol,
			  ETHTOOL_A_CHANNELS_MAX, tb, NULL) ||
	    eth_header(tb[ETHTOOL_A_CHANNELS_HEADER], ifindex))
		return -EINVAL;
	ch->rx_max = u32_or(tb[ETHTOOL_A_CHANNELS_RX_MAX], XCTL_ETH_ABSENT);
	ch->tx_max = u32_or(tb[ETHTOOL_A_CHANNELS_TX_MAX], XCTL_ETH_ABSENT);
	ch->other_max = u32_or(tb[ETHTOOL_A_CHANNELS_OTHER_MAX], XCTL_ETH_ABSENT);
	ch->combined_max = u32_or(tb[ETHTOOL_A_CHANNELS_COMBINED_MAX], XCTL_ETH_ABSENT);
	ch->rx = u32_or(tb[ETHTOOL_A_CHANNELS_RX_COUNT], XCTL_ETH_ABSENT);
	ch->tx = u32_or(tb[ETHTOOL_A_CHANNELS_TX_COUNT], XCTL_ETH_ABSENT);
	ch->other = u32_or(tb[ETHTOOL_A_CHANNELS_OTHER_COUNT], XCTL_ETH_ABSENT);
	ch->combined = u32_or(tb[ETHTOOL_A_CHANNELS_COMBINED_COUNT], XCTL_ETH_ABSENT);
	return 0;
}

static const struct xctl_nl_pol rings_pol[ETHTOOL_A_RINGS_TX + 1] = {
	[ETHTOOL_A_RINGS_HEADER]	= { MNL_TYPE_NESTED },
	[ETHTOOL_A_RINGS_RX_MAX]	= { MNL_TYPE_U32 },
	[ETHTOOL_A_RINGS_TX_MAX]	= { MNL_TYPE_U32 },
	[ETHTOOL_A_RINGS_RX]		= { MNL_TYPE_U32 },
	[ETHTOOL_A_RINGS_TX]		= { MNL_TYPE_U32 },
};

int xctl_nl_dev_parse_rings(const struct nlmsghdr *nlh, uint32_t *ifindex,
			    struct xctl_eth_rings *rg)
{
	const struct nlattr *tb[ETHTOOL_A_RINGS_TX + 1];

	if (xctl_nl_parse(nlh, sizeof(struct genlmsghdr), rings_pol, ETHTOOL_A_RINGS_TX,
			  tb, NULL) ||
	    eth_header(tb[ETHTOOL_A_RINGS_HEADER], ifindex))
		return -EINVAL;
	rg->rx_max = u32_or(tb[ETHTOOL_A_RINGS_RX_MAX], XCTL_ETH_ABSENT);
	rg->tx_max = u32_or(tb[ETHTOOL_A_RINGS_TX_MAX], XCTL_ETH_ABSENT);
	rg->rx = u32_or(tb[ETHTOOL_A_RINGS_RX], XCTL_ETH_ABSENT);
	rg->tx = u32_or(tb[ETHTOOL_A_RINGS_TX], XCTL_ETH_ABSENT);
	return 0;
}

/* ---- the snapshot --------------------------------------------------------- */

static int cmp_dev(const void *a, const void *b)
{
	const struct xctl_nl_dev *x = a, *y = b;

	return x->ifindex < y->ifindex ? -1 : x->ifindex > y->ifindex;
}

struct xctl_nl_dev *xctl_nl_devs_find(const struct xctl_nl_devs *s, uint32_t ifindex)
{
	struct xctl_nl_dev k = { .ifindex = ifindex };

	return s->cnt ? bsearch(&k, s->dev, s->cnt, sizeof(k), cmp_dev) : NULL;
}

struct xctl_nl_dev *xctl_nl_devs_find_name(const struct xctl_nl_devs *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->cnt; i++)
		if (!strcmp(s->dev[i].name, name))
			return &s->dev[i];
	return NULL;
}

int xctl_nl_devs_next(const struct xctl_nl_devs *s, const uint32_t *key, uint32_t *next)
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

void xctl_nl_dev_free(struct xctl_nl_dev *d)
{
	free(d->stats64);
	d->stats64 = NULL;
	d->stats64_len = 0;
}

void xctl_nl_devs_free(struct xctl_nl_devs *s)
{
	size_t i;

	for (i = 0; i < s->cnt; i++)
		xctl_nl_dev_free(&s->dev[i]);
	free(s->dev);
	memset(s, 0, sizeof(*s));
}

/*
 * Replies are collected into a snapshot (a dump: new devices are appended)
 * or one device (a doit: the reply must be about it).
 */
struct collect {
	struct xctl_nl_devs *s;		/* dump */
	struct xctl_nl_dev *one;	/* doit */
	bool sorted;			/* s is sorted: find, don't append */
	bool stats;			/* keep IFLA_STATS64 (XCTL_NL_DEV_STATS) */
};

static struct xctl_nl_dev *target(struct collect *c, uint32_t ifindex)
{
	if (c->one)
		return c->one->ifindex == ifindex ? c->one : NULL;
	return xctl_nl_devs_find(c->s, ifindex);
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct collect *c = data;
	struct xctl_nl_devs *s = c->s;
	struct xctl_nl_dev *d;
	int r;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	if (c->one) {
		d = c->one;
	} else {
		if (s->cnt == s->cap) {
			size_t cap = s->cap ? s->cap * 2 : 64;

			d = realloc(s->dev, cap * sizeof(*d));
			if (!d) {
				errno = ENOMEM;
				return MNL_CB_ERROR;
			}
			s->dev = d;
			s->cap = cap;
		}
		d = &s->dev[s->cnt++];
		memset(d, 0, sizeof(*d));
	}
	r = xctl_nl_dev_parse_link(nlh, d);
	if (!r && !c->stats) {
		/*
		 * RTEXT_FILTER_SKIP_STATS only skips VF statistics: the kernel
		 * sends IFLA_STATS64 anyway. Callers that did not ask for it do
		 * not free it, so it is not kept.
		 */
		free(d->stats64);
		d->stats64 = NULL;
		d->stats64_len = 0;
	}
	if (r) {
		errno = r == -ENOMEM ? ENOMEM : EBADMSG;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

static int netdev_cb(const struct nlmsghdr *nlh, void *data)
{
	struct xctl_nl_dev f = {}, *d;

	if (xctl_nl_dev_parse_netdev(nlh, &f)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	d = target(data, f.ifindex);
	if (d) {
		d->features_known = f.features_known;
		d->xdp_features = f.xdp_features;
		d->zc_known = f.zc_known;
		d->zc_max_segs = f.zc_max_segs;
		d->rx_md_known = f.rx_md_known;
		d->rx_md_features = f.rx_md_features;
		d->xsk_known = f.xsk_known;
		d->xsk_features = f.xsk_features;
	}
	return MNL_CB_OK;
}

static int channels_cb(const struct nlmsghdr *nlh, void *data)
{
	struct xctl_eth_channels ch;
	struct xctl_nl_dev *d;
	uint32_t ifindex;

	if (xctl_nl_dev_parse_channels(nlh, &ifindex, &ch)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	d = target(data, ifindex);
	if (d) {
		d->channels = ch;
		d->channels_known = true;
	}
	return MNL_CB_OK;
}

static int rings_cb(const struct nlmsghdr *nlh, void *data)
{
	struct xctl_eth_rings rg;
	struct xctl_nl_dev *d;
	uint32_t ifindex;

	if (xctl_nl_dev_parse_rings(nlh, &ifindex, &rg)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	d = target(data, ifindex);
	if (d) {
		d->rings = rg;
		d->rings_known = true;
	}
	return MNL_CB_OK;
}

/* RTM_GETLINK: a dump (ifindex 0) or one device. */
static int rtnl_links(struct collect *c, int ifindex, unsigned int flags)
{
	char buf[XCTL_NL_MSGBUF];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	struct xctl_nl nl;
	int r;

	c->stats = flags & XCTL_NL_DEV_STATS;
	r = xctl_nl_open(&nl, NETLINK_ROUTE);
	if (r)
		return r;
	nlh = xctl_nl_msg(buf, RTM_GETLINK, ifindex ? 0 : NLM_F_DUMP);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	if (!(flags & XCTL_NL_DEV_STATS))
		mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	r = xctl_nl_talk(&nl, nlh, link_cb, c);
	xctl_nl_close(&nl);
	return r;
}

/* One genl request (dump when ifindex is 0) of family fam, replies to cb. */
static int genl_req(struct xctl_nl *nl, uint16_t fam, uint8_t cmd, uint16_t hdr_attr,
		    int ifindex, mnl_cb_t cb, struct collect *c)
{
	char buf[XCTL_NL_MSGBUF];
	struct nlmsghdr *nlh;
	struct nlattr *nest;

	nlh = xctl_nl_genl_msg(buf, fam, cmd, ifindex ? 0 : NLM_F_DUMP);
	if (hdr_attr) {
		/* ethtool: the device goes in the request header */
		nest = mnl_attr_nest_start(nlh, hdr_attr);
		if (ifindex)
			mnl_attr_put_u32(nlh, ETHTOOL_A_HEADER_DEV_INDEX, (uint32_t)ifindex);
		mnl_attr_nest_end(nlh, nest);
	} else if (ifindex) {
		mnl_attr_put_u32(nlh, XCTL_NETDEV_A_DEV_IFINDEX, (uint32_t)ifindex);
	}
	return xctl_nl_talk(nl, nlh, cb, c);
}

/* The genl parts asked for; failures are recorded in s (dump) or ignored. */
static void genl_parts(struct collect *c, int ifindex, unsigned int flags,
		       struct xctl_nl_devs *s)
{
	uint16_t netdev = 0, ethtool = 0;
	struct xctl_nl nl;
	int r, rn = 0, re = 0;

	if (!(flags & (XCTL_NL_DEV_FEATURES | XCTL_NL_DEV_CHANNELS | XCTL_NL_DEV_RINGS)))
		return;
	r = xctl_nl_open(&nl, NETLINK_GENERIC);
	if (r) {
		s->features_err = s->channels_err = s->rings_err = r;
		return;
	}
	if (flags & XCTL_NL_DEV_FEATURES) {
		rn = xctl_nl_genl_family(&nl, XCTL_NETDEV_GENL_NAME, &netdev);
		s->features_err = rn ? rn : genl_req(&nl, netdev, XCTL_NETDEV_CMD_DEV_GET, 0,
						     ifindex, netdev_cb, c);
	}
	if (flags & (XCTL_NL_DEV_CHANNELS | XCTL_NL_DEV_RINGS))
		re = xctl_nl_genl_family(&nl, ETHTOOL_GENL_NAME, &ethtool);
	if (flags & XCTL_NL_DEV_CHANNELS)
		s->channels_err = re ? re : genl_req(&nl, ethtool, ETHTOOL_MSG_CHANNELS_GET,
						     ETHTOOL_A_CHANNELS_HEADER, ifindex,
						     channels_cb, c);
	if (flags & XCTL_NL_DEV_RINGS)
		s->rings_err = re ? re : genl_req(&nl, ethtool, ETHTOOL_MSG_RINGS_GET,
						  ETHTOOL_A_RINGS_HEADER, ifindex, rings_cb, c);
	xctl_nl_close(&nl);
}

void xctl_nl_dev_driver(struct xctl_nl_dev *d)
{
	struct eth_stats_ctx eth;

	if (d->driver[0] || eth_stats_open(&eth))
		return;
	eth_info(&eth, d->name, d->driver, sizeof(d->driver), NULL);
	eth_stats_close(&eth);
}

static void drivers(struct xctl_nl_dev *d, size_t n)
{
	struct eth_stats_ctx eth;
	size_t i;

	if (eth_stats_open(&eth))
		return;
	for (i = 0; i < n; i++)
		eth_info(&eth, d[i].name, d[i].driver, sizeof(d[i].driver), NULL);
	eth_stats_close(&eth);
}

int xctl_nl_devs_get(struct xctl_nl_devs *s, unsigned int flags, struct xctl_err *err)
{
	struct collect c = { .s = s };
	int r, i;

	/*
	 * A dump the kernel marks inconsistent (NLM_F_DUMP_INTR: devices came
	 * or went meanwhile) is -EINTR: take it again, a few times.
	 */
	for (i = 0; i < 3; i++) {
		memset(s, 0, sizeof(*s));
		r = rtnl_links(&c, 0, flags);
		if (r != -EINTR)
			break;
		xctl_nl_devs_free(s);
	}
	if (r) {
		xctl_nl_devs_free(s);
		return xctl_errf(err, r, "cannot dump network devices (rtnetlink)");
	}
	qsort(s->dev, s->cnt, sizeof(*s->dev), cmp_dev);
	genl_parts(&c, 0, flags, s);
	if (flags & XCTL_NL_DEV_DRIVER)
		drivers(s->dev, s->cnt);
	return 0;
}

int xctl_nl_dev_get(int ifindex, unsigned int flags, struct xctl_nl_dev *d,
		    struct xctl_err *err)
{
	struct xctl_nl_devs parts = {};
	struct collect c = { .one = d };
	int r;

	memset(d, 0, sizeof(*d));
	if (ifindex <= 0)
		return xctl_errf(err, ENODEV, "no device with ifindex %d", ifindex);
	r = rtnl_links(&c, ifindex, flags);
	if (r == -ENODEV || (!r && !d->name[0])) {
		xctl_nl_dev_free(d);
		return xctl_errf(err, ENODEV, "no device with ifindex %d", ifindex);
	}
	if (r) {
		xctl_nl_dev_free(d);
		return xctl_errf(err, r, "cannot read link %d (rtnetlink)", ifindex);
	}
	genl_parts(&c, ifindex, flags, &parts);
	if (flags & XCTL_NL_DEV_DRIVER)
		drivers(d, 1);
	return 0;
}
