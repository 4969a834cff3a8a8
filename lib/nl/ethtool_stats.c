// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ethtool statistics (ethtool -S) of many devices: two ioctls per device
 * (driver info, values); the string set is fetched only for a layout
 * (driver, stat count, channel counts) not seen before. The channel counts
 * come from the device snapshot's ethtool CHANNELS_GET dump, one for all
 * devices; only without that dump (a kernel without ethtool netlink) does a
 * device cost a third ioctl (ETHTOOL_GCHANNELS).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/sockios.h>
#include "xctl_priv.h"
#include "nl_dev.h"
#include "ethtool_priv.h"

#define ETH_MAX_STATS	(1U << 16)

static int eth_ioctl(struct eth_stats_ctx *c, const char *ifname, void *cmd)
{
	struct ifreq ifr = {};

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = cmd;
	return ioctl(c->fd, SIOCETHTOOL, &ifr) ? -errno : 0;
}

int eth_stats_open(struct eth_stats_ctx *c)
{
	c->layouts = NULL;
	c->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	return c->fd < 0 ? -errno : 0;
}

void eth_stats_close(struct eth_stats_ctx *c)
{
	struct eth_layout *l, *next;

	for (l = c->layouts; l; l = next) {
		next = l->next;
		free(l->names);
		free(l);
	}
	c->layouts = NULL;
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

static int drvinfo(struct eth_stats_ctx *c, const char *ifname,
		   struct ethtool_drvinfo *info)
{
	memset(info, 0, sizeof(*info));
	info->cmd = ETHTOOL_GDRVINFO;
	return eth_ioctl(c, ifname, info);
}

int eth_info(struct eth_stats_ctx *c, const char *ifname, char *driver, size_t len,
	     uint32_t *n_stats)
{
	struct ethtool_drvinfo info;
	int r = drvinfo(c, ifname, &info);

	snprintf(driver, len, "%s", r ? "" : info.driver);
	if (n_stats)
		*n_stats = r ? 0 : info.n_stats;
	return r;
}

/*
 * The channel counts of d that key its layout: from the snapshot when it
 * holds the ethtool channels dump (a device missing there has none), else
 * from the driver.
 */
static void layout_channels(struct eth_stats_ctx *c, const struct xctl_nl_devs *s,
			    const struct xctl_nl_dev *d, struct ethtool_channels *ch)
{
	memset(ch, 0, sizeof(*ch));
	if (s && !s->channels_err) {
		if (d->channels_known) {
			ch->rx_count = d->channels.rx == XCTL_ETH_ABSENT ? 0 : d->channels.rx;
			ch->tx_count = d->channels.tx == XCTL_ETH_ABSENT ? 0 : d->channels.tx;
			ch->combined_count = d->channels.combined == XCTL_ETH_ABSENT ?
					     0 : d->channels.combined;
		}
		return;
	}
	/* Channel counts are optional (not every driver reports them). */
	ch->cmd = ETHTOOL_GCHANNELS;
	if (eth_ioctl(c, d->name, ch))
		memset(ch, 0, sizeof(*ch));
}

static struct eth_layout *layout_get(struct eth_stats_ctx *c, const struct xctl_nl_devs *s,
				     const struct xctl_nl_dev *d,
				     const struct ethtool_drvinfo *info, int *err)
{
	const char *ifname = d->name;
	struct ethtool_channels ch;
	struct ethtool_gstrings *gs;
	struct eth_layout *l;

	layout_channels(c, s, d, &ch);
	for (l = c->layouts; l; l = l->next)
		if (l->n == info->n_stats && !strcmp(l->driver, info->driver) &&
		    l->rx == ch.rx_count && l->tx == ch.tx_count &&
		    l->combined == ch.combined_count)
			return l;

	gs = calloc(1, sizeof(*gs) + (size_t)info->n_stats * ETH_GSTRING_LEN);
	l = calloc(1, sizeof(*l));
	if (!gs || !l) {
		*err = -ENOMEM;
		goto fail;
	}
	gs->cmd = ETHTOOL_GSTRINGS;
	gs->string_set = ETH_SS_STATS;
	gs->len = info->n_stats;
	*err = eth_ioctl(c, ifname, gs);
	if (*err)
		goto fail;
	if (gs->len != info->n_stats) {
		*err = -EAGAIN;		/* the device changed between the calls */
		goto fail;
	}
	l->names = calloc(info->n_stats ? info->n_stats : 1, sizeof(*l->names));
	if (!l->names) {
		*err = -ENOMEM;
		goto fail;
	}
	for (uint32_t i = 0; i < info->n_stats; i++)
		memcpy(l->names[i], gs->data + (size_t)i * ETH_GSTRING_LEN, ETH_GSTRING_LEN);
	snprintf(l->driver, sizeof(l->driver), "%s", info->driver);
	l->n = info->n_stats;
	l->rx = ch.rx_count;
	l->tx = ch.tx_count;
	l->combined = ch.combined_count;
	l->next = c->layouts;
	c->layouts = l;
	free(gs);
	return l;
fail:
	free(gs);
	free(l);
	return NULL;
}

int eth_stats_read(struct eth_stats_ctx *c, const struct xctl_nl_devs *s,
		   const struct xctl_nl_dev *d, char *driver, size_t dlen,
		   const struct eth_layout **lay, uint64_t **vals)
{
	struct ethtool_drvinfo info;
	struct ethtool_stats *st;
	struct eth_layout *l;
	int r;

	*vals = NULL;
	r = drvinfo(c, d->name, &info);
	if (driver)
		snprintf(driver, dlen, "%s", r ? "" : info.driver);
	if (r)
		return r;
	if (!info.n_stats)
		return -EOPNOTSUPP;
	if (info.n_stats > ETH_MAX_STATS)
		return -E2BIG;
	l = layout_get(c, s, d, &info, &r);
	if (!l)
		return r;
	st = calloc(1, sizeof(*st) + (size_t)l->n * sizeof(uint64_t));
	if (!st)
		return -ENOMEM;
	st->cmd = ETHTOOL_GSTATS;
	st->n_stats = l->n;
	r = eth_ioctl(c, d->name, st);
	if (!r && st->n_stats != l->n)
		r = -EAGAIN;
	if (r) {
		free(st);
		return r;
	}
	*vals = malloc((size_t)l->n * sizeof(uint64_t));
	if (!*vals) {
		free(st);
		return -ENOMEM;
	}
	memcpy(*vals, st->data, (size_t)l->n * sizeof(uint64_t));
	free(st);
	*lay = l;
	return 0;
}
