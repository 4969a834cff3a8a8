// SPDX-License-Identifier: GPL-2.0
/*
 * The collectors of `xctl exporter`. Each turns what the library returns
 * (the `xdp stats --all` document, the netdev features dump, the module list,
 * the struct_ops inventory) into metric families; nothing here talks to the
 * kernel. A scrape fetches each library result at most once, whichever
 * collectors need it, and a collector that fails contributes no family at
 * all (a half-filled family would read as vanished devices).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"
#include "exporter.h"
#include "metrics.h"

const char *const collector_names[COL_MAX + 1] = {
	[COL_XDP] = "xdp",
	[COL_PROG] = "prog",
	[COL_MODULE] = "module",
	[COL_STRUCT_OPS] = "struct_ops",
	NULL,
};

/* What one scrape fetched from the library, shared by the collectors. */
struct scrape {
	struct exporter *e;
	json_t *stats;			/* xctl_xdp_stats(--all) */
	int stats_r;
	struct xctl_err stats_err;
	bool stats_done;
	struct xctl_bpffs fs;
	bool have_fs;			/* a bpffs is mounted there */
};

/* The normalised counters of `xdp stats` (xctl_xdp_counter_names) as families. */
static const struct {
	const char *key, *name, *unit, *help;
} xdp_counters[] = {
	{ "packets", "xctl_xdp_packets", NULL,
	  "Packets the XDP program of the device processed (all actions), summed over queues." },
	{ "bytes", "xctl_xdp_bytes", "bytes",
	  "Bytes of the packets the XDP program of the device processed." },
	{ "pass", "xctl_xdp_pass", NULL, "Packets passed to the network stack (XDP_PASS)." },
	{ "drop", "xctl_xdp_drop", NULL, "Packets dropped (XDP_DROP)." },
	{ "aborted", "xctl_xdp_aborted", NULL, "Packets aborted by the program (XDP_ABORTED)." },
	{ "tx", "xctl_xdp_tx", NULL, "Packets sent back out of the receiving device (XDP_TX)." },
	{ "tx_errors", "xctl_xdp_tx_errors", NULL, "XDP_TX packets the driver failed to send." },
	{ "redirect", "xctl_xdp_redirect", NULL, "Packets redirected (XDP_REDIRECT)." },
	{ "redirect_errors", "xctl_xdp_redirect_errors", NULL, "XDP_REDIRECT packets that failed." },
	{ "xmit_packets", "xctl_xdp_xmit", NULL,
	  "Frames other devices redirected to this device for transmission (ndo_xdp_xmit)." },
	{ "xmit_errors", "xctl_xdp_xmit_errors", NULL,
	  "Frames redirected to this device that it failed to transmit." },
	{ "xmit_full", "xctl_xdp_xmit_full", NULL,
	  "Redirected frames refused because the transmit ring was full." },
	{ "invalid", "xctl_xdp_invalid", NULL,
	  "Packets for which the program returned an invalid action." },
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int fetch_stats(struct scrape *s, struct xctl_err *err)
{
	XCTL_OPTS(xctl_xdp_query, q, .all = true);

	if (!s->stats_done) {
		s->stats_done = true;
		s->stats_r = xctl_xdp_stats(&q, &s->stats, &s->stats_err);
	}
	if (s->stats_r)
		*err = s->stats_err;	/* err's log (if any) stays owned by s */
	return s->stats_r;
}

static const char *str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* Decimal text of an integer member (into buf), NULL when it is not one. */
static const char *num(const json_t *o, const char *key, char *buf, size_t len)
{
	const json_t *v = json_object_get(o, key);

	if (!json_is_integer(v))
		return NULL;
	snprintf(buf, len, "%lld", (long long)json_integer_value(v));
	return buf;
}

static bool has_feature(const json_t *arr, const char *name)
{
	const json_t *v;
	size_t i;

	json_array_foreach(arr, i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), name))
			return true;
	return false;
}

/*
 * Redirect target readiness from the netdev features dump: the core refuses
 * a redirect to a device that does not advertise ndo-xmit. Devices whose
 * features the kernel does not report get no sample; a kernel without the
 * netdev family (before 6.3) gets no family.
 */
static int xdp_ready(json_t *doc, const json_t *stats, struct xctl_err *err)
{
	XCTL_OPTS(xctl_xdp_query, q, .all = true);
	json_t *feats, *fam, *d, *dev, *drivers;
	char key[24];
	size_t i;
	int r;

	r = xctl_xdp_features(&q, &feats, err);
	if (r == -ENOENT || r == -EOPNOTSUPP) {
		xctl_err_reset(err);
		return 0;
	}
	if (r)
		return r;
	/* ifindex -> driver, from the stats of the same scrape */
	drivers = json_object();
	json_array_foreach(stats, i, dev) {
		snprintf(key, sizeof(key), "%lld",
			 (long long)json_integer_value(json_object_get(dev, "ifindex")));
		json_object_set(drivers, key, json_object_get(dev, "driver"));
	}
	fam = metric_family(doc, "xctl_xdp_redirect_target_ready", "gauge", NULL,
			    "1 when the device accepts XDP_REDIRECT frames (advertises ndo-xmit), else 0.");
	json_array_foreach(feats, i, d) {
		const json_t *xf = json_object_get(d, "xdp_features");

		if (!json_is_array(xf))
			continue;
		snprintf(key, sizeof(key), "%lld",
			 (long long)json_integer_value(json_object_get(d, "ifindex")));
		metric_add(fam, json_integer(has_feature(xf, "ndo-xmit")),
			   "device", str(d, "ifname"), "driver", str(drivers, key), NULL);
	}
	json_decref(drivers);
	json_decref(feats);
	return 0;
}

static int collect_xdp(struct scrape *s, json_t *doc, struct xctl_err *err)
{
	json_t *fam, *dev;
	size_t c, i;
	int r;

	r = fetch_stats(s, err);
	if (r)
		return r;
	for (c = 0; c < sizeof(xdp_counters) / sizeof(xdp_counters[0]); c++) {
		fam = metric_family(doc, xdp_counters[c].name, "counter", xdp_counters[c].unit,
				    xdp_counters[c].help);
		json_array_foreach(s->stats, i, dev) {
			json_t *v = json_object_get(json_object_get(dev, "counters"),
						    xdp_counters[c].key);

			if (json_is_integer(v))
				metric_add(fam, json_incref(v), "device", str(dev, "ifname"),
					   "driver", str(dev, "driver"), NULL);
		}
	}
	fam = metric_family(doc, "xctl_xdp", "info", NULL,
			    "The XDP program of a device: mode, program id, name and tag (value 1).");
	json_array_foreach(s->stats, i, dev) {
		const json_t *x = json_object_get(dev, "xdp");
		const json_t *p = json_object_get(x, "prog");
		char id[24];

		if (!json_is_object(p))
			continue;
		metric_add(fam, json_integer(1), "device", str(dev, "ifname"),
			   "driver", str(dev, "driver"), "mode", str(x, "mode"),
			   "prog_id", num(p, "id", id, sizeof(id)), "prog_name", str(p, "name"),
			   "prog_tag", str(p, "tag"), NULL);
	}
	return xdp_ready(doc, s->stats, err);
}

/*
 * Run statistics of the programs attached to the devices, each program once
 * (one may run on several devices). The kernel counts only while
 * kernel.bpf_stats_enabled is 1: xctl_bpf_stats_enabled says so, and the
 * counter families stay empty meanwhile.
 */
static int collect_prog(struct scrape *s, json_t *doc, struct xctl_err *err)
{
	json_t *runs, *time, *seen, *dev, *p;
	bool on = false;
	size_t i;
	int r;

	r = fetch_stats(s, err);
	if (r)
		return r;
	runs = metric_family(doc, "xctl_prog_runs", "counter", NULL,
			     "Runs of the XDP program (bpf_prog_info run_cnt; counted while BPF stats are enabled).");
	time = metric_family(doc, "xctl_prog_run_time_seconds", "counter", "seconds",
			     "Time the XDP program ran (bpf_prog_info run_time_ns; counted while BPF stats are enabled).");
	seen = json_object();
	json_array_foreach(s->stats, i, dev) {
		const json_t *cnt, *ns;
		char id[24];

		p = json_object_get(json_object_get(dev, "xdp"), "prog");
		cnt = json_object_get(p, "run_cnt");
		ns = json_object_get(p, "run_time_ns");
		if (!num(p, "id", id, sizeof(id)) || !json_is_integer(cnt) || !json_is_integer(ns))
			continue;
		on = true;
		if (json_object_get(seen, id))
			continue;
		json_object_set_new(seen, id, json_true());
		metric_add(runs, json_incref((json_t *)cnt), "prog_id", id,
			   "prog_name", str(p, "name"), "prog_tag", str(p, "tag"), NULL);
		metric_add(time, json_real((double)json_integer_value(ns) / 1e9), "prog_id", id,
			   "prog_name", str(p, "name"), "prog_tag", str(p, "tag"), NULL);
	}
	json_decref(seen);
	metric_add(metric_family(doc, "xctl_bpf_stats_enabled", "gauge", NULL,
				 "1 when the kernel counts BPF program runs and run time (sysctl kernel.bpf_stats_enabled), else 0."),
		   json_integer(on || xctl_bpf_stats_enabled()), NULL);
	return 0;
}

/*
 * xctl's modules (lsmod). Struct_ops registered outside xctl are not
 * modules: they are in the struct_ops families, keyed by map id, since
 * their map names need not be unique.
 */
static int collect_module(struct scrape *s, json_t *doc, struct xctl_err *err)
{
	json_t *list, *info, *users, *m;
	size_t i;
	int r;

	r = xctl_module_list(s->have_fs ? &s->fs : NULL, &list, err);
	if (r)
		return r;
	info = metric_family(doc, "xctl_module", "info", NULL,
			     "An xctl module: object file, its sha256 and the load state (value 1).");
	users = metric_family(doc, "xctl_module_users", "gauge", NULL,
			      "References to the module's struct_ops beyond its own links (e.g. sockets using a TCP congestion control).");
	json_array_foreach(list, i, m) {
		const char *state = str(m, "state");

		if (!state || !strcmp(state, "unmanaged"))
			continue;
		metric_add(info, json_integer(1), "name", str(m, "name"), "object", str(m, "object"),
			   "sha256", str(m, "sha256"), "state", state, NULL);
		if (json_is_integer(json_object_get(m, "users")))
			metric_add(users, json_incref(json_object_get(m, "users")),
				   "name", str(m, "name"), NULL);
	}
	json_decref(list);
	return 0;
}

static int collect_struct_ops(struct scrape *s, json_t *doc, struct xctl_err *err)
{
	struct xctl_sops_list inv = {};
	json_t *reg, *users;
	size_t i;
	int r;

	r = xctl_sops_list_get(&inv, s->have_fs ? &s->fs : NULL, err);
	if (r)
		return r;
	reg = metric_family(doc, "xctl_struct_ops_registered", "gauge", NULL,
			    "1 when the struct_ops map is registered with its subsystem, else 0.");
	users = metric_family(doc, "xctl_struct_ops_users", "gauge", NULL,
			      "References to the struct_ops map beyond its links.");
	for (i = 0; i < inv.cnt; i++) {
		const struct xctl_sops_map *m = &inv.maps[i];
		char id[16];

		snprintf(id, sizeof(id), "%u", m->id);
		metric_add(reg, json_integer(m->registered), "kind", m->kind[0] ? m->kind : NULL,
			   "ops_name", m->has_ops_name ? m->ops_name : NULL, "map_id", id,
			   "map_name", m->name, "module", m->module, NULL);
		metric_add(users, json_integer(m->users), "kind", m->kind[0] ? m->kind : NULL,
			   "ops_name", m->has_ops_name ? m->ops_name : NULL, "map_id", id,
			   "map_name", m->name, "module", m->module, NULL);
	}
	xctl_sops_list_free(&inv);
	return 0;
}

static int (*const collectors[COL_MAX])(struct scrape *, json_t *, struct xctl_err *) = {
	[COL_XDP] = collect_xdp,
	[COL_PROG] = collect_prog,
	[COL_MODULE] = collect_module,
	[COL_STRUCT_OPS] = collect_struct_ops,
};

static void add_health(json_t *doc, const struct exporter *e, const double *dur,
		       const bool *ok)
{
	json_t *d, *n, *up;
	int c;

	d = metric_family(doc, "xctl_scrape_duration_seconds", "gauge", "seconds",
			  "Time the collector took in this scrape.");
	up = metric_family(doc, "xctl_scrape_collector_success", "gauge", NULL,
			   "1 when the collector succeeded in this scrape, else 0.");
	n = metric_family(doc, "xctl_scrape_errors", "counter", NULL,
			  "Scrapes in which the collector failed, since the exporter started.");
	for (c = 0; c < COL_MAX; c++) {
		if (!(e->collect & (1U << c)))
			continue;
		/* nanoseconds: the clock's resolution, not the subtraction's noise */
		metric_add(d, json_real((double)(int64_t)(dur[c] * 1e9 + 0.5) / 1e9), "collector",
			   collector_names[c], NULL);
		metric_add(up, json_integer(ok[c]), "collector", collector_names[c], NULL);
		metric_add(n, json_integer((json_int_t)e->errors[c]), "collector",
			   collector_names[c], NULL);
	}
}

json_t *exporter_scrape(struct exporter *e)
{
	struct scrape s = { .e = e };
	double dur[COL_MAX] = {}, t;
	bool ok[COL_MAX] = {};
	json_t *doc = json_array(), *part;
	int c, r;

	if (!doc)
		return NULL;
	/* Read-only: look for the bpffs where it is, never mount one. */
	s.have_fs = !xctl_bpffs_probe(&s.fs, e->bpffs);
	for (c = 0; c < COL_MAX; c++) {
		struct xctl_err err = {};

		if (!(e->collect & (1U << c)))
			continue;
		part = json_array();
		t = now_s();
		r = collectors[c](&s, part, &err);
		dur[c] = now_s() - t;
		ok[c] = !r;
		if (r) {
			e->errors[c]++;
			warn("collector %s: %s: %s", collector_names[c], err.what,
			     xctl_err_reason(&err));
		} else {
			json_array_extend(doc, part);
		}
		json_decref(part);
		if (err.log != s.stats_err.log)
			free(err.log);
	}
	add_health(doc, e, dur, ok);
	json_decref(s.stats);
	free(s.stats_err.log);
	return doc;
}
