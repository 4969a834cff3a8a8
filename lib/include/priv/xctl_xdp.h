/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * XDP: statistics, state and features of many devices at once (`xctl xdp
 * stats | show | features`) with the table that normalises each driver's
 * ethtool statistics into one schema of XDP counters; redirect targets, XDP
 * metadata and xctl-managed XDP attachments.
 *
 * Redirect setup makes a device usable as the target of an XDP redirect:
 * the kernel refuses a redirect unless the target advertises
 * NETDEV_XDP_ACT_NDO_XMIT. veth advertises it only while its peer has NAPI
 * (an XDP program on the peer); most hardware drivers need an XDP program on
 * the target itself. Setup optionally changes the TX channel count and TX
 * ring size (ethtool netlink), attaches xctl's pass-through XDP program where
 * needed (as a bpf_link), and records everything it changed under
 * <bpffs>/xctl/redirect/<ifname>/ so that teardown, from any later process,
 * restores exactly the previous state.
 *
 * All functions take an ifindex in the current network namespace and fill
 * *report (a new JSON reference the caller owns) on success.
 */
#ifndef XCTL_XDP_H
#define XCTL_XDP_H

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
	/*
	 * The caller holds a BPF_ENABLE_STATS fd (xctl_bpf_stats_enable()):
	 * report run_cnt/run_time_ns although kernel.bpf_stats_enabled is 0.
	 */
	bool run_stats;
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


/* Option structs carry bpffs_dir (NULL: XCTL_BPFFS_DEFAULT) and no_mount. */

/* ---- redirect targets ----------------------------------------------------- */

struct xctl_redirect_opts {
	size_t sz;
	uint32_t rings;		/* TX channels for XDP; 0: leave unchanged */
	uint32_t ring_size;	/* TX ring size; 0: leave unchanged */
	bool dry_run;		/* validate and report the plan only */
	const char *bpffs_dir;	/* NULL: XCTL_BPFFS_DEFAULT */
	bool no_mount;
};
#define xctl_redirect_opts__last_field no_mount

/*
 * Validate everything first (channel maxima, ring support, program
 * ownership); any part that cannot be done fails with err naming it
 * ("ring size: veth does not support ring parameters") and nothing changed.
 * Then apply, verify NDO_XMIT is advertised, and record the previous state.
 * Any failure after the first change undoes what was done.
 * *report: {"ifname", "dry_run", "plan"|"changes": [...], "ready": bool, ...}
 */
int xctl_redirect_setup(int ifindex, const struct xctl_redirect_opts *opts,
			json_t **report, struct xctl_err *err);

/*
 * Remove the helper program and restore channels/rings; -ENOENT if never set
 * up. show and teardown never mount a bpffs (no bpffs: no record).
 */
int xctl_redirect_teardown(int ifindex, const struct xctl_redirect_opts *opts,
			   json_t **report, struct xctl_err *err);

/*
 * Readiness (yes/no and reason), channels, rings, helper program, recorded
 * changes. ifindex 0: every device of the namespace (*report is an array);
 * otherwise one object.
 */
int xctl_redirect_show(int ifindex, const struct xctl_redirect_opts *opts,
		       json_t **report, struct xctl_err *err);

/* ---- attach / detach ------------------------------------------------------ */

enum xctl_xdp_mode {
	XCTL_XDP_MODE_DEFAULT = 0,	/* native if the driver supports it */
	XCTL_XDP_MODE_NATIVE,
	XCTL_XDP_MODE_GENERIC,
	XCTL_XDP_MODE_OFFLOAD,
};

/*
 * The mode names, indexed by enum xctl_xdp_mode ("default", "native",
 * "generic", "offload") and NULL-terminated: the words attach takes and xdp
 * show/stats print (lib/xdp/xdp_mode.c).
 */
extern const char *const xctl_xdp_mode_names[];

struct xctl_xdp_attach_opts {
	size_t sz;
	const char *prog_name;	/* NULL: the object's only/first XDP program */
	enum xctl_xdp_mode mode;
	bool replace;		/* replace a program already attached */
	const char *bpffs_dir;
	bool no_mount;
	/* LIBBPF_PIN_BY_NAME maps go here (a directory of the bpffs) */
	const char *pin_root;
	/* "MAP=N": max_entries of maps (required for maps declared unsized) */
	char *const *max_entries;
	size_t max_entries_cnt;
	/* load the program bound to the device even without metadata kfuncs */
	bool dev_bound;
};
#define xctl_xdp_attach_opts__last_field dev_bound

/*
 * Load obj as its author declared it and attach its XDP program through a
 * bpf_link pinned at <bpffs>/xctl/xdp/<ifname>: every program its maps'
 * initialisers name is loaded too, maps are sized and pinned as declared,
 * and what must outlive xctl (prog_arrays, LIBBPF_PIN_BY_NAME maps) is
 * pinned in <bpffs>/xctl/xdp-maps/<ifname>/ (or pin_root); programs that
 * call XDP RX metadata kfuncs are loaded bound to the device.
 */
int xctl_xdp_attach(int ifindex, const char *obj_path,
		    const struct xctl_xdp_attach_opts *opts, json_t **report,
		    struct xctl_err *err);

struct xctl_xdp_detach_opts {
	size_t sz;
	bool force;		/* also remove programs xctl did not attach */
	const char *bpffs_dir;
	bool no_mount;		/* unused: detach never mounts a bpffs */
};
#define xctl_xdp_detach_opts__last_field no_mount

int xctl_xdp_detach(int ifindex, const struct xctl_xdp_detach_opts *opts,
		    json_t **report, struct xctl_err *err);

/*
 * xctl's pinned XDP link for ifname, if any: {"link_id", "prog_id", "pinned"}.
 * Returns 0 and *out NULL when there is none. For `xdp show`.
 */
int xctl_xdp_link_info(const char *ifname, const char *bpffs_dir, json_t **out,
		       struct xctl_err *err);

/*
 * The names of the XDP programs of BPF object obj_path, in object order
 * (what `xctl xdp attach DEV OBJ prog NAME` accepts). The object is opened,
 * not loaded: no privilege needed, nothing reaches the kernel.
 */
int xctl_xdp_obj_progs(const char *obj_path, json_t **out, struct xctl_err *err);

/* ---- XDP metadata ---------------------------------------------------------- */

/*
 * xdp-rx-metadata-features, xsk tx metadata features, the kfunc prototypes
 * (from kernel BTF) and the hardware timestamping configuration.
 */
int xctl_xdp_metadata_show(int ifindex, json_t **report, struct xctl_err *err);

/* RX hardware timestamping on (all packets) / off; report holds before/after. */
int xctl_xdp_hwtstamp_rx(int ifindex, bool enable, json_t **report,
			 struct xctl_err *err);

#endif /* XCTL_XDP_H */
