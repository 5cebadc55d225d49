#!/usr/bin/env python3
"""Builds the seed corpus Fuzz/corpus/<target>/ from the server packets in ../Fixtures/*.fixture.

Fixture lines look like `S <seq> <payload hex>  # <comment>`; payloads over 4 KiB are skipped.
Inputs are laid out as each target expects (see the comment at the top of its main.swift).
`make_corpus.py fuzz_binary_row ...` writes only the seeds of the targets named."""
import glob, hashlib, os, re, struct, sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus")
MAX = 4096

ONLY = set(sys.argv[1:])

def save(target, data):
    if len(data) > MAX or (ONLY and target not in ONLY):
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
    # MARIADB_CLIENT_CACHE_METADATA (mode bit 6): a metadata-follows byte 1 after each column count.
    if any(c.lower().startswith("column count") for _, _, c in server[2:]):
        cached = b"".join(struct.pack("<H", len(p) + (1 if c.lower().startswith("column count") else 0)) + p
                          + (b"\x01" if c.lower().startswith("column count") else b"")
                          for _, p, c in server[2:] if len(p) < 0x8000)
        save("fuzz_state_machine", b"\x40" + cached)

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


# Prepared statements. A fixture as a conversation: each client packet (C line) with the server
# packets (S lines, and the complete frames of R lines) that follow it.
def conversation(path):
    out = []  # [client payload, [server payloads]]
    for line in open(path):
        line = line.rstrip("\n")
        m = re.match(r"^([CSR]) (.*?)\s*(?:#.*)?$", line)
        if not m:
            continue
        kind, rest = m.group(1), m.group(2)
        if not re.fullmatch(r"[0-9]+ [0-9a-fA-F]*" if kind != "R" else r"[0-9a-fA-F ]*", rest):
            continue  # abbreviated (`78*222794`): over MAX anyway
        if kind == "C":
            out.append([bytes.fromhex(rest.split()[1]), []])
            continue
        if not out:
            out.append([b"", []])
        if kind == "S":
            payload = bytes.fromhex(rest.split()[1])
            if len(payload) <= MAX:
                out[-1][1].append(payload)
        else:  # R: raw frames, possibly an incomplete last one
            raw = bytes.fromhex("".join(rest.split()))
            i = 0
            while i + 4 <= len(raw):
                n = raw[i] | raw[i + 1] << 8 | raw[i + 2] << 16
                if i + 4 + n > len(raw):
                    break
                out[-1][1].append(raw[i + 4:i + 4 + n])
                i += 4 + n
    return out

def lenenc(p, i):
    b = p[i]
    if b < 0xFB:
        return b, i + 1
    w = {0xFC: 2, 0xFD: 3, 0xFE: 8}[b]
    return int.from_bytes(p[i + 1:i + 1 + w], "little"), i + 1 + w

def column(p):
    """(type, flags, charset, length, decimals) of a ColumnDefinition41 payload."""
    i = 0
    for _ in range(6):
        n, i = lenenc(p, i)
        i += n
    _, i = lenenc(p, i)
    charset, length, typ, flags, decimals = struct.unpack_from("<HIBHB", p, i)
    return typ, flags, charset, length, decimals

def packets(ps):
    return b"".join(struct.pack("<H", len(p)) + p for p in ps if len(p) < 0x8000)

EOF_PACKET = b"\xfe\x00\x00\x02\x00"
BINARY_TYPES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
                245, 246, 247, 248, 249, 250, 251, 252, 253, 254, 255, 0x20]

def with_eofs(ps, groups):
    """The response as a server without DEPRECATE_EOF sends it: an EOF after each of the
    definition groups (index of the first packet, count), unless one is already there."""
    out = list(ps)
    for start, count in sorted(groups, reverse=True):
        end = start + count
        if count > 0 and end <= len(out) and not (end < len(out) and out[end][:1] == b"\xfe" and len(out[end]) < 9):
            out.insert(end, EOF_PACKET)
    return out

for path in sorted(glob.glob(os.path.join(HERE, "..", "Fixtures", "*.fixture"))):
    conv = conversation(path)
    prepares, executes = [], []
    for k, (client, server) in enumerate(conv):
        if client[:1] == b"\x16":  # COM_STMT_PREPARE
            prepares.append(server)
            save("fuzz_prepare_response", b"\x00" + packets(server))
            save("fuzz_prepare_response", b"\x02" + packets(server))
            save("fuzz_prepare_response", b"\x06" + packets(server))  # CACHE_METADATA
            if server and server[0][:1] == b"\x00" and len(server[0]) >= 9:
                columns, params = struct.unpack_from("<HH", server[0], 5)
                save("fuzz_prepare_response", b"\x01" + packets(with_eofs(server, [(1, params), (1 + params, columns)])))
        if client[:1] == b"\x17":  # COM_STMT_EXECUTE, and the COM_STMT_FETCHes that follow
            cursor = len(client) > 5 and client[5] & 1
            reply = list(server)
            for c2, s2 in conv[k + 1:]:
                if c2[:1] != b"\x1c":
                    break
                reply += s2
            executes.append((cursor, reply))
            mode = 0x02 if cursor else 0x00
            save("fuzz_execute_response", bytes([mode]) + packets(reply))
            save("fuzz_execute_response", bytes([mode | 0x04]) + packets(reply))
            # Binary rows with their result set's column types.
            if not server or server[0][:1] in (b"\x00", b"\xff", b"\xfb"):
                continue
            count, _ = lenenc(server[0], 0)
            if 1 <= count <= len(server) - 1:
                save("fuzz_execute_response", bytes([mode | 0x01]) + packets(with_eofs(reply, [(1, count)])))
                # MARIADB_CLIENT_CACHE_METADATA (mode bit 3): the first execution sends the
                # definitions (metadata-follows 1), the next ones skip them (0).
                sent = [server[0] + b"\x01"] + reply[1:]
                skipped = [server[0] + b"\x00"] + reply[1 + count:]
                save("fuzz_execute_response", bytes([mode | 0x08]) + packets(sent) + packets(skipped) + packets(skipped))
                if prepares:
                    # Bit 4: prepared first (its columns are the ones reused), then two executions.
                    p = prepares[-1]
                    save("fuzz_execute_response", bytes([mode | 0x18]) + packets(p) + packets(skipped) * 2 + packets(p) + packets(sent))
                    save("fuzz_execute_response", bytes([mode | 0x10]) + packets(p) + packets(reply) * 2)
                    save("fuzz_state_machine", b"\xc0" + packets(p) + packets(skipped) * 2)
                    save("fuzz_state_machine", b"\x80" + packets(p) + packets(reply) * 2)
            if not 1 <= count <= 16 or len(server) < 1 + count:
                continue
            try:
                cols = [column(p) for p in server[1:1 + count]]
            except (struct.error, IndexError, KeyError):
                continue
            header = b""
            for typ, flags, charset, length, decimals in cols:
                t = BINARY_TYPES.index(typ) if typ in BINARY_TYPES else 31
                t |= (0x20 if flags & 0x20 else 0) | (0x40 if charset == 63 else 0) | (0x80 if flags & 0x40 else 0)
                header += bytes([t, decimals])
            length = max(c[3] for c in cols)
            for p in reply[1 + count:]:
                if p[:1] == b"\x00":
                    for control in (0x00, 0x30, 0xD0):
                        save("fuzz_binary_row", bytes([control | (count - 1)]) + struct.pack("<I", length) + header + p)
    # A connection's whole statement traffic: the drivers start the next command by themselves.
    if len(prepares) > 1:
        save("fuzz_prepare_response", b"\x00" + b"".join(packets(s) for s in prepares))
    if len(executes) > 1:
        save("fuzz_execute_response", bytes([0x02 if executes[0][0] else 0x00]) + b"".join(packets(r) for _, r in executes))

# Binary rows by hand: every type once (type index, flags, decimals, value bytes after the bitmap).
def binary_row(columns, values, nulls=()):
    bitmap = bytearray((len(columns) + 9) // 8)
    for c in nulls:
        bitmap[(c + 2) // 8] |= 1 << ((c + 2) % 8)
    header = bytes([0x00 | (len(columns) - 1)]) + struct.pack("<I", 20)
    header += b"".join(bytes([t, d]) for t, d in columns)
    return header + b"\x00" + bytes(bitmap) + b"".join(v for i, v in enumerate(values) if i not in nulls)

hand = [
    ([(1, 0), (2, 0), (3, 0), (8, 0)], [b"\xff", b"\xfe\xff", b"\x2a\x00\x00\x00", b"\xff" * 8]),
    ([(0x21, 0), (0x28, 0), (0x29, 0), (0x2d, 0)], [b"\xff", b"\xff" * 8, b"\x01\x00\x00\x00", b"\xe8\x07"]),
    ([(0xA3, 0)], [b"\x07\x00\x00\x00"]),  # ZEROFILL
    ([(4, 31), (5, 2)], [b"\x00\x00\xc0\x3f", b"\x00\x00\x00\x00\x00\x00\xf8\x7f"]),
    ([(10, 0), (12, 6), (7, 0), (14, 0)], [b"\x04\xe8\x07\x02\x1d", b"\x0b\xe8\x07\x02\x1d\x17\x3b\x3b\x3f\x42\x0f\x00",
                                          b"\x07\xe8\x07\x02\x1d\x17\x3b\x3b", b"\x00"]),
    ([(11, 6), (19, 0)], [b"\x0c\x01\x22\x00\x00\x00\x16\x3b\x3b\x3f\x42\x0f\x00", b"\x08\x00\x01\x00\x00\x00\x01\x02\x03"]),
    ([(6, 0), (21, 3), (0, 2), (16, 0), (20, 0)], [b"", b"\x05-1.50", b"\x043.14", b"\x02\x01\xff", b'\x02{}']),
    ([(29, 0), (0x5c, 0), (30, 0), (25, 0)], [b"\x06h\xc3\xa9llo", b"\x03\x00\x01\xff", b"\xfc\x03\x00abc", b"\xfd\x01\x00\x00x"]),
    ([(29, 0), (3, 0), (29, 0)], [b"\x01a", b"\x01\x00\x00\x00", b"\x01b"], (1,)),
]
for columns, values, *nulls in hand:
    save("fuzz_binary_row", binary_row(columns, values, *nulls))
