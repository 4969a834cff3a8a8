/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One parser per shared grammar element (DESIGN.md §4): every verb that
 * takes a device or an object selector parses it here, so the words, the
 * checks and the messages are the same everywhere.
 *
 *   DEV := { NAME | ifindex N }
 *   SEL := { id N | name NAME | pinned PATH }
 *   OPS := [MAP=]NAME                       (ops_name)
 *   K=V                                     (parameters, fields, max_entries)
 *
 * Parsers return the number of words used, or minus the exit status of a
 * usage error they reported.
 */
#ifndef XCTL_CLI_ARGS_H
#define XCTL_CLI_ARGS_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>

struct xctl_err;

struct dev_arg {
	const char *name;	/* NAME, or NULL for ifindex N */
	uint32_t ifindex;	/* ifindex N, or 0 for NAME */
};

/* DEV at argv[0] (verb names the command in "needs a device" errors). */
int parse_dev(int argc, char **argv, const char *verb, struct dev_arg *d);
/*
 * The device d names in the current network namespace: its ifindex and
 * name (IF_NAMESIZE), or -ENODEV with err saying so.
 */
int dev_resolve(const struct dev_arg *d, uint32_t *ifindex, char *name,
		struct xctl_err *err);

enum sel_kind { SEL_ID, SEL_NAME, SEL_PINNED };

struct sel_arg {
	enum sel_kind kind;
	const char *kw;		/* "id", "name", "pinned" */
	const char *arg;	/* the word after it */
	uint32_t id;		/* SEL_ID */
};

/* SEL at argv[0]; what names the object in messages ("map", "program"). */
int parse_sel(int argc, char **argv, const char *what, struct sel_arg *s);

/*
 * OPS := [MAP=]NAME, the word after ops_name: *map is malloc'd (NULL
 * without MAP=; the caller frees it), *ops points into word. 0, or
 * EXIT_USAGE (reported).
 */
int parse_ops_name(const char *word, char **map, const char **ops);

/*
 * K=V (PARAM=VALUE, FIELD=VALUE, VAR=VALUE, MAP=N): true when word has a
 * key before its '=' (and, with need_value, something after it).
 */
bool is_assignment(const char *word, bool need_value);

#endif /* XCTL_CLI_ARGS_H */
