// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink attribute parser and the device snapshot's message parsers
 * (lib/nl/) on canned messages: well-formed ones, and truncated, oversize,
 * unterminated and unknown attributes, as the kernel could (or a future
 * kernel would) send them.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include "xctl_priv.h"
#include "compat.h"
#include "nl.h"
#include "nl_dev.h"

static union {
	char b[4096];
	struct nlmsghdr align;
} msg;

/* An RTM_NEWLINK for ifindex 7 with the attributes a veth with XDP has. */
static struct nlmsghdr *newlink(void)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	struct nlattr *nest;
	uint64_t stats[4] = { 11, 22, 33, 44 };

	memset(msg.b, 0, sizeof(msg.b));
	nlh = mnl_nlmsg_put_header(msg.b);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = 7;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "veth0");
	mnl_attr_put_u32(nlh, IFLA_MTU, 1500);		/* not in the policy */
	mnl_attr_put_u32(nlh, IFLA_LINK, 8);
	nest = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	mnl_attr_nest_end(nlh, nest);
	nest = mnl_attr_nest_start(nlh, IFLA_XDP);
	mnl_attr_put_u8(nlh, IFLA_XDP_ATTACHED, XDP_ATTACHED_DRV);
	mnl_attr_put_u32(nlh, IFLA_XDP_PROG_ID, 42);
	mnl_attr_put_u32(nlh, IFLA_XDP_DRV_PROG_ID, 42);
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put(nlh, IFLA_STATS64, sizeof(stats), stats);
	return nlh;
}

static void test_link_ok(void **state)
{
	struct xctl_nl_dev d = {};

	(void)state;
	assert_int_equal(xctl_nl_dev_parse_link(newlink(), &d), 0);
	assert_int_equal(d.ifindex, 7);
	assert_string_equal(d.name, "veth0");
	assert_string_equal(d.kind, "veth");
	assert_int_equal(d.link_ifindex, 8);
	assert_false(d.link_other_netns);
	assert_int_equal(d.xdp_attached, XDP_ATTACHED_DRV);
	assert_int_equal(d.xdp_prog_id, 42);
	assert_int_equal(d.xdp_drv_prog_id, 42);
	assert_int_equal(d.xdp_skb_prog_id, 0);
	assert_int_equal(d.stats64_len, 4 * sizeof(uint64_t));
	assert_int_equal(((uint64_t *)d.stats64)[3], 44);
	xctl_nl_dev_free(&d);
	assert_null(d.stats64);
}

/* Types above the table and types without a policy are skipped. */
static void test_unknown_attributes(void **state)
{
	struct nlmsghdr *nlh = newlink();
	struct xctl_nl_dev d = {};
	struct nlattr *nest;

	(void)state;
	mnl_attr_put_u64(nlh, IFLA_MAX + 40, 1);
	mnl_attr_put(nlh, 0x3fff, 3, "abc");
	nest = mnl_attr_nest_start(nlh, IFLA_MAX + 41);
	mnl_attr_put_u8(nlh, 1, 1);
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(xctl_nl_dev_parse_link(nlh, &d), 0);
	assert_string_equal(d.name, "veth0");
	assert_int_equal(d.xdp_prog_id, 42);
	xctl_nl_dev_free(&d);
}

/* The last attribute claims more bytes than the message has. */
static void test_truncated(void **state)
{
	static const struct xctl_nl_pol pol[IFLA_MAX + 1] = {
		[IFLA_IFNAME] = { MNL_TYPE_NUL_STRING, IF_NAMESIZE },
	};
	const struct nlattr *tb[IFLA_MAX + 1];
	struct nlmsghdr *nlh = newlink();
	struct xctl_nl_dev d = {};
	struct nlattr *last;
	int bad;

	(void)state;
	last = mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put_u32(nlh, IFLA_MTU, 9000);
	last->nla_len += 8;
	assert_int_equal(xctl_nl_parse(nlh, sizeof(struct ifinfomsg), pol, IFLA_MAX, tb, &bad),
			 -EINVAL);
	assert_int_equal(bad, IFLA_MTU);
	assert_int_equal(xctl_nl_dev_parse_link(nlh, &d), -EINVAL);
	xctl_nl_dev_free(&d);

	/* a message cut inside the family header */
	nlh = newlink();
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + 4;
	assert_int_equal(xctl_nl_parse(nlh, sizeof(struct ifinfomsg), pol, IFLA_MAX, tb, &bad),
			 -EINVAL);
	assert_null(tb[IFLA_IFNAME]);

	/* trailing bytes that cannot hold an attribute */
	nlh = newlink();
	nlh->nlmsg_len += 2;
	assert_int_equal(xctl_nl_parse(nlh, sizeof(struct ifinfomsg), pol, IFLA_MAX, tb, &bad),
			 -EINVAL);

	/* an attribute length below its own header */
	nlh = newlink();
	last = mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put_u32(nlh, IFLA_MTU, 9000);
	last->nla_len = 2;
	assert_int_equal(xctl_nl_parse(nlh, sizeof(struct ifinfomsg), pol, IFLA_MAX, tb, &bad),
			 -EINVAL);
}

/* Known attributes of the wrong size or shape are refused, naming the type. */
static void test_oversize_and_bad_strings(void **state)
{
	static const struct xctl_nl_pol pol[IFLA_MAX + 1] = {
		[IFLA_IFNAME] = { MNL_TYPE_NUL_STRING, IF_NAMESIZE },
		[IFLA_LINK] = { MNL_TYPE_U32 },
		[IFLA_STATS64] = { MNL_TYPE_BINARY, 16 },
	};
	const struct nlattr *tb[IFLA_MAX + 1];
	struct xctl_nl_dev d = {};
	struct nlmsghdr *nlh;
	uint64_t big = 1;
	int bad;

	(void)state;
	nlh = newlink();
	mnl_attr_put_u64(nlh, IFLA_LINK, big);		/* u32 sent as 8 bytes */
	assert_int_equal(xctl_nl_parse(nlh, sizeof(struct ifinfomsg), pol, IFLA_MAX, tb, &bad),
			 -EINVAL);
	assert_int_equal(bad, IFLA_LINK);
	assert_int_equal(xctl_nl_dev_parse_link(nlh, &d), -EINVAL);
	xctl_nl_dev_free(&d);

	nlh = newlink();
	mnl_attr_put_u16(nlh, IFLA_LINK, 3);		/* u32 sent as 2 bytes */
	assert_int_equal(xctl_nl_parse(nlh, sizeof(struct ifinfomsg), pol, IFLA_MAX, tb, &bad),
			 -EINVAL);
	assert_int_equal(bad, IFLA_LINK);

	nlh = newlink();
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "a-name-longer-than-ifnamsiz");
	assert_int_equal(xctl_nl_parse(nlh, sizeof(struct ifinfomsg), pol, IFLA_MAX, tb, &bad),
			 -EINVAL);
	assert_int_equal(bad, IFLA_IFNAME);

	nlh = newlink();
	mnl_attr_put(nlh, IFLA_IFNAME, 4, "eth0");	/* no NUL */
	assert_int_equal(xctl_nl_parse(nlh, sizeof(struct ifinfomsg), pol, IFLA_MAX, tb, &bad),
			 -EINVAL);
	assert_int_equal(bad, IFLA_IFNAME);

	nlh = newlink();				/* stats shorter than the minimum */
	mnl_attr_put_u64(nlh, IFLA_STATS64, big);
	assert_int_equal(xctl_nl_parse(nlh, sizeof(struct ifinfomsg), pol, IFLA_MAX, tb, &bad),
			 -EINVAL);
	assert_int_equal(bad, IFLA_STATS64);
}

/* A nested attribute is checked against its own table. */
static void test_nested_bad(void **state)
{
	struct xctl_nl_dev d = {};
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	struct nlattr *nest;

	(void)state;
	memset(msg.b, 0, sizeof(msg.b));
	nlh = mnl_nlmsg_put_header(msg.b);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = 3;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0");
	nest = mnl_attr_nest_start(nlh, IFLA_XDP);
	mnl_attr_put_u32(nlh, IFLA_XDP_ATTACHED, XDP_ATTACHED_SKB);	/* a u8 */
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(xctl_nl_dev_parse_link(nlh, &d), -EINVAL);

	/* no name: not a device the snapshot can report */
	memset(msg.b, 0, sizeof(msg.b));
	nlh = mnl_nlmsg_put_header(msg.b);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = 3;
	assert_int_equal(xctl_nl_dev_parse_link(nlh, &d), -EINVAL);
}

static struct nlmsghdr *genl(uint8_t cmd)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;

	memset(msg.b, 0, sizeof(msg.b));
	nlh = mnl_nlmsg_put_header(msg.b);
	nlh->nlmsg_type = 0x20;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = 1;
	return nlh;
}

static void test_netdev(void **state)
{
	struct xctl_nl_dev d = {};
	struct nlmsghdr *nlh;

	(void)state;
	nlh = genl(XCTL_NETDEV_CMD_DEV_GET);
	mnl_attr_put_u32(nlh, XCTL_NETDEV_A_DEV_IFINDEX, 5);
	mnl_attr_put_u64(nlh, XCTL_NETDEV_A_DEV_XDP_FEATURES, 0x7);
	mnl_attr_put_u32(nlh, XCTL_NETDEV_A_DEV_XDP_ZC_MAX_SEGS, 1);
	mnl_attr_put_u64(nlh, 99, 0);				/* a newer attribute */
	assert_int_equal(xctl_nl_dev_parse_netdev(nlh, &d), 0);
	assert_int_equal(d.ifindex, 5);
	assert_true(d.features_known);
	assert_true(d.xdp_features == 0x7);
	assert_true(d.zc_known);
	assert_false(d.rx_md_known);
	assert_false(d.xsk_known);

	/* 64-bit features sent as 32 bits */
	nlh = genl(XCTL_NETDEV_CMD_DEV_GET);
	mnl_attr_put_u32(nlh, XCTL_NETDEV_A_DEV_IFINDEX, 5);
	mnl_attr_put_u32(nlh, XCTL_NETDEV_A_DEV_XDP_FEATURES, 0x7);
	assert_int_equal(xctl_nl_dev_parse_netdev(nlh, &d), -EINVAL);

	/* no ifindex: cannot be merged into the snapshot */
	nlh = genl(XCTL_NETDEV_CMD_DEV_GET);
	mnl_attr_put_u64(nlh, XCTL_NETDEV_A_DEV_XDP_FEATURES, 0x7);
	assert_int_equal(xctl_nl_dev_parse_netdev(nlh, &d), -EINVAL);
}

static void test_ethtool_channels_rings(void **state)
{
	struct xctl_eth_channels ch;
	struct xctl_eth_rings rg;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	uint32_t ifindex = 0;

	(void)state;
	nlh = genl(ETHTOOL_MSG_CHANNELS_GET_REPLY);
	nest = mnl_attr_nest_start(nlh, ETHTOOL_A_CHANNELS_HEADER);
	mnl_attr_put_u32(nlh, ETHTOOL_A_HEADER_DEV_INDEX, 9);
	mnl_attr_put_strz(nlh, ETHTOOL_A_HEADER_DEV_NAME, "veth9");
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u32(nlh, ETHTOOL_A_CHANNELS_RX_MAX, 16);
	mnl_attr_put_u32(nlh, ETHTOOL_A_CHANNELS_TX_MAX, 16);
	mnl_attr_put_u32(nlh, ETHTOOL_A_CHANNELS_RX_COUNT, 2);
	mnl_attr_put_u32(nlh, ETHTOOL_A_CHANNELS_TX_COUNT, 4);
	assert_int_equal(xctl_nl_dev_parse_channels(nlh, &ifindex, &ch), 0);
	assert_int_equal(ifindex, 9);
	assert_int_equal(ch.rx, 2);
	assert_int_equal(ch.tx, 4);
	assert_int_equal(ch.tx_max, 16);
	assert_true(ch.combined == XCTL_ETH_ABSENT);
	assert_true(ch.other_max == XCTL_ETH_ABSENT);

	/* a reply without its header names no device */
	nlh = genl(ETHTOOL_MSG_CHANNELS_GET_REPLY);
	mnl_attr_put_u32(nlh, ETHTOOL_A_CHANNELS_RX_COUNT, 2);
	assert_int_equal(xctl_nl_dev_parse_channels(nlh, &ifindex, &ch), -EINVAL);

	/* a header with a malformed ifindex */
	nlh = genl(ETHTOOL_MSG_RINGS_GET_REPLY);
	nest = mnl_attr_nest_start(nlh, ETHTOOL_A_RINGS_HEADER);
	mnl_attr_put_u64(nlh, ETHTOOL_A_HEADER_DEV_INDEX, 9);
	mnl_attr_nest_end(nlh, nest);
	assert_int_equal(xctl_nl_dev_parse_rings(nlh, &ifindex, &rg), -EINVAL);

	/* rings: attributes newer than the table (tcp-data-split, u8) are skipped */
	nlh = genl(ETHTOOL_MSG_RINGS_GET_REPLY);
	nest = mnl_attr_nest_start(nlh, ETHTOOL_A_RINGS_HEADER);
	mnl_attr_put_u32(nlh, ETHTOOL_A_HEADER_DEV_INDEX, 4);
	mnl_attr_nest_end(nlh, nest);
	mnl_attr_put_u32(nlh, ETHTOOL_A_RINGS_TX_MAX, 4096);
	mnl_attr_put_u32(nlh, ETHTOOL_A_RINGS_TX, 512);
	mnl_attr_put_u8(nlh, ETHTOOL_A_RINGS_TCP_DATA_SPLIT, 1);
	assert_int_equal(xctl_nl_dev_parse_rings(nlh, &ifindex, &rg), 0);
	assert_int_equal(ifindex, 4);
	assert_int_equal(rg.tx, 512);
	assert_int_equal(rg.tx_max, 4096);
	assert_true(rg.rx == XCTL_ETH_ABSENT);
}

/* Repeated attributes: the last wins, as in the kernel's nla_parse(). */
static void test_repeated_and_empty(void **state)
{
	static const struct xctl_nl_pol pol[IFLA_MAX + 1] = {
		[IFLA_LINK] = { MNL_TYPE_U32 },
		[IFLA_XDP] = { MNL_TYPE_NESTED },
	};
	const struct nlattr *tb[IFLA_MAX + 1];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	(void)state;
	memset(msg.b, 0, sizeof(msg.b));
	nlh = mnl_nlmsg_put_header(msg.b);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	(void)ifi;
	assert_int_equal(xctl_nl_parse(nlh, sizeof(*ifi), pol, IFLA_MAX, tb, NULL), 0);
	assert_null(tb[IFLA_LINK]);
	mnl_attr_put_u32(nlh, IFLA_LINK, 1);
	mnl_attr_put_u32(nlh, IFLA_LINK, 2);
	mnl_attr_put(nlh, IFLA_XDP, 0, NULL);		/* an empty nest is valid */
	assert_int_equal(xctl_nl_parse(nlh, sizeof(*ifi), pol, IFLA_MAX, tb, NULL), 0);
	assert_int_equal(mnl_attr_get_u32(tb[IFLA_LINK]), 2);
	assert_non_null(tb[IFLA_XDP]);
}

/*
 * The request helper against the kernel (no privileges needed): an error
 * reply (NLMSG_ERROR), a dump ending in NLMSG_DONE, a doit ending in its ACK.
 */
static void test_talk(void **state)
{
	struct xctl_nl_devs devs;
	struct xctl_nl_dev d, *lo;
	struct xctl_err err = {};
	struct xctl_nl nl;
	uint16_t id = 1;

	(void)state;
	assert_int_equal(xctl_nl_open(&nl, NETLINK_GENERIC), 0);
	assert_int_equal(xctl_nl_genl_family(&nl, "xctl-nofamily", &id), -ENOENT);
	assert_int_equal(id, 0);
	assert_int_equal(xctl_nl_genl_family(&nl, "nlctrl", &id), 0);
	assert_int_equal(id, GENL_ID_CTRL);
	xctl_nl_close(&nl);

	assert_int_equal(xctl_nl_devs_get(&devs, 0, &err), 0);
	lo = xctl_nl_devs_find_name(&devs, "lo");
	assert_non_null(lo);
	assert_null(lo->stats64);		/* not asked for: not kept */
	assert_int_equal(xctl_nl_dev_get((int)lo->ifindex, XCTL_NL_DEV_STATS, &d, &err), 0);
	assert_string_equal(d.name, "lo");
	assert_non_null(d.stats64);
	xctl_nl_dev_free(&d);
	xctl_nl_devs_free(&devs);
	assert_int_equal(xctl_nl_dev_get(0x7ffffff0, 0, &d, &err), -ENODEV);
	assert_non_null(strstr(err.what, "no device with ifindex"));
	xctl_err_reset(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link_ok),
		cmocka_unit_test(test_unknown_attributes),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_oversize_and_bad_strings),
		cmocka_unit_test(test_nested_bad),
		cmocka_unit_test(test_netdev),
		cmocka_unit_test(test_ethtool_channels_rings),
		cmocka_unit_test(test_repeated_and_empty),
		cmocka_unit_test(test_talk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
