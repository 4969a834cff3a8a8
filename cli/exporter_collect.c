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
	struct xctl_sops_list inv;	/* xctl_sops_list_get() */
	int inv_r;
	struct xctl_err inv_err;
	bool inv_done;
	struct xctl_bpffs fs;
	bool have_fs;			/* a bpffs is mounted there */
};

/*
 * The normalised counters of `xdp stats` (xctl_xdp_counter_names, same
 * order) as families.
 */
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
	/* features: for redirect readiness, from the same link dump */
	XCTL_OPTS(xctl_xdp_query, q, .all = true,
		  .features = !!(s->e->collect & (1U << COL_XDP)));

	if (!s->stats_done) {
		s->stats_done = true;
		s->stats_r = xctl_xdp_stats(&q, &s->stats, &s->stats_err);
	}
	if (s->stats_r)
		*err = s->stats_err;	/* err's log (if any) stays owned by s */
	return s->stats_r;
}

/* The struct_ops inventory, taken once per scrape for modules and struct_ops. */
static int fetch_inv(struct scrape *s, struct xctl_err *err)
{
	if (!s->inv_done) {
		s->inv_done = true;
		s->inv_r = xctl_sops_list_get(&s->inv, s->have_fs ? &s->fs : NULL,
					      &s->inv_err);
	}
	if (s->inv_r)
		*err = s->inv_err;	/* err's log (if any) stays owned by s */
	return s->inv_r;
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

#define N_XDP_COUNTERS (sizeof(xdp_counters) / sizeof(xdp_counters[0]))
/* A counter the library adds needs its family here (name, help, unit). */
_Static_assert(N_XDP_COUNTERS == XCTL_XC_MAX, "xdp_counters[] and enum xctl_xdp_counter differ");

/*
 * One device of the stats document, read once: the families below walk the
 * devices once per counter, and ten thousand JSON lookups per scrape
 * showed in the profile.
 */
struct xdp_row {
	const char *name, *driver;
	long long val[N_XDP_COUNTERS];
	uint32_t have;			/* bit per xdp_counters[] entry */
	int ready;			/* ndo-xmit: 1/0, -1 unknown */
	const json_t *xdp;
};

static void xdp_row_read(struct xdp_row *r, const json_t *dev)
{
	const json_t *xf = json_object_get(dev, "xdp_features"), *v;
	const char *k;
	size_t c;

	memset(r, 0, sizeof(*r));
	r->name = str(dev, "ifname");
	r->driver = str(dev, "driver");
	r->xdp = json_object_get(dev, "xdp");
	r->ready = json_is_array(xf) ? has_feature(xf, "ndo-xmit") : -1;
	json_object_foreach((json_t *)json_object_get(dev, "counters"), k, v) {
		for (c = 0; c < N_XDP_COUNTERS && strcmp(k, xdp_counters[c].key); c++)
			;
		if (c < N_XDP_COUNTERS && json_is_integer(v)) {
			r->val[c] = json_integer_value(v);
			r->have |= 1U << c;
		}
	}
}

static int collect_xdp(struct scrape *s, struct metrics *m, struct xctl_err *err)
{
	size_t c, i, n;
	struct xdp_row *rows;
	int r;

	r = fetch_stats(s, err);
	if (r)
		return r;
	n = json_array_size(s->stats);
	rows = calloc(n ? n : 1, sizeof(*rows));
	if (!rows)
		return xctl_errf(err, ENOMEM, "cannot collect the XDP counters");
	for (i = 0; i < n; i++)
		xdp_row_read(&rows[i], json_array_get(s->stats, i));
	for (c = 0; c < N_XDP_COUNTERS; c++) {
		metric_family(m, xdp_counters[c].name, "counter", xdp_counters[c].unit,
			      xdp_counters[c].help);
		for (i = 0; i < n; i++)
			if (rows[i].have & (1U << c))
				metric_int(m, rows[i].val[c], "device", rows[i].name,
					   "driver", rows[i].driver, NULL);
	}
	metric_family(m, "xctl_xdp", "info", NULL,
		      "The XDP program of a device: mode, program id, name and tag (value 1).");
	for (i = 0; i < n; i++) {
		const json_t *p = json_object_get(rows[i].xdp, "prog");
		char id[24];

		if (!json_is_object(p))
			continue;
		metric_int(m, 1, "device", rows[i].name, "driver", rows[i].driver,
			   "mode", str(rows[i].xdp, "mode"), "prog_id", num(p, "id", id, sizeof(id)),
			   "prog_name", str(p, "name"), "prog_tag", str(p, "tag"), NULL);
	}
	/*
	 * Redirect target readiness, from the netdev features dump of the same
	 * `xdp stats` call: the core refuses a redirect to a device that does
	 * not advertise ndo-xmit. No sample where the kernel reports no
	 * features (no netdev family before 6.3, or a device it does not
	 * describe).
	 */
	metric_family(m, "xctl_xdp_redirect_target_ready", "gauge", NULL,
		      "1 when the device accepts XDP_REDIRECT frames (advertises ndo-xmit), else 0.");
	for (i = 0; i < n; i++)
		if (rows[i].ready >= 0)
			metric_int(m, rows[i].ready, "device", rows[i].name,
				   "driver", rows[i].driver, NULL);
	free(rows);
	return 0;
}

/* Append program p (a program JSON of the library) of type to progs, once per id. */
static void prog_add(json_t *progs, json_t *seen, const json_t *p, const char *type)
{
	char id[24];

	if (!num(p, "id", id, sizeof(id)) || json_object_get(seen, id))
		return;
	json_object_set_new(seen, id, json_true());
	json_array_append_new(progs, json_pack("{s:s, s:O, s:s}", "id", id, "prog", p,
					       "type", type));
}

/*
 * The programs of the registered struct_ops maps (the callbacks of a TCP
 * congestion control): one map lookup and one bpf_prog_info per program. A
 * map gone since the inventory is skipped.
 */
static int sops_progs(struct scrape *s, json_t *progs, json_t *seen, struct xctl_err *err)
{
	json_t *list, *p;
	size_t i, j;
	int r;

	r = fetch_inv(s, err);
	if (r)
		return r;
	for (i = 0; i < s->inv.cnt; i++) {
		if (!s->inv.maps[i].registered)
			continue;
		r = xctl_sops_map_progs(s->inv.maps[i].id, &list, err);
		if (r == -ENOENT) {
			xctl_err_reset(err);
			continue;
		}
		if (r)
			return r;
		json_array_foreach(list, j, p)
			prog_add(progs, seen, p, "struct_ops");
		json_decref(list);
	}
	return 0;
}

/*
 * Run statistics of the programs attached to the devices and of the
 * registered struct_ops maps, each program once (one may run on several
 * devices). The kernel counts only while kernel.bpf_stats_enabled is 1:
 * xctl_bpf_stats_enabled says so, and the counter families stay empty
 * meanwhile (the library reports the run figures as null).
 */
static int collect_prog(struct scrape *s, struct metrics *m, struct xctl_err *err)
{
	json_t *progs, *seen, *dev, *e;
	size_t i;
	int r, pass;

	r = fetch_stats(s, err);
	if (r)
		return r;
	progs = json_array();
	seen = json_object();
	json_array_foreach(s->stats, i, dev)
		prog_add(progs, seen, json_object_get(json_object_get(dev, "xdp"), "prog"), "xdp");
	r = sops_progs(s, progs, seen, err);
	json_decref(seen);
	for (pass = 0; !r && pass < 2; pass++) {
		if (!pass)
			metric_family(m, "xctl_prog_runs", "counter", NULL,
				      "Runs of the program (bpf_prog_info run_cnt; counted while BPF stats are enabled).");
		else
			metric_family(m, "xctl_prog_run_time_seconds", "counter", "seconds",
				      "Time the program ran (bpf_prog_info run_time_ns; counted while BPF stats are enabled).");
		json_array_foreach(progs, i, e) {
			const json_t *p = json_object_get(e, "prog");
			const json_t *cnt = json_object_get(p, "run_cnt");
			const json_t *ns = json_object_get(p, "run_time_ns");

			if (!json_is_integer(cnt) || !json_is_integer(ns))
				continue;
			if (!pass)
				metric_int(m, json_integer_value(cnt), "prog_id", str(e, "id"),
					   "prog_name", str(p, "name"), "prog_tag", str(p, "tag"),
					   "prog_type", str(e, "type"), NULL);
			else
				metric_real(m, (double)json_integer_value(ns) / 1e9, "prog_id",
					    str(e, "id"), "prog_name", str(p, "name"),
					    "prog_tag", str(p, "tag"), "prog_type", str(e, "type"), NULL);
		}
	}
	json_decref(progs);
	if (r)
		return r;
	metric_family(m, "xctl_bpf_stats_enabled", "gauge", NULL,
		      "1 when the kernel counts BPF program runs and run time (sysctl kernel.bpf_stats_enabled), else 0.");
	metric_int(m, xctl_bpf_stats_enabled(), NULL);
	return 0;
}

/*
 * xctl's modules (lsmod). Struct_ops registered outside xctl are not
 * modules: they are in the struct_ops families, keyed by map id, since
 * their map names need not be unique.
 */
static int collect_module(struct scrape *s, struct metrics *m, struct xctl_err *err)
{
	json_t *list, *mod;
	size_t i;
	int r, pass;

	r = fetch_inv(s, err);
	if (r)
		return r;
	r = xctl_module_list_from(s->have_fs ? &s->fs : NULL, &s->inv, &list, err);
	if (r)
		return r;
	for (pass = 0; pass < 2; pass++) {
		if (!pass)
			metric_family(m, "xctl_module", "info", NULL,
				      "An xctl module: object file, its sha256 and the load state (value 1).");
		else
			metric_family(m, "xctl_module_users", "gauge", NULL,
				      "References to the module's struct_ops beyond its own links (e.g. sockets using a TCP congestion control).");
		json_array_foreach(list, i, mod) {
			const char *state = str(mod, "state");
			const json_t *users = json_object_get(mod, "users");

			if (!state || !strcmp(state, "unmanaged"))
				continue;
			if (!pass)
				metric_int(m, 1, "name", str(mod, "name"), "object", str(mod, "object"),
					   "sha256", str(mod, "sha256"), "state", state, NULL);
			else if (json_is_integer(users))
				metric_int(m, json_integer_value(users), "name", str(mod, "name"), NULL);
		}
	}
	json_decref(list);
	return 0;
}

static int collect_struct_ops(struct scrape *s, struct metrics *m, struct xctl_err *err)
{
	const struct xctl_sops_list *inv = &s->inv;
	size_t i;
	int r, pass;

	r = fetch_inv(s, err);
	if (r)
		return r;
	for (pass = 0; pass < 2; pass++) {
		if (!pass)
			metric_family(m, "xctl_struct_ops_registered", "gauge", NULL,
				      "1 when the struct_ops map is registered with its subsystem, else 0.");
		else
			metric_family(m, "xctl_struct_ops_users", "gauge", NULL,
				      "References to the struct_ops map beyond its links.");
		for (i = 0; i < inv->cnt; i++) {
			const struct xctl_sops_map *sm = &inv->maps[i];
			char id[16];

			snprintf(id, sizeof(id), "%u", sm->id);
			metric_int(m, pass ? (long long)sm->users : sm->registered,
				   "kind", sm->kind[0] ? sm->kind : NULL,
				   "ops_name", sm->has_ops_name ? sm->ops_name : NULL,
				   "map_id", id, "map_name", sm->name, "module", sm->module, NULL);
		}
	}
	return 0;
}

static int (*const collectors[COL_MAX])(struct scrape *, struct metrics *, struct xctl_err *) = {
	[COL_XDP] = collect_xdp,
	[COL_PROG] = collect_prog,
	[COL_MODULE] = collect_module,
	[COL_STRUCT_OPS] = collect_struct_ops,
};

static void add_health(struct metrics *m, const struct exporter *e, const double *dur,
		       const bool *ok)
{
	int c, fam;

	metric_family(m, "xctl_build", "info", NULL,
		      "The xctl that exports these metrics and the libbpf it runs with (value 1).");
	metric_int(m, 1, "version", xctl_version(), "libbpf", xctl_libbpf_version(), NULL);
	for (fam = 0; fam < 3; fam++) {
		if (fam == 0)
			metric_family(m, "xctl_scrape_duration_seconds", "gauge", "seconds",
				      "Time the collector took in this scrape.");
		else if (fam == 1)
			metric_family(m, "xctl_scrape_collector_success", "gauge", NULL,
				      "1 when the collector succeeded in this scrape, else 0.");
		else
			metric_family(m, "xctl_scrape_errors", "counter", NULL,
				      "Scrapes in which the collector failed, since the exporter started.");
		for (c = 0; c < COL_MAX; c++) {
			if (!(e->collect & (1U << c)))
				continue;
			/* nanoseconds: the clock's resolution, not the subtraction's noise */
			if (fam == 0)
				metric_real(m, (double)(int64_t)(dur[c] * 1e9 + 0.5) / 1e9,
					    "collector", collector_names[c], NULL);
			else
				metric_int(m, fam == 1 ? ok[c] : (long long)e->errors[c],
					   "collector", collector_names[c], NULL);
		}
	}
}

int exporter_scrape(struct exporter *e, struct metrics *out)
{
	struct scrape s = { .e = e };
	double dur[COL_MAX] = {}, t;
	bool ok[COL_MAX] = {};
	struct metrics part;
	int c, r;

	/* Read-only: look for the bpffs where it is, never mount one. */
	s.have_fs = !xctl_bpffs_probe(&s.fs, e->bpffs);
	for (c = 0; c < COL_MAX; c++) {
		struct xctl_err err = {};

		if (!(e->collect & (1U << c)))
			continue;
		t = now_s();
		r = metrics_open(&part, out->fmt);
		if (!r)
			r = collectors[c](&s, &part, &err);
		if (r == -ENOMEM && !err.what[0])
			xctl_errf(&err, ENOMEM, "cannot build the metrics");
		dur[c] = now_s() - t;
		ok[c] = !r;
		if (r) {
			e->errors[c]++;
			warn("collector %s: %s: %s%s%s", collector_names[c], err.what,
			     xctl_err_reason(&err), err.hint[0] ? "; hint: " : "", err.hint);
			metrics_discard(&part);
		} else {
			metrics_append(out, &part);
		}
		if (err.log != s.stats_err.log && err.log != s.inv_err.log)
			free(err.log);
	}
	add_health(out, e, dur, ok);
	json_decref(s.stats);
	free(s.stats_err.log);
	xctl_sops_list_free(&s.inv);
	free(s.inv_err.log);
	return out->failed ? -ENOMEM : 0;
}
