// SPDX-License-Identifier: GPL-2.0
/*
 * xctl xdp stats --watch: a live view of the XDP counters. Every interval
 * the devices are read again and each counter gets its per-second rate
 * beside its total; with --queues per queue too. The attached programs' run
 * count and time per run come from bpf_prog_info while xctl holds a
 * BPF_ENABLE_STATS fd (as bpftop does), so the host-wide sysctl is left as
 * it was, whatever way xctl ends.
 *
 * Text: xdp-bench's style (grouped digits, pps and bit/s), one block per
 * device. On a terminal the screen is redrawn; piped, the banner is printed
 * once and each interval starts with its time. JSON: one document per line,
 * {"time", "interval", "devices"} (schema/xdp/stats-watch.json).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "xdp_cmds.h"

static volatile sig_atomic_t stop_watch;

static void on_signal(int sig)
{
	(void)sig;
	stop_watch = 1;
}

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* RFC 3339 UTC with milliseconds: 2026-12-01T17:19:48.123Z. */
static json_t *rfc3339_now(void)
{
	struct timespec ts;
	struct tm tm;
	char buf[40];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), ".%03ldZ",
		 ts.tv_nsec / 1000000);
	return json_string(buf);
}

/* ---- rates -------------------------------------------------------------- */

/* Per-second rates of the integer members of cur against prev; a counter
 * that went backwards (a driver reset) has no rate this interval. */
static json_t *rates_of(const json_t *cur, const json_t *prev, double dt,
			const char *const *skip)
{
	json_t *rates = json_object(), *v, *o;
	const char *k;
	size_t i;

	json_object_foreach((json_t *)cur, k, v) {
		for (i = 0; skip && skip[i] && strcmp(skip[i], k); i++)
			;
		if (skip && skip[i])
			continue;
		o = json_object_get(prev, k);
		if (!json_is_integer(v) || !json_is_integer(o) ||
		    json_integer_value(v) < json_integer_value(o))
			continue;
		json_object_set_new(rates, k, json_real(
			(double)(json_integer_value(v) - json_integer_value(o)) / dt));
	}
	return rates;
}

/* The same device in prev: same ifindex and name (an ifindex can be reused). */
static const json_t *prev_dev(const json_t *prev, const json_t *d)
{
	const json_t *p;
	size_t i;

	json_array_foreach(prev, i, p)
		if (json_equal(json_object_get(p, "ifindex"), json_object_get(d, "ifindex")) &&
		    json_equal(json_object_get(p, "ifname"), json_object_get(d, "ifname")))
			return p;
	return NULL;
}

static const json_t *prev_queue(const json_t *pq, const json_t *q)
{
	const json_t *e;
	size_t i;

	json_array_foreach(pq, i, e)
		if (json_equal(json_object_get(e, "queue"), json_object_get(q, "queue")) &&
		    json_equal(json_object_get(e, "direction"), json_object_get(q, "direction")))
			return e;
	return NULL;
}

/* Program rates: runs/s, ns/s and ns per run over the interval. */
static void prog_rates(json_t *prog, const json_t *pprog, double dt)
{
	static const char *const keys[] = { "run_cnt", "run_time_ns" };
	json_int_t dc, dn;
	json_t *r;

	if (!json_is_object(prog))
		return;
	if (!json_is_object(pprog) ||
	    !json_equal(json_object_get(prog, "id"), json_object_get(pprog, "id"))) {
		json_object_set_new(prog, "rates", json_object());
		json_object_set_new(prog, "ns_per_run", json_null());
		return;
	}
	r = json_object();
	json_object_set_new(prog, "rates", r);
	json_object_set_new(prog, "ns_per_run", json_null());
	if (!json_is_integer(json_object_get(prog, keys[0])) ||
	    !json_is_integer(json_object_get(pprog, keys[0])) ||
	    !json_is_integer(json_object_get(prog, keys[1])) ||
	    !json_is_integer(json_object_get(pprog, keys[1])))
		return;
	dc = json_integer_value(json_object_get(prog, keys[0])) -
	     json_integer_value(json_object_get(pprog, keys[0]));
	dn = json_integer_value(json_object_get(prog, keys[1])) -
	     json_integer_value(json_object_get(pprog, keys[1]));
	if (dc < 0 || dn < 0)
		return;
	json_object_set_new(r, keys[0], json_real(dc / dt));
	json_object_set_new(r, keys[1], json_real(dn / dt));
	if (dc)
		json_object_set_new(prog, "ns_per_run", json_real((double)dn / dc));
}

/* Add "rates" to each device, queue and program of cur. */
static void add_rates(json_t *cur, const json_t *prev, double dt)
{
	static const char *const qskip[] = { "queue", NULL };
	const json_t *p;
	json_t *d, *q;
	size_t i, j;

	json_array_foreach(cur, i, d) {
		p = prev_dev(prev, d);
		json_object_set_new(d, "rates", rates_of(json_object_get(d, "counters"),
							 p ? json_object_get(p, "counters") : NULL,
							 dt, NULL));
		json_array_foreach(json_object_get(d, "queues"), j, q) {
			const json_t *pq = p ? prev_queue(json_object_get(p, "queues"), q) : NULL;

			json_object_set_new(q, "rates", rates_of(q, pq, dt, qskip));
		}
		prog_rates(json_path(d, "xdp.prog"), p ? json_path(p, "xdp.prog") : NULL, dt);
	}
}

/* ---- text --------------------------------------------------------------- */

/* 1234567 -> "1,234,567", as xdp-bench prints counts (any locale). */
static void group(char *buf, size_t len, unsigned long long v)
{
	char digits[32];
	size_t n, i, o = 0;

	n = (size_t)snprintf(digits, sizeof(digits), "%llu", v);
	for (i = 0; i < n && o + 2 < len; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

static void print_line(const char *indent, const char *name, const json_t *rate,
		       const json_t *total, bool bytes)
{
	char r[40] = "", t[40] = "";

	if (json_is_number(rate))
		group(r, sizeof(r), (unsigned long long)(json_number_value(rate) *
							  (bytes ? 8 : 1) + 0.5));
	if (json_is_integer(total))
		group(t, sizeof(t), (unsigned long long)json_integer_value(total));
	printf("%s%-*s %18s %-6s %20s%s\n", indent, (int)(18 - strlen(indent)), name,
	       *r ? r : "-", bytes ? "bit/s" : "pps", *t ? t : "-", bytes ? " bytes" : "");
}

/* The counter lines of one device or queue: what the driver provides. */
static void print_counters(const char *indent, const json_t *counters, const json_t *rates)
{
	const char *k;
	json_t *v;

	json_object_foreach((json_t *)counters, k, v) {
		if (!strcmp(k, "queue") || !strcmp(k, "direction") || !strcmp(k, "rates"))
			continue;
		print_line(indent, k, json_object_get(rates, k), v, !strcmp(k, "bytes"));
	}
}

static void print_prog(const json_t *d)
{
	const json_t *prog = json_path(d, "xdp.prog");
	const json_t *runs = json_path(prog, "rates.run_cnt");
	const json_t *nsr = json_object_get(prog, "ns_per_run");
	char r[40], t[40];

	if (!json_is_object(prog)) {
		printf("  no XDP program\n");
		return;
	}
	printf("  prog %s (id %lld, %s)", json_string_value(json_object_get(prog, "name")) ?: "?",
	       (long long)json_integer_value(json_object_get(prog, "id")),
	       json_string_value(json_path(d, "xdp.mode")) ?: "?");
	if (!json_is_integer(json_object_get(prog, "run_cnt"))) {
		printf(": run counts need BPF statistics\n");
		return;
	}
	group(t, sizeof(t), (unsigned long long)json_integer_value(json_object_get(prog, "run_cnt")));
	if (json_is_number(runs)) {
		group(r, sizeof(r), (unsigned long long)(json_number_value(runs) + 0.5));
		printf(": %s runs/s", r);
	} else {
		printf(":");
	}
	if (json_is_number(nsr))
		printf(", %.0f ns/run", json_number_value(nsr));
	printf(", %s runs\n", t);
}

static void print_interval(const json_t *doc, bool queues)
{
	const json_t *devs = json_object_get(doc, "devices"), *d, *q;
	char what[64];
	size_t i, j;

	printf("%s  interval %.3fs\n", json_string_value(json_object_get(doc, "time")),
	       json_number_value(json_object_get(doc, "interval")));
	if (!json_array_size(devs))
		printf("  no devices\n");
	json_array_foreach(devs, i, d) {
		printf("%s (ifindex %lld, %s)\n", json_string_value(json_object_get(d, "ifname")),
		       (long long)json_integer_value(json_object_get(d, "ifindex")),
		       json_string_value(json_object_get(d, "driver")) ?: "no driver");
		print_prog(d);
		if (json_is_string(json_object_get(d, "counters_note")))
			printf("  %s\n", json_string_value(json_object_get(d, "counters_note")));
		print_counters("  ", json_object_get(d, "counters"), json_object_get(d, "rates"));
		if (!queues)
			continue;
		json_array_foreach(json_object_get(d, "queues"), j, q) {
			snprintf(what, sizeof(what), "  %s queue %lld",
				 json_string_value(json_object_get(q, "direction")) ?: "?",
				 (long long)json_integer_value(json_object_get(q, "queue")));
			printf("%s\n", what);
			print_counters("    ", q, json_object_get(q, "rates"));
		}
	}
}

static void print_banner(double interval)
{
	printf("xctl xdp stats --watch: per-second rates over %gs and totals "
	       "(Ctrl-C to stop)\n", interval);
	printf("  %-16s %18s %-6s %20s\n", "COUNTER", "RATE", "", "TOTAL");	/* as print_line */
}

/* ---- the loop ----------------------------------------------------------- */

/* Only the devices asked for by name (all of them when names is empty). */
static void filter(json_t *devs, const char *const *names, size_t n)
{
	size_t i, k;

	if (!n)
		return;
	for (i = json_array_size(devs); i-- > 0;) {
		const char *name = json_string_value(json_object_get(json_array_get(devs, i),
								     "ifname"));

		for (k = 0; k < n && strcmp(names[k], name ?: ""); k++)
			;
		if (k == n)
			json_array_remove(devs, i);
	}
}

static void sleep_until(double deadline)
{
	double left = deadline - mono_now();
	struct timespec ts;

	if (left <= 0)
		return;
	ts.tv_sec = (time_t)left;
	ts.tv_nsec = (long)((left - ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);	/* a signal ends it early: stop_watch says why */
}

int xdp_watch(struct xctl_xdp_query *q, double interval, uint64_t count)
{
	struct xctl_err err = {};
	const char *const *names = q->devs;
	size_t name_cnt = q->dev_cnt;
	bool tty = isatty(STDOUT_FILENO), queues = q->queues;
	json_t *prev = NULL, *cur, *doc;
	double t_prev, t, start;
	uint64_t n = 0;
	int stats_fd, r = EXIT_OK;

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	signal(SIGPIPE, on_signal);
	stats_fd = xctl_bpf_stats_enable(&err);
	if (stats_fd < 0 && !xctl_bpf_stats_enabled())
		warn("%s: %s; program run counts are not shown", err.what,
		     xctl_err_reason(&err));
	xctl_err_reset(&err);
	q->run_stats = stats_fd >= 0;

	/* The first read checks the devices asked for; later reads take every
	 * device and keep those names, so one going away (or coming back)
	 * does not end the watch. */
	if (xctl_xdp_stats(q, &prev, &err)) {
		r = fail(&err);
		goto out;
	}
	start = t_prev = mono_now();
	if (name_cnt) {
		q->all = true;
		q->devs = NULL;
		q->dev_cnt = 0;
	}
	if (!json_output && !tty && !quiet_output)
		print_banner(interval);
	while (!stop_watch) {
		sleep_until(start + (n + 1) * interval);
		if (stop_watch)
			break;
		if (xctl_xdp_stats(q, &cur, &err)) {
			r = fail(&err);
			break;
		}
		t = mono_now();
		filter(cur, names, name_cnt);
		add_rates(cur, prev, t - t_prev);
		json_decref(prev);
		prev = json_deep_copy(cur);
		doc = json_pack("{s:o, s:f, s:o}", "time", rfc3339_now(),
				"interval", (double)(long long)((t - t_prev) * 1000 + 0.5) / 1000,
				"devices", cur);
		t_prev = t;
		if (json_output) {
			emit(doc, NULL);	/* one line each: JSON lines */
		} else if (!quiet_output) {
			if (tty) {
				fputs("\033[H\033[2J", stdout);
				print_banner(interval);
			}
			print_interval(doc, queues);
			fflush(stdout);
			json_decref(doc);
		} else {
			json_decref(doc);
		}
		if (count && ++n >= count)
			break;
		if (!count)
			n++;
	}
out:
	json_decref(prev);
	if (stats_fd >= 0)
		close(stats_fd);	/* statistics back to what they were */
	return r;
}
