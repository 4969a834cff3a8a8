// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What the running kernel supports, probed from its BTF (no test programs are
 * loaded, so probing needs no privilege and cannot leave anything behind).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "xctl_priv.h"

const char *xctl_version(void)
{
	return XCTL_VERSION;
}

static struct btf *vmlinux_btf;
static int vmlinux_err;

struct btf *xctl_kernel_btf(struct xctl_err *err)
{
	if (!vmlinux_btf && !vmlinux_err) {
		vmlinux_btf = btf__load_vmlinux_btf();
		if (!vmlinux_btf)
			vmlinux_err = errno ? errno : ENOENT;
	}
	if (!vmlinux_btf) {
		xctl_errf(err, vmlinux_err, "cannot load kernel BTF (/sys/kernel/btf/vmlinux)");
		xctl_err_hint(err, "xctl needs a kernel built with CONFIG_DEBUG_INFO_BTF=y");
	}
	return vmlinux_btf;
}

static bool btf_has_enumerator(const struct btf *btf, const char *type, const char *name)
{
	const struct btf_type *t;
	int id, i;

	id = btf__find_by_name_kind(btf, type, BTF_KIND_ENUM);
	if (id < 0)
		return false;
	t = btf__type_by_id(btf, id);
	for (i = 0; i < btf_vlen(t); i++) {
		const struct btf_enum *e = btf_enum(t) + i;

		if (!strcmp(btf__name_by_offset(btf, e->name_off), name))
			return true;
	}
	return false;
}

static bool btf_has_func(const struct btf *btf, const char *name)
{
	return btf__find_by_name_kind(btf, name, BTF_KIND_FUNC) > 0;
}

int xctl_bpf_stats_enable(struct xctl_err *err)
{
	int fd = bpf_enable_stats(BPF_STATS_RUN_TIME);

	if (fd < 0) {
		fd = -errno;
		xctl_errf(err, -fd, "cannot enable BPF run-time statistics");
		if (fd == -EPERM)
			xctl_err_hint(err, "needs CAP_SYS_ADMIN, or set kernel.bpf_stats_enabled=1");
	}
	return fd;
}

const struct xctl_features *xctl_features(void)
{
	static struct xctl_features f;
	static bool done;
	struct utsname u;
	struct btf *btf;

	if (done)
		return &f;
	done = true;
	if (!uname(&u))
		snprintf(f.kernel_release, sizeof(f.kernel_release), "%s", u.release);
	f.kernel_btf = access("/sys/kernel/btf/vmlinux", R_OK) == 0;
	btf = xctl_kernel_btf(NULL);
	if (!btf)
		return &f;
	f.sops_link = btf_has_enumerator(btf, "bpf_attach_type", "BPF_STRUCT_OPS");
	f.sops_link_update = f.sops_link &&
			     btf_has_func(btf, "bpf_struct_ops_map_link_update");
	f.sops_link_detach = btf_has_func(btf, "bpf_struct_ops_map_link_detach");
	f.netdev_genl = btf_has_enumerator(btf, "netdev_xdp_act", "NETDEV_XDP_ACT_BASIC") ||
			btf__find_by_name_kind(btf, "netdev_nl_dev_get_doit", BTF_KIND_FUNC) > 0;
	return &f;
}

bool xctl_bpf_stats_enabled(void)
{
	char c = '0';
	FILE *f = fopen("/proc/sys/kernel/bpf_stats_enabled", "re");

	if (f) {
		if (fread(&c, 1, 1, f) != 1)
			c = '0';
		fclose(f);
	}
	return c == '1';
}
