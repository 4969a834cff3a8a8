/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * XDP statistics, state and features of many devices at once (`xctl xdp
 * stats | show | features`), and the table that normalises each driver's
 * ethtool statistics into one schema of XDP counters.
 */
#ifndef XCTL_NETDEV_H
#define XCTL_NETDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

struct xctl_err;

/* The normalised XDP counters (DESIGN.md §6), in output order. */
enum xctl_xdp_counter {
	XCTL_XC_PACKETS,
	XCTL_XC_BYTES,
	XCTL_XC_PASS,
	XCTL_XC_DROP,
	XCTL_XC_ABORTED,
	XCTL_XC_TX,
	XCTL_XC_TX_ERRORS,
	XCTL_XC_REDIRECT,
	XCTL_XC_REDIRECT_ERRORS,
	XCTL_XC_XMIT_PACKETS,
	XCTL_XC_XMIT_ERRORS,
	XCTL_XC_XMIT_FULL,
	XCTL_XC_INVALID,
	XCTL_XC_MAX,
};

/* JSON names of the counters ("packets", ..., "invalid"). */
extern const char *const xctl_xdp_counter_names[XCTL_XC_MAX];

struct xctl_xdp_norm {
	enum xctl_xdp_counter counter;
	int queue;		/* queue index, -1 for a device-wide string */
	bool tx;		/* a TX queue's string (else RX) */
};

/*
 * Map one ethtool statistics string of `driver` to the schema. Returns true
 * when the string is one of the driver's XDP counters. Several strings may
 * map to one counter (they are summed); device-wide strings are used only
 * when the driver gives no per-queue string for that counter.
 */
bool xctl_xdp_norm_match(const char *driver, const char *str,
			 struct xctl_xdp_norm *out);
/* True when the table knows the driver. */
bool xctl_xdp_norm_has_driver(const char *driver);

/* ---- many devices at once ---------------------------------------------- */

struct xctl_xdp_query {
	size_t sz;
	const char *const *devs;	/* names or "ifindex N"-resolved names */
	size_t dev_cnt;			/* 0: see all */
	bool all;			/* every device; else those with XDP */
	bool queues;			/* per-queue counters */
	bool raw;			/* the driver's XDP-related raw strings */
	bool features;			/* each device's xdp_features (one netdev
					 * genl dump; null where not reported) */
};

/*
 * `xdp stats`: an array, one object per device (see xctl-xdp(8) for the
 * schema). One RTM_GETLINK dump, ethtool statistics per device (string
 * sets fetched once per driver layout), bpf_prog_info of attached programs.
 */
int xctl_xdp_stats(const struct xctl_xdp_query *q, json_t **out,
		   struct xctl_err *err);
/* `xdp show`: attached programs per device and mode, with their links. */
int xctl_xdp_show(const struct xctl_xdp_query *q, const char *bpffs,
		  json_t **out, struct xctl_err *err);
/* `xdp features`: from one netdev generic netlink dump. */
int xctl_xdp_features(const struct xctl_xdp_query *q, json_t **out,
		      struct xctl_err *err);

#endif /* XCTL_NETDEV_H */
