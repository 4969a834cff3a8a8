// SPDX-License-Identifier: GPL-2.0
/*
 * The exporter's exposition writer (cli/metrics.c): text format 0.0.4,
 * OpenMetrics 1.0.0 and JSON from the same calls. The expected texts follow
 * the two specifications (escaping, type suffixes, UNIT, # EOF), written out
 * by hand here.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "../../cli/metrics.c"

/* The same families, through the interface the collectors use. */
static void fill(struct metrics *m)
{
	metric_family(m, "xctl_t_bytes", "counter", "bytes", "Bytes \\ with a\nnewline and \"quotes\".");
	metric_int(m, 42, "device", "a\"b\\c\nd", "driver", NULL, NULL);
	metric_int(m, 7, "device", "eth0", "driver", "veth", NULL);
	metric_family(m, "xctl_t_empty", "gauge", NULL, "Never sampled.");
	metric_family(m, "xctl_t", "info", NULL, "Info.");
	metric_int(m, 1, "prog_id", "12", NULL);
	metric_family(m, "xctl_t_seconds", "gauge", "seconds", "Time.");
	metric_real(m, 0.1, NULL);
}

static char *render(enum metrics_format fmt)
{
	struct metrics m;
	json_t *doc;
	size_t len;
	char *buf;

	assert_int_equal(metrics_open(&m, fmt), 0);
	fill(&m);
	buf = metrics_finish(&m, &len, &doc);
	assert_non_null(buf);
	assert_null(doc);
	assert_int_equal(strlen(buf), len);
	return buf;
}

static void test_text(void **state)
{
	char *buf = render(METRICS_TEXT);

	(void)state;
	assert_string_equal(buf,
		"# HELP xctl_t_bytes_total Bytes \\\\ with a\\nnewline and \"quotes\".\n"
		"# TYPE xctl_t_bytes_total counter\n"
		"xctl_t_bytes_total{device=\"a\\\"b\\\\c\\nd\"} 42\n"
		"xctl_t_bytes_total{device=\"eth0\",driver=\"veth\"} 7\n"
		"# HELP xctl_t_info Info.\n"
		"# TYPE xctl_t_info gauge\n"
		"xctl_t_info{prog_id=\"12\"} 1\n"
		"# HELP xctl_t_seconds Time.\n"
		"# TYPE xctl_t_seconds gauge\n"
		"xctl_t_seconds 0.1\n");
	free(buf);
}

static void test_openmetrics(void **state)
{
	char *buf = render(METRICS_OPENMETRICS);

	(void)state;
	assert_string_equal(buf,
		"# TYPE xctl_t_bytes counter\n"
		"# UNIT xctl_t_bytes bytes\n"
		"# HELP xctl_t_bytes Bytes \\\\ with a\\nnewline and \\\"quotes\\\".\n"
		"xctl_t_bytes_total{device=\"a\\\"b\\\\c\\nd\"} 42\n"
		"xctl_t_bytes_total{device=\"eth0\",driver=\"veth\"} 7\n"
		"# TYPE xctl_t info\n"
		"# HELP xctl_t Info.\n"
		"xctl_t_info{prog_id=\"12\"} 1\n"
		"# TYPE xctl_t_seconds gauge\n"
		"# UNIT xctl_t_seconds seconds\n"
		"# HELP xctl_t_seconds Time.\n"
		"xctl_t_seconds 0.1\n"
		"# EOF\n");
	free(buf);
}

static void test_json(void **state)
{
	struct metrics m;
	json_t *doc, *fam;
	size_t len;

	(void)state;
	assert_int_equal(metrics_open(&m, METRICS_JSON), 0);
	fill(&m);
	assert_null(metrics_finish(&m, &len, &doc));
	assert_non_null(doc);
	/* the family without samples is left out here too */
	assert_int_equal(json_array_size(doc), 3);
	fam = json_array_get(doc, 0);
	assert_string_equal(json_string_value(json_object_get(fam, "name")), "xctl_t_bytes");
	assert_string_equal(json_string_value(json_object_get(fam, "unit")), "bytes");
	assert_int_equal(json_array_size(json_object_get(fam, "samples")), 2);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
		json_array_get(json_object_get(fam, "samples"), 0), "labels"), "device")),
		"a\"b\\c\nd");
	assert_null(json_object_get(json_object_get(json_array_get(
		json_object_get(fam, "samples"), 0), "labels"), "driver"));
	assert_true(json_is_real(json_object_get(json_array_get(json_object_get(
		json_array_get(doc, 2), "samples"), 0), "value")));
	json_decref(doc);
}

/* A collector's part appended to the scrape; a discarded part leaves nothing. */
static void test_append_discard(void **state)
{
	struct metrics out, part;
	json_t *doc;
	size_t len;
	char *buf;

	(void)state;
	assert_int_equal(metrics_open(&out, METRICS_TEXT), 0);
	assert_int_equal(metrics_open(&part, METRICS_TEXT), 0);
	metric_family(&part, "xctl_a", "gauge", NULL, "A.");
	metric_int(&part, 1, NULL);
	metrics_append(&out, &part);
	assert_int_equal(metrics_open(&part, METRICS_TEXT), 0);
	metric_family(&part, "xctl_b", "gauge", NULL, "B.");
	metric_int(&part, 2, NULL);
	metrics_discard(&part);
	/* a sample with no family started is dropped, not glued to xctl_a */
	metric_int(&out, 3, NULL);
	buf = metrics_finish(&out, &len, &doc);
	assert_non_null(buf);
	assert_string_equal(buf, "# HELP xctl_a A.\n# TYPE xctl_a gauge\nxctl_a 1\n");
	free(buf);
}

static void test_negotiate(void **state)
{
	(void)state;
	/* Prometheus 2.42's header, and the text-format-only scrapers */
	assert_int_equal(metrics_negotiate("application/openmetrics-text;version=1.0.0,"
		"application/openmetrics-text;version=0.0.1;q=0.75,"
		"text/plain;version=0.0.4;q=0.5,*/*;q=0.1"), METRICS_OPENMETRICS);
	assert_int_equal(metrics_negotiate("text/plain;version=0.0.4"), METRICS_TEXT);
	assert_int_equal(metrics_negotiate(NULL), METRICS_TEXT);
	assert_int_equal(metrics_negotiate(""), METRICS_TEXT);
	assert_int_equal(metrics_negotiate("*/*"), METRICS_TEXT);
	/* q decides; ties go to OpenMetrics; q=0 refuses */
	assert_int_equal(metrics_negotiate("application/openmetrics-text;q=0.3, text/plain"),
			 METRICS_TEXT);
	assert_int_equal(metrics_negotiate("text/plain;q=0.5 , Application/OpenMetrics-Text ;q=0.5"),
			 METRICS_OPENMETRICS);
	assert_int_equal(metrics_negotiate("application/openmetrics-text;q=0"), METRICS_TEXT);
	assert_int_equal(metrics_negotiate(",,;;q=,application/openmetrics-text"),
			 METRICS_OPENMETRICS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_openmetrics),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_append_discard),
		cmocka_unit_test(test_negotiate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
