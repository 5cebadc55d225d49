"""mysql_packets.py -- packet and scramble helpers shared by the reference servers.

Written from the MySQL protocol documentation; never uses MySQLWire's code.
"""

import hashlib
import struct

def err_packet(code, state, message):
    return bytes([0xFF]) + struct.pack("<H", code) + b"#" + state.encode() + message.encode()

def fixed_nonce(label):
    """20 deterministic bytes in 0x21..0x7e (no NUL, printable like real servers' nonces)."""
    digest = hashlib.sha256(label.encode()).digest()
    return bytes(0x21 + b % 0x5E for b in digest[:20])

def lenenc_int(data, pos):
    first = data[pos]
    if first < 0xFB:
        return first, pos + 1
    if first == 0xFC:
        return struct.unpack_from("<H", data, pos + 1)[0], pos + 3
    if first == 0xFD:
        return int.from_bytes(data[pos + 1:pos + 4], "little"), pos + 4
    if first == 0xFE:
        return struct.unpack_from("<Q", data, pos + 1)[0], pos + 9
    raise ValueError("bad length-encoded integer")

def sha256(data):
    return hashlib.sha256(data).digest()

def xor(a, b):
    return bytes(x ^ y for x, y in zip(a, b))
