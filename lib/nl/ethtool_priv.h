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
 * Read ifname's statistics: *lay is its layout (owned by c), *vals the
 * values (malloc'd, lay->n of them). -EOPNOTSUPP when the driver has none.
 */
int eth_stats_read(struct eth_stats_ctx *c, const char *ifname,
		   const struct eth_layout **lay, uint64_t **vals);

/*
 * ifname's normalised XDP counters (lib/xdp_stats.c): total[XCTL_XC_MAX],
 * *have a bit per counter the driver provides (0 for a device without
 * driver statistics).
 */
int xdp_dev_counters(struct eth_stats_ctx *eth, const char *ifname,
		     uint64_t *total, uint32_t *have);

#endif /* XCTL_ETHTOOL_PRIV_H */
