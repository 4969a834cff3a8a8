// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Inventory of the host's struct_ops maps: every BPF_MAP_TYPE_STRUCT_OPS map
 * (by id), the struct_ops links pointing at them, and where those links are
 * pinned on the bpffs.
 *
 * The value of a struct_ops map is the kernel's struct bpf_struct_ops_<kind>
 * { common { refcnt, state }; data }, read with a key-0 lookup and decoded
 * with the kernel BTF (btf_vmlinux_value_type_id).
 *
 * What `refcnt` counts (measured on 6.18 with tcp_congestion_ops): writing
 * the value sets it to 1 for both link-based and legacy maps (the value's own
 * reference, held while registered), and every user adds one: each socket
 * that selects the CA with setsockopt(TCP_CONGESTION) or gets it as the
 * default takes a reference until it is closed. Links hold the map itself,
 * not the value, so a registered link-based map with two sockets reads
 * refcnt 3, exactly like a legacy one. `users` is therefore refcnt minus
 * that own reference. `state` is INUSE for registered legacy maps and READY
 * for link-based maps whether or not a link points at them; `registered`
 * comes from the links for those.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>

#include "xctl_priv.h"
#include "compat.h"
#include "core_priv.h"
#include "sops_priv.h"
#include "sops_kind.h"

#define PIN_SCAN_DEPTH		8
#define PIN_SCAN_MAX		20000	/* bpffs entries looked at, at most */

static int add_map(struct xctl_sops_list *l, uint32_t id, size_t *cap,
		   struct xctl_err *err)
{
	struct bpf_map_info info = {};
	uint32_t len = sizeof(info);
	struct xctl_sops_map *m;
	int fd;

	fd = bpf_map_get_fd_by_id(id);
	if (fd < 0)
		return errno == ENOENT ? 0 : xctl_errf(err, errno, "cannot open map %u", id);
	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		close(fd);
		return errno == ENOENT ? 0 : xctl_errf(err, errno, "cannot read map %u", id);
	}
	if (info.type != BPF_MAP_TYPE_STRUCT_OPS) {
		close(fd);
		return 0;
	}
	if (l->cnt == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		void *n = realloc(l->maps, ncap * sizeof(*l->maps));

		if (!n) {
			close(fd);
			return xctl_errf(err, ENOMEM, "cannot list struct_ops maps");
		}
		l->maps = n;
		*cap = ncap;
	}
	m = &l->maps[l->cnt++];
	memset(m, 0, sizeof(*m));
	m->id = info.id;
	snprintf(m->name, sizeof(m->name), "%s", info.name);
	m->btf_vmlinux_value_type_id = info.btf_vmlinux_value_type_id;
	m->link_based = info.map_flags & BPF_F_LINK;
	m->map_flags = info.map_flags;
	m->value_size = info.value_size;
	sops_decode_value(m, fd, info.value_size);
	close(fd);
	return 0;
}

static struct xctl_sops_map *find_map(struct xctl_sops_list *l, uint32_t id)
{
	size_t i;

	for (i = 0; i < l->cnt; i++)
		if (l->maps[i].id == id)
			return &l->maps[i];
	return NULL;
}

static int add_link(struct xctl_sops_map *m, uint32_t link_id, struct xctl_err *err)
{
	void *n = realloc(m->links, (m->link_cnt + 1) * sizeof(*m->links));

	if (!n)
		return xctl_errf(err, ENOMEM, "cannot list struct_ops links");
	m->links = n;
	memset(&m->links[m->link_cnt], 0, sizeof(m->links[0]));
	m->links[m->link_cnt].id = link_id;
	m->link_cnt++;
	return 0;
}

static int scan_links(struct xctl_sops_list *l, struct xctl_err *err)
{
	uint32_t id = 0, map_id;
	int fd, r;

	while (!bpf_link_get_next_id(id, &id)) {
		struct xctl_sops_map *m;

		fd = bpf_link_get_fd_by_id(id);
		if (fd < 0) {
			/* Gone, or still being created by another process (EAGAIN). */
			if (errno == ENOENT || errno == EAGAIN)
				continue;
			return xctl_errf(err, errno, "cannot open link %u", id);
		}
		r = xctl_sops_link_map_id(fd, &map_id, NULL);
		close(fd);
		if (r || !(m = find_map(l, map_id)))
			continue;
		r = add_link(m, id, err);
		if (r)
			return r;
	}
	if (errno != ENOENT)
		return xctl_errf(err, errno, "cannot list links");
	return 0;
}

/* The link with this id among all maps' links. */
static struct xctl_sops_link *find_link(struct xctl_sops_list *l, uint32_t id,
					struct xctl_sops_map **owner)
{
	size_t i, j;

	for (i = 0; i < l->cnt; i++)
		for (j = 0; j < l->maps[i].link_cnt; j++)
			if (l->maps[i].links[j].id == id) {
				*owner = &l->maps[i];
				return &l->maps[i].links[j];
			}
	return NULL;
}

/* NAME when path is <base>/modules/NAME/<file>. */
static char *module_of(const struct xctl_bpffs *fs, const char *path)
{
	size_t n = strlen(fs->base);
	const char *p, *slash;

	if (!n || strncmp(path, fs->base, n) || path[n] != '/')
		return NULL;
	p = path + n + 1;
	if (strncmp(p, XCTL_MODULE_SUBDIR "/", strlen(XCTL_MODULE_SUBDIR) + 1))
		return NULL;
	p += strlen(XCTL_MODULE_SUBDIR) + 1;
	slash = strchr(p, '/');
	if (!slash || slash == p || strchr(slash + 1, '/'))
		return NULL;
	return strndup(p, slash - p);
}

bool sops_below_base(const struct xctl_bpffs *fs, const char *path)
{
	size_t n = strlen(fs->base);

	return n && !strncmp(path, fs->base, n) && path[n] == '/';
}

/* Record a pin of k: `pinned` prefers a pin below xctl's base. */
static void add_pin(const struct xctl_bpffs *fs, struct xctl_sops_link *k,
		    const char *path)
{
	char *p = strdup(path), **more;

	if (!p)
		return;
	if (!k->pinned) {
		k->pinned = p;
		return;
	}
	more = realloc(k->more_pins, (k->more_pin_cnt + 1) * sizeof(*more));
	if (!more) {
		free(p);
		return;
	}
	k->more_pins = more;
	if (sops_below_base(fs, p) && !sops_below_base(fs, k->pinned)) {
		more[k->more_pin_cnt++] = k->pinned;
		k->pinned = p;
	} else {
		more[k->more_pin_cnt++] = p;
	}
}

static void note_pin(struct xctl_sops_list *l, const struct xctl_bpffs *fs,
		     const char *path)
{
	struct xctl_sops_map *m;
	struct xctl_sops_link *k;
	uint32_t link_id;
	int fd;

	fd = xctl_pin_path_get(fs, path, NULL);	/* never through a link */
	if (fd < 0)
		return;
	if (xctl_sops_link_map_id(fd, NULL, &link_id)) {
		close(fd);
		return;
	}
	close(fd);
	k = find_link(l, link_id, &m);
	if (!k)
		return;
	add_pin(fs, k, path);
	if (!m->module)
		m->module = module_of(fs, path);
}

static void scan_pins(struct xctl_sops_list *l, const struct xctl_bpffs *fs,
		      const char *dir, int depth, int *budget)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;

	if (depth > PIN_SCAN_DEPTH)
		return;
	d = opendir(dir);
	if (!d)
		return;
	while ((de = readdir(d)) && --*budget > 0) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) >= (int)sizeof(path))
			continue;
		if (de->d_type == DT_DIR)
			scan_pins(l, fs, path, depth + 1, budget);
		else if (de->d_type == DT_REG || de->d_type == DT_UNKNOWN)
			note_pin(l, fs, path);
	}
	closedir(d);
}

static void count_users(struct xctl_sops_map *m)
{
	m->registered = m->state == XCTL_SOPS_STATE_INUSE || m->link_cnt > 0;
	m->users = m->refcnt > 1 ? m->refcnt - 1 : 0;
}

int xctl_sops_list_get(struct xctl_sops_list *l, const struct xctl_bpffs *fs,
		       struct xctl_err *err)
{
	uint32_t id = 0;
	size_t cap = 0, i;
	int budget = PIN_SCAN_MAX;
	int r = 0;

	memset(l, 0, sizeof(*l));
	while (!bpf_map_get_next_id(id, &id)) {
		r = add_map(l, id, &cap, err);
		if (r)
			goto fail;
	}
	if (errno != ENOENT) {
		r = xctl_errf(err, errno, "cannot list BPF maps");
		if (errno == EPERM)
			xctl_err_hint(err, "listing BPF objects needs CAP_SYS_ADMIN (run as root)");
		goto fail;
	}
	r = scan_links(l, err);
	if (r)
		goto fail;
	if (fs && *fs->root)
		scan_pins(l, fs, fs->root, 0, &budget);
	for (i = 0; i < l->cnt; i++)
		count_users(&l->maps[i]);
	return 0;
fail:
	xctl_sops_list_free(l);
	return xctl_ret(r);
}

/*
 * Only the struct_ops maps with these ids (those that are gone are left out),
 * without links or pins: what a module that was just loaded or reloaded
 * reports about itself, without an inventory of the whole host.
 */
int xctl_sops_list_get_ids(struct xctl_sops_list *l, const uint32_t *ids, size_t n,
			   struct xctl_err *err)
{
	size_t cap = 0, i;
	int r;

	memset(l, 0, sizeof(*l));
	for (i = 0; i < n; i++) {
		r = add_map(l, ids[i], &cap, err);
		if (r) {
			xctl_sops_list_free(l);
			return xctl_ret(r);
		}
	}
	for (i = 0; i < l->cnt; i++)
		count_users(&l->maps[i]);
	return 0;
}

void xctl_sops_list_free(struct xctl_sops_list *l)
{
	size_t i, j;

	for (i = 0; i < l->cnt; i++) {
		for (j = 0; j < l->maps[i].link_cnt; j++) {
			struct xctl_sops_link *k = &l->maps[i].links[j];
			size_t p;

			for (p = 0; p < k->more_pin_cnt; p++)
				free(k->more_pins[p]);
			free(k->more_pins);
			free(k->pinned);
		}
		free(l->maps[i].links);
		free(l->maps[i].module);
	}
	free(l->maps);
	memset(l, 0, sizeof(*l));
}

json_t *xctl_sops_map_json(const struct xctl_sops_map *m)
{
	json_t *links = json_array();
	size_t i;

	for (i = 0; i < m->link_cnt; i++)
		json_array_append_new(links, json_pack("{s:I, s:o}",
			"id", (json_int_t)m->links[i].id,
			"pinned", m->links[i].pinned ? xctl_json_text(m->links[i].pinned,
							strlen(m->links[i].pinned)) : json_null()));
	return json_pack("{s:I, s:s, s:o, s:o, s:b, s:o, s:I, s:o}",
		"id", (json_int_t)m->id,
		"name", m->name,
		"kind", *m->kind ? json_string(m->kind) : json_null(),
		/* the kernel's bytes: another loader may have used any */
		"ops_name", m->has_ops_name ? xctl_json_text(m->ops_name, strlen(m->ops_name))
					    : json_null(),
		"registered", m->registered,
		"links", links,
		"users", (json_int_t)m->users,
		"module", m->module ? xctl_json_text(m->module, strlen(m->module)) : json_null());
}
