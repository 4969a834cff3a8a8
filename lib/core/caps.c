// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Which of the capabilities xctl's kernel work needs the process lacks, so
 * a permission error says "run as root" only when that is the cause (root
 * denied by a file's mode or a security module, or a lost BPF_F_REPLACE
 * race, also give EPERM/EACCES, and root cannot fix them by being root).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include "core_priv.h"

#ifndef CAP_BPF
#define CAP_BPF 39
#endif

static bool has_cap(const struct __user_cap_data_struct *d, int cap)
{
	return d[cap / 32].effective & (1U << (cap % 32));
}

size_t xctl_missing_caps(char *buf, size_t len)
{
	static const struct { int cap; const char *name; } need[] = {
		{ CAP_BPF, "CAP_BPF" },
		{ CAP_NET_ADMIN, "CAP_NET_ADMIN" },
		{ CAP_SYS_ADMIN, "CAP_SYS_ADMIN" },
	};
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = {};
	size_t i, n = 0, used = 0;

	if (len)
		buf[0] = '\0';
	if (syscall(SYS_capget, &h, d))
		return 0;	/* unknown: claim nothing */
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		if (has_cap(d, need[i].cap))
			continue;
		if (used < len)
			used += snprintf(buf + used, len - used, "%s%s", n ? ", " : "",
					 need[i].name);
		n++;
	}
	return n;
}
