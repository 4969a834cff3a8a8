// SPDX-License-Identifier: GPL-2.0
/*
 * Fault-injection pause points of build/xctl-test (never part of xctl or
 * libxctl). The library files compiled with -DXCTL_TEST_HOOKS call
 * xctl_test_pause() at each step (lib/core/test_hooks.h lists them); when
 * the environment variable XCTL_TEST_PAUSE_AT names that step ("STEP" or
 * "STEP:ARG"), the process stops itself (SIGSTOP) so a test can kill it
 * there, or run another command against it before it continues.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void xctl_test_pause(const char *step, const char *arg);

void xctl_test_pause(const char *step, const char *arg)
{
	const char *want = getenv("XCTL_TEST_PAUSE_AT");
	char full[128];

	if (!want)
		return;
	snprintf(full, sizeof(full), "%s%s%s", step, arg ? ":" : "", arg ? arg : "");
	if (!strcmp(want, full))
		raise(SIGSTOP);
}
