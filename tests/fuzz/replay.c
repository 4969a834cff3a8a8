// SPDX-License-Identifier: GPL-2.0
/*
 * Replay a harness's regression corpus without libFuzzer: every file of
 * tests/fuzz/regressions/<harness>/ (harness: this binary's name without
 * "replay_") goes through LLVMFuzzerTestOneInput once, one TAP line each.
 * A crash or sanitizer report fails the run (make check, also under
 * SANITIZE=address,undefined).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');
	char dir[512], path[1024], *names[4096];
	size_t n = 0, i;
	struct dirent *de;
	DIR *d;

	(void)argc;
	base = base ? base + 1 : argv[0];
	if (!strncmp(base, "replay_", 7))
		base += 7;
	snprintf(dir, sizeof(dir), "tests/fuzz/regressions/%s", base);
	d = opendir(dir);
	if (!d) {
		printf("1..0 # no regression corpus in %s\n", dir);
		return 0;
	}
	while ((de = readdir(d)) && n < sizeof(names) / sizeof(names[0]))
		if (de->d_name[0] != '.')
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, n, sizeof(names[0]), cmp);
	printf("1..%zu\n", n);
	for (i = 0; i < n; i++) {
		FILE *f;
		uint8_t *buf;
		long len;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		f = fopen(path, "rb");
		if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
			printf("not ok %zu - %s: cannot read\n", i + 1, path);
			if (f)
				fclose(f);
			free(names[i]);
			continue;
		}
		buf = malloc(len ? len : 1);
		if (!buf || fread(buf, 1, len, f) != (size_t)len) {
			printf("not ok %zu - %s: cannot read\n", i + 1, path);
		} else {
			fflush(stdout);
			LLVMFuzzerTestOneInput(buf, len);
			printf("ok %zu - %s %s\n", i + 1, base, names[i]);
		}
		free(buf);
		fclose(f);
		free(names[i]);
	}
	return 0;
}
