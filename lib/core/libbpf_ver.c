// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The libbpf xctl runs with, and the one place where libbpf versions differ
 * for xctl (DESIGN.md §2, docs/design/2-kernel-facts.md).
 *
 * xctl builds against libbpf 1.1 to 1.6 and may run with a newer shared
 * library than its headers (the soname stays libbpf.so.1), so behaviour is
 * decided by the run-time version (libbpf_major_version() and
 * libbpf_minor_version(), both in libbpf since 0.6), never by
 * LIBBPF_MAJOR_VERSION/LIBBPF_MINOR_VERSION alone. Everything else is written
 * to be right on every version:
 *   - struct_ops values are built and written by xctl (sops_value.c), and
 *     links created by xctl from the map fd: bpf_map__attach_struct_ops()
 *     changed meaning in 1.2 (it creates a real link for BPF_F_LINK maps);
 *   - map selection uses bpf_map__set_autocreate() (1.0+) and
 *     bpf_program__set_autoload() (0.x), which every supported version has;
 *   - objects with a `.struct_ops.link` section are rewritten in memory for
 *     libbpf < 1.2, which only reads `.struct_ops`, and objects with a
 *     `?.struct_ops` or `?.struct_ops.link` section for libbpf < 1.4
 *     (sops_image.c).
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "xctl_priv.h"

/* Compile-time floor: older headers lack APIs xctl calls. */
#if LIBBPF_MAJOR_VERSION < 1 || (LIBBPF_MAJOR_VERSION == 1 && LIBBPF_MINOR_VERSION < 1)
#error "xctl needs libbpf 1.1 or later"
#endif

/*
 * The patch level is not in libbpf's API; the shared object's file name
 * carries it (libbpf.so.1.4.6). Unknown (static link, renamed file): -1.
 */
static int runtime_patch(unsigned int major, unsigned int minor)
{
	char real[PATH_MAX], want[32];
	unsigned int pa;
	const char *base;
	Dl_info info;
	int n = 0;

	if (!dladdr((void *)libbpf_major_version, &info) || !info.dli_fname ||
	    !realpath(info.dli_fname, real))
		return -1;
	base = strrchr(real, '/');
	base = base ? base + 1 : real;
	snprintf(want, sizeof(want), "libbpf.so.%u.%u.", major, minor);
	if (strncmp(base, want, strlen(want)) ||
	    sscanf(base + strlen(want), "%u%n", &pa, &n) != 1 || base[strlen(want) + n])
		return -1;
	return (int)pa;
}

const struct xctl_libbpf *xctl_libbpf(void)
{
	static struct xctl_libbpf v;
	static bool done;

	if (done)
		return &v;
	done = true;
	v.major = libbpf_major_version();
	v.minor = libbpf_minor_version();
	v.patch = runtime_patch(v.major, v.minor);
	v.built_major = LIBBPF_MAJOR_VERSION;
	v.built_minor = LIBBPF_MINOR_VERSION;
	if (v.patch >= 0)
		snprintf(v.version, sizeof(v.version), "%u.%u.%d", v.major, v.minor, v.patch);
	else
		snprintf(v.version, sizeof(v.version), "%u.%u", v.major, v.minor);
	/* 1.2 reads `.struct_ops.link` (and sets BPF_F_LINK on its maps) */
	v.reads_sops_link_sec = v.major > 1 || (v.major == 1 && v.minor >= 2);
	/* 1.4 reads `?.struct_ops` and `?.struct_ops.link` (autocreate off) */
	v.reads_sops_opt_sec = v.major > 1 || (v.major == 1 && v.minor >= 4);
	return &v;
}

const char *xctl_libbpf_version(void)
{
	return xctl_libbpf()->version;
}
