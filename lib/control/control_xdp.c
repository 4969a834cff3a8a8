// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Control type `xdp`: ifindex -> struct xctl_xdp_state, the device's XDP
 * attachment as rtnetlink reports it (IFLA_XDP) and its normalised XDP
 * counters (the same as `xdp stats`), described by BTF that xctl builds at
 * run time. The mode when no program is attached, a per-mode program id the
 * kernel does not report (no program in that mode), or a counter the driver
 * does not provide, is absent, shown as null, not 0 or "none".
 *
 * Updates are commands: struct xctl_xdp_update { command; rings { num;
 * size; } } with command setup_redirect or teardown_redirect, carried out by
 * the redirect-target library (lib/xctl_xdp.h), e.g.
 *   xctl control update xdp eth0 command=setup_redirect rings.num=4
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_link.h>
#include <bpf/btf.h>
#include "xctl_priv.h"
#include "control_type.h"
#include "ethtool_priv.h"
#include "xdp_priv.h"

/* The value; its BTF is built by add_state_type() and must match. */
struct xdp_state {
	char ifname[16];
	uint32_t mode;		/* enum xctl_xdp_attached: XDP_ATTACHED_* */
	uint32_t prog_id;
	uint32_t drv_prog_id;
	uint32_t skb_prog_id;
	uint32_t hw_prog_id;
	/* the normalised XDP counters, one member each (xctl_xdp_counter_names) */
	uint64_t counters[XCTL_XC_MAX];
};

/* Member indexes of the ids and counters, for the absent mask. */
enum { M_MODE = 1, M_PROG_ID, M_DRV_PROG_ID, M_SKB_PROG_ID, M_HW_PROG_ID, M_COUNTERS };

enum xdp_command {
	XDP_CMD_SETUP_REDIRECT = 1,
	XDP_CMD_TEARDOWN_REDIRECT = 2,
};

struct xdp_update {
	uint32_t command;	/* enum xctl_xdp_command */
	struct {
		uint32_t num;	/* TX channels for XDP; 0: unchanged */
		uint32_t size;	/* TX ring size; 0: unchanged */
	} rings;
};

struct xdp_priv {
	struct xctl_nl_devs devs;
	struct eth_stats_ctx eth;
	uint32_t state_id;
	uint32_t update_id;
};

struct field {
	const char *name;
	int type;
	size_t off;
};

static int add_struct(struct btf *btf, const char *name, size_t size,
		      const struct field *f, size_t n)
{
	int id = btf__add_struct(btf, name, size), r;
	size_t i;

	for (i = 0; id > 0 && i < n; i++) {
		r = btf__add_field(btf, f[i].name, f[i].type, f[i].off * 8, 0);
		if (r < 0)
			return r;
	}
	return id;
}

static int add_state_type(struct btf *btf)
{
	int u32, u64, uint, chr, name, mode, id, r, c;
	uint32_t m;

	u32 = btf__find_by_name_kind(btf, "__u32", BTF_KIND_TYPEDEF);
	u64 = btf__find_by_name_kind(btf, "__u64", BTF_KIND_TYPEDEF);
	if (u64 < 0) {
		u64 = btf__add_int(btf, "long long unsigned int", 8, 0);
		u64 = u64 < 0 ? u64 : btf__add_typedef(btf, "__u64", u64);
		if (u64 < 0)
			return u64;
	}
	uint = btf__find_by_name_kind(btf, "unsigned int", BTF_KIND_INT);
	chr = btf__add_int(btf, "char", 1, BTF_INT_SIGNED);
	name = chr < 0 ? chr : btf__add_array(btf, uint, chr, 16);
	mode = name < 0 ? name : btf__add_enum(btf, "xctl_xdp_attached", 4);
	if (mode < 0)
		return mode;
	for (m = XDP_ATTACHED_NONE; m <= XDP_ATTACHED_MULTI; m++)
		if (btf__add_enum_value(btf, m ? xdp_mode_name(m) : "none", m))
			return -ENOMEM;
	{
		const struct field f[] = {
			{ "ifname", name, offsetof(struct xdp_state, ifname) },
			{ "mode", mode, offsetof(struct xdp_state, mode) },
			{ "prog_id", u32, offsetof(struct xdp_state, prog_id) },
			{ "drv_prog_id", u32, offsetof(struct xdp_state, drv_prog_id) },
			{ "skb_prog_id", u32, offsetof(struct xdp_state, skb_prog_id) },
			{ "hw_prog_id", u32, offsetof(struct xdp_state, hw_prog_id) },
		};

		id = add_struct(btf, "xctl_xdp_state", sizeof(struct xdp_state), f,
				sizeof(f) / sizeof(f[0]));
	}
	for (c = 0; id > 0 && c < XCTL_XC_MAX; c++) {
		r = btf__add_field(btf, xctl_xdp_counter_names[c], u64,
				   (offsetof(struct xdp_state, counters) + c * sizeof(uint64_t)) * 8, 0);
		if (r < 0)
			return r;
	}
	return id;
}

static int add_update_type(struct btf *btf)
{
	int u32, cmd, rings;

	u32 = btf__find_by_name_kind(btf, "__u32", BTF_KIND_TYPEDEF);
	cmd = btf__add_enum(btf, "xctl_xdp_command", 4);
	if (cmd < 0)
		return cmd;
	if (btf__add_enum_value(btf, "setup_redirect", XDP_CMD_SETUP_REDIRECT) ||
	    btf__add_enum_value(btf, "teardown_redirect", XDP_CMD_TEARDOWN_REDIRECT))
		return -ENOMEM;
	{
		const struct field rf[] = {
			{ "num", u32, offsetof(struct xdp_update, rings.num) -
				      offsetof(struct xdp_update, rings) },
			{ "size", u32, offsetof(struct xdp_update, rings.size) -
				       offsetof(struct xdp_update, rings) },
		};
		rings = add_struct(btf, "xctl_xdp_rings", sizeof(((struct xdp_update *)0)->rings),
				   rf, 2);
	}
	if (rings < 0)
		return rings;
	{
		const struct field f[] = {
			{ "command", cmd, offsetof(struct xdp_update, command) },
			{ "rings", rings, offsetof(struct xdp_update, rings) },
		};

		return add_struct(btf, "xctl_xdp_update", sizeof(struct xdp_update), f, 2);
	}
}

static int xdp_open(struct xctl_ctl *c, struct xctl_err *err)
{
	struct xdp_priv *p = calloc(1, sizeof(*p));
	int r;

	if (!p)
		return xctl_errf(err, ENOMEM, "cannot open control type 'xdp'");
	r = add_state_type(c->btf);
	if (r > 0) {
		p->state_id = r;
		r = add_update_type(c->btf);
	}
	if (r < 0) {
		free(p);
		return xctl_errf(err, r, "cannot build the BTF of control type 'xdp'");
	}
	p->update_id = r;
	r = xctl_nl_devs_get(&p->devs, XCTL_NL_DEV_CHANNELS, err);
	if (r) {
		free(p);
		return r;
	}
	r = eth_stats_open(&p->eth);
	if (r) {
		xctl_nl_devs_free(&p->devs);
		free(p);
		return xctl_errf(err, r, "cannot open a socket for ethtool");
	}
	c->priv = p;
	return 0;
}

static void xdp_close(struct xctl_ctl *c)
{
	struct xdp_priv *p = c->priv;

	if (p) {
		xctl_nl_devs_free(&p->devs);
		eth_stats_close(&p->eth);
	}
	free(p);
}

static int xdp_get_next(struct xctl_ctl *c, const uint32_t *key, uint32_t *next,
			struct xctl_err *err)
{
	struct xdp_priv *p = c->priv;

	(void)err;
	return xctl_nl_devs_next(&p->devs, key, next);
}

static int xdp_lookup(struct xctl_ctl *c, uint32_t key, struct xctl_ctl_val *v,
		      struct xctl_err *err)
{
	struct xdp_priv *p = c->priv;
	struct xctl_nl_dev *d = xctl_nl_devs_find(&p->devs, key);
	struct xdp_state *s;
	uint32_t have;
	int r, ci;

	if (!d)
		return xctl_ctl_dev_missing(key, err);
	s = calloc(1, sizeof(*s));
	if (!s)
		return xctl_errf(err, ENOMEM, "cannot read the XDP state of %s", d->name);
	memcpy(s->ifname, d->name, sizeof(s->ifname));
	s->mode = d->xdp_attached;
	s->prog_id = d->xdp_prog_id;
	s->drv_prog_id = d->xdp_drv_prog_id;
	s->skb_prog_id = d->xdp_skb_prog_id;
	s->hw_prog_id = d->xdp_hw_prog_id;
	/* The kernel reports an id only for a mode that has a program. */
	v->absent = (s->mode == XDP_ATTACHED_NONE ? 1ULL << M_MODE : 0) |
		    (!s->prog_id ? 1ULL << M_PROG_ID : 0) |
		    (!s->drv_prog_id ? 1ULL << M_DRV_PROG_ID : 0) |
		    (!s->skb_prog_id ? 1ULL << M_SKB_PROG_ID : 0) |
		    (!s->hw_prog_id ? 1ULL << M_HW_PROG_ID : 0);
	r = xdp_dev_counters(&p->eth, &p->devs, d, s->counters, &have);
	if (r) {
		free(s);
		return xctl_errf(err, r, "cannot read the XDP counters of %s", d->name);
	}
	for (ci = 0; ci < XCTL_XC_MAX; ci++)
		if (!(have & (1U << ci)))
			v->absent |= 1ULL << (M_COUNTERS + ci);
	v->data = s;
	v->size = sizeof(*s);
	v->btf = c->btf;
	v->type_id = p->state_id;
	return 0;
}

static int xdp_value_type(struct xctl_ctl *c, const uint32_t *key,
			  const struct btf **btf, uint32_t *id, struct xctl_err *err)
{
	struct xdp_priv *p = c->priv;

	(void)key;
	(void)err;
	*btf = c->btf;
	*id = p->state_id;
	return 0;
}

static void xdp_key_name(struct xctl_ctl *c, uint32_t key, char *buf, size_t len)
{
	struct xdp_priv *p = c->priv;
	struct xctl_nl_dev *d = xctl_nl_devs_find(&p->devs, key);

	snprintf(buf, len, "%s", d ? d->name : "");
}

static int xdp_update_type(struct xctl_ctl *c, const struct btf **btf, uint32_t *id,
			   struct xctl_err *err)
{
	struct xdp_priv *p = c->priv;

	(void)err;
	*btf = c->btf;
	*id = p->update_id;
	return 0;
}

static int xdp_update(struct xctl_ctl *c, uint32_t key, const void *cmd, size_t size,
		      json_t **report, struct xctl_err *err)
{
	XCTL_OPTS(xctl_redirect_opts, ro);
	const struct xdp_update *u = cmd;
	json_t *rep = NULL;
	int r;

	ro.bpffs_dir = c->bpffs_dir;
	ro.no_mount = c->no_mount;
	if (size < sizeof(*u))
		return xctl_errf(err, EINVAL, "short xdp update command");
	switch (u->command) {
	case XDP_CMD_SETUP_REDIRECT:
		ro.rings = u->rings.num;
		ro.ring_size = u->rings.size;
		r = xctl_redirect_setup(key, &ro, &rep, err);
		break;
	case XDP_CMD_TEARDOWN_REDIRECT:
		if (u->rings.num || u->rings.size) {
			r = xctl_errf(err, EINVAL, "invalid xdp update");
			xctl_err_why(err, "teardown_redirect restores the recorded rings; "
				     "it takes no rings.* fields");
			return r;
		}
		r = xctl_redirect_teardown(key, &ro, &rep, err);
		break;
	default:
		r = xctl_errf(err, EINVAL, "invalid xdp update");
		xctl_err_why(err, "no command given");
		xctl_err_hint(err, "set command=setup_redirect or command=teardown_redirect");
		return r;
	}
	if (r)
		return r;
	if (report)
		*report = rep;
	else
		json_decref(rep);
	return 0;
}

const struct xctl_ctl_ops xctl_ctl_xdp_ops = {
	.info = {
		.name = "xdp",
		.desc = "XDP per device: attach mode and program ids; redirect setup",
		.key_name = "ifindex",
		.key_type = "xctl_ifindex_t",
		.value_type = "struct xctl_xdp_state",
		.ops = XCTL_CTL_OP_GET_NEXT | XCTL_CTL_OP_LOOKUP | XCTL_CTL_OP_UPDATE |
		       XCTL_CTL_OP_PIN,
		.device_key = true,
	},
	.open = xdp_open,
	.close = xdp_close,
	.get_next = xdp_get_next,
	.lookup = xdp_lookup,
	.value_type = xdp_value_type,
	.key_name = xdp_key_name,
	.update_type = xdp_update_type,
	.update = xdp_update,
};
