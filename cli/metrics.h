/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Prometheus expositions for `xctl exporter`.
 *
 * Collectors describe metric families and their samples through one
 * interface, and a `struct metrics` writes them in the format chosen when it
 * was opened: the Prometheus text format 0.0.4, OpenMetrics 1.0.0 (both
 * streamed into a memory buffer, one pass, no intermediate document: a
 * scrape of a thousand devices has some ten thousand samples), or, for -j,
 * the same families as one JSON document
 *   [{"name", "type", "unit"?, "help", "samples": [{"labels": {...}, "value"}]}]
 * Whatever the format, a family is the same calls, so the renderings never
 * disagree.
 *
 * Names: `name` is the OpenMetrics family name. A counter's samples carry
 * "_total" after it and an info family's "_info"; the text format, which
 * names a family after its samples and has no info type, uses those names
 * in HELP and TYPE and declares info families as gauges. A family that gets
 * no sample is left out entirely.
 */
#ifndef XCTL_CLI_METRICS_H
#define XCTL_CLI_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <jansson.h>

enum metrics_format {
	METRICS_TEXT,		/* text/plain; version=0.0.4 */
	METRICS_OPENMETRICS,	/* application/openmetrics-text; version=1.0.0 */
	METRICS_JSON,		/* the families as a JSON document */
};

#define METRICS_TEXT_TYPE	"text/plain; version=0.0.4; charset=utf-8"
#define METRICS_OM_TYPE		"application/openmetrics-text; version=1.0.0; charset=utf-8"

struct metrics {
	enum metrics_format fmt;
	FILE *f;			/* text formats: a memstream on buf */
	char *buf;
	size_t len;
	json_t *doc;			/* METRICS_JSON: the family array */
	json_t *fam;			/* METRICS_JSON: the current family */
	/* the current family; its header is written with its first sample */
	const char *name, *type, *unit, *help;
	bool started;
	bool failed;			/* out of memory somewhere */
};

/* 0, or -ENOMEM. */
int metrics_open(struct metrics *m, enum metrics_format fmt);
/* Free everything (an unfinished or unwanted exposition). */
void metrics_discard(struct metrics *m);
/* Move everything src holds to the end of dst, and discard src. */
void metrics_append(struct metrics *dst, struct metrics *src);
/*
 * Finish: OpenMetrics gets its "# EOF". Text formats: the exposition
 * (malloc'd, *len bytes); JSON: *doc (a new reference) and NULL returned.
 * NULL with *doc NULL when out of memory. m is discarded either way.
 */
char *metrics_finish(struct metrics *m, size_t *len, json_t **doc);

/*
 * Start a family: type "counter", "gauge" or "info"; unit a base unit the
 * name ends with ("seconds", "bytes") or NULL. The strings must live until
 * the next metric_family() or metrics_finish().
 */
void metric_family(struct metrics *m, const char *name, const char *type,
		   const char *unit, const char *help);

/*
 * A sample of the current family: the value, then label name/value pairs,
 * NULL-terminated ("device", "eth0", "driver", NULL, NULL). A pair whose
 * value is NULL is left out (Prometheus treats an empty label as absent).
 */
void metric_int(struct metrics *m, long long value, ...) __attribute__((sentinel));
void metric_real(struct metrics *m, double value, ...) __attribute__((sentinel));

/*
 * The format an HTTP Accept header (untrusted, NULL when absent) asks for:
 * OpenMetrics when its best q for application/openmetrics-text (any
 * version) is positive and not below the best for text/plain or a
 * wildcard (text/ or any type with subtype "*"); else the text format. Prometheus sends
 * "application/openmetrics-text;version=1.0.0,...,text/plain;version=0.0.4;q=0.5,...".
 */
enum metrics_format metrics_negotiate(const char *accept);

#endif /* XCTL_CLI_METRICS_H */
