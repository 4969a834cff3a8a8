// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * XDP metadata: which RX metadata an XDP program can read on a device
 * (netdev genl xdp-rx-metadata-features), which TX metadata AF_XDP sockets
 * can request (xsk-features), the kfuncs a program calls to read each field
 * (prototypes from the running kernel's BTF, so they are exactly what the
 * verifier will check), and the device's hardware timestamping configuration
 * (SIOCGHWTSTAMP / SIOCSHWTSTAMP), which RX timestamps depend on.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>
#include <linux/net_tstamp.h>
#include <linux/sockios.h>
#include <bpf/btf.h>
#include "xctl_priv.h"
#include "btf_priv.h"
#include "xdp_priv.h"

/* NETDEV_XDP_RX_METADATA_* and the kfunc that reads each. */
static const struct {
	uint64_t bit;
	const char *key;
	const char *kfunc;
} rx_md[] = {
	{ 1ULL << 0, "timestamp", "bpf_xdp_metadata_rx_timestamp" },
	{ 1ULL << 1, "hash", "bpf_xdp_metadata_rx_hash" },
	{ 1ULL << 2, "vlan_tag", "bpf_xdp_metadata_rx_vlan_tag" },
};

/* NETDEV_XSK_FLAGS_* */
static const struct {
	uint64_t bit;
	const char *key;
} xsk_md[] = {
	{ 1ULL << 0, "tx_timestamp" },
	{ 1ULL << 1, "tx_checksum" },
	{ 1ULL << 2, "tx_launch_time_fifo" },
};

static const char *const tx_types[] = { "off", "on", "onestep_sync", "onestep_p2p" };
static const char *const rx_filters[] = {
	"none", "all", "some", "ptp_v1_l4_event", "ptp_v1_l4_sync",
	"ptp_v1_l4_delay_req", "ptp_v2_l4_event", "ptp_v2_l4_sync",
	"ptp_v2_l4_delay_req", "ptp_v2_l2_event", "ptp_v2_l2_sync",
	"ptp_v2_l2_delay_req", "ptp_v2_event", "ptp_v2_sync",
	"ptp_v2_delay_req", "ntp_all",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static json_t *enum_json(int v, const char *const *names, size_t n)
{
	if (v >= 0 && (size_t)v < n)
		return json_string(names[v]);
	return json_integer(v);
}

/* "int bpf_xdp_metadata_rx_hash(const struct xdp_md *ctx, ...)" or null. */
static json_t *kfunc_proto(const struct btf *btf, const char *name)
{
	const struct btf_type *t;
	json_t *j;
	char *s;
	int id;

	if (!btf)
		return json_null();
	id = btf__find_by_name_kind(btf, name, BTF_KIND_FUNC);
	if (id <= 0)
		return json_null();
	t = btf__type_by_id(btf, (uint32_t)id);
	s = t ? xbtf_decl_text(btf, t->type, name, false) : NULL;
	j = s ? json_string(s) : json_null();
	free(s);
	return j;
}

/* SIOCGHWTSTAMP / SIOCSHWTSTAMP on ifname; 0 or -errno. */
static int hwtstamp_ioctl(const char *ifname, unsigned long req, struct hwtstamp_config *cfg)
{
	struct ifreq ifr = {};
	int fd, r = 0;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = (void *)cfg;
	if (ioctl(fd, req, &ifr))
		r = -errno;
	close(fd);
	return r;
}

static json_t *hwtstamp_json(const struct hwtstamp_config *c)
{
	return json_pack("{s:o, s:o, s:i}",
			 "tx_type", enum_json(c->tx_type, tx_types, ARRAY_SIZE(tx_types)),
			 "rx_filter", enum_json(c->rx_filter, rx_filters, ARRAY_SIZE(rx_filters)),
			 "flags", c->flags);
}

int xctl_xdp_metadata_show(int ifindex, json_t **report, struct xctl_err *err)
{
	struct hwtstamp_config cfg = {};
	struct xctl_nl_dev d;
	json_t *rx, *xsk, *kf, *doc;
	const struct btf *btf;
	size_t i;
	int r;

	*report = NULL;
	r = xctl_nl_dev_get(ifindex, XDP_DEV_FLAGS, &d, err);
	if (r)
		return r;
	if (!d.features_known) {
		r = xctl_errf(err, EOPNOTSUPP, "cannot read the XDP metadata features of %s", d.name);
		xctl_err_why(err, "the kernel has no netdev generic netlink family (6.3+)");
		return r;
	}
	btf = xctl_kernel_btf(NULL);
	rx = json_object();
	kf = json_array();
	for (i = 0; i < ARRAY_SIZE(rx_md); i++) {
		bool on = d.rx_md_features & rx_md[i].bit;

		json_object_set_new(rx, rx_md[i].key, json_boolean(on));
		json_array_append_new(kf, json_pack("{s:s, s:s, s:b, s:o}",
						    "kfunc", rx_md[i].kfunc,
						    "field", rx_md[i].key, "supported", on,
						    "prototype", kfunc_proto(btf, rx_md[i].kfunc)));
	}
	if (d.xsk_known) {
		xsk = json_object();
		for (i = 0; i < ARRAY_SIZE(xsk_md); i++)
			json_object_set_new(xsk, xsk_md[i].key,
					    json_boolean(d.xsk_features & xsk_md[i].bit));
	} else {
		xsk = json_null();
	}
	r = hwtstamp_ioctl(d.name, SIOCGHWTSTAMP, &cfg);
	doc = json_pack("{s:s, s:i, s:s, s:o, s:o, s:o, s:o, s:o}",
			"ifname", d.name, "ifindex", ifindex,
			"driver", d.driver[0] ? d.driver : d.kind,
			"xdp_rx_metadata", rx, "xsk_tx_metadata", xsk, "kfuncs", kf,
			"hwtstamp", r ? json_null() : hwtstamp_json(&cfg),
			"hwtstamp_error", r ? json_string(xctl_strerror(-r)) : json_null());
	*report = doc;
	return 0;
}

int xctl_xdp_hwtstamp_rx(int ifindex, bool enable, json_t **report, struct xctl_err *err)
{
	struct hwtstamp_config before = {}, cfg, now;
	char name[IF_NAMESIZE];
	int r;

	*report = NULL;
	if (!if_indextoname((unsigned int)ifindex, name))
		return xctl_errf(err, ENODEV, "no device with ifindex %d", ifindex);
	r = hwtstamp_ioctl(name, SIOCGHWTSTAMP, &before);
	if (r) {
		r = xctl_errf(err, r, "timestamp: cannot read the hardware timestamping configuration of %s",
			      name);
		if (r == -EOPNOTSUPP || r == -EINVAL)
			xctl_err_why(err, "the driver does not support hardware timestamping");
		else if (r == -EPERM)
			xctl_err_hint(err, "needs CAP_NET_ADMIN");
		return r;
	}
	cfg = before;
	cfg.rx_filter = enable ? HWTSTAMP_FILTER_ALL : HWTSTAMP_FILTER_NONE;
	r = hwtstamp_ioctl(name, SIOCSHWTSTAMP, &cfg);
	if (r) {
		r = xctl_errf(err, r, "timestamp: cannot %s RX hardware timestamping on %s",
			      enable ? "enable" : "disable", name);
		if (r == -ERANGE)
			xctl_err_why(err, "the device cannot timestamp all received packets");
		else if (r == -EPERM)
			xctl_err_hint(err, "needs CAP_NET_ADMIN");
		return r;
	}
	/* The driver writes back what it applied; read the device's view. */
	if (!hwtstamp_ioctl(name, SIOCGHWTSTAMP, &now))
		cfg = now;
	*report = json_pack("{s:s, s:i, s:s, s:o, s:o}", "ifname", name, "ifindex", ifindex,
			    "rx_timestamping", enable ? "enabled" : "disabled",
			    "before", hwtstamp_json(&before), "after", hwtstamp_json(&cfg));
	return 0;
}
