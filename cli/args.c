// SPDX-License-Identifier: GPL-2.0
/* The shared grammar elements DEV and SEL (cli/args.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include "cli.h"
#include "args.h"

int parse_dev(int argc, char **argv, const char *verb, struct dev_arg *d)
{
	uint32_t idx;

	d->name = NULL;
	d->ifindex = 0;
	if (argc < 1)
		return -usage_error("'%s' needs a device (DEV or ifindex N)", verb);
	if (!strcmp(argv[0], "ifindex")) {
		if (argc < 2)
			return -usage_error("missing argument after 'ifindex'");
		if (parse_u32(argv[1], &idx) || !idx || idx > INT32_MAX)
			return -usage_error("invalid ifindex '%s'", argv[1]);
		d->ifindex = idx;
		return 2;
	}
	if (!*argv[0] || strlen(argv[0]) >= IF_NAMESIZE)
		return -usage_error("invalid device name '%s'", argv[0]);
	d->name = argv[0];
	return 1;
}

int dev_resolve(const struct dev_arg *d, uint32_t *ifindex, char *name,
		struct xctl_err *err)
{
	int r;

	if (!d->name) {
		if (!if_indextoname(d->ifindex, name)) {
			r = xctl_errf(err, ENODEV, "no device with ifindex %u", d->ifindex);
			xctl_err_hint(err, "list devices with 'ip link' (or use -N NETNS)");
			return r;
		}
		*ifindex = d->ifindex;
		return 0;
	}
	*ifindex = if_nametoindex(d->name);
	if (!*ifindex) {
		r = xctl_errf(err, ENODEV, "cannot find device '%s'", d->name);
		xctl_err_hint(err, "list devices with 'ip link' (or use -N NETNS)");
		return r;
	}
	snprintf(name, IF_NAMESIZE, "%s", d->name);
	return 0;
}

int parse_sel(int argc, char **argv, const char *what, struct sel_arg *s)
{
	static const char *const kws[] = { "id", "name", "pinned", NULL };
	int k;

	if (argc < 1)
		return -usage_error("missing %s (id ID, name NAME or pinned PATH)", what);
	k = keyword_index(argv[0], kws);
	if (k < 0)
		return -usage_error("invalid %s selector '%s': expected 'id N', 'name NAME' or "
				    "'pinned PATH'", what, argv[0]);
	if (argc < 2)
		return -usage_error("missing argument after '%s'", kws[k]);
	if (!*argv[1])
		return -usage_error("empty argument after '%s'", kws[k]);
	s->kind = (enum sel_kind)k;
	s->kw = kws[k];
	s->arg = argv[1];
	s->id = 0;
	if (k == SEL_ID && (parse_u32(argv[1], &s->id) || !s->id))
		return -usage_error("invalid %s id '%s'", what, argv[1]);
	return 2;
}

int parse_ops_name(const char *word, char **map, const char **ops)
{
	const char *eq = strchr(word, '=');

	*map = NULL;
	*ops = word;
	if (!*word || eq == word || (eq && !eq[1]))
		return usage_error("invalid 'ops_name %s' (expected [MAP=]NAME)", word);
	if (!eq)
		return 0;
	*map = strndup(word, (size_t)(eq - word));
	if (!*map)
		return usage_error("out of memory");
	*ops = eq + 1;
	return 0;
}

bool is_assignment(const char *word, bool need_value)
{
	const char *eq = strchr(word, '=');

	return eq && eq != word && (!need_value || eq[1]);
}
