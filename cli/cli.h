/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The xctl command line: argument grammar and rendering only. Kernel work is
 * done by libxctl (lib/). Each object lives in cli/<object>.c and exposes
 * do_<object>(); verbs are do_<verb>() in that file, dispatched through a
 * command table with cmd_select().
 */
#ifndef XCTL_CLI_H
#define XCTL_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "xctl_priv.h"
#include "json_text.h"

#define EXIT_OK		0
#define EXIT_FAIL	1
#define EXIT_USAGE	2

/* Global option flags (the only globals of the CLI). */
extern bool json_output;
extern bool pretty_output;
extern bool debug_output;
extern bool quiet_output;
extern bool no_mount;
extern const char *bpffs_dir;
extern const char *netns_name;
/* The object being run ("module", "xdp redirect"): usage errors point at its help. */
extern const char *usage_object;

struct cmd {
	const char *name;
	int (*func)(int argc, char **argv);
};

/*
 * Run the command of cmds[] named (or uniquely prefixed) by argv[0]. No
 * argument runs cmds[0] (the default verb); "help" runs help(). Unknown or
 * ambiguous keywords are usage errors (exit 2) naming the candidates.
 */
int cmd_select(const struct cmd *cmds, int argc, char **argv,
	       int (*help)(int argc, char **argv), const char *object);

#define is_prefix	xctl_is_prefix
#define keyword_index	xctl_keyword_index
#define parse_u32	xctl_parse_u32
#define parse_u64	xctl_parse_u64

/* Argument helpers for do_<verb>(argc, argv). */
#define NEXT_ARG()	({ argc--; argv++; })
#define REQ_ARGS(cnt)							\
	({								\
		if (argc < (cnt))					\
			return usage_error("missing argument after '%s'", argv[-1]); \
	})


/* ---- output -------------------------------------------------------- */

/* One table column: title, dotted key path into each row, optional formatter. */
struct out_col {
	const char *title;
	const char *key;
	/* Return a malloc'd cell for row (value = the key's value, may be NULL). */
	char *(*fmt)(const json_t *row, const json_t *value);
};

struct out_view {
	const struct out_col *cols;	/* NULL-title terminated; NULL: no table */
	const char *empty;		/* text-mode line when the array is empty */
};

/*
 * Print the command's one result document and drop the reference: JSON with
 * -j (compact) or -p (pretty); otherwise an aligned table when doc is an
 * array and view has columns, else the generic text form. Returns EXIT_OK.
 */
int emit(json_t *doc, const struct out_view *view);
/* Print help text: stdout as-is, or {"help": text} with -j. Returns EXIT_OK. */
int emit_help(const char *text);
/* Report a failure described by err (and free its log). Returns EXIT_FAIL. */
int fail(struct xctl_err *err);
/* The failure err describes as {"message", "errno"[, "hint"]} (resets err). */
json_t *error_json(struct xctl_err *err);
/* Report a usage error. Returns EXIT_USAGE. */
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A warning on stderr (suppressed by -q); never part of the JSON document. */
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Running verbs in-process (batch -j, apply): between out_capture_begin()
 * and out_capture_end(), emit() appends each document to c->docs instead of
 * printing it, and the first failure (fail(), usage_error()) is kept in
 * c->error as {"message", "errno"[, "hint"]} instead of being printed.
 * Captures nest (apply inside batch -j): out_capture_end() restores the
 * enclosing one. out_capture_free() drops what was captured.
 */
struct out_capture {
	json_t *docs;			/* array of the documents emitted */
	json_t *error;			/* the failure, or NULL */
	struct out_capture *prev;	/* the enclosing capture */
};
void out_capture_begin(struct out_capture *c);
void out_capture_end(struct out_capture *c);
void out_capture_free(struct out_capture *c);
/* Prefix text-mode error messages with where ("FILE:LINE"); NULL: none. */
void out_set_where(const char *where);

/* Cell text of a scalar or flat array (malloc'd); "-" for NULL/null. */
char *cell_text(const json_t *v);
/* Look up a dotted key path ("xdp.prog.id") in an object. */
json_t *json_path(const json_t *obj, const char *path);

/*
 * libbpf's messages (cli/libbpf_log.c): setup installs the print callback
 * (stderr with -d, else kept for the current command); clear starts a
 * command; text is what was kept (NULL: nothing).
 */
void libbpf_log_setup(void);
void libbpf_log_clear(void);
const char *libbpf_log_text(void);

/* Open the bpffs selected by --bpffs / --no-mount. */
int open_bpffs(struct xctl_bpffs *fs, struct xctl_err *err);
/*
 * The bpffs for a read-only command (cli/bpffs_guard.c): 0 and fs set;
 * -ENOENT when the default bpffs is not mounted (nothing to show); another
 * -errno, err set, when --bpffs names something that is not a bpffs.
 */
int probe_bpffs(struct xctl_bpffs *fs, struct xctl_err *err);
/* Record the bpffs before a command; undo what a failed command created. */
void bpffs_snapshot(void);
void bpffs_undo(void);
void bpffs_guard_end(void);

/* Objects. */
int do_struct_ops(int argc, char **argv);
int do_control(int argc, char **argv);
int do_module(int argc, char **argv);
int do_xdp(int argc, char **argv);
int do_batch(int argc, char **argv);
int do_exporter(int argc, char **argv);
int do_apply(int argc, char **argv);


/*
 * Run one command line (OBJECT COMMAND ...) through the object table, as
 * main() does after the global options: batch files and apply use it.
 */
int run_command(int argc, char **argv);
/* Global option words ("-j", "--bpffs", ...), refused inside batch lines. */
bool is_global_option(const char *arg);
/* Hidden: live values for bash completion (cli/complete.c). */
int do_complete(int argc, char **argv);

#endif /* XCTL_CLI_H */
