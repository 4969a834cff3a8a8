// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Module names and their directories below <bpffs>/xctl/modules/. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "module_priv.h"

int xctl_module_name_check(const char *name, struct xctl_err *err)
{
	size_t i, len = strlen(name);
	int r;

	for (i = 0; i < len; i++)
		if (!(name[i] >= 'a' && name[i] <= 'z') && !(name[i] >= 'A' && name[i] <= 'Z') &&
		    !(name[i] >= '0' && name[i] <= '9') && !strchr("_.-", name[i]))
			break;
	if (len && len <= XCTL_MODULE_NAME_MAX && i == len && name[0] != '.')
		return 0;
	r = xctl_errf(err, EINVAL, "invalid module name '%s'", name);
	if (!len)
		xctl_err_why(err, "it is empty");
	else if (len > XCTL_MODULE_NAME_MAX)
		xctl_err_why(err, "it is longer than %d characters", XCTL_MODULE_NAME_MAX);
	else
		xctl_err_why(err, "names are 1-%d of A-Z a-z 0-9 _ . - and do not start with '.'",
			     XCTL_MODULE_NAME_MAX);
	return xctl_ret(r);
}

int xctl_module_default_name(const char *obj_path, char *out, size_t len,
			     struct xctl_err *err)
{
	const char *base = strrchr(obj_path, '/');
	size_t n;

	base = base ? base + 1 : obj_path;
	n = strlen(base);
	if (n > 6 && !strcmp(base + n - 6, ".bpf.o"))
		n -= 6;
	else if (n > 2 && !strcmp(base + n - 2, ".o"))
		n -= 2;
	if (n >= len)
		n = len - 1;
	snprintf(out, len, "%.*s", (int)n, base);
	return xctl_ret(xctl_module_name_check(out, err));
}

int mod_dir(const struct xctl_bpffs *fs, const char *name, char *out,
	    size_t len, struct xctl_err *err)
{
	char rel[128];
	int r;

	r = xctl_module_name_check(name, err);
	if (r)
		return r;
	snprintf(rel, sizeof(rel), "%s/%s", XCTL_MODULE_SUBDIR, name);
	return xctl_bpffs_path(fs, rel, out, len, err);
}

bool mod_path(char *out, size_t len, const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);

	if (a + 1 + b >= len) {
		if (len)
			out[0] = '\0';
		return false;
	}
	memcpy(out, dir, a);
	out[a] = '/';
	memcpy(out + a + 1, name, b + 1);
	return true;
}
