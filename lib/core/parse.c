// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Keyword and number parsing shared by the CLI grammar and the library. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "xctl_priv.h"

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


/*
 * Split one line into words. The buffer holds the argv array (argc + 1
 * pointers) followed by the words, so one free() releases everything; a
 * line of n bytes has at most n / 2 + 1 words of at most n bytes in total.
 */
int xctl_split_words(const char *line, int *argc, char ***argv,
		     struct xctl_err *err)
{
	size_t len = strlen(line), max = len / 2 + 2;
	char **words, *out, quote = 0;
	bool in_word = false;
	const char *p;
	int n = 0;

	*argc = 0;
	*argv = NULL;
	words = malloc(max * sizeof(*words) + len + max);
	if (!words)
		return xctl_errf(err, ENOMEM, "cannot split a line of %zu bytes", len);
	out = (char *)(words + max);
	for (p = line; *p && *p != '\n'; p++) {
		if (quote) {
			if (*p == quote) {
				quote = 0;
				continue;
			}
			if (quote == '"' && *p == '\\' && (p[1] == '"' || p[1] == '\\'))
				p++;
			*out++ = *p;
			continue;
		}
		if (*p == ' ' || *p == '\t' || *p == '\r') {
			if (in_word)
				*out++ = '\0';
			in_word = false;
			continue;
		}
		if (*p == '#' && !in_word)
			break;		/* a comment runs to the end of the line */
		if (!in_word) {
			words[n++] = out;
			in_word = true;
		}
		if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '\\') {
			if (!p[1] || p[1] == '\n') {
				free(words);
				xctl_errf(err, EINVAL, "backslash at the end of the line");
				xctl_err_why(err, "a command must fit on one line");
				return -EINVAL;
			}
			*out++ = *++p;
		} else {
			*out++ = *p;
		}
	}
	if (quote) {
		free(words);
		xctl_errf(err, EINVAL, "unterminated %s quote",
			  quote == '"' ? "double" : "single");
		xctl_err_why(err, "the line ends inside the quotes");
		return -EINVAL;
	}
	if (in_word)
		*out++ = '\0';
	words[n] = NULL;
	*argc = n;
	*argv = words;
	return 0;
}
