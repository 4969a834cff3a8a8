// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * XDP redirect targets (DESIGN.md §2 "Redirect targets"): make a device
 * advertise NETDEV_XDP_ACT_NDO_XMIT and give it the TX channels and ring size
 * asked for, recording every change under <bpffs>/xctl/redirect/<ifname>/:
 *
 *   link    the pinned bpf_link of xctl's pass-through program (xdp_pass),
 *           on the veth peer or on the device itself; absent when none was
 *           needed
 *   state   a pinned one-entry array map (BTF: struct xctl_redirect_state)
 *           holding the previous channel/ring values; pinned before the
 *           first change with complete = 0 and set complete when setup
 *           succeeded, so a setup killed half-way can still be torn down
 *
 * setup validates everything before changing anything and undoes what it did
 * when a later step fails; teardown restores from the record, from any later
 * process.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "xctl_priv.h"
#include "compat.h"
#include "core_priv.h"
#include "xdp_priv.h"
#include "test_hooks.h"
#include "xdp_pass.skel.h"

/* What setup will do (or did) to one device. */
struct plan {
	struct xctl_nl_dev dev;
	struct xctl_eth_channels ch;
	bool have_ch;
	struct xctl_eth_rings rg;
	bool have_rg;
	struct xctl_redirect_state st;	/* chan/ring fields describe the plan */
	struct xctl_nl_dev helper;		/* where xdp_pass goes, when st.helper_ifindex */
	struct xctl_bpffs fs;
	char rel[64];			/* redirect/<ifname> below fs.base */
	char dir[PATH_MAX];		/* <bpffs>/xctl/redirect/<ifname> */
	char link_pin[PATH_MAX];
	char state_pin[PATH_MAX];
	const char *ready_reason;
	int peer_ns;			/* fd of the veth peer's other netns, or -1 */
};

static const char *drv_name(const struct xctl_nl_dev *d)
{
	if (d->driver[0])
		return d->driver;
	if (d->kind[0])
		return d->kind;
	return "the driver";
}

static bool has_ndo_xmit(const struct xctl_nl_dev *d)
{
	return d->features_known && (d->xdp_features & XCTL_NL_XDP_ACT_NDO_XMIT);
}

static bool is_veth(const struct xctl_nl_dev *d)
{
	return !strcmp(d->kind, "veth");
}

/*
 * Paths of the record. Only setup may mount the bpffs and create xctl's
 * directory (create); the others look at what is there, and with no bpffs
 * mounted there is no record (the paths stay empty).
 */
static int open_paths(struct plan *p, const struct xctl_redirect_opts *opts,
		      bool create, struct xctl_err *err)
{
	const char *dir = XCTL_OPT(opts, bpffs_dir, NULL);
	int r;

	if (create)
		r = xdp_bpffs_open(dir, XCTL_OPT(opts, no_mount, false), &p->fs, err);
	else
		r = xdp_bpffs_probe(dir, &p->fs);
	if (r == -ENOENT && !create)
		return 0;
	if (r)
		return r;
	snprintf(p->rel, sizeof(p->rel), "redirect/%s", p->dev.name);
	r = xctl_bpffs_path(&p->fs, p->rel, p->dir, sizeof(p->dir), err);
	if (r)
		return r;
	if (snprintf(p->link_pin, sizeof(p->link_pin), "%s/link", p->dir) >=
		    (int)sizeof(p->link_pin) ||
	    snprintf(p->state_pin, sizeof(p->state_pin), "%s/state", p->dir) >=
		    (int)sizeof(p->state_pin))
		return xctl_errf(err, ENAMETOOLONG, "pin path %s", p->dir);
	return 0;
}

/*
 * The record map pinned at path, checked to be one (a one-entry array of at
 * least a version 1 record): its fd and info; -ENOENT (err untouched) when
 * the device was never set up, other -errno with err filled.
 */
static bool is_record(const void *p)
{
	const struct bpf_map_info *info = p;

	return info->type == BPF_MAP_TYPE_ARRAY && info->key_size == 4 &&
	       info->value_size >= offsetof(struct xctl_redirect_state, complete);
}

static int open_state(const struct xctl_bpffs *fs, const char *path,
		      struct bpf_map_info *info, struct xctl_err *err)
{
	return xdp_pin_open_as(fs, path, "bpf-map", info, sizeof(*info), is_record,
			       "it is not xctl's redirect record", err);
}

/* Read the recorded state; -ENOENT (err untouched) when never set up. */
static int read_state(const struct xctl_bpffs *fs, const char *path,
		      struct xctl_redirect_state *st, struct xctl_err *err)
{
	struct bpf_map_info info;
	uint32_t key = 0;
	void *val;
	int fd, r = 0;

	fd = open_state(fs, path, &info, err);
	if (fd < 0)
		return fd;
	val = calloc(1, info.value_size);
	if (!val) {
		r = xctl_errf(err, ENOMEM, "cannot read the record %s", path);
		goto out;
	}
	if (bpf_map_lookup_elem(fd, &key, val))
		r = xctl_errf(err, errno, "cannot read the record %s", path);
	memset(st, 0, sizeof(*st));
	memcpy(st, val, info.value_size < sizeof(*st) ? info.value_size : sizeof(*st));
	free(val);
out:
	close(fd);
	return r;
}

static int plan_channels(struct plan *p, uint32_t rings, struct xctl_err *err)
{
	int r;

	r = xctl_eth_channels_get(p->dev.ifindex, &p->ch, rings ? err : NULL);
	if (r && !rings)
		return 0;	/* not asked to change them: not needed */
	if (r) {
		xctl_errf(err, r, "rings: cannot read the channel counts of %s", p->dev.name);
		if (r == -EOPNOTSUPP)
			xctl_err_why(err, "%s does not support channel parameters",
				     drv_name(&p->dev));
		return r;
	}
	p->have_ch = true;
	if (!rings)
		return 0;
	if (p->ch.tx_max != XCTL_ETH_ABSENT && p->ch.tx_max > 0) {
		p->st.chan = XCTL_REDIRECT_CHAN_TX;
		p->st.chan_prev = p->ch.tx;
	} else if (p->ch.combined_max != XCTL_ETH_ABSENT && p->ch.combined_max > 0) {
		p->st.chan = XCTL_REDIRECT_CHAN_COMBINED;
		p->st.chan_prev = p->ch.combined;
	} else {
		r = xctl_errf(err, EOPNOTSUPP, "rings: cannot set %u TX channels on %s",
			      rings, p->dev.name);
		xctl_err_why(err, "%s exposes no TX or combined channels", drv_name(&p->dev));
		return r;
	}
	{
		uint32_t max = p->st.chan == XCTL_REDIRECT_CHAN_TX ? p->ch.tx_max
								   : p->ch.combined_max;

		if (rings > max) {
			r = xctl_errf(err, ERANGE, "rings: cannot set %u TX channels on %s",
				      rings, p->dev.name);
			xctl_err_why(err, "the maximum is %u", max);
			return r;
		}
	}
	p->st.chan_new = rings;
	return 0;
}

static int plan_rings(struct plan *p, uint32_t size, struct xctl_err *err)
{
	int r;

	r = xctl_eth_rings_get(p->dev.ifindex, &p->rg, err);
	if (r == -EOPNOTSUPP) {
		r = xctl_errf(err, EOPNOTSUPP, "ring size: %s does not support ring parameters",
			      drv_name(&p->dev));
		xctl_err_why(err, "%s has no TX ring size to set", p->dev.name);
		xctl_err_hint_code(err, XCTL_HINT_RING_SIZE, NULL, NULL,
				   "leave the ring size of this device unchanged");
		return r;
	}
	if (r) {
		xctl_errf(err, r, "ring size: cannot read the ring sizes of %s", p->dev.name);
		return r;
	}
	p->have_rg = true;
	if (!size)
		return 0;
	if (p->rg.tx_max == XCTL_ETH_ABSENT || p->rg.tx == XCTL_ETH_ABSENT) {
		r = xctl_errf(err, EOPNOTSUPP, "ring size: %s reports no TX ring size",
			      p->dev.name);
		return r;
	}
	if (size > p->rg.tx_max) {
		r = xctl_errf(err, ERANGE, "ring size: cannot set a TX ring of %u on %s",
			      size, p->dev.name);
		xctl_err_why(err, "the maximum is %u", p->rg.tx_max);
		return r;
	}
	p->st.ring_changed = 1;
	p->st.ring_prev = p->rg.tx;
	p->st.ring_new = size;
	return 0;
}

/*
 * Read the veth peer (p->helper) and its channels where it lives: IFLA_LINK
 * is an ifindex in the peer's namespace, which IFLA_LINK_NETNSID names when
 * it is not ours. Then p->peer_ns is kept open for the attach.
 */
static int inspect_peer(struct plan *p, struct xctl_eth_channels *pch, struct xctl_err *err)
{
	int r, r2, orig = -1;
	uint64_t ino;

	if (p->dev.link_other_netns) {
		r = xdp_netns_find(p->dev.link_netnsid, &p->peer_ns, &ino, err);
		if (r) {
			/* keep the why and hint; say whose namespace it was */
			if (err) {
				char what[sizeof(err->what)];

				snprintf(what, sizeof(what), "%s", err->what);
				snprintf(err->what, sizeof(err->what), "helper: veth peer of %s: %.400s",
					 p->dev.name, what);
			}
			return r;
		}
		p->st.helper_netns = 1;
		p->st.helper_nsid = p->dev.link_netnsid;
		p->st.helper_netns_ino = ino;
		r = xdp_netns_enter(p->peer_ns, &orig, err);
		if (r)
			return r;
	}
	r = xctl_nl_dev_get(p->dev.link_ifindex, XDP_DEV_FLAGS, &p->helper, err);
	if (!r)
		r = xctl_eth_channels_get(p->helper.ifindex, pch, err);
	r2 = xdp_netns_leave(orig, r ? NULL : err);
	return r ? r : r2;
}

/* Decide where, if anywhere, xctl's pass-through program must go. */
static int plan_helper(struct plan *p, struct xctl_err *err)
{
	struct xctl_eth_channels pch;
	uint32_t dev_tx;
	char cnt[16];
	int r;

	if (!p->dev.features_known) {
		r = xctl_errf(err, EOPNOTSUPP, "cannot check whether %s is a redirect target",
			      p->dev.name);
		xctl_err_why(err, "the kernel has no netdev generic netlink family (6.3+)");
		return r;
	}
	if (has_ndo_xmit(&p->dev)) {
		p->ready_reason = "already advertises ndo-xmit";
		return 0;
	}
	if (!is_veth(&p->dev)) {
		if (p->dev.xdp_prog_id) {
			r = xctl_errf(err, EBUSY, "helper: %s cannot be made a redirect target",
				      p->dev.name);
			xctl_err_why(err, "XDP program id %u is attached but ndo-xmit is not advertised",
				     p->dev.xdp_prog_id);
			return r;
		}
		p->helper = p->dev;
		p->ready_reason = "xctl's pass-through XDP program on the device";
		goto out;
	}
	if (!p->dev.link_ifindex) {
		r = xctl_errf(err, EOPNOTSUPP, "helper: cannot give the veth peer of %s NAPI",
			      p->dev.name);
		xctl_err_why(err, "its peer is unknown");
		xctl_err_hint(err, "attach an XDP program to the peer, or enable GRO on it");
		return r;
	}
	r = inspect_peer(p, &pch, err);
	if (r)
		return r;
	if (p->helper.xdp_prog_id) {
		r = xctl_errf(err, EBUSY, "helper: cannot give the veth peer %s of %s NAPI",
			      p->helper.name, p->dev.name);
		xctl_err_why(err, "it has XDP program id %u in a mode without NAPI",
			     p->helper.xdp_prog_id);
		xctl_err_hint(err, "attach that program in native mode");
		return r;
	}
	/* veth refuses XDP on the peer unless its RX queues cover our TX queues. */
	dev_tx = p->st.chan == XCTL_REDIRECT_CHAN_TX ? p->st.chan_new :
		 p->have_ch ? p->ch.tx : XCTL_ETH_ABSENT;
	if (pch.rx != XCTL_ETH_ABSENT && dev_tx != XCTL_ETH_ABSENT && pch.rx < dev_tx) {
		r = xctl_errf(err, ERANGE, "rings: veth peer %s has %u RX channels, fewer than the %u TX channels of %s",
			      p->helper.name, pch.rx, dev_tx, p->dev.name);
		xctl_err_why(err, "veth needs peer RX queues >= TX queues for XDP");
		snprintf(cnt, sizeof(cnt), "%u", pch.rx);
		xctl_err_hint_code(err, XCTL_HINT_TX_CHANNELS, cnt, p->helper.name,
				   "use %u TX channels or raise the RX channels of %s",
				   pch.rx, p->helper.name);
		return r;
	}
	p->ready_reason = "xctl's pass-through XDP program on the veth peer gives it NAPI";
out:
	p->st.helper_ifindex = (uint32_t)p->helper.ifindex;
	snprintf(p->st.helper_ifname, sizeof(p->st.helper_ifname), "%s", p->helper.name);
	return 0;
}

static const char *chan_field(uint32_t chan)
{
	return chan == XCTL_REDIRECT_CHAN_COMBINED ? "combined" : "tx";
}

/*
 * The list of changes a state describes (the plan, or what was done); with
 * `restore`, the reverse (what teardown did).
 */
static json_t *changes_json(const struct xctl_redirect_state *st, bool restore)
{
	json_t *a = json_array();

	if (st->chan)
		json_array_append_new(a, json_pack("{s:s, s:s, s:I, s:I}", "what", "channels",
						   "field", chan_field(st->chan),
						   "from", (json_int_t)(restore ? st->chan_new : st->chan_prev),
						   "to", (json_int_t)(restore ? st->chan_prev : st->chan_new)));
	if (st->ring_changed)
		json_array_append_new(a, json_pack("{s:s, s:s, s:I, s:I}", "what", "ring_size",
						   "field", "tx",
						   "from", (json_int_t)(restore ? st->ring_new : st->ring_prev),
						   "to", (json_int_t)(restore ? st->ring_prev : st->ring_new)));
	if (st->helper_ifindex) {
		json_t *h = json_pack("{s:s, s:s, s:s, s:i, s:s, s:s}",
				      "what", "helper",
				      "action", restore ? "detached" : "attached",
				      "ifname", st->helper_ifname,
				      "ifindex", (int)st->helper_ifindex,
				      "prog", "xctl_pass",
				      "mode", xdp_mode_name(XDP_ATTACHED_DRV));

		/* ifname/ifindex are the peer's in that namespace */
		if (h && st->helper_netns)
			json_object_set_new(h, "netnsid", json_integer(st->helper_nsid));
		json_array_append_new(a, h);
	}
	return a;
}

static int set_chan(int ifindex, uint32_t chan, uint32_t v, struct xctl_err *err)
{
	struct xctl_eth_channels c;

	memset(&c, 0xff, sizeof(c));
	if (chan == XCTL_REDIRECT_CHAN_TX)
		c.tx = v;
	else
		c.combined = v;
	return xctl_eth_channels_set(ifindex, &c, err);
}

static int set_ring(int ifindex, uint32_t v, struct xctl_err *err)
{
	struct xctl_eth_rings rg;

	memset(&rg, 0xff, sizeof(rg));
	rg.tx = v;
	return xctl_eth_rings_set(ifindex, &rg, err);
}

/* Undo what apply() did so far (best effort; the first error is kept). */
static void undo(struct plan *p, bool chan, bool ring, bool link)
{
	if (link)
		xdp_link_unpin(&p->fs, p->link_pin, NULL);
	if (ring)
		set_ring(p->dev.ifindex, p->st.ring_prev, NULL);
	if (chan)
		set_chan(p->dev.ifindex, p->st.chan, p->st.chan_prev, NULL);
	xdp_pin_remove(&p->fs, p->state_pin, false, NULL);
	xdp_pin_remove(&p->fs, p->dir, true, NULL);
}

/* xctl's pass-through program, the verifier's log attached on failure. */
static struct xdp_pass *load_pass(struct xctl_err *err)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo);
	struct xctl_klog klog = {};
	struct xdp_pass *skel = NULL;
	int r;

	if (xctl_klog_init(&klog, &oo)) {
		xctl_errf(err, ENOMEM, "cannot load xctl's pass-through XDP program");
		return NULL;
	}
	skel = xdp_pass__open_opts(&oo);
	r = skel ? xdp_pass__load(skel) : -errno;
	if (r) {
		r = xctl_errf(err, r, "cannot load xctl's pass-through XDP program");
		xctl_klog_attach(&klog, err);
		if (r == -EPERM)
			xctl_err_hint(err, "loading BPF programs needs CAP_BPF (root)");
		xdp_pass__destroy(skel);
		skel = NULL;
	}
	xctl_klog_free(&klog);
	return skel;
}

static int apply(struct plan *p, struct xctl_err *err)
{
	bool chan = false, ring = false, link = false;
	struct xdp_pass *skel;
	struct xctl_nl_dev now;
	uint32_t key = 0;
	int r, fd, sfd, orig;

	skel = load_pass(err);
	if (!skel)
		return -(err && err->errnum ? err->errnum : EINVAL);
	r = xctl_bpffs_mkdir(&p->fs, p->rel, err);
	if (r)
		goto out;
	/*
	 * Record first, marked incomplete: if this process dies half-way,
	 * teardown still knows what to restore.
	 */
	p->st.version = XCTL_REDIRECT_STATE_VERSION;
	p->st.setup_time = (uint64_t)time(NULL);
	p->st.complete = 0;
	sfd = bpf_map__fd(skel->maps.redir_state);
	if (bpf_map_update_elem(sfd, &key, &p->st, 0))
		r = xctl_errf(err, errno, "cannot record the setup at %s", p->state_pin);
	else
		r = xctl_pin_path_pin(&p->fs, sfd, p->state_pin, err);
	if (r) {
		xdp_pin_remove(&p->fs, p->dir, true, NULL);
		goto out;
	}
	xctl_test_pause("redirect-setup", "recorded");
	if (p->st.chan) {
		r = set_chan(p->dev.ifindex, p->st.chan, p->st.chan_new, err);
		if (r) {
			xctl_errf(err, r, "rings: cannot set %u %s channels on %s",
				  p->st.chan_new, chan_field(p->st.chan), p->dev.name);
			goto fail;
		}
		chan = true;
	}
	if (p->st.ring_changed) {
		r = set_ring(p->dev.ifindex, p->st.ring_new, err);
		if (r) {
			xctl_errf(err, r, "ring size: cannot set a TX ring of %u on %s",
				  p->st.ring_new, p->dev.name);
			goto fail;
		}
		ring = true;
	}
	if (p->st.helper_ifindex) {
		/* bpf_link_create resolves the ifindex in the caller's netns. */
		orig = -1;
		if (p->peer_ns >= 0) {
			r = xdp_netns_enter(p->peer_ns, &orig, err);
			if (r)
				goto fail;
		}
		fd = xdp_link_attach_pin(bpf_program__fd(skel->progs.xctl_pass),
					 (int)p->st.helper_ifindex, XDP_FLAGS_DRV_MODE,
					 &p->fs, p->link_pin, err);
		r = xdp_netns_leave(orig, err);
		if (r) {
			/*
			 * Not back in the device's namespace: its ifindex
			 * means nothing here, so leave the channel/ring undo to
			 * teardown (the record stays marked incomplete).
			 */
			if (fd >= 0) {
				xdp_link_unpin(&p->fs, p->link_pin, NULL);
				close(fd);
			}
			goto out;
		}
		if (fd < 0) {
			r = fd;
			if (err) {
				char what[sizeof(err->what)];

				snprintf(what, sizeof(what), "%s", err->what);
				snprintf(err->what, sizeof(err->what), "helper: %.500s", what);
			}
			goto fail;
		}
		close(fd);
		link = true;
	}
	xctl_test_pause("redirect-setup", "helper");
	r = xctl_nl_dev_get(p->dev.ifindex, XDP_DEV_FLAGS, &now, err);
	if (r)
		goto fail;
	if (!has_ndo_xmit(&now)) {
		r = xctl_errf(err, EOPNOTSUPP, "%s does not advertise ndo-xmit after setup",
			      p->dev.name);
		xctl_err_why(err, "%s cannot be an XDP redirect target", drv_name(&p->dev));
		goto fail;
	}
	p->st.complete = 1;
	if (bpf_map_update_elem(sfd, &key, &p->st, 0)) {
		r = xctl_errf(err, errno, "cannot record the setup at %s", p->state_pin);
		goto fail;
	}
	r = 0;
	goto out;
fail:
	undo(p, chan, ring, link);
out:
	xdp_pass__destroy(skel);
	return r;
}

/* The plan of device d (a copy is kept) and the paths of its record. */
static int plan_dev(struct plan *p, const struct xctl_nl_dev *d,
		    const struct xctl_redirect_opts *opts, bool create, struct xctl_err *err)
{
	memset(p, 0, sizeof(*p));
	p->peer_ns = -1;
	p->dev = *d;
	p->st.ifindex = d->ifindex;
	snprintf(p->st.ifname, sizeof(p->st.ifname), "%s", p->dev.name);
	return open_paths(p, opts, create, err);
}

static int plan_init(struct plan *p, int ifindex, const struct xctl_redirect_opts *opts,
		     bool create, struct xctl_err *err)
{
	struct xctl_nl_dev d;
	int r;

	r = xctl_nl_dev_get(ifindex, XDP_DEV_FLAGS, &d, err);
	if (r)
		return r;
	return plan_dev(p, &d, opts, create, err);
}

static int setup_rest(struct plan *p, bool dry, int ifindex, json_t **report,
		      struct xctl_err *err)
{
	struct xctl_redirect_state old;
	int r;

	/* After validation, so a bad request names its bad part first. */
	r = read_state(&p->fs, p->state_pin, &old, err);
	if (r && r != -ENOENT)
		return r;
	if (!r) {
		r = xctl_errf(err, EEXIST, "cannot set up %s", p->dev.name);
		if (old.complete)
			xctl_err_why(err, "it is already set up by xctl (%s)", p->dir);
		else
			xctl_err_why(err, "an earlier setup was interrupted (%s)", p->dir);
		xctl_err_hint_code(err, XCTL_HINT_TEARDOWN, p->dev.name, NULL,
				   "tear down the redirect setup of %s first", p->dev.name);
		return r;
	}
	if (!dry) {
		r = apply(p, err);
		if (r)
			return r;
	}
	*report = json_pack("{s:s, s:i, s:b, s:o, s:b, s:s, s:s}",
			    "ifname", p->dev.name, "ifindex", ifindex, "dry_run", dry,
			    dry ? "plan" : "changes", changes_json(&p->st, false),
			    "ready", !dry || has_ndo_xmit(&p->dev),
			    "reason", p->ready_reason, "pinned", p->dir);
	return 0;
}

static int redirect_setup(int ifindex, const struct xctl_redirect_opts *opts,
			  json_t **report, struct xctl_err *err);

/*
 * setup and teardown hold the device's lock (xctl_dev_lock: host-wide, for
 * the whole change), so a concurrent teardown cannot remove the record
 * while a setup is between its first record and its helper pin, which left
 * an orphaned helper that no record named.
 */
int xctl_redirect_setup(int ifindex, const struct xctl_redirect_opts *opts,
			json_t **report, struct xctl_err *err)
{
	int lock, r;

	*report = NULL;
	if (XCTL_OPT(opts, dry_run, false))
		return redirect_setup(ifindex, opts, report, err);
	lock = xctl_dev_lock(ifindex, err);
	if (lock < 0)
		return lock;
	r = redirect_setup(ifindex, opts, report, err);
	xctl_dev_unlock(lock);
	return r;
}

static int redirect_setup(int ifindex, const struct xctl_redirect_opts *opts,
			  json_t **report, struct xctl_err *err)
{
	uint32_t rings = XCTL_OPT(opts, rings, 0);
	uint32_t size = XCTL_OPT(opts, ring_size, 0);
	bool dry = XCTL_OPT(opts, dry_run, false);
	struct plan p;
	int r;

	*report = NULL;
	r = plan_init(&p, ifindex, opts, !dry, err);
	if (r)
		return r;
	r = plan_channels(&p, rings, err);
	if (r)
		return r;
	if (size) {
		r = plan_rings(&p, size, err);
		if (r)
			return r;
	}
	r = plan_helper(&p, err);
	if (!r)
		r = setup_rest(&p, dry, ifindex, report, err);
	if (p.peer_ns >= 0)
		close(p.peer_ns);
	return r;
}

/*
 * No record, but xctl's helper link pinned where the record would be (a
 * setup killed between the two, or one raced before the lock existed):
 * remove that helper, which only xctl pins there.
 */
static int teardown_orphan(struct plan *p, int ifindex, json_t **report,
			   struct xctl_err *err)
{
	uint32_t link_id = 0;
	int r;

	r = xdp_link_pin_ids(&p->fs, p->link_pin, &link_id, NULL, err);
	if (r < 0)
		return r;
	r = xdp_link_unpin(&p->fs, p->link_pin, err);
	if (r && r != -ENOENT)
		return r;
	xdp_pin_remove(&p->fs, p->dir, true, NULL);
	/* nothing recorded to restore; the helper's link is what was removed */
	*report = json_pack("{s:s, s:i, s:[], s:{s:I, s:s}, s:b}", "ifname", p->dev.name,
			    "ifindex", ifindex, "restored", "orphaned_helper",
			    "link_id", (json_int_t)link_id, "pinned", p->link_pin, "ready", 0);
	return 0;
}

static int redirect_teardown(int ifindex, const struct xctl_redirect_opts *opts,
			     json_t **report, struct xctl_err *err);

int xctl_redirect_teardown(int ifindex, const struct xctl_redirect_opts *opts,
			   json_t **report, struct xctl_err *err)
{
	int lock, r;

	*report = NULL;
	lock = xctl_dev_lock(ifindex, err);
	if (lock < 0)
		return lock;
	r = redirect_teardown(ifindex, opts, report, err);
	xctl_dev_unlock(lock);
	return r;
}

static int redirect_teardown(int ifindex, const struct xctl_redirect_opts *opts,
			     json_t **report, struct xctl_err *err)
{
	struct xctl_nl_dev now;
	struct plan p;
	int r;

	r = plan_init(&p, ifindex, opts, false, err);
	if (r)
		return r;
	r = read_state(&p.fs, p.state_pin, &p.st, err);
	if (r == -ENOENT) {
		r = teardown_orphan(&p, ifindex, report, err);
		if (r != -ENOENT)
			return r;
		xctl_errf(err, r, "cannot tear down %s", p.dev.name);
		xctl_err_why(err, "it was not set up by xctl (no record at %s)",
			     p.dir[0] ? p.dir : "<bpffs>/xctl/redirect");
		xctl_err_hint_code(err, XCTL_HINT_REDIRECT_SHOW, NULL, NULL,
				   "the redirect setup's state shows what it holds");
		return r;
	}
	if (r)
		return r;
	if (p.st.ifindex != (uint32_t)ifindex) {
		r = xctl_errf(err, ESTALE, "cannot tear down %s", p.dev.name);
		xctl_err_why(err, "the record at %s is of ifindex %u (%s), a device since renamed or removed",
			     p.dir, p.st.ifindex, p.st.ifname);
		xctl_err_hint(err, "remove %s by hand after checking the device", p.dir);
		return r;
	}
	if (p.st.helper_ifindex) {
		r = xdp_link_unpin(&p.fs, p.link_pin, err);
		if (r && r != -ENOENT)
			return r;
	}
	xctl_test_pause("redirect-teardown", "unpinned");
	if (p.st.ring_changed) {
		r = set_ring(ifindex, p.st.ring_prev, err);
		if (r) {
			xctl_errf(err, r, "ring size: cannot restore the TX ring of %s to %u",
				  p.dev.name, p.st.ring_prev);
			return r;
		}
	}
	if (p.st.chan) {
		r = set_chan(ifindex, p.st.chan, p.st.chan_prev, err);
		if (r) {
			xctl_errf(err, r, "rings: cannot restore the %s channels of %s to %u",
				  chan_field(p.st.chan), p.dev.name, p.st.chan_prev);
			return r;
		}
	}
	r = xdp_pin_remove(&p.fs, p.state_pin, false, err);
	if (r)
		return r;
	xdp_pin_remove(&p.fs, p.dir, true, NULL);	/* kept if someone added to it */
	r = xctl_nl_dev_get(ifindex, XDP_DEV_FLAGS, &now, err);
	if (r)
		return r;
	*report = json_pack("{s:s, s:i, s:o, s:b}", "ifname", p.dev.name, "ifindex", ifindex,
			    "restored", changes_json(&p.st, true), "ready", has_ndo_xmit(&now));
	return 0;
}

static json_t *u32_or_null(uint32_t v)
{
	return v == XCTL_ETH_ABSENT ? json_null() : json_integer(v);
}

static json_t *channels_json(const struct xctl_nl_dev *d)
{
	const struct xctl_eth_channels *c = &d->channels;

	if (!d->channels_known)
		return json_null();
	return json_pack("{s:{s:o, s:o, s:o, s:o}, s:{s:o, s:o, s:o, s:o}}",
			 "current", "rx", u32_or_null(c->rx), "tx", u32_or_null(c->tx),
			 "combined", u32_or_null(c->combined), "other", u32_or_null(c->other),
			 "max", "rx", u32_or_null(c->rx_max), "tx", u32_or_null(c->tx_max),
			 "combined", u32_or_null(c->combined_max),
			 "other", u32_or_null(c->other_max));
}

static json_t *rings_json(const struct xctl_nl_dev *d)
{
	const struct xctl_eth_rings *rg = &d->rings;

	if (!d->rings_known)
		return json_null();
	return json_pack("{s:{s:o, s:o}, s:{s:o, s:o}}",
			 "current", "rx", u32_or_null(rg->rx), "tx", u32_or_null(rg->tx),
			 "max", "rx", u32_or_null(rg->rx_max), "tx", u32_or_null(rg->tx_max));
}

/* Why a device is or is not a redirect target, in words. */
static const char *reason(const struct xctl_nl_dev *d, const struct xctl_nl_dev *peer,
			  char *buf, size_t len)
{
	if (!d->features_known)
		return "unknown: the kernel has no netdev generic netlink family";
	if (has_ndo_xmit(d))
		return "advertises ndo-xmit";
	if (is_veth(d)) {
		if (d->link_other_netns)
			return "veth peer (in another namespace) has no NAPI: no XDP program, GRO off";
		if (peer && peer->ifindex) {
			snprintf(buf, len, "veth peer %s has no NAPI: no XDP program, GRO off",
				 peer->name);
			return buf;
		}
		return "veth peer has no NAPI";
	}
	if (!(d->xdp_features & 1))
		return "no XDP support in the driver";
	return "the driver needs an XDP program on the device";
}

/* The recorded setup of a device, rendered from the map's own BTF. */
static json_t *record_json(const struct xctl_bpffs *fs, const char *state_pin)
{
	struct bpf_map_info info;
	uint32_t key = 0;
	json_t *out = NULL;
	struct btf *btf;
	void *val;
	int fd;

	fd = open_state(fs, state_pin, &info, NULL);
	if (fd < 0)
		return NULL;
	if (!info.btf_id)
		goto out;
	btf = btf__load_from_kernel_by_id(info.btf_id);
	if (!btf)
		goto out;
	val = calloc(1, info.value_size);
	if (val && !bpf_map_lookup_elem(fd, &key, val))
		xctl_btf_to_json(btf, info.btf_value_type_id, val, info.value_size, NULL,
				 &out, NULL);
	free(val);
	btf__free(btf);
out:
	close(fd);
	return out;
}

/*
 * What show reports about a device: the snapshot's link, features, channels
 * and rings; the driver name only for a device without a kind (show_one).
 */
#define SHOW_FLAGS (XCTL_NL_DEV_FEATURES | XCTL_NL_DEV_CHANNELS | XCTL_NL_DEV_RINGS)

/* d with its veth peer (when in this namespace), from the snapshot or asked. */
static json_t *show_one(struct xctl_nl_dev *d, const struct xctl_nl_dev *peer,
			const struct xctl_redirect_opts *opts, struct xctl_err *err)
{
	struct xctl_redirect_state st;
	char buf[160], lpin[PATH_MAX];
	uint32_t link_id = 0, prog_id = 0;
	json_t *helper = json_null(), *rec;
	struct plan p;
	int r;

	if (!d->kind[0])
		xctl_nl_dev_driver(d);	/* the kind column falls back to it */
	if (plan_dev(&p, d, opts, false, err))
		return NULL;
	snprintf(lpin, sizeof(lpin), "%s", p.link_pin);
	r = read_state(&p.fs, p.state_pin, &st, err);
	if (r && r != -ENOENT)
		return NULL;
	rec = r ? NULL : record_json(&p.fs, p.state_pin);
	r = rec && st.helper_ifindex ?
	    xdp_link_pin_ids(&p.fs, lpin, &link_id, &prog_id, err) : -ENOENT;
	if (r < 0 && r != -ENOENT) {
		json_decref(rec);
		return NULL;
	}
	if (r >= 0) {
		helper = json_pack("{s:s, s:i, s:I, s:I, s:s}", "ifname", st.helper_ifname,
				   "ifindex", (int)st.helper_ifindex, "link_id", (json_int_t)link_id,
				   "prog_id", (json_int_t)prog_id, "pinned", lpin);
		if (helper && st.helper_netns)
			json_object_set_new(helper, "netnsid", json_integer(st.helper_nsid));
	}
	return json_pack("{s:s, s:i, s:s?, s:o, s:s, s:o, s:o, s:o, s:o, s:o}",
			 "ifname", d->name, "ifindex", (int)d->ifindex,
			 "kind", d->kind[0] ? d->kind : (d->driver[0] ? d->driver : NULL),
			 "ready", d->features_known ? json_boolean(has_ndo_xmit(d)) : json_null(),
			 "reason", reason(d, peer, buf, sizeof(buf)),
			 "channels", channels_json(d), "rings", rings_json(d),
			 "helper", helper,
			 "changes", rec ? changes_json(&st, false) : json_null(),
			 "record", rec ? rec : json_null());
}

static bool peer_here(const struct xctl_nl_dev *d)
{
	return is_veth(d) && d->link_ifindex && !d->link_other_netns;
}

/* One device: its requests by ifindex. */
static int show_ifindex(int ifindex, const struct xctl_redirect_opts *opts,
			json_t **report, struct xctl_err *err)
{
	struct xctl_nl_dev d, peer = {};
	json_t *o;
	int r;

	r = xctl_nl_dev_get(ifindex, SHOW_FLAGS, &d, err);
	if (r)
		return r;
	if (peer_here(&d))
		xctl_nl_dev_get((int)d.link_ifindex, XDP_DEV_FLAGS, &peer, NULL);
	o = show_one(&d, &peer, opts, err);
	if (!o)
		return -(err && err->errnum ? err->errnum : EINVAL);
	*report = o;
	return 0;
}

/*
 * Every device from one snapshot: a constant number of dumps whatever the
 * number of devices (and per device, its record's pins and driver name).
 */
int xctl_redirect_show(int ifindex, const struct xctl_redirect_opts *opts,
		       json_t **report, struct xctl_err *err)
{
	struct xctl_nl_devs devs;
	json_t *arr, *o;
	size_t i;
	int r;

	*report = NULL;
	if (ifindex)
		return show_ifindex(ifindex, opts, report, err);
	r = xctl_nl_devs_get(&devs, SHOW_FLAGS, err);
	if (r)
		return r;
	arr = json_array();
	for (i = 0; i < devs.cnt; i++) {
		struct xctl_nl_dev *d = &devs.dev[i];
		const struct xctl_nl_dev *peer = NULL;

		if (peer_here(d))
			peer = xctl_nl_devs_find(&devs, d->link_ifindex);
		o = show_one(d, peer, opts, err);
		if (!o) {
			/* xctl's record of d cannot be trusted: say so, show nothing */
			r = -(err && err->errnum ? err->errnum : ENOMEM);
			break;
		}
		json_array_append_new(arr, o);
	}
	xctl_nl_devs_free(&devs);
	if (r) {
		json_decref(arr);
		return r;
	}
	*report = arr;
	return 0;
}
