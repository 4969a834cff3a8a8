// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The names of XDP modes, once: what attach takes (enum xctl_xdp_mode) and
 * what the kernel reports (XDP_ATTACHED_*) use the same words.
 */
#include <linux/if_link.h>
#include "xctl_priv.h"
#include "xdp_priv.h"

const char *const xctl_xdp_mode_names[] = {
	[XCTL_XDP_MODE_DEFAULT]	= "default",
	[XCTL_XDP_MODE_NATIVE]	= "native",
	[XCTL_XDP_MODE_GENERIC]	= "generic",
	[XCTL_XDP_MODE_OFFLOAD]	= "offload",
	[XCTL_XDP_MODE_OFFLOAD + 1] = NULL,
};

const char *xdp_mode_name(uint32_t attach_mode)
{
	switch (attach_mode) {
	case XDP_ATTACHED_DRV:
		return xctl_xdp_mode_names[XCTL_XDP_MODE_NATIVE];
	case XDP_ATTACHED_SKB:
		return xctl_xdp_mode_names[XCTL_XDP_MODE_GENERIC];
	case XDP_ATTACHED_HW:
		return xctl_xdp_mode_names[XCTL_XDP_MODE_OFFLOAD];
	case XDP_ATTACHED_MULTI:
		return "multi";
	default:
		return NULL;
	}
}
