// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ethtool generic netlink: channel counts and ring sizes of one device (what
 * `ethtool -l/-L` and `ethtool -g/-G` do), on the netlink substrate. These
 * are single-device operations of redirect setup/teardown; the all-devices
 * view is a dump in the device snapshot (lib/nl/nl_dev.c), which also owns
 * the reply parsers.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/ethtool_netlink.h>
#include "xctl_priv.h"
#include "ethtool_nl.h"
#include "nl.h"
#include "nl_dev.h"

/* A generic netlink socket with the ethtool family resolved. */
static int eth_open(struct xctl_nl *nl, uint16_t *fam, struct xctl_err *err)
{
	int r;

	r = xctl_nl_open(nl, NETLINK_GENERIC);
	if (r)
		return xctl_errf(err, r, "cannot open a generic netlink socket");
	r = xctl_nl_genl_family(nl, ETHTOOL_GENL_NAME, fam);
	if (r) {
		xctl_nl_close(nl);
		r = xctl_errf(err, r, "cannot resolve the '%s' generic netlink family",
			      ETHTOOL_GENL_NAME);
		xctl_err_hint(err, "the kernel needs CONFIG_ETHTOOL_NETLINK (5.6+)");
		return r;
	}
	return 0;
}

static void put_header(struct nlmsghdr *nlh, uint16_t attr, int ifindex)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, attr);

	mnl_attr_put_u32(nlh, ETHTOOL_A_HEADER_DEV_INDEX, (uint32_t)ifindex);
	mnl_attr_nest_end(nlh, nest);
}

static void ifname_of(int ifindex, char *name)
{
	if (!if_indextoname((unsigned int)ifindex, name))
		snprintf(name, IF_NAMESIZE, "ifindex %d", ifindex);
}

/* Describe a failed ethtool request: what, and a hint for the usual causes. */
static int eth_fail(struct xctl_err *err, int r, const char *what, int ifindex)
{
	char name[IF_NAMESIZE];

	ifname_of(ifindex, name);
	r = xctl_errf(err, r, "%s on %s", what, name);
	if (r == -EOPNOTSUPP)
		xctl_err_why(err, "the driver does not support it");
	else if (r == -EPERM)
		xctl_err_hint(err, "changing device settings needs CAP_NET_ADMIN");
	else if (r == -ENODEV)
		xctl_err_why(err, "no such device");
	return r;
}

struct reply {
	bool is_rings;
	bool got;
	struct xctl_eth_channels *ch;
	struct xctl_eth_rings *rg;
};

static int reply_cb(const struct nlmsghdr *nlh, void *data)
{
	struct reply *rep = data;
	uint32_t ifindex;
	int r;

	r = rep->is_rings ? xctl_nl_dev_parse_rings(nlh, &ifindex, rep->rg)
			  : xctl_nl_dev_parse_channels(nlh, &ifindex, rep->ch);
	if (r) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	rep->got = true;
	return MNL_CB_OK;
}

static int eth_get(int ifindex, uint8_t cmd, uint16_t hdr_attr, struct reply *rep,
		   const char *what, struct xctl_err *err)
{
	char buf[XCTL_NL_MSGBUF];
	struct nlmsghdr *nlh;
	struct xctl_nl nl;
	uint16_t fam;
	int r;

	r = eth_open(&nl, &fam, err);
	if (r)
		return r;
	nlh = xctl_nl_genl_msg(buf, fam, cmd, 0);
	put_header(nlh, hdr_attr, ifindex);
	r = xctl_nl_talk(&nl, nlh, reply_cb, rep);
	xctl_nl_close(&nl);
	if (!r && !rep->got)
		r = -ENODATA;
	if (r)
		return eth_fail(err, r, what, ifindex);
	return 0;
}

int xctl_eth_channels_get(int ifindex, struct xctl_eth_channels *ch,
			  struct xctl_err *err)
{
	struct reply rep = { .ch = ch };

	return eth_get(ifindex, ETHTOOL_MSG_CHANNELS_GET, ETHTOOL_A_CHANNELS_HEADER, &rep,
		       "cannot read channel counts", err);
}

int xctl_eth_rings_get(int ifindex, struct xctl_eth_rings *rg, struct xctl_err *err)
{
	struct reply rep = { .is_rings = true, .rg = rg };

	return eth_get(ifindex, ETHTOOL_MSG_RINGS_GET, ETHTOOL_A_RINGS_HEADER, &rep,
		       "cannot read ring sizes", err);
}

static void put_u32_if(struct nlmsghdr *nlh, uint16_t t, uint32_t v)
{
	if (v != XCTL_ETH_ABSENT)
		mnl_attr_put_u32(nlh, t, v);
}

static int eth_set(int ifindex, struct nlmsghdr *nlh, struct xctl_nl *nl,
		   const char *what, struct xctl_err *err)
{
	int r;

	r = xctl_nl_talk(nl, nlh, NULL, NULL);
	xctl_nl_close(nl);
	if (r)
		return eth_fail(err, r, what, ifindex);
	return 0;
}

int xctl_eth_channels_set(int ifindex, const struct xctl_eth_channels *ch,
			  struct xctl_err *err)
{
	char buf[XCTL_NL_MSGBUF];
	struct nlmsghdr *nlh;
	struct xctl_nl nl;
	uint16_t fam;
	int r;

	r = eth_open(&nl, &fam, err);
	if (r)
		return r;
	nlh = xctl_nl_genl_msg(buf, fam, ETHTOOL_MSG_CHANNELS_SET, 0);
	put_header(nlh, ETHTOOL_A_CHANNELS_HEADER, ifindex);
	put_u32_if(nlh, ETHTOOL_A_CHANNELS_RX_COUNT, ch->rx);
	put_u32_if(nlh, ETHTOOL_A_CHANNELS_TX_COUNT, ch->tx);
	put_u32_if(nlh, ETHTOOL_A_CHANNELS_OTHER_COUNT, ch->other);
	put_u32_if(nlh, ETHTOOL_A_CHANNELS_COMBINED_COUNT, ch->combined);
	return eth_set(ifindex, nlh, &nl, "cannot set channel counts", err);
}

int xctl_eth_rings_set(int ifindex, const struct xctl_eth_rings *rg,
		       struct xctl_err *err)
{
	char buf[XCTL_NL_MSGBUF];
	struct nlmsghdr *nlh;
	struct xctl_nl nl;
	uint16_t fam;
	int r;

	r = eth_open(&nl, &fam, err);
	if (r)
		return r;
	nlh = xctl_nl_genl_msg(buf, fam, ETHTOOL_MSG_RINGS_SET, 0);
	put_header(nlh, ETHTOOL_A_RINGS_HEADER, ifindex);
	put_u32_if(nlh, ETHTOOL_A_RINGS_RX, rg->rx);
	put_u32_if(nlh, ETHTOOL_A_RINGS_TX, rg->tx);
	return eth_set(ifindex, nlh, &nl, "cannot set ring sizes", err);
}
