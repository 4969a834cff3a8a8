/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Fault-injection pause points for the tests. In a test build of a library
 * file (-DXCTL_TEST_HOOKS, linked only into build/xctl-test), the process
 * stops itself (SIGSTOP) at STEP when the environment variable
 * XCTL_TEST_PAUSE_AT names it ("STEP", or "STEP:ARG" when arg is given), so
 * a test can kill it there or run another command against it before it
 * continues. Compiled out of libxctl and the xctl binary; the body, which
 * reads the environment (lib/ never does), is tests/hooks/test_pause.c.
 *
 * Points: module load/reload (lib/module/module.c): "reserved", "loaded",
 * "registered:<map>", "pinned:<map>", "meta", "staged", "swapped:<map>";
 * redirect (lib/xdp/xdp_redirect.c), all inside the device's lock:
 * "redirect-setup:recorded" (incomplete record pinned, nothing changed
 * yet), "redirect-setup:helper" (channels set, helper attached and pinned,
 * record not yet complete), "redirect-teardown:unpinned" (helper removed,
 * channels and record not yet restored or removed).
 */
#ifndef XCTL_TEST_HOOKS_H
#define XCTL_TEST_HOOKS_H

#ifdef XCTL_TEST_HOOKS
void xctl_test_pause(const char *step, const char *arg);
#else
static inline void xctl_test_pause(const char *step, const char *arg)
{
	(void)step;
	(void)arg;
}
#endif

#endif /* XCTL_TEST_HOOKS_H */
