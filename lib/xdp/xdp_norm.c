// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Driver ethtool strings -> the normalised XDP counters.
 *
 * Each driver names its XDP counters differently (and only some count each
 * action); the patterns below are the strings the drivers' get_strings
 * produce, with '#' standing for a queue or channel number. A counter the
 * driver does not provide is absent from the result, never a made-up 0.
 *
 * Drivers listed without patterns have no XDP string at all in ethtool -S;
 * their get_strings name only ordinary queue counters, and only for the
 * stack's queues (the XDP_TX/redirect rings are not listed):
 *   i40e	i40e_ethtool.c i40e_gstrings_queue_stats: "tx-%u.packets",
 *		"tx-%u.bytes", "rx-%u.packets", "rx-%u.bytes" per
 *		netdev->num_tx_queues; the rest is port./veb./VSI totals.
 *   ice	ice_ethtool.c __ice_get_strings: "tx_queue_%u_packets",
 *		"tx_queue_%u_bytes", "rx_queue_%u_packets", "rx_queue_%u_bytes"
 *		over alloc_txq/alloc_rxq (vsi->xdp_rings are not walked).
 *   ixgbe	ixgbe_ethtool.c ixgbe_get_strings: "tx_queue_%u_packets",
 *		"tx_queue_%u_bytes", "rx_queue_%u_packets", "rx_queue_%u_bytes"
 *		(adapter->xdp_ring[] is not walked).
 *   igc	igc_ethtool.c igc_ethtool_get_strings: "tx_queue_%u_" packets,
 *		bytes, restart and "rx_queue_%u_" packets, bytes, drops,
 *		csum_err, alloc_failed ("drops" is no XDP action counter).
 *   bnxt_en	bnxt_ethtool.c bnxt_get_strings: "[%d]: %s" per completion
 *		ring over bnxt_ring_{rx,tx,tpa,tpa2}_stats_str,
 *		bnxt_rx_sw_stats_str, bnxt_cmn_sw_stats_str, then the
 *		device-wide "rx_total_*"/"tx_total_*" ring_drv_stats.
 * The shared Intel helpers add none: mainline libeth builds rx, tx, xdp and
 * xsk only and libie has no stats code (the proposed libeth stats.c with
 * "xdpsq%u_*" strings is for idpf and is not in mainline).
 * For these, and for drivers not listed, `xdp stats --raw` still shows
 * every string containing "xdp".
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "xctl_priv.h"

const char *const xctl_xdp_counter_names[XCTL_XC_MAX] = {
	[XCTL_XC_PACKETS]		= "packets",
	[XCTL_XC_BYTES]			= "bytes",
	[XCTL_XC_PASS]			= "pass",
	[XCTL_XC_DROP]			= "drop",
	[XCTL_XC_ABORTED]		= "aborted",
	[XCTL_XC_TX]			= "tx",
	[XCTL_XC_TX_ERRORS]		= "tx_errors",
	[XCTL_XC_REDIRECT]		= "redirect",
	[XCTL_XC_REDIRECT_ERRORS]	= "redirect_errors",
	[XCTL_XC_XMIT_PACKETS]		= "xmit_packets",
	[XCTL_XC_XMIT_ERRORS]		= "xmit_errors",
	[XCTL_XC_XMIT_FULL]		= "xmit_full",
	[XCTL_XC_INVALID]		= "invalid",
};

struct norm_rule {
	const char *pattern;		/* '#' = a decimal queue number */
	enum xctl_xdp_counter counter;
	bool tx;
};

#define RX(p, c) { p, XCTL_XC_##c, false }
#define TX(p, c) { p, XCTL_XC_##c, true }

/* drivers/net/veth.c: veth_rq_stats_desc, veth_tq_stats_desc */
static const struct norm_rule veth_rules[] = {
	RX("rx_queue_#_xdp_packets", PACKETS),
	RX("rx_queue_#_xdp_bytes", BYTES),
	RX("rx_queue_#_xdp_drops", DROP),
	RX("rx_queue_#_xdp_redirect", REDIRECT),
	RX("rx_queue_#_xdp_tx", TX),
	RX("rx_queue_#_xdp_tx_errors", TX_ERRORS),
	TX("tx_queue_#_xdp_xmit", XMIT_PACKETS),
	TX("tx_queue_#_xdp_xmit_errors", XMIT_ERRORS),
	{ 0 }
};

/*
 * drivers/net/virtio_net.c: virtnet_rq_stats_desc / virtnet_sq_stats_desc,
 * named "rx_queue_N_x" before 6.10 and "rxN_x" since, with device-wide
 * sums "rx_x" / "tx_x".
 */
static const struct norm_rule virtio_rules[] = {
	RX("rx_queue_#_xdp_packets", PACKETS),
	RX("rx_queue_#_xdp_tx", TX),
	RX("rx_queue_#_xdp_redirects", REDIRECT),
	RX("rx_queue_#_xdp_drops", DROP),
	TX("tx_queue_#_xdp_tx", XMIT_PACKETS),
	TX("tx_queue_#_xdp_tx_drops", XMIT_ERRORS),
	RX("rx#_xdp_packets", PACKETS),
	RX("rx#_xdp_tx", TX),
	RX("rx#_xdp_redirects", REDIRECT),
	RX("rx#_xdp_drops", DROP),
	TX("tx#_xdp_tx", XMIT_PACKETS),
	TX("tx#_xdp_tx_drops", XMIT_ERRORS),
	RX("rx_xdp_packets", PACKETS),
	RX("rx_xdp_tx", TX),
	RX("rx_xdp_redirects", REDIRECT),
	RX("rx_xdp_drops", DROP),
	TX("tx_xdp_tx", XMIT_PACKETS),
	TX("tx_xdp_tx_drops", XMIT_ERRORS),
	{ 0 }
};

/*
 * drivers/net/ethernet/mellanox/mlx5/core/en_stats.c: per channel the RQ's
 * XDP counters (rq_stats_desc "rx%d_xdp_*"), the XDP_TX send queue
 * (rq_xdpsq_stats_desc "rx%d_xdp_tx_*") and the redirect send queue
 * (xdpsq_stats_desc "tx%d_xdp_*"); sw_stats_desc has device-wide sums.
 */
static const struct norm_rule mlx5_rules[] = {
	RX("rx#_xdp_drop", DROP),
	RX("rx#_xdp_redirect", REDIRECT),
	RX("rx#_xdp_tx_xmit", TX),
	RX("rx#_xdp_tx_err", TX_ERRORS),
	RX("rx#_xdp_tx_full", TX_ERRORS),
	TX("tx#_xdp_xmit", XMIT_PACKETS),
	TX("tx#_xdp_err", XMIT_ERRORS),
	TX("tx#_xdp_full", XMIT_FULL),
	RX("rx_xdp_drop", DROP),
	RX("rx_xdp_redirect", REDIRECT),
	RX("rx_xdp_tx_xmit", TX),
	RX("rx_xdp_tx_err", TX_ERRORS),
	RX("rx_xdp_tx_full", TX_ERRORS),
	TX("tx_xdp_xmit", XMIT_PACKETS),
	TX("tx_xdp_err", XMIT_ERRORS),
	TX("tx_xdp_full", XMIT_FULL),
	{ 0 }
};

/* drivers/net/ethernet/amazon/ena/ena_ethtool.c: "queue_%u_rx_" + ena_stats_rx_strings */
static const struct norm_rule ena_rules[] = {
	RX("queue_#_rx_xdp_aborted", ABORTED),
	RX("queue_#_rx_xdp_drop", DROP),
	RX("queue_#_rx_xdp_pass", PASS),
	RX("queue_#_rx_xdp_tx", TX),
	RX("queue_#_rx_xdp_invalid", INVALID),
	RX("queue_#_rx_xdp_redirect", REDIRECT),
	{ 0 }
};

static const struct norm_rule no_rules[] = { { 0 } };

static const struct {
	const char *driver;
	const struct norm_rule *rules;
} drivers[] = {
	{ "veth",	veth_rules },
	{ "virtio_net",	virtio_rules },
	{ "mlx5_core",	mlx5_rules },
	{ "ena",	ena_rules },
	{ "i40e",	no_rules },
	{ "ice",	no_rules },
	{ "ixgbe",	no_rules },
	{ "igc",	no_rules },
	{ "bnxt_en",	no_rules },
};

static const struct norm_rule *rules_of(const char *driver)
{
	size_t i;

	if (!driver)
		return NULL;
	for (i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++)
		if (!strcmp(drivers[i].driver, driver))
			return drivers[i].rules;
	return NULL;
}

bool xctl_xdp_norm_has_driver(const char *driver)
{
	return rules_of(driver) != NULL;
}

/* Match str against pattern; '#' matches one or more digits (the queue). */
static bool match(const char *pattern, const char *str, int *queue)
{
	*queue = -1;
	while (*pattern) {
		if (*pattern == '#') {
			char *end;
			long q;

			if (!isdigit((unsigned char)*str))
				return false;
			q = strtol(str, &end, 10);
			if (q > 0xffff)
				return false;
			*queue = (int)q;
			str = end;
			pattern++;
			continue;
		}
		if (*pattern++ != *str++)
			return false;
	}
	return *str == '\0';
}

bool xctl_xdp_norm_match(const char *driver, const char *str,
			 struct xctl_xdp_norm *out)
{
	const struct norm_rule *r = rules_of(driver);
	int queue;

	for (; r && r->pattern; r++) {
		if (!match(r->pattern, str, &queue))
			continue;
		out->counter = r->counter;
		out->queue = queue;
		out->tx = r->tx;
		return true;
	}
	return false;
}
