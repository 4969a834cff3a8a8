/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Driver statistics through the ethtool ioctls, for many devices at once:
 * one socket, and each driver layout's string set fetched once.
 */
#ifndef XCTL_ETHTOOL_PRIV_H
#define XCTL_ETHTOOL_PRIV_H

#include <stdint.h>
#include <linux/ethtool.h>

/* A driver's statistics layout: its strings, shared by same-shaped devices. */
struct eth_layout {
	char driver[32];
	uint32_t n;
	uint32_t rx, tx, combined;	/* channel counts: part of the layout key */
	char (*names)[ETH_GSTRING_LEN + 1];	/* NUL-terminated, even at full length */
	struct eth_layout *next;
};

struct eth_stats_ctx {
	int fd;
	struct eth_layout *layouts;
};

int eth_stats_open(struct eth_stats_ctx *c);
void eth_stats_close(struct eth_stats_ctx *c);
/* The driver name of ifname ("" when none) and its stat count; 0 or -errno. */
int eth_info(struct eth_stats_ctx *c, const char *ifname, char *driver, size_t len,
	     uint32_t *n_stats);
/*
 * Read the statistics of d, a device of snapshot s (NULL: a device alone):
 * *lay is its layout (owned by c), *vals the values (malloc'd, lay->n of
 * them), driver (when not NULL) the driver name, "" when unknown.
 * -EOPNOTSUPP when the driver has no statistics. Two ioctls (ETHTOOL_GDRVINFO,
 * ETHTOOL_GSTATS), ETHTOOL_GSTRINGS for a layout not seen before, and
 * ETHTOOL_GCHANNELS only when s holds no ethtool channels dump.
 */
struct xctl_nl_dev;
struct xctl_nl_devs;
int eth_stats_read(struct eth_stats_ctx *c, const struct xctl_nl_devs *s,
		   const struct xctl_nl_dev *d, char *driver, size_t dlen,
		   const struct eth_layout **lay, uint64_t **vals);

#endif /* XCTL_ETHTOOL_PRIV_H */
