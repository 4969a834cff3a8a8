#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Validate the JSON documents an xctl test run produced against schema/.

Usage: check_json.py SCHEMA_DIR RECORD_DIR
       check_json.py --doc SCHEMA_DIR [XCTL ARGS...] < DOCUMENT

RECORD_DIR holds one record per xctl invocation made with -j or -p (written
by record_json in tests/cli/helpers.bash): N.argv (the arguments, NUL
separated), N.rc (the exit status) and N.out (stdout). Each invocation's
stdout must be one JSON document valid against the schema of its command
(`xdp stats --watch` prints one document per line). Prints one line per
problem and exits 1 when there is any; a command without a schema is a
problem too, so a new command fails the tests until its schema is written.
"""
import json
import os
import sys

try:
    import jsonschema
except ImportError:
    sys.exit("check_json.py: python3-jsonschema is missing (tools/deps.sh installs it)")

BASE = "https://xctl.invalid/schema/"

# Global options that take an argument, and those that do not.
OPT_ARG = {"-N", "--netns", "--bpffs"}
OPT_FLAG = {"-j", "--json", "-p", "--pretty", "-d", "--debug", "-q", "--quiet",
            "--no-mount"}

# Verbs that are another verb's alias, and what a bare object runs.
ALIASES = {("struct_ops", "show"): "list"}
DEFAULT_VERB = {"xdp": "show", "control": "types", "struct_ops": "list",
                "module": "list", "xdp/redirect": "show", "xdp/metadata": "show"}
# "l" is list, not load (bpftool's habit).
SHORT = {("module", "l"): "list"}


def load_schemas(root):
    """Every schema below root, by its $id (which must match its path). Each
    is checked against the metaschema when first used (validator()): that
    check dominates the cost of a run, which every test's teardown pays."""
    store = {}
    for d, _, files in os.walk(root):
        for f in files:
            if not f.endswith(".json"):
                continue
            path = os.path.join(d, f)
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            with open(path) as fh:
                s = json.load(fh)
            if s.get("$id") != BASE + rel:
                raise SystemExit("%s: $id must be %s" % (path, BASE + rel))
            store[BASE + rel] = s
    return store


def choose(word, names):
    """bpftool-style keyword: exact name or a unique prefix."""
    if word in names:
        return word
    m = [n for n in names if n.startswith(word)]
    return m[0] if len(m) == 1 else None


def children(root, rel):
    """Object/verb names available below schema dir rel ('' = top)."""
    d = os.path.join(root, rel)
    out = set()
    if os.path.isdir(d):
        for f in os.listdir(d):
            if f.endswith(".json"):
                out.add(f[:-5])
            elif os.path.isdir(os.path.join(d, f)):
                out.add(f)
    return out


def command_words(argv):
    """The non-option words of an xctl command line, and whether -V/-h."""
    words, i, special = [], 0, None
    while i < len(argv):
        a = argv[i]
        if a in OPT_ARG:
            i += 2
            continue
        if a in OPT_FLAG:
            i += 1
            continue
        if a in ("-V", "--version") and not words:
            special = "version"
        elif a in ("-h", "--help") and not words:
            special = "help"
        else:
            words.append(a)
        i += 1
    return words, special


def schema_for(root, argv, doc, rc):
    """(schema file relative to root, or None, and a description)."""
    if rc != 0 and isinstance(doc, dict) and "error" in doc:
        return "error.json", "error document"
    words, special = command_words(argv)
    if special:
        return special + ".json", special
    if isinstance(doc, dict) and list(doc) == ["help"]:
        return "help.json", "help text"
    rel = ""
    for w in words:
        names = children(root, rel)
        obj = rel.rstrip("/")
        key = (obj.split("/")[-1] if obj else "", w)
        aliases = {a: t for (o, a), t in ALIASES.items() if o == obj}
        name = SHORT.get(key) or choose(w, names | set(aliases))
        name = aliases.get(name, name) if name else None
        if name is None:
            break
        if os.path.isfile(os.path.join(root, rel, name + ".json")):
            return rel + name + ".json", " ".join(words)
        rel += name + "/"
    obj = rel.rstrip("/")
    if obj in DEFAULT_VERB and (not words or rel.count("/") == len(words)):
        return rel + DEFAULT_VERB[obj] + ".json", " ".join(words)
    return None, " ".join(words)


CHECKED = set()


def validator(store, uri):
    schema = store[uri]
    if uri not in CHECKED:
        jsonschema.Draft202012Validator.check_schema(schema)
        CHECKED.add(uri)
    try:
        from referencing import Registry, Resource
        reg = Registry().with_resources(
            (u, Resource.from_contents(s)) for u, s in store.items())
        return jsonschema.Draft202012Validator(schema, registry=reg)
    except ImportError:
        res = jsonschema.RefResolver(base_uri=uri, referrer=schema, store=store)
        return jsonschema.Draft202012Validator(schema, resolver=res)


def documents(text, argv):
    """The JSON documents of one invocation's stdout."""
    words, _ = command_words(argv)
    if "--watch" in words:
        return [json.loads(l) for l in text.splitlines() if l.strip()]
    return [json.loads(text)]


def check(root, store, rec_dir, name):
    base = os.path.join(rec_dir, name)
    with open(base + ".argv", "rb") as f:
        argv = [a.decode(errors="replace") for a in f.read().split(b"\0") if a]
    with open(base + ".rc") as f:
        rc = int(f.read().strip() or "0")
    with open(base + ".out", encoding="utf-8", errors="replace") as f:
        text = f.read()
    cmd = "xctl " + " ".join(argv)
    if not text.strip():
        return ["%s: exit %d and no JSON document on stdout" % (cmd, rc)]
    try:
        docs = documents(text, argv)
    except ValueError as e:
        return ["%s: not JSON (%s): %.200s" % (cmd, e, text)]
    problems = []
    for doc in docs:
        rel, what = schema_for(root, argv, doc, rc)
        if rel == "xdp/stats.json" and "--watch" in command_words(argv)[0]:
            rel = "xdp/stats-watch.json"
        collect = os.environ.get("XCTL_SCHEMA_COLLECT")
        if collect:
            out = os.path.join(collect, (rel or "unknown.json") + "l")
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with open(out, "a") as f:
                f.write(json.dumps({"cmd": cmd, "rc": rc, "doc": doc}) + "\n")
            continue
        if rel is None or BASE + rel not in store:
            return ["%s: no schema for '%s' (add schema/%s; see schema/README.md)"
                    % (cmd, what, rel or "<object>/<verb>.json")]
        problems += validate(store, rel, doc, cmd)
        if rel == "batch/file.json" and isinstance(doc, list):
            problems += batch_results(root, store, doc, cmd)
        if len(problems) >= 5:
            return problems[:5]
    return problems


def validate(store, rel, doc, cmd):
    v = validator(store, BASE + rel)
    out = []
    for e in sorted(v.iter_errors(doc), key=lambda e: list(e.path)):
        where = "/".join(str(p) for p in e.absolute_path) or "(document)"
        out.append("%s: schema/%s: at %s: %s" % (cmd, rel, where, e.message[:300]))
    return out


def batch_results(root, store, doc, cmd):
    """Each batch line's result against the schema of its own command."""
    out = []
    for e in doc:
        if not isinstance(e, dict) or e.get("result") is None:
            continue
        args = ["-j"] + [a for a in e.get("args", []) if isinstance(a, str)]
        rel, what = schema_for(root, args, e["result"], e.get("status", 0))
        line = "%s (line %s: %s)" % (cmd, e.get("line"), what)
        if rel is None or BASE + rel not in store:
            out.append("%s: no schema for '%s'" % (line, what))
            continue
        out += validate(store, rel, e["result"], line)
    return out


def check_stdin(root, args):
    """--doc: one invocation's stdout on stdin, its arguments as args."""
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "0.argv"), "wb") as f:
            f.write(b"".join(a.encode() + b"\0" for a in ["-j"] + args))
        with open(os.path.join(d, "0.rc"), "w") as f:
            f.write("0\n")
        with open(os.path.join(d, "0.out"), "w") as f:
            f.write(sys.stdin.read())
        return check(root, load_schemas(root), d, "0")


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "--doc":
        problems = check_stdin(sys.argv[2], sys.argv[3:])
        for p in problems:
            print("schema: " + p, file=sys.stderr)
        sys.exit(1 if problems else 0)
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    root, rec_dir = sys.argv[1], sys.argv[2]
    store = load_schemas(root)
    names = sorted({f.rsplit(".", 1)[0] for f in os.listdir(rec_dir)
                    if f.endswith(".argv")},
                   key=lambda n: os.stat(os.path.join(rec_dir, n + ".argv")).st_mtime_ns)
    problems = []
    for n in names:
        problems += check(root, store, rec_dir, n)
    for p in problems:
        print("schema: " + p, file=sys.stderr)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
