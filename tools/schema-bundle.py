#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Make every schema in schema/ self-contained.

defs.json spells once the concepts several commands print. A command's schema
names them by a relative reference ("../defs.json#/$defs/id"), which a
validator can only follow when it is given the whole directory. So that any
validator (`jsonschema.validate(doc, schema)`, an editor, a script author's
own tool) can use one file alone, each schema carries a copy of the
definitions it uses in its own "$defs" and refers to them as "#/$defs/NAME".

    tools/schema-bundle.py [DIR]          rewrite the schemas in place
    tools/schema-bundle.py --check [DIR]  exit 1 when a schema refers to
                                          defs.json or its copies differ

defs.json stays the one place a shared definition is written: edit it, then
run this tool; `make check` runs --check.
"""
import json
import os
import re
import sys

REF = re.compile(r"^(?:\.\./)*defs\.json#/\$defs/([A-Za-z0-9_]+)$")
LOCAL = re.compile(r"^#/\$defs/([A-Za-z0-9_]+)$")


def refs(node, out):
    """Every $ref string below node."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str):
                out.append(v)
            else:
                refs(v, out)
    elif isinstance(node, list):
        for v in node:
            refs(v, out)
    return out


def rewrite(node):
    """The same tree with references to defs.json made local."""
    if isinstance(node, dict):
        r = {}
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str) and REF.match(v):
                r[k] = "#/$defs/" + REF.match(v).group(1)
            else:
                r[k] = rewrite(v)
        return r
    if isinstance(node, list):
        return [rewrite(v) for v in node]
    return node


def needed(schema, shared):
    """Names of the shared definitions schema uses, directly or not."""
    own = set(schema.get("$defs", {})) - set(shared)
    todo, seen = [], set()
    for r in refs(schema, []):
        m = REF.match(r) or LOCAL.match(r)
        if m and m.group(1) not in own:
            todo.append(m.group(1))
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        if name not in shared:
            sys.exit("schema-bundle: unknown definition '%s'" % name)
        seen.add(name)
        for r in refs(shared[name], []):
            m = LOCAL.match(r) or REF.match(r)
            if m:
                todo.append(m.group(1))
    return seen


def bundle(schema, shared):
    names = needed(schema, shared)
    out = rewrite(schema)
    defs = {k: v for k, v in out.get("$defs", {}).items() if k not in shared}
    for name in sorted(names):
        defs[name] = rewrite(shared[name])
    if defs:
        out["$defs"] = defs
    else:
        out.pop("$defs", None)
    return out


def main(argv):
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    root = args[0] if args else os.path.join(os.path.dirname(__file__), "..", "schema")
    with open(os.path.join(root, "defs.json")) as fh:
        shared = json.load(fh)["$defs"]
    bad = 0
    for d, _, files in sorted(os.walk(root)):
        for f in sorted(files):
            path = os.path.join(d, f)
            if not f.endswith(".json") or os.path.samefile(path, os.path.join(root, "defs.json")):
                continue
            with open(path) as fh:
                schema = json.load(fh)
            want = bundle(schema, shared)
            if want == schema:
                continue
            if check:
                print("%s: not self-contained or its copies of defs.json are stale "
                      "(run tools/schema-bundle.py)" % path)
                bad = 1
                continue
            with open(path, "w") as fh:
                json.dump(want, fh, indent=2, ensure_ascii=False)
                fh.write("\n")
    return bad


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
