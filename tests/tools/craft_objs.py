#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Hostile BPF objects for the hardening tests, made from a good one.

    tests/tools/craft_objs.py BASE.bpf.o OUTDIR

BASE must have a .struct_ops section with a tcp_congestion_ops map (e.g.
examples/cc.bpf.o). Each output file changes a few bytes of BASE in place
(its DWARF stripped first, so the files stay small), one defect each:

  name-huge.o      the ops' `name` member is char[0x2000000] (32 MiB memset)
  member-name.o    a tcp_congestion_ops member's name offset is out of range
  var-name.o       the .struct_ops variable's name offset is out of range
  big-endian.o     EI_DATA says big-endian
  reloc-sym.o      a program relocation names symbol 0xffffff
  sym-value.o      the map's symbol lies past the end of .struct_ops
  sym-reserved.o   the map's symbol has a reserved section index and a value
                   far past .struct_ops (libbpf 1.1 copies the map from there)
  btf-loop.o       a typedef names itself
  ext-type.o       a .BTF.ext func_info record names type 0x0fffffff
  shdr-trunc.o     the section header table starts past the end of the file
  member-off.o     the `name` member's offset puts it outside the struct
"""
import os
import struct
import subprocess
import sys

KIND_SIZES = {1: lambda v: 4, 3: lambda v: 12, 4: lambda v: 12 * v, 5: lambda v: 12 * v,
              6: lambda v: 8 * v, 13: lambda v: 8 * v, 14: lambda v: 4,
              15: lambda v: 12 * v, 17: lambda v: 4, 19: lambda v: 12 * v}


class Obj:
    def __init__(self, data):
        self.d = bytearray(data)
        (self.shoff,) = struct.unpack_from("<Q", self.d, 0x28)
        self.shnum, self.shstrndx = struct.unpack_from("<HH", self.d, 0x3c)
        self.secs = []
        for i in range(self.shnum):
            o = self.shoff + i * 64
            name, typ, flags, addr, off, size, link, info, align, entsize = \
                struct.unpack_from("<IIQQQQIIQQ", self.d, o)
            self.secs.append(dict(i=i, name_off=name, type=typ, flags=flags, off=off,
                                  size=size, link=link, info=info, hdr=o))
        strtab = self.secs[self.shstrndx]
        for s in self.secs:
            a = strtab["off"] + s["name_off"]
            s["name"] = self.d[a:self.d.index(b"\0", a)].decode()

    def sec(self, name):
        return next(s for s in self.secs if s["name"] == name)

    def btf(self):
        """Types of .BTF: list of dict(id, kind, vlen, name, off (file offset), info)."""
        b = self.sec(".BTF")["off"]
        _, _, _, hdr_len, toff, tlen, soff, slen = struct.unpack_from("<HBBIIIII", self.d, b)
        self.btf_str = b + hdr_len + soff
        types, off, tid, end = [], b + hdr_len + toff, 1, b + hdr_len + toff + tlen
        while off < end:
            name_off, info, sz = struct.unpack_from("<III", self.d, off)
            kind, vlen = (info >> 24) & 0x1f, info & 0xffff
            types.append(dict(id=tid, kind=kind, vlen=vlen, name=self.bstr(name_off),
                              off=off, type=sz))
            off += 12 + KIND_SIZES.get(kind, lambda v: 0)(vlen)
            tid += 1
        return types

    def bstr(self, off):
        a = self.btf_str + off
        return self.d[a:self.d.index(b"\0", a)].decode(errors="replace")

    def struct_member(self, sname, mname):
        """(file offset of the member record, its type id) of sname.mname."""
        t = next(t for t in self.btf() if t["kind"] == 4 and t["name"] == sname)
        for k in range(t["vlen"]):
            mo = t["off"] + 12 + 12 * k
            name_off, mtype, boff = struct.unpack_from("<III", self.d, mo)
            if self.bstr(name_off) == mname:
                return mo, mtype
        raise KeyError(mname)

    def symbol(self, name):
        st = next(s for s in self.secs if s["type"] == 2)
        strs = self.secs[st["link"]]["off"]
        for k in range(st["size"] // 24):
            o = st["off"] + 24 * k
            (n,) = struct.unpack_from("<I", self.d, o)
            a = strs + n
            if self.d[a:self.d.index(b"\0", a)].decode() == name:
                return o
        raise KeyError(name)


def crafts(base):
    def c():
        return Obj(base)

    out = {}
    o = c()
    _, aid = o.struct_member("tcp_congestion_ops", "name")
    arr = next(t for t in o.btf() if t["id"] == aid)
    struct.pack_into("<I", o.d, arr["off"] + 12 + 8, 0x2000000)
    out["name-huge.o"] = o.d
    o = c()
    mo, _ = o.struct_member("tcp_congestion_ops", "ssthresh")
    struct.pack_into("<I", o.d, mo, 0x7ffffff0)
    out["member-name.o"] = o.d
    o = c()
    var = next(t for t in o.btf() if t["kind"] == 14 and t["name"] == "xctl_cc")
    struct.pack_into("<I", o.d, var["off"], 0x7ffffff0)
    out["var-name.o"] = o.d
    o = c()
    o.d[5] = 2
    out["big-endian.o"] = o.d
    o = c()
    rel = next(s for s in o.secs if s["type"] == 9 and s["name"].startswith(".relstruct_ops"))
    r_off, r_info = struct.unpack_from("<QQ", o.d, rel["off"])
    struct.pack_into("<Q", o.d, rel["off"] + 8, (0xffffff << 32) | (r_info & 0xffffffff))
    out["reloc-sym.o"] = o.d
    o = c()
    struct.pack_into("<Q", o.d, o.symbol("xctl_cc") + 8, 0xfffffff000)
    out["sym-value.o"] = o.d
    o = c()
    sym = o.symbol("xctl_cc")
    struct.pack_into("<HQ", o.d, sym + 6, 0xff04, 0xfeffffffffff)
    out["sym-reserved.o"] = o.d
    o = c()
    td = next(t for t in o.btf() if t["kind"] == 8)
    struct.pack_into("<I", o.d, td["off"] + 8, td["id"])
    out["btf-loop.o"] = o.d
    o = c()
    ext = o.sec(".BTF.ext")["off"]
    _, _, _, hdr_len, func_off, func_len = struct.unpack_from("<HBBIII", o.d, ext)
    # record size, then {sec_name_off, num_info, {insn_off, type_id}...}
    struct.pack_into("<I", o.d, ext + hdr_len + func_off + 4 + 8 + 4, 0x0fffffff)
    out["ext-type.o"] = o.d
    o = c()
    struct.pack_into("<Q", o.d, 0x28, len(o.d) - 16)
    out["shdr-trunc.o"] = o.d
    o = c()
    mo, _ = o.struct_member("tcp_congestion_ops", "name")
    struct.pack_into("<I", o.d, mo + 8, 0x7fff0 * 8)
    out["member-off.o"] = o.d
    return out


def main():
    base, outdir = sys.argv[1], sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    stripped = os.path.join(outdir, "base.o")
    subprocess.run(["llvm-objcopy", "--strip-debug", base, stripped], check=True)
    data = open(stripped, "rb").read()
    for name, d in crafts(data).items():
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(d)


if __name__ == "__main__":
    main()
