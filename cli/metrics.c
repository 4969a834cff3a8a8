// SPDX-License-Identifier: GPL-2.0
/*
 * Rendering of exporter documents (cli/metrics.h) as the Prometheus text
 * format 0.0.4 and OpenMetrics 1.0.0. Both escape label values the same way
 * (backslash, double quote, line feed); HELP text escapes backslash and line
 * feed, and OpenMetrics also the double quote.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "metrics.h"

json_t *metric_family(json_t *doc, const char *name, const char *type,
		      const char *unit, const char *help)
{
	json_t *fam = json_pack("{s:s, s:s, s:s, s:[]}", "name", name, "type", type,
				"help", help, "samples");

	if (fam && unit)
		json_object_set_new(fam, "unit", json_string(unit));
	json_array_append_new(doc, fam);
	return fam;
}

void metric_add(json_t *fam, json_t *value, ...)
{
	json_t *labels = json_object();
	const char *k, *v;
	va_list ap;

	va_start(ap, value);
	while ((k = va_arg(ap, const char *))) {
		v = va_arg(ap, const char *);
		if (v)
			json_object_set_new(labels, k, json_string(v));
	}
	va_end(ap);
	json_array_append_new(json_object_get(fam, "samples"),
			      json_pack("{s:o, s:o}", "labels", labels, "value", value));
}

static void put_escaped(FILE *f, const char *s, bool quote)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '"' && quote)
			fputs("\\\"", f);
		else
			fputc(*s, f);
	}
}

/*
 * Integers print exactly; reals with 15 significant digits, which keep a
 * nanosecond count below 10^6 s exact and avoid binary noise (0.1, not
 * 0.10000000000000001).
 */
static void put_value(FILE *f, const json_t *v)
{
	if (json_is_integer(v))
		fprintf(f, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		fprintf(f, "%.15g", json_real_value(v));
	else
		fputs("NaN", f);
}

static void put_sample(FILE *f, const char *name, const char *suffix, const json_t *s)
{
	const json_t *labels = json_object_get(s, "labels");
	const char *k;
	json_t *v;
	bool first = true;

	fprintf(f, "%s%s", name, suffix);
	if (json_object_size(labels)) {
		fputc('{', f);
		json_object_foreach((json_t *)labels, k, v) {
			fprintf(f, "%s%s=\"", first ? "" : ",", k);
			put_escaped(f, json_string_value(v), true);
			fputc('"', f);
			first = false;
		}
		fputc('}', f);
	}
	fputc(' ', f);
	put_value(f, json_object_get(s, "value"));
	fputc('\n', f);
}

static void put_family(FILE *f, const json_t *fam, enum metrics_format fmt)
{
	const char *name = json_string_value(json_object_get(fam, "name"));
	const char *type = json_string_value(json_object_get(fam, "type"));
	const char *unit = json_string_value(json_object_get(fam, "unit"));
	const char *help = json_string_value(json_object_get(fam, "help"));
	const char *suffix = !strcmp(type, "counter") ? "_total" :
			     !strcmp(type, "info") ? "_info" : "";
	bool om = fmt == METRICS_OPENMETRICS;
	const json_t *s;
	size_t i;

	/* A family without samples says nothing: leave it out. */
	if (!json_array_size(json_object_get(fam, "samples")))
		return;
	if (om) {
		fprintf(f, "# TYPE %s %s\n", name, type);
		if (unit)
			fprintf(f, "# UNIT %s %s\n", name, unit);
		fprintf(f, "# HELP %s ", name);
	} else {
		fprintf(f, "# HELP %s%s ", name, suffix);
	}
	put_escaped(f, help, om);
	fputc('\n', f);
	if (!om)
		fprintf(f, "# TYPE %s%s %s\n", name, suffix,
			!strcmp(type, "info") ? "gauge" : type);
	json_array_foreach(json_object_get(fam, "samples"), i, s)
		put_sample(f, name, suffix, s);
}

char *metrics_render(const json_t *doc, enum metrics_format fmt, size_t *len)
{
	char *buf = NULL;
	const json_t *fam;
	size_t i;
	FILE *f;

	f = open_memstream(&buf, len);
	if (!f)
		return NULL;
	json_array_foreach(doc, i, fam)
		put_family(f, fam, fmt);
	if (fmt == METRICS_OPENMETRICS)
		fputs("# EOF\n", f);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}
