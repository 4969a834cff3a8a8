// SPDX-License-Identifier: GPL-2.0
/*
 * Rendering of result documents. A command builds one jansson document and
 * calls emit(); JSON and text are two renderings of that same document.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "core_priv.h"

/* Active capture (out_capture_begin()), or NULL: print. */
static struct out_capture *capture;
/* Prefix of text-mode error messages ("FILE:LINE"), or NULL. */
static const char *error_where;

void out_capture_begin(struct out_capture *c)
{
	memset(c, 0, sizeof(*c));
	c->docs = json_array();
	c->prev = capture;
	capture = c;
}

void out_capture_end(struct out_capture *c)
{
	capture = c->prev;
}

void out_capture_free(struct out_capture *c)
{
	json_decref(c->docs);
	json_decref(c->error);
	memset(c, 0, sizeof(*c));
}

void out_set_where(const char *where)
{
	error_where = where;
}

json_t *json_path(const json_t *obj, const char *path)
{
	char key[128];
	const char *dot;
	json_t *v = (json_t *)obj;

	while (v && *path) {
		dot = strchr(path, '.');
		size_t n = dot ? (size_t)(dot - path) : strlen(path);

		if (!json_is_object(v) || n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		v = json_object_get(v, key);
		path += n + (dot ? 1 : 0);
	}
	return v;
}

char *cell_text(const json_t *v)
{
	char *s, *nl;

	if (!v || json_is_null(v))
		return strdup("-");
	if (json_is_string(v))
		return strdup(json_string_value(v));
	s = xctl_json_to_text(v, 0);
	if (!s)
		return strdup("?");
	nl = strrchr(s, '\n');
	if (nl && !nl[1])
		*nl = '\0';
	/* Flat values only: a table cell is one line. */
	for (nl = s; *nl; nl++)
		if (*nl == '\n')
			*nl = ' ';
	return s;
}

static void print_table(const json_t *rows, const struct out_view *view)
{
	const struct out_col *cols = view->cols;
	size_t ncol = 0, nrow = json_array_size(rows), r, c;
	size_t *width;
	char **cells;

	while (cols[ncol].title)
		ncol++;
	width = calloc(ncol, sizeof(*width));
	cells = calloc((nrow ? nrow : 1) * ncol, sizeof(*cells));
	if (!width || !cells)
		goto out;
	for (c = 0; c < ncol; c++)
		width[c] = strlen(cols[c].title);
	for (r = 0; r < nrow; r++) {
		json_t *row = json_array_get(rows, r);

		for (c = 0; c < ncol; c++) {
			json_t *v = json_path(row, cols[c].key);
			char *s = cols[c].fmt ? cols[c].fmt(row, v) : cell_text(v);

			cells[r * ncol + c] = s ? s : strdup("-");
			if (cells[r * ncol + c] && strlen(cells[r * ncol + c]) > width[c])
				width[c] = strlen(cells[r * ncol + c]);
		}
	}
	if (!nrow && view->empty) {
		printf("%s\n", view->empty);
		goto out;
	}
	for (c = 0; c < ncol; c++)
		printf("%-*s%s", c + 1 < ncol ? (int)width[c] : 0, cols[c].title,
		       c + 1 < ncol ? "  " : "\n");
	for (r = 0; r < nrow; r++)
		for (c = 0; c < ncol; c++) {
			const char *s = cells[r * ncol + c] ? cells[r * ncol + c] : "-";

			printf("%-*s%s", c + 1 < ncol ? (int)width[c] : 0, s,
			       c + 1 < ncol ? "  " : "\n");
		}
out:
	if (cells)
		for (r = 0; r < nrow * ncol; r++)
			free(cells[r]);
	free(cells);
	free(width);
}

int emit(json_t *doc, const struct out_view *view)
{
	char *s;

	if (capture) {
		json_array_append_new(capture->docs, doc ? doc : json_null());
		return EXIT_OK;
	}
	if (!doc) {
		/* A builder failed (out of memory, or text jansson refused). */
		struct xctl_err err = {};

		xctl_errf(&err, ENOMEM, "cannot build the result document");
		return fail(&err);
	}
	if (quiet_output && !json_output) {
		/* -q: success is the exit status alone (JSON is asked for explicitly). */
		json_decref(doc);
		return EXIT_OK;
	}
	if (json_output) {
		/* 12 significant digits: rates and intervals without float noise. */
		s = json_dumps(doc, JSON_ENCODE_ANY | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12) |
			       (pretty_output ? JSON_INDENT(2) : JSON_COMPACT));
		if (s)
			printf("%s\n", s);
		free(s);
	} else if (json_is_array(doc) && view && view->cols) {
		print_table(doc, view);
	} else {
		s = xctl_json_to_text(doc, 0);
		if (s)
			fputs(s, stdout);
		free(s);
	}
	fflush(stdout);
	json_decref(doc);
	return EXIT_OK;
}

int emit_help(const char *text)
{
	if (json_output || capture)
		return emit(json_pack("{s:s}", "help", text), NULL);
	fputs(text, stdout);
	return EXIT_OK;
}

static void print_error(const char *msg, int errnum, const char *hint)
{
	json_t *e;

	if (json_output || capture) {
		/* Arguments and kernel text may not be UTF-8: never lose the error. */
		e = json_pack("{s:o, s:i}", "message", xctl_json_text(msg, strlen(msg)),
			      "errno", errnum);
		if (e && hint && *hint)
			json_object_set_new(e, "hint", xctl_json_text(hint, strlen(hint)));
		if (capture) {
			/* The first failure is the one to report. */
			if (!capture->error)
				capture->error = e;
			else
				json_decref(e);
			return;
		}
		emit(json_pack("{s:o}", "error", e), NULL);
		return;
	}
	fprintf(stderr, "xctl: error: %s%s%s\n", error_where ?: "", error_where ? ": " : "",
		msg);
	if (hint && *hint)
		fprintf(stderr, "hint: %s\n", hint);
}

/*
 * The library's hint codes in the CLI's words (its options and commands);
 * %s are the error's hint_arg[0] and [1], in that order.
 */
static const char *const hint_words[XCTL_HINT_MAX] = {
	[XCTL_HINT_UNREGISTER_PIN] = "unregister it first ('xctl struct_ops unregister "
				     "pinned %s'), or choose another directory with 'pin DIR'",
	[XCTL_HINT_UNLOAD_MODULE] = "unload the module: xctl module unload %s",
	[XCTL_HINT_LIST_STRUCT_OPS] = "'xctl struct_ops list' shows them",
	[XCTL_HINT_DETACH_IFINDEX] = "detach it with 'xctl xdp detach ifindex %s' or "
				     "remove the pin",
	[XCTL_HINT_BPFFS_PER_NETNS] = "give each network namespace its own bpffs "
				      "(--bpffs DIR)",
	[XCTL_HINT_REPLACE] = "use --replace to replace it",
	[XCTL_HINT_FORCE_DETACH] = "use --force to remove it anyway",
	[XCTL_HINT_LIST_DEVICES] = "list devices with 'xctl xdp stats --all' "
				   "(-N NETNS for another namespace)",
	[XCTL_HINT_RING_SIZE] = "leave out --size for this device",
	[XCTL_HINT_TX_CHANNELS] = "use --rings %s or raise the RX channels of %s",
	[XCTL_HINT_TEARDOWN] = "run 'xctl xdp redirect teardown %s' first",
	[XCTL_HINT_REDIRECT_SHOW] = "see 'xctl xdp redirect show'",
	[XCTL_HINT_CONTROL_DUMP] = "a BPF map has one value type; 'xctl control dump %s' "
				   "shows them all",
	[XCTL_HINT_CONTROL_TYPES] = "list them with 'xctl control types'",
	[XCTL_HINT_CONTROL_BTF_KEY] = "give a key: xctl control btf %s KEY",
	[XCTL_HINT_FORCE_UNLOAD] = "stop the users, or unload anyway with --force",
	[XCTL_HINT_LEGACY] = "use 'xctl struct_ops register OBJ legacy'",
	[XCTL_HINT_LOAD_MODULE] = "load it with 'xctl module load OBJ name %s'",
	[XCTL_HINT_BPFFS_MOUNT] = "pass a bpffs mount with --bpffs DIR",
	[XCTL_HINT_PIN_ROOT] = "use a directory below %s (or pass --bpffs)",
	[XCTL_HINT_RELOAD_PARAM] = "change it with 'xctl module reload %s OBJ %s=VALUE'",
	[XCTL_HINT_LOAD_AS_MODULE] = "load it as a module, which pins such maps: "
				     "xctl module load OBJ [pin_root DIR]",
	[XCTL_HINT_CONFIG_DIR] = "create %s/modules.d and %s/xdp.d, or name another "
				 "directory with --config DIR",
};

/* The hint in the CLI's words when the library gave a code for it. */
static void word_hint(struct xctl_err *err)
{
	const char *fmt;

	if (!err->hint_code || err->hint_code >= XCTL_HINT_MAX)
		return;
	fmt = hint_words[err->hint_code];
	if (fmt)
		snprintf(err->hint, sizeof(err->hint), fmt, err->hint_arg[0],
			 err->hint_arg[1]);
}

int fail(struct xctl_err *err)
{
	char msg[1100], caps[64], need[128];
	const char *hint;

	word_hint(err);
	hint = err->hint;

	if (!err->errnum)
		err->errnum = EINVAL;
	snprintf(msg, sizeof(msg), "%s: %s", err->what[0] ? err->what : "operation failed",
		 xctl_err_reason(err));
	if (!err->log)
		xctl_err_log(err, libbpf_log_text());
	/* Only when capabilities are really missing: root gets EPERM/EACCES too. */
	if (!*hint && (err->errnum == EPERM || err->errnum == EACCES) &&
	    xctl_missing_caps(caps, sizeof(caps))) {
		snprintf(need, sizeof(need), "run as root: this process lacks %s", caps);
		hint = need;
	}
	if (debug_output && err->log)
		fprintf(stderr, "%s%s", err->log,
			err->log[strlen(err->log) - 1] == '\n' ? "" : "\n");
	else if (err->log && !json_output && !quiet_output && !capture)
		fprintf(stderr, "xctl: run with -d to see the kernel's log\n");
	print_error(msg, err->errnum, hint);
	xctl_err_reset(err);
	return EXIT_FAIL;
}

json_t *error_json(struct xctl_err *err)
{
	struct out_capture c;
	json_t *e;

	out_capture_begin(&c);
	fail(err);
	out_capture_end(&c);
	e = json_incref(c.error);
	out_capture_free(&c);
	return e;
}

int usage_error(const char *fmt, ...)
{
	char msg[1024], hint[96];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(hint, sizeof(hint), "see 'xctl %s%shelp'", usage_object ?: "",
		 usage_object ? " " : "");
	print_error(msg, EINVAL, hint);
	return EXIT_USAGE;
}

void warn(const char *fmt, ...)
{
	va_list ap;

	if (quiet_output)
		return;
	va_start(ap, fmt);
	fputs("xctl: warning: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}
