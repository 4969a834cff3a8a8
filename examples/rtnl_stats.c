// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * rtnl_stats: per-device rtnetlink statistics through libxctl's control-map
 * API, the way any program outside xctl uses the installed library.
 *
 *	cc -std=c11 -o rtnl_stats rtnl_stats.c $(pkg-config --cflags --libs libxctl)
 *	c++ -x c++ -o rtnl_stats rtnl_stats.c $(pkg-config --cflags --libs libxctl)
 *
 * Prints one line per device of the current network namespace:
 *	IFINDEX RX_PACKETS RX_BYTES TX_PACKETS TX_BYTES
 * The "netdev" control type's value is the kernel's struct rtnl_link_stats64;
 * lookup copies min(our size, the kernel's) and reports the kernel's size, so
 * this program keeps working when the kernel's struct grows.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <linux/if_link.h>
#include <xctl/xctl.h>

static int print_device(struct xctl_ctl *c, uint32_t ifindex, struct xctl_err *err)
{
	struct rtnl_link_stats64 st;
	struct xctl_ctl_lookup_opts o;
	int r;

	memset(&st, 0, sizeof(st));
	memset(&o, 0, sizeof(o));
	o.sz = sizeof(o);
	o.value = &st;
	o.value_sz = sizeof(st);
	r = xctl_ctl_lookup(c, &ifindex, &o, err);
	if (r)
		return r;
	printf("%" PRIu32 " %llu %llu %llu %llu\n", ifindex,
	       (unsigned long long)st.rx_packets, (unsigned long long)st.rx_bytes,
	       (unsigned long long)st.tx_packets, (unsigned long long)st.tx_bytes);
	return 0;
}

int main(void)
{
	struct xctl_ctl *c = NULL;
	struct xctl_err err;
	uint32_t key, next;
	const void *prev = NULL;
	int r;

	memset(&err, 0, sizeof(err));
	r = xctl_ctl_open("netdev", &c, &err);
	while (!r) {
		r = xctl_ctl_get_next_key(c, prev, &next, &err);
		if (r == -ENOENT) {	/* past the last device */
			r = 0;
			break;
		}
		if (!r)
			r = print_device(c, next, &err);
		key = next;
		prev = &key;
	}
	if (r) {
		/* errno is set too: -r == errno */
		fprintf(stderr, "rtnl_stats: %s: %s\n", err.what, xctl_err_reason(&err));
		if (err.hint[0])
			fprintf(stderr, "hint: %s\n", err.hint);
	}
	xctl_ctl_close(c);
	xctl_err_reset(&err);
	return r ? 1 : 0;
}
