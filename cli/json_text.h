/* SPDX-License-Identifier: GPL-2.0 */
/* The plain-text form of a result document. */
#ifndef XCTL_JSON_TEXT_H
#define XCTL_JSON_TEXT_H

#include <jansson.h>

/*
 * Render any JSON value as indented "key: value" text, the plain-text form of
 * every result document. Objects: one "key: value" line per member, nested
 * objects/arrays of objects indented below their key; arrays of scalars on one
 * line separated by ", "; null as "-"; booleans as yes/no. Caller frees.
 */
char *xctl_json_to_text(const json_t *v, int indent);

#endif /* XCTL_JSON_TEXT_H */
