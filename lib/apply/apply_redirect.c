// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A declared redirect setup against what the device is: the record setup
 * left under <bpffs>/xctl/redirect/<ifname>/ (what was asked for, whether
 * it completed) and the device itself (ready, channel count, ring size),
 * both as `xctl xdp redirect show` reports them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "xctl_priv.h"

/* The "to" of the change of kind what ("channels", "ring_size"), or 0. */
static json_int_t recorded(const json_t *changes, const char *what, const char **field)
{
	json_t *c;
	size_t i;

	json_array_foreach(changes, i, c) {
		if (strcmp(json_string_value(json_object_get(c, "what")) ?: "", what))
			continue;
		if (field)
			*field = json_string_value(json_object_get(c, "field"));
		return json_integer_value(json_object_get(c, "to"));
	}
	return 0;
}

/* A current value of the show document ("channels", "tx"), or -1. */
static json_int_t current(const json_t *doc, const char *group, const char *field)
{
	json_t *v = json_object_get(json_object_get(json_object_get(doc, group), "current"),
				    field);

	return json_is_integer(v) ? json_integer_value(v) : -1;
}

static void compare(const json_t *doc, json_int_t rings, json_int_t size,
		    enum xctl_match *match, char *why, size_t len)
{
	const json_t *rec = json_object_get(doc, "record");
	const json_t *changes = json_object_get(doc, "changes");
	const char *field = "tx";
	json_int_t rec_rings, rec_size, cur;

	*match = XCTL_MATCH_REPLACE;
	if (!json_is_object(rec)) {
		*match = XCTL_MATCH_ABSENT;
		return;
	}
	if (!json_integer_value(json_object_get(rec, "complete"))) {
		snprintf(why, len, "an earlier setup was interrupted");
		return;
	}
	rec_rings = recorded(changes, "channels", &field);
	rec_size = recorded(changes, "ring_size", NULL);
	if (rec_rings != rings || rec_size != size) {
		snprintf(why, len, "set up with --rings %lld --size %lld, declared --rings %lld --size %lld",
			 (long long)rec_rings, (long long)rec_size, (long long)rings,
			 (long long)size);
		return;
	}
	if (!json_is_true(json_object_get(doc, "ready"))) {
		snprintf(why, len, "no longer a redirect target: %s",
			 json_string_value(json_object_get(doc, "reason")) ?: "?");
		return;
	}
	cur = current(doc, "channels", field ?: "tx");
	if (rings && cur != rings) {
		snprintf(why, len, "%s channels are %lld, declared %lld", field ?: "tx",
			 (long long)cur, (long long)rings);
		return;
	}
	cur = current(doc, "rings", "tx");
	if (size && cur != size) {
		snprintf(why, len, "the TX ring size is %lld, declared %lld", (long long)cur,
			 (long long)size);
		return;
	}
	*match = XCTL_MATCH_SAME;
}

int xctl_apply_redirect_compare(int ifindex, const struct xctl_redirect_opts *opts,
				enum xctl_match *match, char *why, size_t len,
				struct xctl_err *err)
{
	json_t *doc;
	int r;

	*match = XCTL_MATCH_ABSENT;
	why[0] = '\0';
	r = xctl_redirect_show(ifindex, opts, &doc, err);
	if (r)
		return r;
	compare(doc, XCTL_OPT(opts, rings, 0), XCTL_OPT(opts, ring_size, 0), match, why, len);
	json_decref(doc);
	return 0;
}

int xctl_apply_redirect_list(const struct xctl_redirect_opts *opts,
			     json_t **names, struct xctl_err *err)
{
	json_t *all, *arr, *e;
	size_t i;
	int r;

	*names = NULL;
	r = xctl_redirect_show(0, opts, &all, err);
	if (r)
		return r;
	arr = json_array();
	json_array_foreach(all, i, e)
		if (json_is_object(json_object_get(e, "record")))
			json_array_append(arr, json_object_get(e, "ifname"));
	json_decref(all);
	*names = arr;
	return 0;
}
