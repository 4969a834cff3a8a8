// SPDX-License-Identifier: GPL-2.0
/*
 * The driver normalisation table (lib/xdp/xdp_norm.c) on string lists recorded
 * from the drivers' get_strings (veth read off this kernel's ethtool -S).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "xctl_priv.h"

struct expect {
	const char *str;
	int counter;		/* -1: not an XDP counter of the schema */
	int queue;
	bool tx;
};

static void check(const char *driver, const struct expect *e)
{
	struct xctl_xdp_norm n;

	for (; e->str; e++) {
		bool hit = xctl_xdp_norm_match(driver, e->str, &n);

		if (e->counter < 0) {
			if (hit)
				fail_msg("%s: '%s' must not match", driver, e->str);
			continue;
		}
		if (!hit)
			fail_msg("%s: '%s' did not match", driver, e->str);
		assert_int_equal(n.counter, e->counter);
		assert_int_equal(n.queue, e->queue);
		assert_int_equal(n.tx, e->tx);
	}
}

#define E(s, c, q, t) { s, XCTL_XC_##c, q, t }
#define NO(s) { s, -1, 0, false }

static void test_veth(void **state)
{
	/* ethtool -S of a 2-queue veth on Linux 6.18 */
	static const struct expect e[] = {
		NO("peer_ifindex"),
		E("rx_queue_0_xdp_packets", PACKETS, 0, false),
		E("rx_queue_0_xdp_bytes", BYTES, 0, false),
		NO("rx_queue_0_drops"),
		E("rx_queue_0_xdp_redirect", REDIRECT, 0, false),
		E("rx_queue_0_xdp_drops", DROP, 0, false),
		E("rx_queue_0_xdp_tx", TX, 0, false),
		E("rx_queue_0_xdp_tx_errors", TX_ERRORS, 0, false),
		E("rx_queue_1_xdp_packets", PACKETS, 1, false),
		E("tx_queue_0_xdp_xmit", XMIT_PACKETS, 0, true),
		E("tx_queue_11_xdp_xmit_errors", XMIT_ERRORS, 11, true),
		NO("rx_queue__xdp_packets"),
		NO("rx_queue_0_xdp_packets_x"),
		{ 0 }
	};

	(void)state;
	check("veth", e);
	assert_true(xctl_xdp_norm_has_driver("veth"));
}

static void test_virtio_net(void **state)
{
	static const struct expect e[] = {
		/* since 6.10 */
		E("rx0_xdp_packets", PACKETS, 0, false),
		E("rx0_xdp_tx", TX, 0, false),
		E("rx0_xdp_redirects", REDIRECT, 0, false),
		E("rx0_xdp_drops", DROP, 0, false),
		E("tx3_xdp_tx", XMIT_PACKETS, 3, true),
		E("tx3_xdp_tx_drops", XMIT_ERRORS, 3, true),
		E("rx_xdp_packets", PACKETS, -1, false),
		E("tx_xdp_tx_drops", XMIT_ERRORS, -1, true),
		NO("rx0_packets"),
		NO("rx0_kicks"),
		/* before 6.10 */
		E("rx_queue_2_xdp_packets", PACKETS, 2, false),
		E("rx_queue_2_xdp_redirects", REDIRECT, 2, false),
		E("tx_queue_2_xdp_tx", XMIT_PACKETS, 2, true),
		NO("tx_queue_2_packets"),
		{ 0 }
	};

	(void)state;
	check("virtio_net", e);
}

static void test_mlx5(void **state)
{
	static const struct expect e[] = {
		E("rx_xdp_drop", DROP, -1, false),
		E("rx_xdp_redirect", REDIRECT, -1, false),
		E("rx_xdp_tx_xmit", TX, -1, false),
		E("rx_xdp_tx_full", TX_ERRORS, -1, false),
		E("rx_xdp_tx_err", TX_ERRORS, -1, false),
		NO("rx_xdp_tx_cqe"),
		NO("rx_xdp_tx_mpwqe"),
		E("tx_xdp_xmit", XMIT_PACKETS, -1, true),
		E("tx_xdp_full", XMIT_FULL, -1, true),
		E("tx_xdp_err", XMIT_ERRORS, -1, true),
		E("rx7_xdp_drop", DROP, 7, false),
		E("rx7_xdp_redirect", REDIRECT, 7, false),
		E("rx7_xdp_tx_xmit", TX, 7, false),
		E("tx7_xdp_xmit", XMIT_PACKETS, 7, true),
		E("tx7_xdp_full", XMIT_FULL, 7, true),
		E("tx7_xdp_err", XMIT_ERRORS, 7, true),
		NO("tx7_xdp_cqes"),
		NO("rx7_packets"),
		{ 0 }
	};

	(void)state;
	check("mlx5_core", e);
}

static void test_ena(void **state)
{
	static const struct expect e[] = {
		E("queue_0_rx_xdp_aborted", ABORTED, 0, false),
		E("queue_0_rx_xdp_drop", DROP, 0, false),
		E("queue_0_rx_xdp_pass", PASS, 0, false),
		E("queue_0_rx_xdp_tx", TX, 0, false),
		E("queue_0_rx_xdp_invalid", INVALID, 0, false),
		E("queue_5_rx_xdp_redirect", REDIRECT, 5, false),
		NO("queue_0_rx_cnt"),
		NO("queue_0_tx_cnt"),
		{ 0 }
	};

	(void)state;
	check("ena", e);
}

/*
 * Drivers known to have no XDP strings: every string their get_strings can
 * produce (formats in lib/xdp/xdp_norm.c) must stay unmatched, including the
 * ones whose words look like XDP actions ("drops", "discards").
 */
static void test_known_without_patterns(void **state)
{
	static const struct expect i40e[] = {
		NO("rx_packets"), NO("rx_dropped"), NO("tx_busy"),
		NO("tx-0.packets"), NO("tx-0.bytes"),
		NO("rx-0.packets"), NO("rx-15.bytes"),
		NO("veb.rx_discards"), NO("veb.tc_0_tx_packets"),
		NO("port.rx_dropped"), NO("port.tx_priority_0_xon_tx"),
		{ 0 }
	};
	static const struct expect ice_ixgbe[] = {
		NO("rx_packets"), NO("rx_dropped"),
		NO("tx_queue_0_packets"), NO("tx_queue_0_bytes"),
		NO("rx_queue_0_packets"), NO("rx_queue_7_bytes"),
		NO("rx_priority_0_xon.nic"),
		{ 0 }
	};
	static const struct expect igc[] = {
		NO("tx_queue_0_packets"), NO("tx_queue_0_restart"),
		NO("rx_queue_0_packets"), NO("rx_queue_0_bytes"),
		NO("rx_queue_0_drops"), NO("rx_queue_3_csum_err"),
		NO("rx_queue_0_alloc_failed"),
		{ 0 }
	};
	static const struct expect bnxt[] = {
		NO("[0]: rx_ucast_packets"), NO("[0]: rx_discards"),
		NO("[0]: tx_discards"), NO("[1]: tpa_aborts"),
		NO("[0]: rx_buf_errors"), NO("[0]: missed_irqs"),
		NO("rx_total_ring_discards"), NO("tx_total_resets"),
		{ 0 }
	};
	static const char *const drv[] = { "i40e", "ice", "ixgbe", "igc", "bnxt_en" };
	struct xctl_xdp_norm n;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(drv) / sizeof(drv[0]); i++) {
		assert_true(xctl_xdp_norm_has_driver(drv[i]));
		/* another driver's XDP string does not leak into these */
		assert_false(xctl_xdp_norm_match(drv[i], "rx_queue_0_xdp_packets", &n));
	}
	check("i40e", i40e);
	check("ice", ice_ixgbe);
	check("ixgbe", ice_ixgbe);
	check("igc", igc);
	check("bnxt_en", bnxt);
	assert_false(xctl_xdp_norm_has_driver("e1000"));
	assert_false(xctl_xdp_norm_match("e1000", "rx_queue_0_xdp_packets", &n));
	assert_false(xctl_xdp_norm_match(NULL, "rx_queue_0_xdp_packets", &n));
}

static void test_counter_names(void **state)
{
	int c;

	(void)state;
	for (c = 0; c < XCTL_XC_MAX; c++)
		assert_non_null(xctl_xdp_counter_names[c]);
	assert_string_equal(xctl_xdp_counter_names[XCTL_XC_PACKETS], "packets");
	assert_string_equal(xctl_xdp_counter_names[XCTL_XC_INVALID], "invalid");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_veth),
		cmocka_unit_test(test_virtio_net),
		cmocka_unit_test(test_mlx5),
		cmocka_unit_test(test_ena),
		cmocka_unit_test(test_known_without_patterns),
		cmocka_unit_test(test_counter_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
