/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Prometheus expositions for `xctl exporter`: the document model and its
 * renderings.
 *
 * A scrape builds one document, a JSON array of metric families
 *   {"name", "type", "unit"?, "help", "samples": [{"labels": {...}, "value"}]}
 * and renders it as the Prometheus text format 0.0.4, as OpenMetrics 1.0.0 or
 * (with -j) as that JSON. "name" is the OpenMetrics family name: a counter's
 * samples carry "_total" after it and an info family's "_info"; the text
 * format, which has neither type suffix rule nor an info type, names the
 * family after its samples and declares info families as gauges.
 */
#ifndef XCTL_CLI_METRICS_H
#define XCTL_CLI_METRICS_H

#include <stddef.h>
#include <jansson.h>

enum metrics_format {
	METRICS_TEXT,		/* text/plain; version=0.0.4 */
	METRICS_OPENMETRICS,	/* application/openmetrics-text; version=1.0.0 */
};

#define METRICS_TEXT_TYPE	"text/plain; version=0.0.4; charset=utf-8"
#define METRICS_OM_TYPE		"application/openmetrics-text; version=1.0.0; charset=utf-8"

/*
 * A new family appended to `doc` (a JSON array); the returned reference is
 * borrowed. type: "counter", "gauge" or "info"; unit: a base unit the name
 * ends with ("seconds", "bytes") or NULL.
 */
json_t *metric_family(json_t *doc, const char *name, const char *type,
		      const char *unit, const char *help);

/*
 * Append a sample to family fam: value (a JSON integer or real, reference
 * stolen) and the label pairs that follow, NULL-terminated: "device", "eth0",
 * "driver", NULL, ... A pair whose value is NULL is left out (Prometheus treats
 * an empty label as an absent one).
 */
void metric_add(json_t *fam, json_t *value, ...) __attribute__((sentinel));

/* The exposition of doc in fmt (malloc'd, *len bytes, NUL-terminated); NULL on ENOMEM. */
char *metrics_render(const json_t *doc, enum metrics_format fmt, size_t *len);

#endif /* XCTL_CLI_METRICS_H */
