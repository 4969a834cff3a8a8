// SPDX-License-Identifier: GPL-2.0
/*
 * xctl batch file FILE [--keep-going]: run each line of FILE as an xctl
 * command (OBJECT COMMAND ...) in this process, through the same object
 * table as the command line (run_command()), as bpftool's batch does. With
 * -j the results form one JSON array, one element per command run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "core_priv.h"

static const char *const batch_help =
	"Usage: xctl batch file FILE [--keep-going]\n"
	"       xctl batch help\n"
	"\n"
	"Run each line of FILE ('-': standard input) as an xctl command, without\n"
	"the leading 'xctl' and global options: 'module load cc.bpf.o name cc'.\n"
	"Blank lines and # comments are skipped; words are split as a shell\n"
	"splits simple commands ('...' and \"...\" quote). The global options given\n"
	"before 'batch' apply to every line. Stops at the first command that\n"
	"fails unless --keep-going; the exit status is that of the first failure.\n"
	"With -j, prints one JSON array: [{\"line\", \"args\", \"status\", \"result\",\n"
	"\"error\"}, ...]. See xctl-batch(8).\n";

/* Set while a batch runs: batch files do not nest. */
static bool in_batch;

static int do_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return emit_help(batch_help);
}

/* Usage error (exit 2) about one line, or 0 if its words may run. */
static int check_line(int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (is_global_option(argv[i]))
			return usage_error("global option '%s' in a batch line (give it before 'batch')",
					   argv[i]);
	}
	return 0;
}

/* The result element of one line under -j (takes over c's documents). */
static json_t *line_result(unsigned int line, json_t *args, int status,
			   struct out_capture *c)
{
	size_t n = json_array_size(c->docs);
	json_t *res;

	if (n == 0)
		res = json_null();
	else if (n == 1)
		res = json_incref(json_array_get(c->docs, 0));
	else
		res = json_incref(c->docs);	/* --watch: every document */
	return json_pack("{s:I, s:o, s:i, s:o, s:O?}", "line", (json_int_t)line,
			 "args", args, "status", status, "result", res, "error", c->error);
}

/* Run one line; with results (-j) its element is appended there. */
static int run_line(const char *where, unsigned int lineno, const char *text,
		    json_t *results)
{
	struct xctl_err err = {};
	json_t *args = json_array();
	struct out_capture c;
	char **argv = NULL;
	int argc = 0, r, i;

	if (results)
		out_capture_begin(&c);
	out_set_where(where);
	if (xctl_split_words(text, &argc, &argv, &err)) {
		r = usage_error("%s: %s", err.what, xctl_err_reason(&err));
		xctl_err_reset(&err);
	} else if (!argc) {
		r = -1;		/* blank or comment: not a command */
	} else {
		/* the words as written: a verb may reorder argv in place */
		for (i = 0; i < argc; i++)
			json_array_append_new(args, xctl_json_text(argv[i], strlen(argv[i])));
		r = check_line(argc, argv) ?: run_command(argc, argv);
	}
	out_set_where(NULL);
	if (results) {
		out_capture_end(&c);
		if (r >= 0)
			json_array_append_new(results, line_result(lineno, json_incref(args), r, &c));
		out_capture_free(&c);
	}
	json_decref(args);
	free(argv);
	return r;
}

static int do_file(int argc, char **argv)
{
	json_t *results;
	const char *path = NULL;
	bool keep_going = false;
	struct xctl_err err = {};
	unsigned int lineno = 0;
	char *line = NULL, where[PATH_MAX + 32];
	size_t cap = 0;
	int r, first = 0;
	FILE *f;

	for (; argc > 0; NEXT_ARG()) {
		if (!strcmp(argv[0], "--keep-going") || !strcmp(argv[0], "-k"))
			keep_going = true;
		else if (!path)
			path = argv[0];
		else
			return usage_error("unexpected argument '%s' for 'batch file'", argv[0]);
	}
	if (!path)
		return usage_error("'batch file' needs a FILE ('-' for standard input)");
	f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	if (!f) {
		xctl_errf(&err, errno, "cannot open batch file %s", path);
		return fail(&err);
	}
	results = json_output ? json_array() : NULL;
	in_batch = true;
	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		snprintf(where, sizeof(where), "%s:%u", path, lineno);
		r = run_line(where, lineno, line, results);
		if (r <= 0)
			continue;
		if (!first)
			first = r;
		if (!keep_going)
			break;
	}
	if (ferror(f)) {
		xctl_errf(&err, errno ?: EIO, "cannot read batch file %s after line %u",
			  path, lineno);
		first = first ?: EXIT_FAIL;
	}
	in_batch = false;
	free(line);
	if (f != stdin)
		fclose(f);
	if (results) {
		if (err.errnum)
			json_array_append_new(results, json_pack(
				"{s:n, s:[], s:i, s:n, s:{s:s, s:i}}", "line", "args",
				"status", EXIT_FAIL, "result", "error", "message", err.what,
				"errno", err.errnum));
		emit(results, NULL);
	} else if (err.errnum) {
		fail(&err);
	}
	xctl_err_reset(&err);
	return first;
}

static const struct cmd cmds[] = {
	{ "file", do_file },
	{ 0 }
};

int do_batch(int argc, char **argv)
{
	if (in_batch)
		return usage_error("'batch' cannot run inside a batch file");
	if (!argc)
		return usage_error("'batch' needs 'file FILE' (see 'xctl batch help')");
	return cmd_select(cmds, argc, argv, do_help, "batch");
}
