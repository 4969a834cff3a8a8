// SPDX-License-Identifier: GPL-2.0
/* xctl xdp { stats | show | features }: XDP of many devices at once. */
#include <errno.h>
#include <math.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "args.h"
#include "xdp_cmds.h"

#define MAX_DEVS 256

struct devsel {
	struct xctl_xdp_query q;
	const char *names[MAX_DEVS];
	char idx_names[MAX_DEVS][IF_NAMESIZE];
	bool watch;
	double interval;
	uint64_t count;		/* watch iterations, 0: until interrupted */
};

/*
 * DEV ... | --all, and the verb's own flags (allowed: a mask of "qrw").
 * Returns 0 or EXIT_USAGE (reported).
 */
static int parse_devs(int argc, char **argv, struct devsel *s, const char *verb,
		      const char *allowed)
{
	memset(s, 0, sizeof(*s));
	s->q.sz = sizeof(s->q);
	s->q.devs = s->names;
	s->interval = 1;
	while (argc > 0) {
		const char *a = argv[0];

		if (!strcmp(a, "--all")) {
			s->q.all = true;
		} else if (!strcmp(a, "--queues") && strchr(allowed, 'q')) {
			s->q.queues = true;
		} else if (!strcmp(a, "--raw") && strchr(allowed, 'r')) {
			s->q.raw = true;
		} else if (!strcmp(a, "--watch") && strchr(allowed, 'w')) {
			s->watch = true;
			if (argc > 1 && argv[1][0] != '-') {
				char *end;

				errno = 0;
				s->interval = strtod(argv[1], &end);
				if (!errno && !*end && isfinite(s->interval)) {
					if (s->interval < 0.1 || s->interval > 3600)
						return usage_error("--watch interval '%s' must be between 0.1 and 3600 seconds", argv[1]);
					NEXT_ARG();
				} else {
					s->interval = 1;
				}
			}
		} else if (!strcmp(a, "--count") && strchr(allowed, 'w')) {
			if (argc < 2 || parse_u64(argv[1], &s->count) || !s->count)
				return usage_error("--count needs a positive number");
			NEXT_ARG();
		} else if (a[0] == '-') {
			return usage_error("unknown option '%s' for 'xdp %s'", a, verb);
		} else {
			struct dev_arg d;
			int n;

			if (s->q.dev_cnt == MAX_DEVS)
				return usage_error("at most %d devices", MAX_DEVS);
			n = parse_dev(argc, argv, verb, &d);
			if (n < 0)
				return -n;
			if (!d.name) {
				/* by name from here on; a missing one is reported by name */
				if (!if_indextoname(d.ifindex, s->idx_names[s->q.dev_cnt]))
					snprintf(s->idx_names[s->q.dev_cnt], IF_NAMESIZE, "#%u",
						 d.ifindex);
				d.name = s->idx_names[s->q.dev_cnt];
			}
			s->names[s->q.dev_cnt++] = d.name;
			argc -= n - 1;
			argv += n - 1;
		}
		NEXT_ARG();
	}
	if (s->q.all && s->q.dev_cnt)
		return usage_error("give devices or --all, not both");
	if (s->count && !s->watch)
		return usage_error("--count goes with --watch");
	return 0;
}

/* Readable counts for the text table: 12345, 123.4K, 12.3M, 1.2G. */
static char *human(uint64_t v)
{
	static const char unit[] = "KMGTPE";
	double d = (double)v;
	char *s;
	int u = -1;

	if (v < 100000)
		return asprintf(&s, "%llu", (unsigned long long)v) < 0 ? NULL : s;
	while (d >= 1000 && u < 5) {
		d /= 1000;
		u++;
	}
	return asprintf(&s, "%.1f%c", d, unit[u]) < 0 ? NULL : s;
}

static char *fmt_count(const json_t *row, const json_t *v)
{
	(void)row;
	if (json_is_integer(v))
		return human((uint64_t)json_integer_value(v));
	return strdup("-");
}

/* tx_errors + redirect_errors + xmit_errors + xmit_full + invalid + aborted, if any. */
static char *fmt_errors(const json_t *row, const json_t *v)
{
	static const char *const keys[] = { "tx_errors", "redirect_errors", "xmit_errors",
					    "xmit_full", "invalid", "aborted" };
	const json_t *c = json_object_get(row, "counters");
	uint64_t sum = 0;
	bool any = false;
	size_t i;

	(void)v;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		json_t *x = json_object_get(c, keys[i]);

		if (!json_is_integer(x))
			continue;
		sum += (uint64_t)json_integer_value(x);
		any = true;
	}
	return any ? human(sum) : strdup("-");
}

static const struct out_col stats_cols[] = {
	{ "IFNAME", "ifname" },
	{ "IFINDEX", "ifindex" },
	{ "DRIVER", "driver" },
	{ "MODE", "xdp.mode" },
	{ "PROG", "xdp.prog.id" },
	{ "NAME", "xdp.prog.name" },
	{ "PACKETS", "counters.packets", fmt_count },
	{ "BYTES", "counters.bytes", fmt_count },
	{ "PASS", "counters.pass", fmt_count },
	{ "DROP", "counters.drop", fmt_count },
	{ "TX", "counters.tx", fmt_count },
	{ "REDIRECT", "counters.redirect", fmt_count },
	{ "XMIT", "counters.xmit_packets", fmt_count },
	{ "ERRORS", "counters", fmt_errors },
	{ 0 }
};

int do_xdp_stats(int argc, char **argv)
{
	struct out_view view = { .cols = stats_cols, .empty = "no device has an XDP program (--all shows every device)" };
	struct xctl_err err = {};
	struct devsel s;
	json_t *doc;
	int r;

	r = parse_devs(argc, argv, &s, "stats", "qrw");
	if (r)
		return r;
	if (s.watch)
		return xdp_watch(&s.q, s.interval, s.count);
	if (xctl_xdp_stats(&s.q, &doc, &err))
		return fail(&err);
	if (!json_output && (s.q.queues || s.q.raw))
		return emit(doc, NULL);
	return emit(doc, &view);
}

static char *fmt_progs(const json_t *row, const json_t *v)
{
	char *buf = NULL, *s;
	size_t len = 0, i;
	json_t *p;
	FILE *f;

	(void)row;
	if (!json_array_size(v))
		return strdup("-");
	f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	json_array_foreach(v, i, p) {
		json_t *link = json_object_get(p, "link");

		fprintf(f, "%s%s id %lld %s tag %s", i ? "; " : "",
			json_string_value(json_object_get(p, "mode")),
			json_integer_value(json_object_get(p, "id")),
			json_string_value(json_object_get(p, "name")) ?: "?",
			json_string_value(json_object_get(p, "tag")) ?: "?");
		if (json_is_object(link)) {
			fprintf(f, " link %lld", json_integer_value(json_object_get(link, "id")));
			s = (char *)json_string_value(json_object_get(link, "pinned"));
			if (s)
				fprintf(f, " pinned %s", s);
		}
		if (json_is_true(json_object_get(p, "dev_bound")))
			fprintf(f, " dev_bound");
	}
	fclose(f);
	return buf;
}

int do_xdp_show(int argc, char **argv)
{
	static const struct out_col cols[] = {
		{ "IFNAME", "ifname" },
		{ "IFINDEX", "ifindex" },
		{ "XDP", "progs", fmt_progs },
		{ 0 }
	};
	struct out_view view = { .cols = cols, .empty = "no device has an XDP program (--all shows every device)" };
	struct xctl_err err = {};
	struct xctl_bpffs fs;
	struct devsel s;
	json_t *doc;
	int r;

	r = parse_devs(argc, argv, &s, "show", "");
	if (r)
		return r;
	/* Pins are looked up where they are; show never mounts anything. */
	r = xctl_xdp_show(&s.q, xctl_bpffs_probe(&fs, bpffs_dir) ? NULL : fs.root, &doc, &err);
	if (r)
		return fail(&err);
	return emit(doc, &view);
}

int do_xdp_features(int argc, char **argv)
{
	static const struct out_col cols[] = {
		{ "IFNAME", "ifname" },
		{ "XDP FEATURES", "xdp_features" },
		{ "ZC MAX SEGS", "xdp_zc_max_segs" },
		{ "RX METADATA", "xdp_rx_metadata_features" },
		{ "XSK", "xsk_features" },
		{ 0 }
	};
	struct out_view view = { .cols = cols };
	struct xctl_err err = {};
	struct devsel s;
	json_t *doc;
	int r;

	r = parse_devs(argc, argv, &s, "features", "");
	if (r)
		return r;
	if (xctl_xdp_features(&s.q, &doc, &err))
		return fail(&err);
	return emit(doc, &view);
}
