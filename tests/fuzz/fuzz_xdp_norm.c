// SPDX-License-Identifier: GPL-2.0
/*
 * The ethtool string normaliser: input = a driver name, NUL, an ethtool
 * stats string (up to ETH_GSTRING_LEN as the kernel gives them, or longer).
 */
#include <stdlib.h>
#include "xctl_priv.h"
#include "xctl_xdp.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xctl_xdp_norm n;
	char *buf = malloc(size + 2), *str;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = '\0';
	str = buf + strlen(buf) + 1;
	if (str > buf + size)
		str = buf + size;
	xctl_xdp_norm_has_driver(buf);
	xctl_xdp_norm_match(buf, str, &n);
	xctl_xdp_norm_match(*buf ? buf : NULL, str, &n);
	free(buf);
	return 0;
}
