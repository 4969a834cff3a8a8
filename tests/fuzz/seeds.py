#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Seed corpora for the fuzz harnesses, made from the project's own objects.

    tests/fuzz/seeds.py OUTDIR OBJ...

OUTDIR/<harness>/ gets: the objects without DWARF (sops_obj, obj_open), their
.BTF with each type id in turn (btf, meta), their .BTF with the .rodata image
and NAME=VALUE lines for each parameter (params), keys and assignments
(control), and ethtool strings of the drivers the normaliser knows
(xdp_norm), and HTTP Accept headers (accept). Input layouts are the ones
each harness documents.
"""
import os
import struct
import subprocess
import sys
import tempfile


def dump(obj, sec):
    with tempfile.NamedTemporaryFile() as t:
        r = subprocess.run(["llvm-objcopy", "--dump-section", f"{sec}={t.name}",
                            obj, os.devnull], capture_output=True)
        return open(t.name, "rb").read() if r.returncode == 0 else None


def btf_types(btf):
    """(id, kind, name) of each type of a raw little-endian BTF blob."""
    magic, ver, flags, hdr_len, toff, tlen, soff, slen = struct.unpack_from("<HBBIIIII", btf)
    types = btf[hdr_len + toff:hdr_len + toff + tlen]
    strs = btf[hdr_len + soff:hdr_len + soff + slen]
    out, off, tid = [], 0, 1
    while off + 12 <= len(types):
        name_off, info, _ = struct.unpack_from("<III", types, off)
        kind, vlen = (info >> 24) & 0x1f, info & 0xffff
        name = strs[name_off:strs.index(b"\0", name_off)].decode(errors="replace")
        extra = {3: 12, 4: 12 * vlen, 5: 12 * vlen, 6: 8 * vlen, 13: 8 * vlen,
                 14: 4, 15: 12 * vlen, 17: 4, 19: 12 * vlen, 1: 4}.get(kind, 0)
        out.append((tid, kind, name))
        off += 12 + extra
        tid += 1
    return out


def put(d, name, data):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def main():
    out, objs = sys.argv[1], sys.argv[2:]
    for obj in objs:
        base = os.path.basename(obj).replace(".bpf.o", "")
        with tempfile.NamedTemporaryFile() as t:
            subprocess.run(["llvm-objcopy", "--strip-debug", obj, t.name], check=True)
            image = open(t.name, "rb").read()
        put(f"{out}/sops_obj", base, image)
        put(f"{out}/obj_open", base, image)
        btf = dump(obj, ".BTF")
        if not btf:
            continue
        rodata = dump(obj, ".rodata") or b""
        for tid, kind, name in btf_types(btf)[:64]:
            blob = struct.pack("<II", tid, len(btf)) + btf + bytes(64)
            put(f"{out}/btf", f"{base}-{tid}", blob)
            if kind == 4:
                put(f"{out}/meta", f"{base}-{tid}", blob)
        for tid, kind, name in btf_types(btf):
            if kind == 15 and name == ".rodata":
                lines = b"ssthresh=10\nenabled=true\nmode=FAST\nname=x\n"
                put(f"{out}/params", base, struct.pack("<I", len(btf)) + btf +
                    struct.pack("<I", len(rodata)) + rodata + lines)
    put(f"{out}/control", "key-id", struct.pack("<II", 0, 0) + b"id 42\nx=1\nmode=FAST\nname=abc\nin.b=-3\nlist[1]=0x10\n")
    put(f"{out}/control", "key-name", struct.pack("<II", 0, 0) + b"name xdp_pass\nin.a=18446744073709551615\n")
    for drv, s in [("veth", "rx_queue_0_xdp_packets"), ("veth", "tx_queue_3_xdp_xmit_errors"),
                   ("virtio_net", "rx_queue_1_xdp_redirects"), ("mlx5_core", "rx_xdp_drop"),
                   ("ixgbe", "rx_queue_0_packets")]:
        put(f"{out}/xdp_norm", f"{drv}-{s}", drv.encode() + b"\0" + s.encode())
    for i, accept in enumerate([
            b"application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
            b"version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
            b"text/plain;version=0.0.4", b"*/*", b"application/openmetrics-text; q=0.3, text/*"]):
        put(f"{out}/accept", f"accept-{i}", accept)


if __name__ == "__main__":
    main()
