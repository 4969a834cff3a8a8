/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The device snapshot (not public): what lib/ knows about network devices,
 * from one dump per netlink family for every device of the current network
 * namespace (xctl_nl_devs_get), or the same requests for one ifindex
 * (xctl_nl_dev_get). The caller asks only for what it uses:
 *
 *   always               RTM_GETLINK with RTEXT_FILTER_SKIP_STATS: name,
 *                        kind, IFLA_LINK peer, XDP program ids and mode
 *   XCTL_NL_DEV_STATS    the same dump with IFLA_STATS64
 *   XCTL_NL_DEV_FEATURES netdev genl dev-get: XDP, rx-metadata and xsk
 *                        features, xdp-zc-max-segs (6.3+)
 *   XCTL_NL_DEV_CHANNELS ethtool netlink CHANNELS_GET
 *   XCTL_NL_DEV_RINGS    ethtool netlink RINGS_GET
 *   XCTL_NL_DEV_DRIVER   the driver name (ETHTOOL_GDRVINFO, one ioctl each)
 *
 * The optional parts are best effort: a device or kernel that does not
 * report them leaves them unknown, and the snapshot says why in *_err.
 */
#ifndef XCTL_NL_DEV_H
#define XCTL_NL_DEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>
#include "xctl_priv.h"
#include "ethtool_nl.h"

enum {
	XCTL_NL_DEV_STATS	= 1U << 0,
	XCTL_NL_DEV_FEATURES	= 1U << 1,
	XCTL_NL_DEV_CHANNELS	= 1U << 2,
	XCTL_NL_DEV_RINGS	= 1U << 3,
	XCTL_NL_DEV_DRIVER	= 1U << 4,
};

/* NETDEV_XDP_ACT_* bits of the netdev genl xdp-features attribute. */
#define XCTL_NL_XDP_ACT_BASIC		(1ULL << 0)
#define XCTL_NL_XDP_ACT_NDO_XMIT	(1ULL << 2)

struct nlmsghdr;

struct xctl_nl_dev {
	uint32_t ifindex;
	char name[IF_NAMESIZE];
	char kind[32];			/* IFLA_INFO_KIND, "" when none */
	uint32_t link_ifindex;		/* IFLA_LINK (veth: the peer), 0 when none */
	bool link_other_netns;		/* IFLA_LINK_NETNSID present */
	int32_t link_netnsid;
	uint8_t xdp_attached;		/* XDP_ATTACHED_* */
	uint32_t xdp_prog_id;		/* IFLA_XDP_*PROG_ID, 0: none */
	uint32_t xdp_drv_prog_id;
	uint32_t xdp_skb_prog_id;
	uint32_t xdp_hw_prog_id;
	/* XCTL_NL_DEV_STATS: the raw IFLA_STATS64 payload, NULL if none */
	void *stats64;
	size_t stats64_len;
	/* XCTL_NL_DEV_FEATURES */
	bool features_known;		/* xdp-features reported */
	uint64_t xdp_features;		/* NETDEV_XDP_ACT_* */
	bool zc_known;
	uint32_t zc_max_segs;
	bool rx_md_known;
	uint64_t rx_md_features;	/* NETDEV_XDP_RX_METADATA_* */
	bool xsk_known;			/* the kernel reports xsk-features (6.8+) */
	uint64_t xsk_features;		/* NETDEV_XSK_FLAGS_* */
	/* XCTL_NL_DEV_CHANNELS / _RINGS: false when the driver has none */
	bool channels_known;
	struct xctl_eth_channels channels;
	bool rings_known;
	struct xctl_eth_rings rings;
	/* XCTL_NL_DEV_DRIVER: "" when unknown */
	char driver[32];
};

struct xctl_nl_devs {
	struct xctl_nl_dev *dev;	/* sorted by ifindex */
	size_t cnt, cap;
	/* why the optional dumps asked for gave nothing (-errno), else 0 */
	int features_err;		/* -ENOENT: no netdev family (pre-6.3) */
	int channels_err;
	int rings_err;
};

/* Every device of the current network namespace; 0 or -errno with err. */
int xctl_nl_devs_get(struct xctl_nl_devs *s, unsigned int flags, struct xctl_err *err);
void xctl_nl_devs_free(struct xctl_nl_devs *s);
struct xctl_nl_dev *xctl_nl_devs_find(const struct xctl_nl_devs *s, uint32_t ifindex);
struct xctl_nl_dev *xctl_nl_devs_find_name(const struct xctl_nl_devs *s, const char *name);
/* Next ifindex after *key (NULL: first); -ENOENT after the last. */
int xctl_nl_devs_next(const struct xctl_nl_devs *s, const uint32_t *key, uint32_t *next);

/*
 * One device by ifindex: -ENODEV ("no device with ifindex N") when there is
 * none. Free with xctl_nl_dev_free() when XCTL_NL_DEV_STATS was asked.
 */
int xctl_nl_dev_get(int ifindex, unsigned int flags, struct xctl_nl_dev *d,
		    struct xctl_err *err);
void xctl_nl_dev_free(struct xctl_nl_dev *d);

/* Fill d->driver (one ETHTOOL_GDRVINFO) if the snapshot did not. */
void xctl_nl_dev_driver(struct xctl_nl_dev *d);

/*
 * Message parsers of the snapshot, exposed for the unit tests: they fill d
 * from one RTM_NEWLINK, netdev dev-get, or ethtool CHANNELS/RINGS reply;
 * -EINVAL for a malformed message.
 */
int xctl_nl_dev_parse_link(const struct nlmsghdr *nlh, struct xctl_nl_dev *d);
int xctl_nl_dev_parse_netdev(const struct nlmsghdr *nlh, struct xctl_nl_dev *d);
int xctl_nl_dev_parse_channels(const struct nlmsghdr *nlh, uint32_t *ifindex,
			       struct xctl_eth_channels *ch);
int xctl_nl_dev_parse_rings(const struct nlmsghdr *nlh, uint32_t *ifindex,
			    struct xctl_eth_rings *rg);

#endif /* XCTL_NL_DEV_H */
