// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What apply knows of the XDP attachments it makes. `xctl xdp attach` keeps
 * a program attached through a link pinned at <bpffs>/xctl/xdp/<ifname>,
 * which says which program runs but not which object file it came from.
 * apply records that next to it, at <bpffs>/xctl/apply/xdp/<ifname>, in a
 * module meta map (lib/module/module_meta.c): the object's path and sha256,
 * and as parameters the options declared (program, mode, dev_bound,
 * pin_root, max_entries) and the link and program ids the attach produced. A record whose ids are not those of the link
 * (the program was replaced by hand, or an apply died before recording) is
 * not trusted: the attachment is redone.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "module_priv.h"
#include "nl_dev.h"
#include "core_priv.h"
#include "xdp_priv.h"

#define APPLY_XDP_DIR	"apply/xdp"

static const char *mode_name(enum xctl_xdp_mode m)
{
	return (unsigned int)m <= XCTL_XDP_MODE_OFFLOAD ? xctl_xdp_mode_names[m] : "?";
}

static int record_path(const struct xctl_bpffs *fs, const char *ifname, char *out,
		       size_t len, struct xctl_err *err)
{
	char rel[64];

	snprintf(rel, sizeof(rel), "%s/%s", APPLY_XDP_DIR, ifname);
	return xctl_bpffs_path(fs, rel, out, len, err);
}

/* The ids of xctl's link of ifname, if this namespace's device runs it. */
static bool own_link_ids(const struct xctl_bpffs *fs, const char *ifname, int ifindex,
			 json_int_t *link_id, json_int_t *prog_id, struct xctl_err *err)
{
	struct xctl_nl_dev q;
	json_t *info = NULL;
	json_int_t pid;
	bool own;

	if (xctl_xdp_link_info(ifname, fs->root, &info, err) || !info) {
		xctl_err_reset(err);
		return false;
	}
	*link_id = json_integer_value(json_object_get(info, "link_id"));
	pid = json_integer_value(json_object_get(info, "prog_id"));
	*prog_id = pid;
	json_decref(info);
	/* an ifindex is per namespace: the device here must run the program */
	own = !xctl_nl_dev_get(ifindex, 0, &q, NULL) && pid &&
	      (pid == q.xdp_drv_prog_id || pid == q.xdp_skb_prog_id || pid == q.xdp_hw_prog_id);
	return own;
}

/*
 * What a declaration asks of the attach besides the object: the record
 * keeps it, the comparison compares it key by key.
 */
static json_t *declared_json(const struct xctl_xdp_attach_opts *opts)
{
	char *const *sizes = XCTL_OPT(opts, max_entries, NULL);
	size_t i, n = sizes ? XCTL_OPT(opts, max_entries_cnt, 0) : 0;
	json_t *me = json_array();

	for (i = 0; me && i < n; i++)
		json_array_append_new(me, json_string(sizes[i]));
	return json_pack("{s:s?, s:s, s:b, s:s?, s:o*}",
			 "prog", XCTL_OPT(opts, prog_name, NULL),
			 "mode", mode_name(XCTL_OPT(opts, mode, XCTL_XDP_MODE_DEFAULT)),
			 "dev_bound", XCTL_OPT(opts, dev_bound, false),
			 "pin_root", XCTL_OPT(opts, pin_root, NULL),
			 "max_entries", me);
}

/* The first declared option the record p does not hold; NULL: none. */
static const char *option_differs(const json_t *want, const json_t *p, char *why, size_t len)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)want, key, v) {
		json_t *have = json_object_get(p, key);
		char *a, *b;

		if (json_equal(v, have ?: json_null()))
			continue;
		a = json_dumps(have ?: json_null(), JSON_ENCODE_ANY | JSON_COMPACT);
		b = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		snprintf(why, len, "%s differs (%.100s, declared %.100s)", key, a ?: "?", b ?: "?");
		free(a);
		free(b);
		return key;
	}
	return NULL;
}

int xctl_apply_xdp_compare(const struct xctl_bpffs *fs, int ifindex,
			   const char *obj_path,
			   const struct xctl_xdp_attach_opts *opts,
			   enum xctl_match *match, char *why, size_t len,
			   struct xctl_err *err)
{
	char ifname[IF_NAMESIZE], path[PATH_MAX], sha[65];
	json_t *rec = NULL, *p = NULL, *want = NULL;
	json_int_t link_id, prog_id;
	const char *text, *rsha;
	int r;

	*match = XCTL_MATCH_ABSENT;
	why[0] = '\0';
	if (!if_indextoname((unsigned int)ifindex, ifname))
		return xctl_errf(err, ENODEV, "no device with ifindex %d", ifindex);
	if (!own_link_ids(fs, ifname, ifindex, &link_id, &prog_id, err))
		return 0;
	*match = XCTL_MATCH_CHANGED;
	r = record_path(fs, ifname, path, sizeof(path), err);
	if (r)
		return r;
	r = mod_meta_read(fs, path, &rec, err);
	if (r == -ELOOP)
		return r;	/* a link where xctl's record would be: refused */
	if (r) {
		xctl_err_reset(err);
		snprintf(why, len, "no record of what apply attached (attached by hand, "
			 "or an apply was interrupted)");
		return 0;
	}
	text = json_string_value(json_object_get(rec, "params"));
	p = text ? json_loads(text, 0, NULL) : NULL;
	rsha = json_string_value(json_object_get(rec, "sha256"));
	if (!json_is_object(p) ||
	    json_integer_value(json_object_get(p, "link_id")) != link_id ||
	    json_integer_value(json_object_get(p, "prog_id")) != prog_id) {
		snprintf(why, len, "the program was replaced since apply attached it");
		goto out;
	}
	r = mod_sha256_file(obj_path, sha, err);
	if (r)
		goto out;
	want = declared_json(opts);
	if (!want)
		r = xctl_errf(err, ENOMEM, "cannot compare the XDP attachment of %s", ifname);
	else if (!rsha || strcmp(rsha, sha))
		snprintf(why, len, "object sha256 differs (%.12s, declared %.12s)",
			 rsha ?: "-", sha);
	else if (!option_differs(want, p, why, len))
		*match = XCTL_MATCH_SAME;
out:
	json_decref(want);
	json_decref(p);
	json_decref(rec);
	return r;
}

int xctl_apply_xdp_record(const struct xctl_bpffs *fs, int ifindex,
			  const char *obj_path,
			  const struct xctl_xdp_attach_opts *opts,
			  struct xctl_err *err)
{
	char ifname[IF_NAMESIZE], path[PATH_MAX], sha[65];
	json_int_t link_id, prog_id;
	struct mod_meta m;
	json_t *params;
	int r, fd;

	if (!if_indextoname((unsigned int)ifindex, ifname))
		return xctl_errf(err, ENODEV, "no device with ifindex %d", ifindex);
	if (!own_link_ids(fs, ifname, ifindex, &link_id, &prog_id, err)) {
		r = xctl_errf(err, ENOENT, "cannot record the XDP attachment of %s", ifname);
		xctl_err_why(err, "xctl's link of %s is gone", ifname);
		return r;
	}
	params = declared_json(opts);
	if (params) {
		json_object_set_new(params, "link_id", json_integer(link_id));
		json_object_set_new(params, "prog_id", json_integer(prog_id));
	}
	if (!params)
		return xctl_errf(err, ENOMEM, "cannot record the XDP attachment of %s", ifname);
	r = record_path(fs, ifname, path, sizeof(path), err) ?:
	    xctl_bpffs_mkdir(fs, APPLY_XDP_DIR, err) ?:
	    mod_sha256_file(obj_path, sha, err) ?:
	    mod_meta_fill(&m, ifname, obj_path, sha, params, err);
	json_decref(params);
	if (r)
		return r;
	fd = mod_meta_create(&m, err);
	if (fd < 0)
		return fd;
	r = xdp_pin_remove(fs, path, false, err) ?: xctl_pin_path_pin(fs, fd, path, err);
	close(fd);
	return r;
}

void xctl_apply_xdp_forget(const struct xctl_bpffs *fs, const char *ifname)
{
	struct xctl_err ign = {};
	char path[PATH_MAX];

	if (!record_path(fs, ifname, path, sizeof(path), &ign))
		xdp_pin_remove(fs, path, false, NULL);	/* never a link: that stays */
	xctl_err_reset(&ign);
}

int xctl_apply_xdp_list(const struct xctl_bpffs *fs, json_t **names,
			struct xctl_err *err)
{
	json_int_t link_id, prog_id;
	struct dirent **ents;
	char dir[PATH_MAX];
	json_t *arr;
	int k, ne, r, ifindex, dfd;

	*names = NULL;
	r = xctl_bpffs_path(fs, "xdp", dir, sizeof(dir), err);
	if (r)
		return r;
	arr = json_array();
	if (!arr)
		return xctl_errf(err, ENOMEM, "cannot list XDP attachments");
	dfd = xdp_pin_opendir(fs, dir, err);
	if (dfd < 0 && dfd != -ENOENT) {
		json_decref(arr);
		return dfd;
	}
	/* no directory: nothing attached yet */
	ne = dfd < 0 ? 0 : scandirat(dfd, ".", &ents, NULL, alphasort);
	if (ne < 0) {
		r = xctl_errf(err, errno, "cannot read %s", dir);
		close(dfd);
		json_decref(arr);
		return r;
	}
	if (dfd >= 0)
		close(dfd);
	for (k = 0; k < ne; k++) {
		const char *name = ents[k]->d_name;

		ifindex = strlen(name) < IF_NAMESIZE ? (int)if_nametoindex(name) : 0;
		if (name[0] != '.' && ifindex &&
		    own_link_ids(fs, name, ifindex, &link_id, &prog_id, err))
			json_array_append_new(arr, json_string(name));
		free(ents[k]);
	}
	if (ne > 0)
		free(ents);
	*names = arr;
	return 0;
}
