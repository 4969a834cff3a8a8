// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Plain-text form of a JSON result document. It is the only text renderer
 * for nested values, so what text mode shows is exactly what -j shows.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "json_text.h"

static bool is_scalar(const json_t *v)
{
	return !json_is_object(v) && !json_is_array(v);
}

static bool array_is_flat(const json_t *a)
{
	size_t i;
	json_t *e;

	json_array_foreach(a, i, e)
		if (!is_scalar(e))
			return false;
	return true;
}

static void put_scalar(FILE *f, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		fputs(json_string_value(v), f);
		break;
	case JSON_INTEGER:
		fprintf(f, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		fprintf(f, "%g", json_real_value(v));
		break;
	case JSON_TRUE:
		fputs("yes", f);
		break;
	case JSON_FALSE:
		fputs("no", f);
		break;
	default:
		fputs("-", f);
		break;
	}
}

static void put_flat_array(FILE *f, const json_t *a)
{
	size_t i;
	json_t *e;

	if (!json_array_size(a)) {
		fputs("-", f);
		return;
	}
	json_array_foreach(a, i, e) {
		if (i)
			fputs(", ", f);
		put_scalar(f, e);
	}
}

static void put_value(FILE *f, const json_t *v, int indent);

static void put_object(FILE *f, const json_t *o, int indent)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)o, key, v) {
		fprintf(f, "%*s%s:", indent, "", key);
		if (is_scalar(v)) {
			fputc(' ', f);
			put_scalar(f, v);
			fputc('\n', f);
		} else if (json_is_array(v) && array_is_flat(v)) {
			fputc(' ', f);
			put_flat_array(f, v);
			fputc('\n', f);
		} else if (json_is_object(v) && !json_object_size(v)) {
			fputs(" -\n", f);
		} else {
			fputc('\n', f);
			put_value(f, v, indent + 4);
		}
	}
}

static void put_value(FILE *f, const json_t *v, int indent)
{
	size_t i;
	json_t *e;

	if (json_is_object(v)) {
		put_object(f, v, indent);
	} else if (json_is_array(v) && !array_is_flat(v)) {
		json_array_foreach(v, i, e) {
			if (i && !is_scalar(e))
				fputc('\n', f);
			if (is_scalar(e) || (json_is_array(e) && array_is_flat(e))) {
				fprintf(f, "%*s[%zu]: ", indent, "", i);
				if (is_scalar(e))
					put_scalar(f, e);
				else
					put_flat_array(f, e);
				fputc('\n', f);
			} else if (json_is_object(e)) {
				put_object(f, e, indent);
			} else {
				fprintf(f, "%*s[%zu]:\n", indent, "", i);
				put_value(f, e, indent + 4);
			}
		}
	} else if (json_is_array(v)) {
		fprintf(f, "%*s", indent, "");
		put_flat_array(f, v);
		fputc('\n', f);
	} else {
		fprintf(f, "%*s", indent, "");
		put_scalar(f, v);
		fputc('\n', f);
	}
}

char *xctl_json_to_text(const json_t *v, int indent)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	if (v)
		put_value(f, v, indent);
	fclose(f);
	return buf;
}
