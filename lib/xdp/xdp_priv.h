/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Inside lib/xdp_*.c: what redirect, attach and metadata share. Not public.
 */
#ifndef XCTL_XDP_PRIV_H
#define XCTL_XDP_PRIV_H

#include <net/if.h>
#include "xctl_priv.h"
#include "nl_dev.h"
#include "objmaps.h"
#include "core_priv.h"

/* Which channel count redirect setup changed. */
enum xctl_redirect_chan {
	XCTL_REDIRECT_CHAN_NONE = 0,
	XCTL_REDIRECT_CHAN_TX = 1,
	XCTL_REDIRECT_CHAN_COMBINED = 2,
};

#define XCTL_REDIRECT_STATE_VERSION 2

/*
 * What redirect setup changed, kept in a pinned one-entry array map (BTF
 * from lib/bpf/xdp_pass.bpf.c, which must declare the same layout).
 */
struct xctl_redirect_state {
	uint32_t version;
	uint32_t ifindex;
	char ifname[16];
	uint32_t helper_ifindex;
	char helper_ifname[16];
	uint32_t chan;			/* enum xctl_redirect_chan */
	uint32_t chan_prev;
	uint32_t chan_new;
	uint32_t ring_changed;
	uint32_t ring_prev;
	uint32_t ring_new;
	uint64_t setup_time;
	uint32_t complete;		/* 0 while setup is still changing things */
	/* Version 1 records end here; shorter ones read as zeros below. */
	uint32_t helper_netns;		/* 1: helper is in another netns (veth peer) */
	int32_t helper_nsid;		/* its nsid as seen from the device's netns */
	uint32_t reserved;
	uint64_t helper_netns_ino;	/* inode of that netns (nsfs) */
};

/*
 * What redirect, attach and metadata read about one device: the snapshot's
 * link part, the netdev genl features and the driver name.
 */
#define XDP_DEV_FLAGS	(XCTL_NL_DEV_FEATURES | XCTL_NL_DEV_DRIVER)

/* The bpffs for xdp state: dir (NULL: XCTL_BPFFS_DEFAULT), no_mount. */
int xdp_bpffs_open(const char *dir, bool no_mount, struct xctl_bpffs *fs,
		   struct xctl_err *err);

/* The bpffs dir (or the default) if it is mounted; never mounts. -ENOENT if not. */
int xdp_bpffs_probe(const char *dir, struct xctl_bpffs *fs);

/*
 * xctl's own pins below <bpffs>/xctl/ are reached only through the path
 * helpers of lib/core/pintree.c: no component may be a symbolic link or
 * leave the bpffs, and what is found must be what is expected (an XDP link,
 * a record map), else the command refuses ("refusing to use PATH") and
 * leaves it alone.
 */

/*
 * The object pinned at path: its fd; -ENOENT (err untouched) when nothing
 * is there or fs is NULL (no bpffs), other -errno with err filled.
 */
int xdp_pin_open(const struct xctl_bpffs *fs, const char *path, struct xctl_err *err);

/* The directory at path, opened the same way (an O_DIRECTORY fd). */
int xdp_pin_opendir(const struct xctl_bpffs *fs, const char *path, struct xctl_err *err);

/* Whether fd is a BPF object of kind "bpf-link", "bpf-map" or "bpf-prog". */
bool xdp_fd_is(int fd, const char *kind);

/*
 * The object of kind ("bpf-link", "bpf-map", "bpf-prog") pinned at path,
 * with its info (len bytes) read and accepted by ok (NULL: any): its fd;
 * -ENOENT (err untouched) when nothing is there; anything else is refused
 * ("refusing to use PATH", why) and left in place.
 */
int xdp_pin_open_as(const struct xctl_bpffs *fs, const char *path, const char *kind,
		    void *info, uint32_t len, bool (*ok)(const void *info),
		    const char *why, struct xctl_err *err);

/*
 * Remove the pin (dir: the empty directory) at path; nothing there is not
 * an error. A link or anything unexpected there is refused and left alone.
 */
int xdp_pin_remove(const struct xctl_bpffs *fs, const char *path, bool dir,
		   struct xctl_err *err);

/*
 * Create an XDP bpf_link of prog_fd on ifindex with XDP_FLAGS_* flags and pin
 * it at path. Returns the link fd (the caller closes it) or -errno with err
 * saying why (EBUSY: another program is attached; EEXIST: something is
 * already pinned there).
 */
int xdp_link_attach_pin(int prog_fd, int ifindex, uint32_t flags,
			const struct xctl_bpffs *fs, const char *path, struct xctl_err *err);

/*
 * Open the link pinned at path, detach it (BPF_LINK_DETACH, so it goes away
 * even if someone else holds an fd), and remove the pin. -ENOENT when there is
 * no pin; something not an XDP link there is refused.
 */
int xdp_link_unpin(const struct xctl_bpffs *fs, const char *path, struct xctl_err *err);

/*
 * The ifindex of the XDP link pinned at path (0: its device is gone) and
 * the ids of the link and its program; -ENOENT when there is no pin, other
 * -errno with err filled (a link, a directory or a non-link object there).
 */
int xdp_link_pin_ids(const struct xctl_bpffs *fs, const char *path, uint32_t *link_id,
		     uint32_t *prog_id, struct xctl_err *err);
/* "native", "generic", "offload", "multi" for XDP_ATTACHED_*; NULL for none. */
const char *xdp_mode_name(uint32_t attach_mode);

/*
 * The network namespace the current one calls nsid (IFLA_LINK_NETNSID):
 * an O_RDONLY fd for setns() and its inode. -ENOENT with a hint when no
 * named or process-held namespace has that nsid.
 */
int xdp_netns_find(int nsid, int *fd, uint64_t *ino, struct xctl_err *err);
/* setns() into fd, keeping an fd of the current netns in *orig. */
int xdp_netns_enter(int fd, int *orig, struct xctl_err *err);
/* Return to orig (from xdp_netns_enter) and close it; orig < 0: nothing. */
int xdp_netns_leave(int orig, struct xctl_err *err);

/*
 * The normalised XDP counters of d, a device of snapshot devs (lib/xdp/
 * xdp_stats.c): total[XCTL_XC_MAX], *have a bit per counter the driver
 * provides (0 for a device without driver statistics, and for one whose
 * program runs in generic mode: drivers count native XDP only).
 */
struct eth_stats_ctx;
int xdp_dev_counters(struct eth_stats_ctx *eth, const struct xctl_nl_devs *devs,
		     const struct xctl_nl_dev *d, uint64_t *total, uint32_t *have);

/*
 * d's xdp-features as `xdp features` names them ("basic", "ndo-xmit", ...),
 * JSON null when the snapshot has none (taken without XCTL_NL_DEV_FEATURES,
 * or a kernel before 6.3).
 */
json_t *xdp_features_json(const struct xctl_nl_dev *d);

/* ---- the attached object (xdp_obj.c) ----------------------------------- */

/* Below <bpffs>/xctl/: one directory per attachment, named by the device. */
#define XDP_OBJ_SUBDIR		"xdp-maps"
/* The attached program, pinned when it is device-bound ('-': no map name). */
#define XDP_OBJ_DEV_BOUND_PIN	"dev-bound-prog"
/* A second pin of a map shared in a pin_root ("shared-<map>"). */
#define XDP_OBJ_SHARED_PREFIX	"shared-"

struct xdp_obj {
	char dir[PATH_MAX];	/* <bpffs>/xctl/xdp-maps/<ifname>, set by caller */
	const struct xctl_bpffs *fs;	/* where dir is (xdp_obj_open) */
	struct xctl_file file;	/* the object's bytes, which libbpf parses */
	struct bpf_object *obj;
	struct bpf_program *prog;	/* the one attached */
	struct objm maps;
	bool dev_bound;		/* prog is loaded bound to the device */
	bool begun;
	struct xctl_klog klog;	/* the verifier's log of a failed load */
};

/* Read and check the object file once, open it (x->obj). */
int xdp_obj_read(struct xdp_obj *x, const char *path, struct xctl_err *err);
/* Select the program, plan what else loads and what is pinned. */
int xdp_obj_open(struct xdp_obj *x, const char *path, int ifindex,
		 const struct xctl_bpffs *fs, const struct xctl_xdp_attach_opts *opts,
		 struct xctl_err *err);
/* Load the object and stage the pins it keeps. */
int xdp_obj_load(struct xdp_obj *x, const struct xctl_bpffs *fs, const char *path,
		 struct xctl_err *err);
/* Once the program is attached: the pins in place, the old ones gone. */
int xdp_obj_commit(struct xdp_obj *x, struct xctl_err *err);
/* Close; failed: remove what this attempt pinned. */
void xdp_obj_close(struct xdp_obj *x, bool failed);
/* Names of the programs loaded. */
json_t *xdp_obj_loaded_json(const struct xdp_obj *x);
/* The attachment dir records prog_id as device-bound. */
bool xdp_obj_is_dev_bound(const struct xctl_bpffs *fs, const char *dir, uint32_t prog_id);

#endif /* XCTL_XDP_PRIV_H */
