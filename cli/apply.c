// SPDX-License-Identifier: GPL-2.0
/*
 * xctl apply [--config DIR] [--dry-run] [--prune]: converge the host to the
 * state declared in DIR (default /etc/xctl; see xctl.d(5)).
 *
 * 1. Read the declarations (lib: xctl_decls_read()) and parse each line with
 *    the grammar of its command (verb_args.h), so a line accepts exactly what
 *    `xctl module load`, `xctl xdp attach` or `xctl xdp redirect setup`
 *    accepts. Errors are collected, never printed, so one bad line does not
 *    stop the others.
 * 2. With --prune, remove what xctl manages that no line declares: modules,
 *    XDP attachments, redirect setups. Skipped for a kind when one of its
 *    lines could not be parsed far enough to know what it declares.
 * 3. Compare each declaration with what runs (lib: xctl_module_compare(),
 *    xctl_apply_xdp_compare(), xctl_apply_redirect_compare()) and load,
 *    reload, attach or set up what differs.
 *
 * One apply at a time: the xctl tree of the bpffs is locked throughout.
 * Every step is one of the library's all-or-nothing operations, so an apply
 * killed at any point leaves a state the next apply converges from.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include "cli.h"
#include "args.h"
#include "core_priv.h"
#include "verb_args.h"

static const char *const apply_help =
	"Usage: xctl apply [--config DIR] [--dry-run] [--prune]\n"
	"       xctl apply help\n"
	"\n"
	"Converge this host to the state declared in DIR (default /etc/xctl):\n"
	"  DIR/modules.d/*.conf  each line: the arguments of 'xctl module load'\n"
	"  DIR/xdp.d/*.conf      each line: 'attach ...' or 'redirect setup ...',\n"
	"                        the arguments of 'xctl xdp' (in this netns, -N)\n"
	"Loads what is missing, reloads what differs (object sha256, parameters)\n"
	"in place, leaves what matches. --prune also removes the modules, XDP\n"
	"attachments and redirect setups of xctl that no line declares;\n"
	"--dry-run prints the plan and changes nothing. Exit status 1 when a\n"
	"line failed (the others are applied). See xctl-apply(8), xctl.d(5).\n";

enum kind { K_MODULE, K_XDP, K_REDIRECT, K_CNT };
static const char *const kind_names[K_CNT] = { "module", "xdp", "redirect" };
/* What --prune does to each kind. */
static const char *const prune_verbs[K_CNT] = { "unload", "detach", "teardown" };

/* One declaration, parsed. */
struct item {
	const struct xctl_decl *d;
	enum kind kind;
	json_t *act;			/* its action (in apply.actions once done) */
	bool ok;			/* parsed: the fields below are valid */
	struct module_load_args mod;
	int ifindex;
	const char *obj;
	char objbuf[PATH_MAX];
	struct xctl_xdp_attach_opts xo;
	struct xctl_redirect_opts ro;
};

struct apply {
	const char *config;
	bool dry_run;
	bool prune;
	bool have_fs;			/* false: --dry-run without a bpffs */
	struct xctl_bpffs fs;
	json_t *declared[K_CNT];	/* name -> "FILE:LINE" */
	bool unknown[K_CNT];		/* a line of the kind names nothing sure */
	json_t *actions;
	unsigned int failed;
};

static int do_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return emit_help(apply_help);
}

/* Text from files and devices, which need not be UTF-8, as a JSON string. */
static json_t *text(const char *s)
{
	return xctl_json_text(s, strlen(s));
}

static json_t *action_new(enum kind k, const char *name, const char *action,
			  const struct xctl_decl *d)
{
	return json_pack("{s:s, s:o, s:s, s:o, s:o, s:n, s:n}", "kind", kind_names[k],
			 "name", name ? text(name) : json_null(), "action", action,
			 "file", d ? text(d->file) : json_null(),
			 "line", d ? json_integer(d->line) : json_null(),
			 "reason", "error");
}

static void set_str(json_t *act, const char *key, const char *v)
{
	json_object_set_new(act, key, v && *v ? text(v) : json_null());
}

/* Mark act failed with error (a {"message", ...} object; reference taken). */
static void act_fail(struct apply *ap, json_t *act, json_t *error)
{
	json_object_set_new(act, "error", error ?: json_pack("{s:s, s:i}", "message",
							     "failed", "errno", EIO));
	ap->failed++;
}

static void act_err(struct apply *ap, json_t *act, struct xctl_err *err)
{
	act_fail(ap, act, error_json(err));
}

/* Record name as declared by d; a second declaration of it is an error. */
static bool declare(struct apply *ap, enum kind k, const char *name,
		    const struct xctl_decl *d, json_t *act)
{
	json_t *first = json_object_get(ap->declared[k], name);
	char where[PATH_MAX + 16], msg[PATH_MAX + 128];

	if (first) {
		snprintf(msg, sizeof(msg), "%s %s is declared twice: first at %s",
			 kind_names[k], name, json_string_value(first));
		act_fail(ap, act, json_pack("{s:o, s:i, s:s}", "message", text(msg),
					   "errno", EEXIST, "hint",
					   "keep one of the two lines"));
		return false;
	}
	snprintf(where, sizeof(where), "%s:%u", d->file, d->line);
	/* keys as written (a device name need not be UTF-8) */
	json_object_set_new_nocheck(ap->declared[k], name, text(where));
	return true;
}

/* A relative OBJ is relative to the configuration directory. */
static const char *obj_path(struct apply *ap, struct item *it, const char *obj)
{
	if (obj[0] == '/')
		return obj;
	snprintf(it->objbuf, sizeof(it->objbuf), "%s/%s", ap->config, obj);
	return it->objbuf;
}

/* The module name a line that failed to parse would have had, if any. */
static const char *guess_module_name(const struct xctl_decl *d, char *buf, size_t len)
{
	struct xctl_err ign = {};
	int i;

	for (i = 1; i + 1 < d->argc; i++)
		if (!strcmp(d->argv[i], "name"))
			return d->argv[i + 1];
	if (d->argc && !xctl_module_default_name(d->argv[0], buf, len, &ign))
		return buf;
	xctl_err_reset(&ign);
	return NULL;
}

static void parse_module(struct apply *ap, struct item *it)
{
	struct out_capture c;
	char guess[64];
	int r;

	it->kind = K_MODULE;
	out_capture_begin(&c);
	r = module_load_parse(it->d->argc, it->d->argv, &it->mod);
	out_capture_end(&c);
	if (r) {
		it->act = action_new(K_MODULE, guess_module_name(it->d, guess, sizeof(guess)),
				     "load", it->d);
		act_fail(ap, it->act, json_incref(c.error));
		ap->unknown[K_MODULE] = true;
	} else {
		it->act = action_new(K_MODULE, it->mod.name, "load", it->d);
		it->obj = it->mod.obj = obj_path(ap, it, it->mod.obj);
		it->ok = declare(ap, K_MODULE, it->mod.name, it->d, it->act);
	}
	out_capture_free(&c);
}

/* The device an xdp.d line names (DEV or ifindex N), as written. */
static const char *dev_word(const struct xctl_decl *d, int at, char *buf)
{
	struct xctl_err err = {};
	struct out_capture c;
	struct dev_arg dev;
	uint32_t idx;
	int n;

	if (at >= d->argc)
		return NULL;
	/* malformed words are reported when the line's verb parses them */
	out_capture_begin(&c);
	n = parse_dev(d->argc - at, d->argv + at, "xdp", &dev);
	out_capture_end(&c);
	out_capture_free(&c);
	if (n < 0)
		return NULL;
	if (dev.name)
		return d->argv[at];
	if (dev_resolve(&dev, &idx, buf, &err)) {
		xctl_err_reset(&err);
		return NULL;
	}
	return buf;
}

static void parse_xdp(struct apply *ap, struct item *it)
{
	static const char *const verbs[] = { "attach", "redirect", NULL };
	char ifname[IF_NAMESIZE];
	const struct xctl_decl *d = it->d;
	const char *name, *obj = NULL;
	struct out_capture c;
	int v, r, at;

	v = keyword_index(d->argv[0], verbs);
	if (v == 1 && (d->argc < 2 || !is_prefix(d->argv[1], "setup")))
		v = -1;
	it->kind = v == 1 ? K_REDIRECT : K_XDP;
	at = v == 1 ? 2 : 1;
	name = dev_word(d, at, ifname);
	it->act = action_new(it->kind, name, v == 1 ? "setup" : "attach", d);
	if (v < 0) {
		act_fail(ap, it->act, json_pack("{s:s, s:i, s:s}", "message",
			"an xdp.d line holds 'attach DEV OBJ ...' or 'redirect setup DEV ...'",
			"errno", EINVAL, "hint", "see xctl.d(5)"));
		ap->unknown[K_XDP] = ap->unknown[K_REDIRECT] = true;
		return;
	}
	if (!name)
		ap->unknown[it->kind] = true;
	it->xo = (struct xctl_xdp_attach_opts){ .sz = sizeof(it->xo), .bpffs_dir = bpffs_dir,
						.no_mount = no_mount };
	it->ro = (struct xctl_redirect_opts){ .sz = sizeof(it->ro), .bpffs_dir = bpffs_dir,
					      .no_mount = no_mount };
	out_capture_begin(&c);
	if (v == 0)
		r = xdp_attach_parse(d->argc - 1, d->argv + 1, &it->ifindex, &obj, &it->xo);
	else
		r = redirect_setup_parse(d->argc - 2, d->argv + 2, &it->ifindex, &it->ro);
	out_capture_end(&c);
	if (!r && it->ro.dry_run) {
		r = EXIT_USAGE;
		c.error = json_pack("{s:s, s:i, s:s}", "message",
				    "'--dry-run' in a declaration", "errno", EINVAL,
				    "hint", "use 'xctl apply --dry-run'");
	}
	if (r)
		act_fail(ap, it->act, json_incref(c.error));
	else
		it->ok = declare(ap, it->kind, name, d, it->act);
	if (obj)
		it->obj = obj_path(ap, it, obj);
	out_capture_free(&c);
}

static int parse_all(struct apply *ap, const struct xctl_decls *ds, struct item *items)
{
	size_t i;

	for (i = 0; i < ds->cnt; i++) {
		struct item *it = &items[i];

		it->d = &ds->v[i];
		if (it->d->error[0]) {
			it->kind = it->d->kind == XCTL_DECL_MODULE ? K_MODULE : K_XDP;
			it->act = action_new(it->kind, NULL,
					     it->kind == K_MODULE ? "load" : "attach", it->d);
			act_fail(ap, it->act, json_pack("{s:o, s:i}", "message", text(it->d->error),
						       "errno", EINVAL));
			/* an unreadable file may declare anything */
			ap->unknown[it->kind] = true;
			if (it->kind == K_XDP)
				ap->unknown[K_REDIRECT] = true;
		} else if (it->d->kind == XCTL_DECL_MODULE) {
			parse_module(ap, it);
		} else {
			parse_xdp(ap, it);
		}
		if (!it->act)
			return -ENOMEM;
	}
	return 0;
}

/* ---- converge each declaration ------------------------------------------ */

static void run_module(struct apply *ap, struct item *it)
{
	XCTL_OPTS(xctl_module_load_opts, o);
	XCTL_OPTS(xctl_module_unload_opts, uo);
	struct xctl_err err = {};
	enum xctl_match m = XCTL_MATCH_ABSENT;
	char why[1024] = "";
	int r = 0;

	module_load_opts_set(&it->mod, &o);
	if (ap->have_fs && xctl_module_compare(&ap->fs, it->obj, &o, &m, why, sizeof(why), &err))
		return act_err(ap, it->act, &err);
	set_str(it->act, "reason", why);
	if (m == XCTL_MATCH_SAME)
		return set_str(it->act, "action", "unchanged");
	if (m != XCTL_MATCH_ABSENT)
		set_str(it->act, "action", "reload");
	if (ap->dry_run)
		return;
	if (m == XCTL_MATCH_CHANGED)
		r = xctl_module_reload(&ap->fs, it->mod.name, it->obj, &o, &err);
	else if (m == XCTL_MATCH_REPLACE)
		r = xctl_module_unload(&ap->fs, it->mod.name, &uo, &err) ?:
		    xctl_module_load(&ap->fs, it->obj, &o, &err);
	else
		r = xctl_module_load(&ap->fs, it->obj, &o, &err);
	if (r)
		act_err(ap, it->act, &err);
}

static void run_xdp(struct apply *ap, struct item *it)
{
	struct xctl_err err = {};
	enum xctl_match m = XCTL_MATCH_ABSENT;
	char why[1024] = "";
	json_t *doc = NULL;

	if (ap->have_fs &&
	    xctl_apply_xdp_compare(&ap->fs, it->ifindex, it->obj, &it->xo, &m, why,
				   sizeof(why), &err))
		return act_err(ap, it->act, &err);
	set_str(it->act, "reason", why);
	if (m == XCTL_MATCH_SAME)
		return set_str(it->act, "action", "unchanged");
	if (ap->dry_run)
		return;
	/* xctl's own link: replace its program (in place when the mode allows) */
	if (m != XCTL_MATCH_ABSENT)
		it->xo.replace = true;
	if (xctl_xdp_attach(it->ifindex, it->obj, &it->xo, &doc, &err) ||
	    xctl_apply_xdp_record(&ap->fs, it->ifindex, it->obj, &it->xo, &err))
		act_err(ap, it->act, &err);
	json_decref(doc);
}

static void run_redirect(struct apply *ap, struct item *it)
{
	struct xctl_err err = {};
	enum xctl_match m;
	char why[1024] = "";
	json_t *doc = NULL;
	int r;

	if (xctl_apply_redirect_compare(it->ifindex, &it->ro, &m, why, sizeof(why), &err))
		return act_err(ap, it->act, &err);
	set_str(it->act, "reason", why);
	if (m == XCTL_MATCH_SAME)
		return set_str(it->act, "action", "unchanged");
	if (ap->dry_run)
		return;
	if (m != XCTL_MATCH_ABSENT) {
		r = xctl_redirect_teardown(it->ifindex, &it->ro, &doc, &err);
		json_decref(doc);
		doc = NULL;
		if (r)
			return act_err(ap, it->act, &err);
	}
	if (xctl_redirect_setup(it->ifindex, &it->ro, &doc, &err))
		act_err(ap, it->act, &err);
	json_decref(doc);
}

/* ---- prune ----------------------------------------------------------------- */

static void prune_one(struct apply *ap, enum kind k, const char *name)
{
	XCTL_OPTS(xctl_module_unload_opts, uo);
	XCTL_OPTS(xctl_xdp_detach_opts, xo, .bpffs_dir = bpffs_dir, .no_mount = no_mount);
	XCTL_OPTS(xctl_redirect_opts, ro, .bpffs_dir = bpffs_dir, .no_mount = no_mount);
	struct xctl_err err = {};
	json_t *act, *doc = NULL;
	int ifindex, r;

	act = action_new(k, name, prune_verbs[k], NULL);
	json_array_append_new(ap->actions, act);
	set_str(act, "reason", "not declared");
	if (ap->dry_run)
		return;
	ifindex = k == K_MODULE ? 0 : (int)if_nametoindex(name);
	if (k == K_MODULE) {
		r = xctl_module_unload(&ap->fs, name, &uo, &err);
	} else if (!ifindex) {
		r = xctl_errf(&err, ENODEV, "cannot find device '%s'", name);
	} else if (k == K_XDP) {
		r = xctl_xdp_detach(ifindex, &xo, &doc, &err);
		if (!r)
			xctl_apply_xdp_forget(&ap->fs, name);
	} else {
		r = xctl_redirect_teardown(ifindex, &ro, &doc, &err);
	}
	json_decref(doc);
	if (r)
		act_err(ap, act, &err);
}

/* Names xctl manages now, per kind: modules (not unmanaged), links, records. */
static int managed(struct apply *ap, enum kind k, json_t **names, struct xctl_err *err)
{
	XCTL_OPTS(xctl_redirect_opts, ro, .bpffs_dir = bpffs_dir, .no_mount = no_mount);
	json_t *all, *e;
	size_t i;
	int r;

	if (k == K_XDP)
		return xctl_apply_xdp_list(&ap->fs, names, err);
	if (k == K_REDIRECT)
		return xctl_apply_redirect_list(&ro, names, err);
	r = xctl_module_list(&ap->fs, &all, err);
	if (r)
		return r;
	*names = json_array();
	json_array_foreach(all, i, e)
		if (strcmp(json_string_value(json_object_get(e, "state")) ?: "", "unmanaged"))
			json_array_append(*names, json_object_get(e, "name"));
	json_decref(all);
	return 0;
}

static void prune(struct apply *ap)
{
	struct xctl_err err = {};
	json_t *names, *n;
	size_t i;
	int k;

	for (k = 0; k < K_CNT; k++) {
		if (ap->unknown[k]) {
			warn("not pruning %s declarations: a line that could not be read "
			     "may declare what is there", kind_names[k]);
			continue;
		}
		if (managed(ap, k, &names, &err)) {
			json_t *act = action_new(k, NULL, prune_verbs[k], NULL);

			json_array_append_new(ap->actions, act);
			act_err(ap, act, &err);
			continue;
		}
		json_array_foreach(names, i, n)
			if (!json_object_get(ap->declared[k], json_string_value(n)))
				prune_one(ap, k, json_string_value(n));
		json_decref(names);
	}
}

/* ---- the command --------------------------------------------------------- */

static char *fmt_where(const json_t *row, const json_t *v)
{
	const json_t *line = json_object_get(row, "line");
	char *s;

	if (!json_is_string(v))
		return strdup("-");
	if (asprintf(&s, "%s:%lld", json_string_value(v),
		     (long long)json_integer_value(line)) < 0)
		return NULL;
	return s;
}

static char *fmt_detail(const json_t *row, const json_t *v)
{
	const char *msg = json_string_value(json_object_get(json_object_get(row, "error"),
							    "message"));
	char *s;

	if (msg) {
		if (asprintf(&s, "failed: %s", msg) < 0)
			return NULL;
		return s;
	}
	return cell_text(v);
}

static int render(struct apply *ap)
{
	static const struct out_col cols[] = {
		{ "KIND", "kind" }, { "NAME", "name" }, { "ACTION", "action" },
		{ "DECLARED AT", "file", fmt_where }, { "DETAIL", "reason", fmt_detail },
		{ 0 }
	};
	static const struct out_view view = { cols, "nothing declared, nothing to prune" };
	unsigned int failed = ap->failed;
	json_t *doc;

	if (!json_output) {
		emit(json_incref(ap->actions), &view);
		if (failed)
			fprintf(stderr, "xctl: error: %u declaration%s failed%s\n", failed,
				failed == 1 ? "" : "s", ap->dry_run ? " to plan" : "");
	} else {
		doc = json_pack("{s:o, s:b, s:b, s:O}", "config", text(ap->config),
				"dry_run", ap->dry_run, "prune", ap->prune,
				"actions", ap->actions);
		emit(doc, NULL);
	}
	return failed ? EXIT_FAIL : EXIT_OK;
}

/* Open (dry run: only find) the bpffs and take the apply lock. */
static int lock_fs(struct apply *ap, struct xctl_err *err)
{
	int fd;

	if (ap->dry_run) {
		ap->have_fs = !xctl_bpffs_probe(&ap->fs, bpffs_dir) &&
			      !access(ap->fs.base, F_OK);
		if (!ap->have_fs)
			return -1;	/* nothing of xctl's can be there */
	} else {
		if (open_bpffs(&ap->fs, err))
			return -(err->errnum ?: EINVAL);
		ap->have_fs = true;
	}
	fd = xctl_apply_lock(&ap->fs, false, err);
	if (fd == -EWOULDBLOCK) {
		xctl_err_reset(err);
		warn("waiting for another xctl apply to finish");
		fd = xctl_apply_lock(&ap->fs, true, err);
	}
	return fd;
}

static void converge(struct apply *ap, struct item *items, size_t cnt)
{
	size_t i;

	for (i = 0; i < cnt; i++) {
		struct item *it = &items[i];

		if (it->ok && it->kind == K_MODULE)
			run_module(ap, it);
		else if (it->ok && it->kind == K_XDP)
			run_xdp(ap, it);
		else if (it->ok)
			run_redirect(ap, it);
		json_array_append_new(ap->actions, it->act);
		it->act = NULL;
	}
}

static int run(struct apply *ap, struct xctl_err *err)
{
	struct xctl_decls ds;
	struct item *items;
	size_t i;
	int r, lock;

	lock = lock_fs(ap, err);
	if (lock < 0 && (!ap->dry_run || err->errnum))
		return fail(err);
	r = xctl_decls_read(ap->config, &ds, err);
	if (r) {
		r = fail(err);
		goto out_lock;
	}
	items = calloc(ds.cnt + 1, sizeof(*items));
	if (!items || parse_all(ap, &ds, items)) {
		xctl_errf(err, ENOMEM, "cannot plan %zu declarations", ds.cnt);
		r = fail(err);
		goto out;
	}
	if (ap->prune)
		prune(ap);
	converge(ap, items, ds.cnt);
	r = render(ap);
out:
	for (i = 0; items && i < ds.cnt; i++) {
		json_decref(items[i].act);
		if (items[i].kind == K_MODULE)
			module_load_args_free(&items[i].mod);
	}
	free(items);
	xctl_decls_free(&ds);
out_lock:
	if (lock >= 0)
		close(lock);
	return r;
}

int do_apply(int argc, char **argv)
{
	struct apply ap = { .config = XCTL_APPLY_CONFIG_DEFAULT };
	struct xctl_err err = {};
	int k, r;

	if (argc && (!strcmp(argv[0], "help") || !strcmp(argv[0], "--help")))
		return do_help(0, NULL);
	for (; argc > 0; NEXT_ARG()) {
		if (!strcmp(argv[0], "--config")) {
			REQ_ARGS(2);
			NEXT_ARG();
			ap.config = argv[0];
		} else if (!strncmp(argv[0], "--config=", 9)) {
			ap.config = argv[0] + 9;
		} else if (!strcmp(argv[0], "--dry-run")) {
			ap.dry_run = true;
		} else if (!strcmp(argv[0], "--prune")) {
			ap.prune = true;
		} else {
			return usage_error("unknown argument '%s' for 'apply'", argv[0]);
		}
	}
	if (!*ap.config)
		return usage_error("--config needs a directory");
	ap.actions = json_array();
	for (k = 0; k < K_CNT; k++)
		ap.declared[k] = json_object();
	r = run(&ap, &err);
	for (k = 0; k < K_CNT; k++)
		json_decref(ap.declared[k]);
	json_decref(ap.actions);
	return r;
}
