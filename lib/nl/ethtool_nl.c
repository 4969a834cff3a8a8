// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ethtool generic netlink: channel counts and ring sizes (what `ethtool -l/-L`
 * and `ethtool -g/-G` do), through libmnl; also the small generic netlink
 * request helpers (xgenl_*) lib/xdp_*.c share. One socket per request; these are
 * single-device operations on the setup/teardown path, never per-device loops
 * of a dump.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/ethtool_netlink.h>
#include "xctl_priv.h"
#include "compat.h"
#include "xdp_priv.h"


static int family_attr_cb(const struct nlattr *attr, void *data)
{
	uint16_t *family = data;

	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(attr, MNL_TYPE_U16) >= 0)
		*family = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr_cb, data);
	return MNL_CB_OK;
}

int xgenl_talk(struct xgenl *s, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	int r;

	nlh->nlmsg_seq = ++s->seq;
	if (mnl_socket_sendto(s->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		r = mnl_socket_recvfrom(s->nl, buf, sizeof(buf));
		if (r < 0)
			return -errno;
		r = mnl_cb_run(buf, r, s->seq, s->portid, cb, data);
		if (r < 0)
			return -errno;
		if (r == MNL_CB_STOP)
			return 0;
	}
}

struct nlmsghdr *xgenl_msg(char *buf, uint16_t type, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *g;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = 1;
	return nlh;
}

void xgenl_close(struct xgenl *s)
{
	if (s->nl)
		mnl_socket_close(s->nl);
	s->nl = NULL;
}

/*
 * Resolved family ids. Generic netlink ids are global (not per network
 * namespace) and fixed while the family's module stays loaded, so one lookup
 * per process and family is enough, also for `redirect show --all`.
 */
static struct {
	const char *name;
	uint16_t id;
} family_cache[4];

static uint16_t cached_family(const char *family)
{
	size_t i;

	for (i = 0; i < sizeof(family_cache) / sizeof(family_cache[0]); i++)
		if (family_cache[i].name && !strcmp(family_cache[i].name, family))
			return family_cache[i].id;
	return 0;
}

static void cache_family(const char *family, uint16_t id)
{
	size_t i;

	for (i = 0; i < sizeof(family_cache) / sizeof(family_cache[0]); i++)
		if (!family_cache[i].name) {
			family_cache[i].name = family;
			family_cache[i].id = id;
			return;
		}
}

/* family must be a string constant: the cache keeps the pointer. */
int xgenl_open(struct xgenl *s, const char *family, struct xctl_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	int r;

	memset(s, 0, sizeof(*s));
	s->seq = (uint32_t)time(NULL);
	s->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!s->nl)
		return xctl_errf(err, errno, "cannot open a generic netlink socket");
	if (mnl_socket_bind(s->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		r = xctl_errf(err, errno, "cannot bind a generic netlink socket");
		xgenl_close(s);
		return r;
	}
	s->portid = mnl_socket_get_portid(s->nl);
	s->family = cached_family(family);
	if (s->family)
		return 0;
	nlh = xgenl_msg(buf, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, NLM_F_ACK);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, family);
	r = xgenl_talk(s, nlh, family_cb, &s->family);
	if (r || !s->family) {
		r = xctl_errf(err, r ? r : ENOENT, "cannot resolve the '%s' generic netlink family",
			      family);
		if (!strcmp(family, ETHTOOL_GENL_NAME))
			xctl_err_hint(err, "the kernel needs CONFIG_ETHTOOL_NETLINK (5.6+)");
		xgenl_close(s);
		return r;
	}
	cache_family(family, s->family);
	return 0;
}

static void put_header(struct nlmsghdr *nlh, uint16_t attr, int ifindex)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, attr);

	mnl_attr_put_u32(nlh, ETHTOOL_A_HEADER_DEV_INDEX, (uint32_t)ifindex);
	mnl_attr_nest_end(nlh, nest);
}

/* Parsed u32 attributes of one reply, indexed by attribute type. */
#define ETH_MAX_ATTR 32
struct u32_attrs {
	uint32_t v[ETH_MAX_ATTR];
	bool set[ETH_MAX_ATTR];
};

static int u32_attr_cb(const struct nlattr *attr, void *data)
{
	struct u32_attrs *a = data;
	uint16_t t = mnl_attr_get_type(attr);

	if (t < ETH_MAX_ATTR && mnl_attr_get_payload_len(attr) == sizeof(uint32_t)) {
		a->v[t] = mnl_attr_get_u32(attr);
		a->set[t] = true;
	}
	return MNL_CB_OK;
}

static int u32_reply_cb(const struct nlmsghdr *nlh, void *data)
{
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), u32_attr_cb, data);
	return MNL_CB_OK;
}

static uint32_t get_or_absent(const struct u32_attrs *a, int t)
{
	return a->set[t] ? a->v[t] : XCTL_ETH_ABSENT;
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

static int eth_get(int ifindex, uint8_t cmd, uint16_t hdr_attr, struct u32_attrs *a,
		   const char *what, struct xctl_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct xgenl s;
	int r;

	r = xgenl_open(&s, ETHTOOL_GENL_NAME, err);
	if (r)
		return r;
	memset(a, 0, sizeof(*a));
	nlh = xgenl_msg(buf, s.family, cmd, NLM_F_ACK);
	put_header(nlh, hdr_attr, ifindex);
	r = xgenl_talk(&s, nlh, u32_reply_cb, a);
	xgenl_close(&s);
	if (r)
		return eth_fail(err, r, what, ifindex);
	return 0;
}

int xctl_eth_channels_get(int ifindex, struct xctl_eth_channels *ch,
			  struct xctl_err *err)
{
	struct u32_attrs a;
	int r;

	r = eth_get(ifindex, ETHTOOL_MSG_CHANNELS_GET, ETHTOOL_A_CHANNELS_HEADER, &a,
		    "cannot read channel counts", err);
	if (r)
		return r;
	ch->rx_max = get_or_absent(&a, ETHTOOL_A_CHANNELS_RX_MAX);
	ch->tx_max = get_or_absent(&a, ETHTOOL_A_CHANNELS_TX_MAX);
	ch->other_max = get_or_absent(&a, ETHTOOL_A_CHANNELS_OTHER_MAX);
	ch->combined_max = get_or_absent(&a, ETHTOOL_A_CHANNELS_COMBINED_MAX);
	ch->rx = get_or_absent(&a, ETHTOOL_A_CHANNELS_RX_COUNT);
	ch->tx = get_or_absent(&a, ETHTOOL_A_CHANNELS_TX_COUNT);
	ch->other = get_or_absent(&a, ETHTOOL_A_CHANNELS_OTHER_COUNT);
	ch->combined = get_or_absent(&a, ETHTOOL_A_CHANNELS_COMBINED_COUNT);
	return 0;
}

int xctl_eth_rings_get(int ifindex, struct xctl_eth_rings *rg, struct xctl_err *err)
{
	struct u32_attrs a;
	int r;

	r = eth_get(ifindex, ETHTOOL_MSG_RINGS_GET, ETHTOOL_A_RINGS_HEADER, &a,
		    "cannot read ring sizes", err);
	if (r)
		return r;
	rg->rx_max = get_or_absent(&a, ETHTOOL_A_RINGS_RX_MAX);
	rg->tx_max = get_or_absent(&a, ETHTOOL_A_RINGS_TX_MAX);
	rg->rx = get_or_absent(&a, ETHTOOL_A_RINGS_RX);
	rg->tx = get_or_absent(&a, ETHTOOL_A_RINGS_TX);
	return 0;
}

static void put_u32_if(struct nlmsghdr *nlh, uint16_t t, uint32_t v)
{
	if (v != XCTL_ETH_ABSENT)
		mnl_attr_put_u32(nlh, t, v);
}

static int eth_set(int ifindex, struct nlmsghdr *nlh, struct xgenl *s,
		   const char *what, struct xctl_err *err)
{
	int r;

	r = xgenl_talk(s, nlh, NULL, NULL);
	xgenl_close(s);
	if (r)
		return eth_fail(err, r, what, ifindex);
	return 0;
}

int xctl_eth_channels_set(int ifindex, const struct xctl_eth_channels *ch,
			  struct xctl_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct xgenl s;
	int r;

	r = xgenl_open(&s, ETHTOOL_GENL_NAME, err);
	if (r)
		return r;
	nlh = xgenl_msg(buf, s.family, ETHTOOL_MSG_CHANNELS_SET, NLM_F_ACK);
	put_header(nlh, ETHTOOL_A_CHANNELS_HEADER, ifindex);
	put_u32_if(nlh, ETHTOOL_A_CHANNELS_RX_COUNT, ch->rx);
	put_u32_if(nlh, ETHTOOL_A_CHANNELS_TX_COUNT, ch->tx);
	put_u32_if(nlh, ETHTOOL_A_CHANNELS_OTHER_COUNT, ch->other);
	put_u32_if(nlh, ETHTOOL_A_CHANNELS_COMBINED_COUNT, ch->combined);
	return eth_set(ifindex, nlh, &s, "cannot set channel counts", err);
}

int xctl_eth_rings_set(int ifindex, const struct xctl_eth_rings *rg,
		       struct xctl_err *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;
	struct xgenl s;
	int r;

	r = xgenl_open(&s, ETHTOOL_GENL_NAME, err);
	if (r)
		return r;
	nlh = xgenl_msg(buf, s.family, ETHTOOL_MSG_RINGS_SET, NLM_F_ACK);
	put_header(nlh, ETHTOOL_A_RINGS_HEADER, ifindex);
	put_u32_if(nlh, ETHTOOL_A_RINGS_RX, rg->rx);
	put_u32_if(nlh, ETHTOOL_A_RINGS_TX, rg->tx);
	return eth_set(ifindex, nlh, &s, "cannot set ring sizes", err);
}
