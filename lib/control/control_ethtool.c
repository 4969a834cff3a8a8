// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Control type `ethtool`: ifindex -> the driver's statistics (`ethtool -S`)
 * as one blob, struct xctl_ethtool_<driver> with one __u64 member per
 * statistic, its BTF synthesised at run time from the driver's string set
 * (xctl_ctl_btf_u64_struct: names made into C identifiers). Devices whose
 * driver has no statistics (lo) are not keys.
 *
 * Cost: per device a constant number of SIOCETHTOOL ioctls (lib/
 * ethtool_stats.c, shared with `xdp stats`: string sets fetched once per
 * layout); one BTF struct per distinct (driver, string list) layout, shared
 * by the devices that have it. The value type depends on the key: two drivers, or one driver with
 * different queue counts, give different layouts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/btf.h>
#include "xctl_priv.h"
#include "control_type.h"
#include "ethtool_priv.h"

/* A statistics layout and its struct in c->btf. */
struct layout {
	const struct eth_layout *el;	/* owned by eth_priv.eth */
	uint32_t type_id;
};

/* Per device: 0 unknown, 1 has stats, -1 none. */
struct eth_priv {
	struct xctl_nl_devs devs;
	int8_t *has;
	struct layout *lay;
	size_t lay_cnt;
	struct eth_stats_ctx eth;
};

static bool has_stats(struct eth_priv *p, size_t i)
{
	char driver[32];
	uint32_t n;

	if (!p->has[i])
		p->has[i] = !eth_info(&p->eth, p->devs.dev[i].name, driver, sizeof(driver), &n) &&
			    n ? 1 : -1;
	return p->has[i] > 0;
}

static int eth_open(struct xctl_ctl *c, struct xctl_err *err)
{
	struct eth_priv *p = calloc(1, sizeof(*p));
	int r;

	if (!p)
		return xctl_errf(err, ENOMEM, "cannot open control type 'ethtool'");
	r = eth_stats_open(&p->eth);
	if (r) {
		free(p);
		return xctl_errf(err, r, "cannot open a socket for ethtool requests");
	}
	r = xctl_nl_devs_get(&p->devs, XCTL_NL_DEV_CHANNELS, err);
	if (r)
		goto fail;
	p->has = calloc(p->devs.cnt ? p->devs.cnt : 1, sizeof(*p->has));
	if (!p->has) {
		r = xctl_errf(err, ENOMEM, "cannot open control type 'ethtool'");
		xctl_nl_devs_free(&p->devs);
		goto fail;
	}
	c->priv = p;
	return 0;
fail:
	eth_stats_close(&p->eth);
	free(p);
	return r;
}

static void eth_close(struct xctl_ctl *c)
{
	struct eth_priv *p = c->priv;

	if (!p)
		return;
	free(p->lay);
	free(p->has);
	xctl_nl_devs_free(&p->devs);
	eth_stats_close(&p->eth);
	free(p);
}

static int eth_get_next(struct xctl_ctl *c, const uint32_t *key, uint32_t *next,
			struct xctl_err *err)
{
	struct eth_priv *p = c->priv;
	size_t i;

	(void)err;
	for (i = 0; i < p->devs.cnt; i++) {
		if (key && p->devs.dev[i].ifindex <= *key)
			continue;
		if (has_stats(p, i)) {
			*next = p->devs.dev[i].ifindex;
			return 0;
		}
	}
	return -ENOENT;
}

/*
 * The struct for this layout, made on first use and shared by every layout
 * with the same driver and strings (they differ only in channel counts).
 */
static int layout_type(struct xctl_ctl *c, const struct eth_layout *el, uint32_t *type_id)
{
	struct eth_priv *p = c->priv;
	size_t i, bytes = (size_t)el->n * sizeof(*el->names);
	char sname[64], ident[40];
	const char **names;
	struct layout *l;
	int id;

	for (i = 0; i < p->lay_cnt; i++) {
		l = &p->lay[i];
		if (l->el == el || (l->el->n == el->n && !strcmp(l->el->driver, el->driver) &&
				    !memcmp(l->el->names, el->names, bytes))) {
			*type_id = l->type_id;
			return 0;
		}
	}
	l = realloc(p->lay, (p->lay_cnt + 1) * sizeof(*l));
	if (!l)
		return -ENOMEM;
	p->lay = l;
	names = calloc(el->n ? el->n : 1, sizeof(*names));
	if (!names)
		return -ENOMEM;
	for (i = 0; i < el->n; i++)
		names[i] = el->names[i];
	xctl_ctl_ident(el->driver, ident, sizeof(ident));
	snprintf(sname, sizeof(sname), "xctl_ethtool_%s", ident);
	id = xctl_ctl_btf_u64_struct(c->btf, sname, names, el->n);
	free(names);
	if (id < 0)
		return id;
	l = &p->lay[p->lay_cnt++];
	l->el = el;
	l->type_id = id;
	*type_id = id;
	return 0;
}

static int eth_read(struct xctl_ctl *c, struct xctl_nl_dev *d, struct xctl_ctl_val *v,
		    bool values, struct xctl_err *err)
{
	struct eth_priv *p = c->priv;
	const struct eth_layout *el;
	uint64_t *vals;
	uint32_t id = 0;
	int r;

	r = eth_stats_read(&p->eth, &p->devs, d, NULL, 0, &el, &vals);
	if (r == -EOPNOTSUPP) {
		xctl_errf(err, ENOENT, "cannot read the ethtool statistics of %s", d->name);
		xctl_err_why(err, "its driver has no statistics");
		return -ENOENT;
	}
	if (r) {
		xctl_errf(err, r, "cannot read the ethtool statistics of %s", d->name);
		if (r == -EAGAIN)
			xctl_err_why(err, "the driver's statistics changed while reading them");
		return r;
	}
	r = layout_type(c, el, &id);
	if (r) {
		free(vals);
		return xctl_errf(err, r, "cannot build the BTF of the %s statistics", el->driver);
	}
	v->btf = c->btf;
	v->type_id = id;
	v->size = (size_t)el->n * sizeof(uint64_t);
	if (values)
		v->data = vals;
	else
		free(vals);
	return 0;
}

static int eth_lookup(struct xctl_ctl *c, uint32_t key, struct xctl_ctl_val *v,
		      struct xctl_err *err)
{
	struct eth_priv *p = c->priv;
	struct xctl_nl_dev *d = xctl_nl_devs_find(&p->devs, key);

	if (!d)
		return xctl_ctl_dev_missing(key, err);
	return eth_read(c, d, v, true, err);
}

static int eth_value_type(struct xctl_ctl *c, const uint32_t *key,
			  const struct btf **btf, uint32_t *id, struct xctl_err *err)
{
	struct eth_priv *p = c->priv;
	struct xctl_ctl_val v = {};
	struct xctl_nl_dev *d = xctl_nl_devs_find(&p->devs, *key);
	int r;

	if (!d)
		return xctl_ctl_dev_missing(*key, err);
	r = eth_read(c, d, &v, false, err);
	if (r)
		return r;
	*btf = v.btf;
	*id = v.type_id;
	return 0;
}

static void eth_key_name(struct xctl_ctl *c, uint32_t key, char *buf, size_t len)
{
	struct eth_priv *p = c->priv;
	struct xctl_nl_dev *d = xctl_nl_devs_find(&p->devs, key);

	snprintf(buf, len, "%s", d ? d->name : "");
}

const struct xctl_ctl_ops xctl_ctl_ethtool_ops = {
	.info = {
		.name = "ethtool",
		.desc = "driver statistics (ethtool -S), BTF built from the driver's names",
		.key_name = "ifindex",
		.key_type = "xctl_ifindex_t",
		.value_type = "struct xctl_ethtool_<driver>",
		.ops = XCTL_CTL_OP_GET_NEXT | XCTL_CTL_OP_LOOKUP | XCTL_CTL_OP_PIN,
		.per_key_type = true,
		.device_key = true,
	},
	.open = eth_open,
	.close = eth_close,
	.get_next = eth_get_next,
	.lookup = eth_lookup,
	.value_type = eth_value_type,
	.key_name = eth_key_name,
};
