// SPDX-License-Identifier: GPL-2.0
/*
 * Prometheus expositions (cli/metrics.h): the text format 0.0.4 and
 * OpenMetrics 1.0.0 written straight into a memory stream, or the same
 * families as JSON. Both text formats escape label values the same way
 * (backslash, double quote, line feed); HELP text escapes backslash and line
 * feed, and OpenMetrics also the double quote.
 *
 * The memory stream belongs to one struct metrics, used by one thread at a
 * time: the unlocked stdio calls skip a lock per character.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "metrics.h"

int metrics_open(struct metrics *m, enum metrics_format fmt)
{
	memset(m, 0, sizeof(*m));
	m->fmt = fmt;
	if (fmt == METRICS_JSON) {
		m->doc = json_array();
		return m->doc ? 0 : -ENOMEM;
	}
	m->f = open_memstream(&m->buf, &m->len);
	return m->f ? 0 : -ENOMEM;
}

void metrics_discard(struct metrics *m)
{
	if (m->f)
		fclose(m->f);
	free(m->buf);
	json_decref(m->doc);
	memset(m, 0, sizeof(*m));
}

void metrics_append(struct metrics *dst, struct metrics *src)
{
	if (src->failed || (src->f && fflush(src->f)))
		dst->failed = true;
	else if (dst->fmt == METRICS_JSON)
		json_array_extend(dst->doc, src->doc);
	else if (src->len && fwrite_unlocked(src->buf, 1, src->len, dst->f) != src->len)
		dst->failed = true;
	metrics_discard(src);
	dst->name = NULL;	/* a family never continues across collectors */
}

char *metrics_finish(struct metrics *m, size_t *len, json_t **doc)
{
	char *buf = NULL;

	*doc = NULL;
	if (m->fmt == METRICS_OPENMETRICS)
		fputs_unlocked("# EOF\n", m->f);
	if (m->failed || (m->f && fflush(m->f))) {
		metrics_discard(m);
		return NULL;
	}
	if (m->fmt == METRICS_JSON) {
		*doc = m->doc;
		m->doc = NULL;
	} else {
		fclose(m->f);
		m->f = NULL;
		buf = m->buf;
		*len = m->len;
		m->buf = NULL;
	}
	metrics_discard(m);
	return buf;
}

void metric_family(struct metrics *m, const char *name, const char *type,
		   const char *unit, const char *help)
{
	m->name = name;
	m->type = type;
	m->unit = unit;
	m->help = help;
	m->started = false;
	m->fam = NULL;
}

static const char *sample_suffix(const char *type)
{
	return !strcmp(type, "counter") ? "_total" : !strcmp(type, "info") ? "_info" : "";
}

static void put_escaped(FILE *f, const char *s, bool quote)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs_unlocked("\\\\", f);
		else if (*s == '\n')
			fputs_unlocked("\\n", f);
		else if (*s == '"' && quote)
			fputs_unlocked("\\\"", f);
		else
			fputc_unlocked(*s, f);
	}
}

/* The HELP and TYPE (and UNIT) lines of the current family. */
static void put_header(struct metrics *m)
{
	const char *suffix = sample_suffix(m->type);
	FILE *f = m->f;

	if (m->fmt == METRICS_OPENMETRICS) {
		fprintf(f, "# TYPE %s %s\n", m->name, m->type);
		if (m->unit)
			fprintf(f, "# UNIT %s %s\n", m->name, m->unit);
		fprintf(f, "# HELP %s ", m->name);
		put_escaped(f, m->help, true);
		fputc_unlocked('\n', f);
		return;
	}
	fprintf(f, "# HELP %s%s ", m->name, suffix);
	put_escaped(f, m->help, false);
	fprintf(f, "\n# TYPE %s%s %s\n", m->name, suffix,
		!strcmp(m->type, "info") ? "gauge" : m->type);
}

static json_t *json_family(struct metrics *m)
{
	json_t *fam = json_pack("{s:s, s:s, s:s, s:[]}", "name", m->name, "type", m->type,
				"help", m->help, "samples");

	if (fam && m->unit)
		json_object_set_new(fam, "unit", json_string(m->unit));
	if (!fam || json_array_append_new(m->doc, fam))
		m->failed = true;
	return fam;
}

static void json_sample(struct metrics *m, json_t *value, va_list ap)
{
	json_t *labels = json_object(), *s;
	const char *k, *v;

	while ((k = va_arg(ap, const char *))) {
		v = va_arg(ap, const char *);
		if (v)
			json_object_set_new(labels, k, json_string(v));
	}
	s = json_pack("{s:o, s:o}", "labels", labels, "value", value);
	if (!s || json_array_append_new(json_object_get(m->fam, "samples"), s))
		m->failed = true;
}

static void put_labels(FILE *f, va_list ap)
{
	const char *k, *v;
	bool any = false;

	while ((k = va_arg(ap, const char *))) {
		v = va_arg(ap, const char *);
		if (!v)
			continue;
		fputc_unlocked(any ? ',' : '{', f);
		fputs_unlocked(k, f);
		fputs_unlocked("=\"", f);
		put_escaped(f, v, true);
		fputc_unlocked('"', f);
		any = true;
	}
	if (any)
		fputc_unlocked('}', f);
}

/* Start a sample of the current family; false when there is nothing to write to. */
static bool sample_begin(struct metrics *m)
{
	if (!m->name || m->failed)
		return false;
	if (!m->started) {
		m->started = true;
		if (m->fmt == METRICS_JSON)
			m->fam = json_family(m);
		else
			put_header(m);
	}
	if (m->fmt == METRICS_JSON)
		return m->fam != NULL;
	fputs_unlocked(m->name, m->f);
	fputs_unlocked(sample_suffix(m->type), m->f);
	return true;
}

void metric_int(struct metrics *m, long long value, ...)
{
	va_list ap;

	if (!sample_begin(m))
		return;
	va_start(ap, value);
	if (m->fmt == METRICS_JSON) {
		json_sample(m, json_integer(value), ap);
	} else {
		put_labels(m->f, ap);
		fprintf(m->f, " %lld\n", value);
	}
	va_end(ap);
}

/*
 * Reals print with 15 significant digits: a nanosecond count below 10^6 s
 * stays exact, and binary noise stays out (0.1, not 0.10000000000000001).
 */
void metric_real(struct metrics *m, double value, ...)
{
	va_list ap;

	if (!sample_begin(m))
		return;
	va_start(ap, value);
	if (m->fmt == METRICS_JSON) {
		json_sample(m, json_real(value), ap);
	} else {
		put_labels(m->f, ap);
		fprintf(m->f, " %.15g\n", value);
	}
	va_end(ap);
}

/* ---- content negotiation ---------------------------------------------- */

/* The media type of one Accept element ("text/plain;version=0.0.4;q=0.5") and its q. */
static void media_range(const char *p, size_t n, const char **type, size_t *tlen,
			double *q)
{
	char params[128];
	const char *semi, *qp;
	size_t plen;

	while (n && *p == ' ')
		p++, n--;
	semi = memchr(p, ';', n);
	*type = p;
	*tlen = semi ? (size_t)(semi - p) : n;
	while (*tlen && p[*tlen - 1] == ' ')
		(*tlen)--;
	*q = 1;
	if (!semi)
		return;
	plen = n - (size_t)(semi - p);
	if (plen >= sizeof(params))
		plen = sizeof(params) - 1;
	memcpy(params, semi, plen);
	params[plen] = '\0';
	qp = strstr(params, ";q=") ?: strstr(params, "; q=");
	if (qp)
		*q = strtod(strchr(qp, '=') + 1, NULL);
}

static bool media_is(const char *type, size_t tlen, const char *want)
{
	return tlen == strlen(want) && !strncasecmp(type, want, tlen);
}

enum metrics_format metrics_negotiate(const char *accept)
{
	double om = 0, text = 0, q;
	const char *p = accept, *type;
	size_t n, tlen;

	while (p && *p) {
		n = strcspn(p, ",");
		media_range(p, n, &type, &tlen, &q);
		if (media_is(type, tlen, "application/openmetrics-text"))
			om = q > om ? q : om;
		else if (media_is(type, tlen, "text/plain") || media_is(type, tlen, "text/*") ||
			 media_is(type, tlen, "*/*"))
			text = q > text ? q : text;
		p += n;
		if (*p)
			p++;
	}
	return om > 0 && om >= text ? METRICS_OPENMETRICS : METRICS_TEXT;
}
