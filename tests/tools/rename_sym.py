#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A copy of a BPF object with one global variable or function renamed.

    tests/tools/rename_sym.py OBJ OLD NEW OUT

libbpf names a struct_ops map after its variable in .struct_ops (the BTF
VAR; the ELF symbol of the same name locates it) and a program after its
function (the ELF symbol; the BTF FUNC describes it), and the kernel keeps
those names. Tests that select a map or a program by name, or look for one,
use a copy renamed to a name unique to the test, so that the same test run
concurrently elsewhere on the host (CI runs three passes side by side) never
sees, or is seen by, another of that name.

NEW must have the length of OLD: both strings are rewritten in place and
nothing else moves. Refused when their bytes are shared with another name.
"""
import struct
import sys

from craft_objs import Obj

# BTF kinds whose vlen records start with a name offset (struct, union,
# enum, func_proto parameters, enum64), with the size of a record.
NAMED_RECORDS = {4: 12, 5: 12, 6: 8, 13: 8, 19: 12}


def btf_name_offsets(o, types):
    """Every string offset that a BTF type or one of its records names."""
    offs = []
    for t in types:
        offs.append(struct.unpack_from("<I", o.d, t["off"])[0])
        size = NAMED_RECORDS.get(t["kind"])
        for k in range(t["vlen"] if size else 0):
            offs.append(struct.unpack_from("<I", o.d, t["off"] + 12 + size * k)[0])
    return offs


def names_at(offsets, lo, hi):
    """How many of the string offsets fall in [lo, hi)."""
    return sum(1 for o in offsets if lo <= o < hi)


def rename(data, old, new):
    if len(old) != len(new) or not new.isidentifier():
        raise ValueError(f"new name {new!r} must be an identifier of {len(old)} characters")
    o = Obj(data)
    n = len(old)
    # the BTF VAR or FUNC
    types = o.btf()
    found = [t for t in types if t["kind"] in (12, 14) and t["name"] == old]
    if len(found) != 1:
        raise ValueError(f"{len(found)} BTF variables or functions named {old!r}")
    (name_off,) = struct.unpack_from("<I", o.d, found[0]["off"])
    if names_at(btf_name_offsets(o, types), name_off, name_off + n + 1) != 1:
        raise ValueError(f"the BTF string {old!r} is shared with another name")
    a = o.btf_str + name_off
    o.d[a:a + n] = new.encode()
    # the ELF symbol
    st = next(s for s in o.secs if s["type"] == 2)
    strs = o.secs[st["link"]]["off"]
    (st_name,) = struct.unpack_from("<I", o.d, o.symbol(old))
    offs = [struct.unpack_from("<I", o.d, st["off"] + 24 * k)[0]
            for k in range(st["size"] // 24)]
    if names_at(offs, st_name, st_name + n + 1) != 1:
        raise ValueError(f"the symbol name {old!r} is shared with another name")
    o.d[strs + st_name:strs + st_name + n] = new.encode()
    return o.d


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: rename_sym.py OBJ OLD NEW OUT")
    obj, old, new, out = sys.argv[1:]
    try:
        d = rename(open(obj, "rb").read(), old, new)
    except (ValueError, KeyError, StopIteration) as e:
        sys.exit(f"rename_sym: {obj}: {e}")
    with open(out, "wb") as f:
        f.write(d)


if __name__ == "__main__":
    main()
