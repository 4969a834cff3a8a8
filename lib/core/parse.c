// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Keyword and number parsing shared by the CLI grammar and the library. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "xctl.h"

bool xctl_is_prefix(const char *arg, const char *keyword)
{
	size_t n = strlen(arg);

	return n && n <= strlen(keyword) && !strncmp(arg, keyword, n);
}

int xctl_keyword_index(const char *arg, const char *const *words)
{
	int i, found = -1;

	for (i = 0; words[i]; i++) {
		if (!strcmp(arg, words[i]))
			return i;
		if (xctl_is_prefix(arg, words[i]))
			found = found == -1 ? i : -2;
	}
	return found;
}

int xctl_parse_u64(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		return errno ? -errno : -EINVAL;
	*out = v;
	return 0;
}

int xctl_parse_u32(const char *s, uint32_t *out)
{
	uint64_t v;
	int r = xctl_parse_u64(s, &v);

	if (r)
		return r;
	if (v > UINT32_MAX)
		return -ERANGE;
	*out = v;
	return 0;
}

