// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What redirect, attach and metadata need to know about ONE device, asked
 * directly by ifindex: RTM_GETLINK (kind, IFLA_LINK peer, XDP program), the
 * netdev genl dev-get doit (xdp/rx-metadata/xsk features) and the ethtool
 * driver name. These verbs act on one device at a time; the all-devices
 * dumps of `xdp stats/show` are elsewhere.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>
#include <libmnl/libmnl.h>
#include <linux/ethtool.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include "xctl_priv.h"
#include "compat.h"
#include "xdp_priv.h"

static int linkinfo_cb(const struct nlattr *a, void *data)
{
	struct xdp_dev *d = data;

	if (mnl_attr_get_type(a) == IFLA_INFO_KIND)
		snprintf(d->kind, sizeof(d->kind), "%s", mnl_attr_get_str(a));
	return MNL_CB_OK;
}

static int xdp_attr_cb(const struct nlattr *a, void *data)
{
	struct xdp_dev *d = data;

	switch (mnl_attr_get_type(a)) {
	case IFLA_XDP_ATTACHED:
		d->attach_mode = mnl_attr_get_u8(a);
		break;
	case IFLA_XDP_PROG_ID:
		d->prog_id = mnl_attr_get_u32(a);
		break;
	}
	return MNL_CB_OK;
}

static int link_attr_cb(const struct nlattr *a, void *data)
{
	struct xdp_dev *d = data;

	switch (mnl_attr_get_type(a)) {
	case IFLA_IFNAME:
		snprintf(d->name, sizeof(d->name), "%s", mnl_attr_get_str(a));
		break;
	case IFLA_LINK:
		d->link_ifindex = (int)mnl_attr_get_u32(a);
		break;
	case IFLA_LINK_NETNSID:
		d->link_other_netns = true;
		d->link_netnsid = (int)mnl_attr_get_u32(a);
		break;
	case IFLA_LINKINFO:
		mnl_attr_parse_nested(a, linkinfo_cb, d);
		break;
	case IFLA_XDP:
		mnl_attr_parse_nested(a, xdp_attr_cb, d);
		break;
	}
	return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	if (nlh->nlmsg_type == RTM_NEWLINK)
		mnl_attr_parse(nlh, sizeof(struct ifinfomsg), link_attr_cb, data);
	return MNL_CB_OK;
}

static int rtnl_getlink(struct xdp_dev *d)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	unsigned int portid, seq = (unsigned int)time(NULL);
	int r;

	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		r = -errno;
		goto out;
	}
	portid = mnl_socket_get_portid(nl);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = seq;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = d->ifindex;
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		r = -errno;
		goto out;
	}
	r = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (r < 0) {
		r = -errno;
		goto out;
	}
	r = mnl_cb_run(buf, r, seq, portid, link_cb, d);
	r = r < 0 ? -errno : 0;
out:
	mnl_socket_close(nl);
	return r;
}

static int netdev_attr_cb(const struct nlattr *a, void *data)
{
	struct xdp_dev *d = data;

	switch (mnl_attr_get_type(a)) {
	case XCTL_NETDEV_A_DEV_XDP_FEATURES:
		d->xdp_features = mnl_attr_get_u64(a);
		d->features_known = true;
		break;
	case XCTL_NETDEV_A_DEV_XDP_RX_METADATA_FEATURES:
		d->rx_md_features = mnl_attr_get_u64(a);
		break;
	case XCTL_NETDEV_A_DEV_XSK_FEATURES:
		d->xsk_features = mnl_attr_get_u64(a);
		d->xsk_known = true;
		break;
	}
	return MNL_CB_OK;
}

static int netdev_cb(const struct nlmsghdr *nlh, void *data)
{
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), netdev_attr_cb, data);
	return MNL_CB_OK;
}

/* Features are optional (pre-6.3 kernels): failure leaves features_known false. */
static void netdev_get(struct xdp_dev *d)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct xgenl s;

	if (xgenl_open(&s, XCTL_NETDEV_GENL_NAME, NULL))
		return;
	nlh = xgenl_msg(buf, s.family, XCTL_NETDEV_CMD_DEV_GET, NLM_F_ACK);
	mnl_attr_put_u32(nlh, XCTL_NETDEV_A_DEV_IFINDEX, (uint32_t)d->ifindex);
	xgenl_talk(&s, nlh, netdev_cb, d);
	xgenl_close(&s);
}

static void driver_get(struct xdp_dev *d)
{
	struct ethtool_drvinfo info = { .cmd = ETHTOOL_GDRVINFO };
	struct ifreq ifr = {};
	int fd;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", d->name);
	ifr.ifr_data = (void *)&info;
	if (!ioctl(fd, SIOCETHTOOL, &ifr))
		snprintf(d->driver, sizeof(d->driver), "%s", info.driver);
	close(fd);
}

int xdp_dev_get(int ifindex, struct xdp_dev *d, struct xctl_err *err)
{
	int r;

	memset(d, 0, sizeof(*d));
	d->ifindex = ifindex;
	r = rtnl_getlink(d);
	if (r == -ENODEV || (!r && !d->name[0]))
		return xctl_errf(err, ENODEV, "no device with ifindex %d", ifindex);
	if (r)
		return xctl_errf(err, r, "cannot read link %d (rtnetlink)", ifindex);
	netdev_get(d);
	driver_get(d);
	return 0;
}
