// SPDX-License-Identifier: GPL-2.0
/*
 * The exporter's HTTP Accept header negotiation (cli/metrics.c): input = the
 * header value a scraper sends, any bytes (libmicrohttpd stops it at the
 * first NUL, as here).
 */
#include <stdlib.h>
#include "../../cli/metrics.c"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	enum metrics_format f;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	f = metrics_negotiate(buf);
	if (f != METRICS_TEXT && f != METRICS_OPENMETRICS)
		abort();
	free(buf);
	return 0;
}
