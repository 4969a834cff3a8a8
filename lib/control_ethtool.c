// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Control type `ethtool`: ifindex -> the driver's statistics (`ethtool -S`)
 * as one blob, struct xctl_ethtool_<driver> with one __u64 member per
 * statistic, its BTF synthesised at run time from the driver's string set
 * (xctl_ctl_btf_u64_struct: names made into C identifiers). Devices whose
 * driver has no statistics (lo) are not keys.
 *
 * Cost: per device a constant number of SIOCETHTOOL ioctls (driver info,
 * string-set size, then strings and values when looked up); one BTF struct
 * per distinct (driver, string list) layout, shared by the devices that have
 * it. The value type depends on the key: two drivers, or one driver with
 * different queue counts, give different layouts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <bpf/btf.h>
#include "xctl.h"
#include "control_type.h"

/* A layout: driver and strings, and its struct in c->btf. */
struct layout {
	char driver[32];
	uint32_t n;
	char *strings;		/* n * ETH_GSTRING_LEN */
	uint32_t type_id;
};

/* Per device: 0 unknown, 1 has stats, -1 none. */
struct eth_priv {
	struct xctl_ctl_devs devs;
	int8_t *has;
	struct layout *lay;
	size_t lay_cnt;
	int sock;
};

static int eth_ioctl(struct eth_priv *p, const char *name, void *cmd)
{
	struct ifreq ifr = {};

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_data = cmd;
	return ioctl(p->sock, SIOCETHTOOL, &ifr) ? -errno : 0;
}

/* Number of ETH_SS_STATS strings (0: none) and the driver name. */
static int eth_count(struct eth_priv *p, const char *name, uint32_t *n, char *driver,
		     size_t dlen)
{
	struct {
		struct ethtool_sset_info hdr;
		uint32_t len;
	} si = { .hdr.cmd = ETHTOOL_GSSET_INFO, .hdr.sset_mask = 1ULL << ETH_SS_STATS };
	struct ethtool_drvinfo di = { .cmd = ETHTOOL_GDRVINFO };
	int r;

	*n = 0;
	r = eth_ioctl(p, name, &di);
	if (r)
		return r;
	snprintf(driver, dlen, "%s", di.driver);
	r = eth_ioctl(p, name, &si);
	if (r)
		return r;
	if (si.hdr.sset_mask & (1ULL << ETH_SS_STATS))
		*n = si.len;
	return 0;
}

static bool has_stats(struct eth_priv *p, size_t i)
{
	char driver[32];
	uint32_t n;

	if (!p->has[i])
		p->has[i] = !eth_count(p, p->devs.dev[i].name, &n, driver, sizeof(driver)) &&
			    n ? 1 : -1;
	return p->has[i] > 0;
}

static int eth_open(struct xctl_ctl *c, struct xctl_err *err)
{
	struct eth_priv *p = calloc(1, sizeof(*p));
	int r;

	if (!p)
		return xctl_errf(err, ENOMEM, "cannot open control type 'ethtool'");
	p->sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (p->sock < 0) {
		r = xctl_errf(err, errno, "cannot open a socket for ethtool requests");
		free(p);
		return r;
	}
	r = xctl_ctl_devs_get(&p->devs, err);
	if (r)
		goto fail;
	p->has = calloc(p->devs.cnt ? p->devs.cnt : 1, sizeof(*p->has));
	if (!p->has) {
		r = xctl_errf(err, ENOMEM, "cannot open control type 'ethtool'");
		xctl_ctl_devs_free(&p->devs);
		goto fail;
	}
	c->priv = p;
	return 0;
fail:
	close(p->sock);
	free(p);
	return r;
}

static void eth_close(struct xctl_ctl *c)
{
	struct eth_priv *p = c->priv;
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->lay_cnt; i++)
		free(p->lay[i].strings);
	free(p->lay);
	free(p->has);
	xctl_ctl_devs_free(&p->devs);
	close(p->sock);
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

/* The struct for this layout (driver + strings), made on first use. */
static int layout_type(struct xctl_ctl *c, const char *driver, uint32_t n,
		       const char *strings, uint32_t *type_id)
{
	struct eth_priv *p = c->priv;
	size_t i, bytes = (size_t)n * ETH_GSTRING_LEN;
	char sname[64], ident[40], *copy;
	const char **names;
	struct layout *l;
	int id;

	for (i = 0; i < p->lay_cnt; i++) {
		l = &p->lay[i];
		if (l->n == n && !strcmp(l->driver, driver) && !memcmp(l->strings, strings, bytes)) {
			*type_id = l->type_id;
			return 0;
		}
	}
	l = realloc(p->lay, (p->lay_cnt + 1) * sizeof(*l));
	if (!l)
		return -ENOMEM;
	p->lay = l;
	copy = malloc(bytes ? bytes : 1);
	names = calloc(n ? n : 1, sizeof(*names));
	if (!copy || !names) {
		free(copy);
		free(names);
		return -ENOMEM;
	}
	memcpy(copy, strings, bytes);
	for (i = 0; i < n; i++) {
		/* A name fills its slot when it is ETH_GSTRING_LEN long. */
		char name[ETH_GSTRING_LEN + 1];

		memcpy(name, copy + i * ETH_GSTRING_LEN, ETH_GSTRING_LEN);
		name[ETH_GSTRING_LEN] = '\0';
		names[i] = strdup(name);
		if (!names[i]) {
			id = -ENOMEM;
			goto out;
		}
	}
	xctl_ctl_ident(driver, ident, sizeof(ident));
	snprintf(sname, sizeof(sname), "xctl_ethtool_%s", ident);
	id = xctl_ctl_btf_u64_struct(c->btf, sname, names, n);
	if (id < 0)
		goto out;
	l = &p->lay[p->lay_cnt++];
	snprintf(l->driver, sizeof(l->driver), "%s", driver);
	l->n = n;
	l->strings = copy;
	l->type_id = id;
	copy = NULL;
	*type_id = id;
	id = 0;
out:
	for (i = 0; i < n; i++)
		free((char *)names[i]);
	free(names);
	free(copy);
	return id;
}

static int eth_read(struct xctl_ctl *c, struct xctl_ctl_dev *d, struct xctl_ctl_val *v,
		    bool values, struct xctl_err *err)
{
	struct eth_priv *p = c->priv;
	struct ethtool_gstrings *gs = NULL;
	struct ethtool_stats *st = NULL;
	char driver[32];
	uint32_t n, id = 0;
	int r;

	r = eth_count(p, d->name, &n, driver, sizeof(driver));
	if (!r && !n)
		r = -EOPNOTSUPP;
	if (r) {
		xctl_errf(err, r == -EOPNOTSUPP ? ENOENT : -r,
			  "cannot read the ethtool statistics of %s", d->name);
		if (r == -EOPNOTSUPP)
			xctl_err_why(err, "its driver has no statistics");
		return r == -EOPNOTSUPP ? -ENOENT : r;
	}
	gs = calloc(1, sizeof(*gs) + (size_t)n * ETH_GSTRING_LEN);
	/* Headroom: the kernel writes as many values as the driver has now. */
	st = values ? calloc(1, sizeof(*st) + ((size_t)n * 2 + 64) * sizeof(__u64)) : NULL;
	if (!gs || (values && !st)) {
		r = xctl_errf(err, ENOMEM, "cannot read the ethtool statistics of %s", d->name);
		goto out;
	}
	gs->cmd = ETHTOOL_GSTRINGS;
	gs->string_set = ETH_SS_STATS;
	gs->len = n;
	r = eth_ioctl(p, d->name, gs);
	if (!r && values) {
		st->cmd = ETHTOOL_GSTATS;
		st->n_stats = n;
		r = eth_ioctl(p, d->name, st);
	}
	if (r) {
		xctl_errf(err, r, "cannot read the ethtool statistics of %s", d->name);
		goto out;
	}
	if (gs->len != n || (values && st->n_stats != n)) {
		r = xctl_errf(err, EAGAIN, "cannot read the ethtool statistics of %s", d->name);
		xctl_err_why(err, "the driver's statistics changed while reading them");
		goto out;
	}
	r = layout_type(c, driver, n, (const char *)gs->data, &id);
	if (r) {
		xctl_errf(err, r, "cannot build the BTF of the %s statistics", driver);
		goto out;
	}
	v->btf = c->btf;
	v->type_id = id;
	v->size = (size_t)n * sizeof(__u64);
	if (values) {
		v->data = malloc(v->size);
		if (!v->data) {
			r = xctl_errf(err, ENOMEM, "cannot read the ethtool statistics of %s",
				      d->name);
			goto out;
		}
		memcpy(v->data, st->data, v->size);
	}
out:
	free(gs);
	free(st);
	return r;
}

static int eth_lookup(struct xctl_ctl *c, uint32_t key, struct xctl_ctl_val *v,
		      struct xctl_err *err)
{
	struct eth_priv *p = c->priv;
	struct xctl_ctl_dev *d = xctl_ctl_devs_find(&p->devs, key);

	if (!d)
		return xctl_ctl_devs_missing(&p->devs, key, err);
	return eth_read(c, d, v, true, err);
}

static int eth_value_type(struct xctl_ctl *c, const uint32_t *key,
			  const struct btf **btf, uint32_t *id, struct xctl_err *err)
{
	struct eth_priv *p = c->priv;
	struct xctl_ctl_val v = {};
	struct xctl_ctl_dev *d = xctl_ctl_devs_find(&p->devs, *key);
	int r;

	if (!d)
		return xctl_ctl_devs_missing(&p->devs, *key, err);
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
	struct xctl_ctl_dev *d = xctl_ctl_devs_find(&p->devs, key);

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
