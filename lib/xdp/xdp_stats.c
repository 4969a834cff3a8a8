// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * `xdp stats` and `xdp show`: XDP state and counters of many devices in one
 * pass. One RTM_GETLINK dump (the device snapshot shared with the control
 * types), then per selected device a constant number of ethtool ioctls, and
 * bpf_prog_info only for the programs that are attached.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include "xctl_priv.h"
#include "prog.h"
#include "compat.h"
#include "ethtool_priv.h"
#include "xdp_priv.h"

/* The program that runs first on the device: native, else generic, else offload. */
static uint32_t main_prog(const struct xctl_nl_dev *d)
{
	if (d->xdp_attached != XDP_ATTACHED_MULTI)
		return d->xdp_prog_id;
	return d->xdp_drv_prog_id ? d->xdp_drv_prog_id :
	       d->xdp_skb_prog_id ? d->xdp_skb_prog_id : d->xdp_hw_prog_id;
}

/*
 * The mode of main_prog(): the stats contract pairs one mode with one
 * program, so a device with programs in several modes reports the one that
 * runs first (`xdp show` lists them all).
 */
static const char *main_mode(const struct xctl_nl_dev *d)
{
	if (d->xdp_attached != XDP_ATTACHED_MULTI)
		return xdp_mode_name(d->xdp_attached);
	return xdp_mode_name(d->xdp_drv_prog_id ? XDP_ATTACHED_DRV :
			 d->xdp_skb_prog_id ? XDP_ATTACHED_SKB :
			 XDP_ATTACHED_HW);
}

/* The device's XDP runs in generic mode only (no native or offloaded program). */
static bool generic_only(const struct xctl_nl_dev *d)
{
	if (d->xdp_attached == XDP_ATTACHED_SKB)
		return true;
	return d->xdp_attached == XDP_ATTACHED_MULTI && d->xdp_skb_prog_id &&
	       !d->xdp_drv_prog_id && !d->xdp_hw_prog_id;
}

struct qkey {
	int queue;
	bool tx;
	uint64_t val[XCTL_XC_MAX];
	uint32_t have;			/* bit per counter */
};

struct norm_acc {
	uint64_t q_sum[XCTL_XC_MAX], dev_sum[XCTL_XC_MAX];
	uint32_t q_have, dev_have;
	struct qkey *queues;
	size_t nq, capq;
};

static int acc_queue(struct norm_acc *a, const struct xctl_xdp_norm *n, uint64_t v)
{
	size_t i;

	for (i = 0; i < a->nq; i++)
		if (a->queues[i].queue == n->queue && a->queues[i].tx == n->tx)
			break;
	if (i == a->nq) {
		if (a->nq == a->capq) {
			size_t cap = a->capq ? a->capq * 2 : 8;
			void *p = realloc(a->queues, cap * sizeof(*a->queues));

			if (!p)
				return -ENOMEM;
			a->queues = p;
			a->capq = cap;
		}
		memset(&a->queues[i], 0, sizeof(a->queues[i]));
		a->queues[i].queue = n->queue;
		a->queues[i].tx = n->tx;
		a->nq++;
	}
	a->queues[i].val[n->counter] += v;
	a->queues[i].have |= 1U << n->counter;
	return 0;
}

static int cmp_queue(const void *x, const void *y)
{
	const struct qkey *a = x, *b = y;

	if (a->tx != b->tx)
		return a->tx - b->tx;
	return a->queue - b->queue;
}

static json_t *counters_json(const uint64_t *val, uint32_t have)
{
	json_t *o = json_object();
	int c;

	for (c = 0; c < XCTL_XC_MAX; c++)
		if (have & (1U << c))
			json_object_set_new(o, xctl_xdp_counter_names[c], json_integer(val[c]));
	return o;
}

/*
 * Read ifname's ethtool statistics and accumulate its XDP counters into a
 * (and its XDP-related raw strings into raw, when given).
 */
static int norm_read(struct eth_stats_ctx *eth, const struct xctl_nl_devs *devs,
		     const struct xctl_nl_dev *d, char *driver, size_t dlen,
		     struct norm_acc *a, json_t *raw)
{
	const struct eth_layout *lay;
	uint64_t *vals = NULL;
	uint32_t i;
	int r;

	r = eth_stats_read(eth, devs, d, driver, dlen, &lay, &vals);
	if (r)
		return r;
	for (i = 0; i < lay->n; i++) {
		struct xctl_xdp_norm n;
		bool hit = xctl_xdp_norm_match(lay->driver, lay->names[i], &n);

		if (raw && (hit || strstr(lay->names[i], "xdp")))
			json_object_set_new(raw, lay->names[i], json_integer(vals[i]));
		if (!hit)
			continue;
		if (n.queue < 0) {
			a->dev_sum[n.counter] += vals[i];
			a->dev_have |= 1U << n.counter;
			continue;
		}
		a->q_sum[n.counter] += vals[i];
		a->q_have |= 1U << n.counter;
		r = acc_queue(a, &n, vals[i]);
		if (r)
			break;
	}
	free(vals);
	return r;
}

/* Per-queue strings win; device-wide sums fill the counters they lack. */
static uint32_t norm_totals(const struct norm_acc *a, uint64_t *total)
{
	int c;

	for (c = 0; c < XCTL_XC_MAX; c++)
		total[c] = (a->q_have & (1U << c)) ? a->q_sum[c] : a->dev_sum[c];
	return a->q_have | a->dev_have;
}

int xdp_dev_counters(struct eth_stats_ctx *eth, const struct xctl_nl_devs *devs,
		     const struct xctl_nl_dev *d, uint64_t *total, uint32_t *have)
{
	struct norm_acc a = {};
	int r;

	/* the driver's counters are not those of a generic-mode program */
	if (generic_only(d)) {
		memset(total, 0, XCTL_XC_MAX * sizeof(*total));
		*have = 0;
		return 0;
	}
	r = norm_read(eth, devs, d, NULL, 0, &a, NULL);
	free(a.queues);
	if (r == -EOPNOTSUPP) {
		memset(total, 0, XCTL_XC_MAX * sizeof(*total));
		*have = 0;
		return 0;
	}
	if (r)
		return r;
	*have = norm_totals(&a, total);
	return 0;
}

/*
 * One device's object: its state, and its counters (and queues/raw) from its
 * ethtool statistics. *out is set also on failure (what could be read).
 */
static int dev_json(struct eth_stats_ctx *eth, const struct xctl_nl_devs *devs,
		    const struct xctl_nl_dev *d, const struct xctl_xdp_query *q, bool stats,
		    json_t **out)
{
	struct norm_acc a = {};
	uint64_t total[XCTL_XC_MAX];
	json_t *raw = q->raw ? json_object() : NULL, *queues, *dev;
	uint32_t prog = main_prog(d), have;
	const char *mode = main_mode(d);
	char driver[32];
	size_t i;
	int r;

	r = norm_read(eth, devs, d, driver, sizeof(driver), &a, raw);
	dev = json_pack("{s:s, s:I, s:o, s:{s:o, s:o}}",
			"ifname", d->name, "ifindex", (json_int_t)d->ifindex,
			"driver", driver[0] ? json_string(driver) : json_null(),
			"xdp", "mode", mode ? json_string(mode) : json_null(),
			"prog", prog ? xctl_prog_json(prog, stats) : json_null());
	*out = dev;
	if (r == -EOPNOTSUPP || r == -ENODEV) {
		/* No driver statistics: nothing to normalise, nothing made up. */
		r = 0;
	}
	if (r)
		goto out;
	have = norm_totals(&a, total);
	/*
	 * Drivers count native XDP only: while the device's program runs in
	 * generic (skb) mode their XDP counters are stale or zero, never the
	 * program's. They are not reported as its counters (the raw strings
	 * stay available); the program's own run statistics are in "prog".
	 */
	if (generic_only(d)) {
		json_object_set_new(dev, "counters", json_null());
		json_object_set_new(dev, "counters_apply", json_false());
		json_object_set_new(dev, "counters_note", json_string(
			"the driver counts native XDP only; the program runs in generic mode"));
		goto raw;
	}
	json_object_set_new(dev, "counters", counters_json(total, have));
	json_object_set_new(dev, "counters_apply", json_true());
	if (q->queues) {
		queues = json_array();
		if (a.nq)
			qsort(a.queues, a.nq, sizeof(*a.queues), cmp_queue);
		for (i = 0; i < a.nq; i++) {
			json_t *o = json_pack("{s:i, s:s}", "queue", a.queues[i].queue,
					      "direction", a.queues[i].tx ? "tx" : "rx");
			json_t *c = counters_json(a.queues[i].val, a.queues[i].have);

			json_object_update(o, c);
			json_decref(c);
			json_array_append_new(queues, o);
		}
		json_object_set_new(dev, "queues", queues);
	}
raw:
	if (raw) {
		json_object_set_new(dev, "raw", raw);
		raw = NULL;
	}
out:
	json_decref(raw);
	free(a.queues);
	return r;
}

/*
 * Devices the query selects, in ifindex order: the named ones (all must
 * exist), every one (all), or those with an XDP program.
 */
static int select_devs(struct xctl_nl_devs *s, const struct xctl_xdp_query *q,
		       struct xctl_nl_dev ***out, size_t *cnt, struct xctl_err *err)
{
	struct xctl_nl_dev **sel;
	size_t i, j, n = 0;

	sel = calloc(s->cnt + q->dev_cnt + 1, sizeof(*sel));
	if (!sel)
		return xctl_errf(err, ENOMEM, "cannot select devices");
	if (q->dev_cnt) {
		for (j = 0; j < q->dev_cnt; j++) {
			for (i = 0; i < s->cnt; i++)
				if (!strcmp(s->dev[i].name, q->devs[j]))
					break;
			if (i == s->cnt) {
				free(sel);
				xctl_errf(err, ENODEV, "no device named '%s'", q->devs[j]);
				xctl_err_hint_code(err, XCTL_HINT_LIST_DEVICES, NULL, NULL,
						   "list the devices of this network namespace");
				return -ENODEV;
			}
			sel[n++] = &s->dev[i];
		}
	} else {
		for (i = 0; i < s->cnt; i++)
			if (q->all || s->dev[i].xdp_attached)
				sel[n++] = &s->dev[i];
	}
	*out = sel;
	*cnt = n;
	return 0;
}

int xctl_xdp_stats(const struct xctl_xdp_query *q, json_t **out,
		   struct xctl_err *err)
{
	struct xctl_nl_devs devs = {};
	struct eth_stats_ctx eth = { .fd = -1 };
	struct xctl_nl_dev **sel = NULL;
	bool stats = (XCTL_OPT_HAS(q, run_stats) && q->run_stats) || xctl_bpf_stats_enabled();
	json_t *arr = NULL;
	size_t i, n;
	int r;

	r = xctl_nl_devs_get(&devs, XCTL_NL_DEV_CHANNELS |
			     (XCTL_OPT(q, features, false) ? XCTL_NL_DEV_FEATURES : 0), err);
	if (r)
		return r;
	r = select_devs(&devs, q, &sel, &n, err);
	if (r)
		goto out;
	r = eth_stats_open(&eth);
	if (r) {
		xctl_errf(err, r, "cannot open a socket for ethtool");
		goto out;
	}
	arr = json_array();
	for (i = 0; i < n; i++) {
		struct xctl_nl_dev *d = sel[i];
		json_t *dev;

		r = dev_json(&eth, &devs, d, q, stats, &dev);
		if (XCTL_OPT(q, features, false))
			json_object_set_new(dev, "xdp_features", xdp_features_json(d));
		json_array_append_new(arr, dev);
		if (r) {
			xctl_errf(err, r, "cannot read the statistics of %s", d->name);
			goto out;
		}
	}
	*out = arr;
	arr = NULL;
out:
	json_decref(arr);
	eth_stats_close(&eth);
	free(sel);
	xctl_nl_devs_free(&devs);
	return r;
}

/* ---- show ------------------------------------------------------------ */

struct xdp_link {
	uint32_t id, prog_id, ifindex;
	char pinned[PATH_MAX];
};

/*
 * xctl pins XDP links at <bpffs>/xctl/xdp/<ifname> (attach) and
 * <bpffs>/xctl/redirect/<target>/link (a redirect helper, on the target's
 * peer): note which link each pin holds. Read without following links; a
 * link or a foreign object where xctl's pin would be fails the query.
 */
static int note_pins(struct xdp_link *l, size_t n, const struct xctl_bpffs *fs,
		     const char *dir, const char *leaf, struct xctl_err *err)
{
	char path[PATH_MAX];
	struct dirent *de;
	uint32_t link_id;
	size_t i;
	int dfd, r = 0;
	DIR *d;

	if (snprintf(path, sizeof(path), "%s/%s", fs->base, dir) >= (int)sizeof(path))
		return xctl_errf(err, ENAMETOOLONG, "pin path %s/%s", fs->base, dir);
	dfd = xdp_pin_opendir(fs, path, err);
	if (dfd == -ENOENT)
		return 0;	/* nothing of this kind pinned yet */
	if (dfd < 0)
		return dfd;
	d = fdopendir(dfd);
	if (!d) {
		r = xctl_errf(err, errno, "cannot read %s", path);
		close(dfd);
		return r;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof(path), "%s/%s/%s%s", fs->base, dir, de->d_name,
			     leaf) >= (int)sizeof(path))
			continue;
		r = xdp_link_pin_ids(fs, path, &link_id, NULL, err);
		if (r == -ENOENT)
			continue;	/* a redirect setup without helper, or just removed */
		if (r < 0)
			break;
		r = 0;
		for (i = 0; i < n; i++)
			if (l[i].id == link_id)
				snprintf(l[i].pinned, sizeof(l[i].pinned), "%s", path);
	}
	closedir(d);
	return r;
}

/* Every XDP bpf_link of the host, with xctl's pins of them. */
static int xdp_links(struct xdp_link **out, size_t *cnt, const struct xctl_bpffs *fs,
		     struct xctl_err *err)
{
	struct xdp_link *l = NULL;
	size_t n = 0, cap = 0;
	uint32_t id = 0;

	while (!bpf_link_get_next_id(id, &id)) {
		struct bpf_link_info info = {};
		uint32_t len = sizeof(info);
		int fd = bpf_link_get_fd_by_id(id);

		if (fd < 0)
			continue;
		if (bpf_obj_get_info_by_fd(fd, &info, &len) || info.type != BPF_LINK_TYPE_XDP) {
			close(fd);
			continue;
		}
		close(fd);
		if (n == cap) {
			void *p;

			cap = cap ? cap * 2 : 16;
			p = realloc(l, cap * sizeof(*l));
			if (!p) {
				free(l);
				return xctl_errf(err, ENOMEM, "cannot list XDP links");
			}
			l = p;
		}
		memset(&l[n], 0, sizeof(l[n]));
		l[n].id = info.id;
		l[n].prog_id = info.prog_id;
		l[n].ifindex = info.xdp.ifindex;
		n++;
	}
	if (fs) {
		int r = note_pins(l, n, fs, "xdp", "", err) ?:
			note_pins(l, n, fs, "redirect", "/link", err);

		if (r) {
			free(l);
			return r;
		}
	}
	*out = l;
	*cnt = n;
	return 0;
}

/*
 * Whether prog is bound to its device: offloaded programs are; for one xctl
 * attached, its attachment directory records it (bpf_prog_info does not
 * say); otherwise unknown (null).
 */
static json_t *dev_bound_json(uint32_t prog, const char *mode, const struct xdp_link *l,
			      const struct xctl_bpffs *fs, const char *ifname)
{
	char dir[PATH_MAX], pin[PATH_MAX];

	if (!strcmp(mode, xdp_mode_name(XDP_ATTACHED_HW)))
		return json_true();
	if (!fs || !l || !l->pinned[0] ||
	    snprintf(pin, sizeof(pin), "%s/xdp/%s", fs->base, ifname) >= (int)sizeof(pin) ||
	    strcmp(pin, l->pinned) ||
	    snprintf(dir, sizeof(dir), "%s/%s/%s", fs->base, XDP_OBJ_SUBDIR, ifname) >=
	    (int)sizeof(dir))
		return json_null();
	return json_boolean(xdp_obj_is_dev_bound(fs, dir, prog));
}

static json_t *show_prog(uint32_t prog, const char *mode, const struct xdp_link *links,
			 size_t nlinks, uint32_t ifindex, const struct xctl_bpffs *fs,
			 const char *ifname, bool stats)
{
	json_t *p = xctl_prog_json(prog, stats), *link = json_null();
	const struct xdp_link *found = NULL;
	size_t i;

	json_object_set_new(p, "mode", json_string(mode));
	for (i = 0; i < nlinks; i++)
		if (links[i].ifindex == ifindex && links[i].prog_id == prog) {
			json_decref(link);
			link = json_pack("{s:I, s:o}", "id", (json_int_t)links[i].id,
					 "pinned", links[i].pinned[0] ?
					 json_string(links[i].pinned) : json_null());
			found = &links[i];
			break;
		}
	json_object_set_new(p, "link", link);
	json_object_set_new(p, "dev_bound", dev_bound_json(prog, mode, found, fs, ifname));
	return p;
}

int xctl_xdp_show(const struct xctl_xdp_query *q, const char *bpffs,
		  json_t **out, struct xctl_err *err)
{
	struct xctl_nl_devs devs = {};
	struct xctl_nl_dev **sel = NULL;
	struct xdp_link *links = NULL;
	bool stats = xctl_bpf_stats_enabled();
	struct xctl_bpffs fs;
	size_t i, n, nlinks = 0;
	json_t *arr;
	int r;

	r = xctl_nl_devs_get(&devs, 0, err);
	if (r)
		return r;
	r = select_devs(&devs, q, &sel, &n, err);
	if (r)
		goto out;
	/* bpffs: the root of a mounted bpffs, NULL when there is none */
	if (bpffs && xdp_bpffs_probe(bpffs, &fs))
		bpffs = NULL;
	r = xdp_links(&links, &nlinks, bpffs ? &fs : NULL, err);
	if (r)
		goto out;
	arr = json_array();
	for (i = 0; i < n; i++) {
		struct xctl_nl_dev *d = sel[i];
		json_t *progs = json_array();
		const struct { uint32_t id; uint32_t attached; } m[] = {
			{ d->xdp_attached == XDP_ATTACHED_MULTI ? d->xdp_drv_prog_id :
			  d->xdp_attached == XDP_ATTACHED_DRV ? d->xdp_prog_id : 0, XDP_ATTACHED_DRV },
			{ d->xdp_attached == XDP_ATTACHED_MULTI ? d->xdp_skb_prog_id :
			  d->xdp_attached == XDP_ATTACHED_SKB ? d->xdp_prog_id : 0, XDP_ATTACHED_SKB },
			{ d->xdp_attached == XDP_ATTACHED_MULTI ? d->xdp_hw_prog_id :
			  d->xdp_attached == XDP_ATTACHED_HW ? d->xdp_prog_id : 0, XDP_ATTACHED_HW },
		};
		size_t k;

		for (k = 0; k < 3; k++)
			if (m[k].id)
				json_array_append_new(progs, show_prog(m[k].id, xdp_mode_name(m[k].attached), links,
								       nlinks, d->ifindex, bpffs ? &fs : NULL,
								       d->name, stats));
		json_array_append_new(arr, json_pack("{s:s, s:I, s:o}", "ifname", d->name,
						     "ifindex", (json_int_t)d->ifindex,
						     "progs", progs));
	}
	*out = arr;
out:
	free(links);
	free(sel);
	xctl_nl_devs_free(&devs);
	return r;
}
