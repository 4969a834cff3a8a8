/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * ethtool netlink channel counts and ring sizes of one device (not public;
 * lib/nl/ethtool_nl.c). The all-devices view is the device snapshot's
 * CHANNELS_GET/RINGS_GET dumps (lib/nl/nl_dev.h).
 */
#ifndef XCTL_ETHTOOL_NL_H
#define XCTL_ETHTOOL_NL_H

#include <stdint.h>

struct xctl_err;

/* A value the driver does not report is XCTL_ETH_ABSENT. */
#define XCTL_ETH_ABSENT UINT32_MAX

struct xctl_eth_channels {
	uint32_t rx_max, tx_max, other_max, combined_max;
	uint32_t rx, tx, other, combined;
};

struct xctl_eth_rings {
	uint32_t rx_max, tx_max;
	uint32_t rx, tx;
};

/*
 * CHANNELS_GET / RINGS_GET. Drivers without the operation (veth has no ring
 * parameters) give -EOPNOTSUPP with err filled.
 */
int xctl_eth_channels_get(int ifindex, struct xctl_eth_channels *ch,
			  struct xctl_err *err);
int xctl_eth_rings_get(int ifindex, struct xctl_eth_rings *r,
		       struct xctl_err *err);
/*
 * CHANNELS_SET / RINGS_SET: only the fields not XCTL_ETH_ABSENT are sent
 * (the *_max fields are ignored).
 */
int xctl_eth_channels_set(int ifindex, const struct xctl_eth_channels *ch,
			  struct xctl_err *err);
int xctl_eth_rings_set(int ifindex, const struct xctl_eth_rings *r,
		       struct xctl_err *err);

#endif /* XCTL_ETHTOOL_NL_H */
