#!/usr/bin/env python3
"""Builds the seed corpus Fuzz/corpus/<target>/ from the server packets in ../Fixtures/*.fixture.

Fixture lines look like `S <seq> <payload hex>  # <comment>`; payloads over 4 KiB are skipped.
Inputs are laid out as each target expects (see the comment at the top of its main.swift)."""
import glob, hashlib, os, re, struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus")
MAX = 4096

def save(target, data):
    if len(data) > MAX:
        return
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()[:16]), "wb") as f:
        f.write(data)

for path in sorted(glob.glob(os.path.join(HERE, "..", "Fixtures", "*.fixture"))):
    server = []  # (seq, payload, comment)
    for line in open(path):
        m = re.match(r"^S (\d+) ([0-9a-fA-F]*)\s*(?:#\s*(.*))?$", line.rstrip("\n"))
        if not m:
            continue
        payload = bytes.fromhex(m.group(2))
        if len(payload) > MAX:
            continue
        server.append((int(m.group(1)), payload, m.group(3) or ""))
    columns = 1
    for seq, p, comment in server:
        c = comment.lower()
        if c.startswith("greeting"):
            save("fuzz_greeting", p)
        if p[:1] == b"\x00" or p[:1] == b"\xfe":
            for mode in (0x0F, 0x07, 0x01):
                save("fuzz_ok_packet", bytes([mode]) + p)
        if p[:1] == b"\xff":
            save("fuzz_err_packet", p)
            save("fuzz_greeting", p)
        if c.startswith("column count"):
            try:
                columns = int(c.split()[2])
            except ValueError:
                pass
        if c.startswith("column ") and not c.startswith("column count"):
            save("fuzz_column_definition", p)
        if c.startswith("row"):
            save("fuzz_text_row", bytes([(columns - 1) & 0x0F]) + p)
            save("fuzz_text_row", bytes([0x40 | ((columns - 1) & 0x0F)]) + p)
        if c.startswith("auth switch"):
            save("fuzz_auth_switch", p)
    # Whole server streams: framed for the packet decoder; as length-prefixed packets for the
    # state machine (mode 2: the input starts with the greeting, ids are assigned by the driver).
    framed = b"".join(struct.pack("<I", len(p))[:3] + bytes([seq]) + p for seq, p, _ in server)
    for control in (b"\xff\x05", b"\x07\x84", b"\x00\xf0"):
        save("fuzz_packet_decoder", control + framed)
    sm = b"".join(struct.pack("<H", len(p)) + p for _, p, _ in server if len(p) < 0x8000)
    save("fuzz_state_machine", b"\x02" + sm)
    after_login = b"".join(struct.pack("<H", len(p)) + p for _, p, c in server[2:] if len(p) < 0x8000)
    for mode in (0x00, 0x04, 0x0B):
        save("fuzz_state_machine", bytes([mode]) + after_login)

# Values: a few hand-written seeds (type index, flags, decimals, value).
values = [
    (3, 0, 0, b"-42"), (3, 1, 0, b"\x2a\x00\x00\x00"), (8, 1, 0, b"18446744073709551615"),
    (20, 0, 2, b"-7.25"), (20, 0, 30, b"123456789012345678901234567890.123"),
    (10, 0, 0, b"2024-02-29"), (10, 0, 0, b"\x04\xe8\x07\x02\x1d"),
    (12, 0, 6, b"2024-02-29 23:59:59.999999"), (12, 0, 6, b"\x0b\xe8\x07\x02\x1d\x17\x3b\x3b\x3f\x42\x0f\x00"),
    (11, 0, 6, b"-838:59:59.000000"), (11, 0, 6, b"\x0c\x01\x22\x00\x00\x00\x16\x3b\x3b\x3f\x42\x0f\x00"),
    (5, 0, 31, b"1.5e308"), (5, 0, 31, b"\x00\x00\x00\x00\x00\x00\xf8\x3f"), (4, 0, 31, b"\x00\x00\xc0\x3f"),
    (28, 2, 0, b"\x00\x01\xff"), (28, 0, 0, "héllo".encode()), (16, 2, 0, b"\x01\x02"),
    (13, 0, 0, b"2024"), (1, 0, 0, b"1"), (0, 4, 0, b""),
]
for t, f, d, v in values:
    save("fuzz_values", bytes([t, f, d]) + v)
