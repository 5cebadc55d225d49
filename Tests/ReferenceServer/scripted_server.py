#!/usr/bin/env python3
"""scripted_server.py -- a tiny MySQL server that plays one authentication scenario.

Written from the protocol documentation (HandshakeV10, HandshakeResponse41,
AuthSwitchRequest, OK/ERR packets) for flows MariaDB cannot serve. It never uses MySQLWire's
code: every scramble is computed here with hashlib.

Scenario `auth-switch`:
  1. greeting: version 8.0.36-scripted, default plugin caching_sha2_password, 20-byte nonce N1
  2. reads the HandshakeResponse41; checks the user and that the response is the
     caching_sha2_password scramble of the password with N1 (ERR 1045 otherwise)
  3. AuthSwitchRequest to mysql_native_password with a NEW 20-byte nonce N2 (+ NUL)
  4. reads the client's answer; checks it is SHA1(pw) XOR SHA1(N2 + SHA1(SHA1(pw)))
  5. OK (or ERR 1045 28000 on a wrong scramble)
  6. then answers COM_PING with OK and COM_QUERY with ERR 1064, and closes on COM_QUIT or EOF.

Scenario `stall-after-login`: the same login, then the server stops reading (a server that
hangs): it sleeps until the client closes or --timeout passes.

Scenario `killed-sleep-returns-1`: MySQL's SLEEP() returns 1, not error 1317, when KILL QUERY
interrupts it. Serves two connections at once (the client's, and its side connection for
KILL QUERY), both with the same login: `SELECT SLEEP(...)` waits until a `KILL QUERY 4242`
arrives on the other connection (or 5 s) and answers a one-column BIGINT result set with 1
(interrupted) or 0, with or without EOF packets as the client negotiated.

Scenario `tls-injection`: a greeting that offers TLS (CLIENT_SSL), followed in the same segment
by 4 bytes of a packet header that a man in the middle could have added. The client must not
start TLS with them buffered (they would frame the decrypted stream). Logs the SSLRequest if one
comes, then waits for the client to close.

Scenario `tls-then-drop` (needs --cert and --key): a greeting that offers TLS, the TLS
handshake after the client's SSLRequest, then — once the login arrives over TLS — the TCP
connection is shut down without a TLS close_notify (a server or proxy that dies). The client
must report a closed connection, not a TLS failure.

Scenario `kill-refused`: the first connection as in killed-sleep-returns-1; the second (the
client's KILL QUERY connection) is refused with ERR 1040 "Too many connections" instead of a
greeting, as a full server does. The SLEEP then never ends early.

Nonces are fixed (derived from constant strings), so recordings are reproducible.

Usage: scripted_server.py --listen 127.0.0.1:PORT [--user mysqlwire] [--password mysqlwire-pass]
(PORT 0: a free port, named in the "listening on" line on stderr)
Serves ONE connection (two for killed-sleep-returns-1), then exits (status 0 when the client authenticated, 1 otherwise).
Record it with:  Scripts/record --listen 127.0.0.1:P1 --upstream 127.0.0.1:PORT ...
"""

import argparse
import os
import hashlib
import socket
import struct
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mysql_packets import err_packet, fixed_nonce, lenenc_int, sha256, xor  # noqa: E402

CLIENT_LONG_PASSWORD = 1
CLIENT_FOUND_ROWS = 1 << 1
CLIENT_LONG_FLAG = 1 << 2
CLIENT_CONNECT_WITH_DB = 1 << 3
CLIENT_PROTOCOL_41 = 1 << 9
CLIENT_TRANSACTIONS = 1 << 13
CLIENT_SECURE_CONNECTION = 1 << 15
CLIENT_MULTI_STATEMENTS = 1 << 16
CLIENT_MULTI_RESULTS = 1 << 17
CLIENT_PS_MULTI_RESULTS = 1 << 18
CLIENT_PLUGIN_AUTH = 1 << 19
CLIENT_CONNECT_ATTRS = 1 << 20
CLIENT_PLUGIN_AUTH_LENENC = 1 << 21
CLIENT_SESSION_TRACK = 1 << 23
CLIENT_DEPRECATE_EOF = 1 << 24
CLIENT_SSL = 1 << 11

SERVER_CAPS = (CLIENT_LONG_PASSWORD | CLIENT_FOUND_ROWS | CLIENT_LONG_FLAG | CLIENT_CONNECT_WITH_DB
               | CLIENT_PROTOCOL_41 | CLIENT_TRANSACTIONS | CLIENT_SECURE_CONNECTION
               | CLIENT_MULTI_STATEMENTS | CLIENT_MULTI_RESULTS | CLIENT_PS_MULTI_RESULTS
               | CLIENT_PLUGIN_AUTH | CLIENT_CONNECT_ATTRS | CLIENT_PLUGIN_AUTH_LENENC
               | CLIENT_SESSION_TRACK | CLIENT_DEPRECATE_EOF)
SERVER_STATUS_AUTOCOMMIT = 0x0002
VERSION = "8.0.36-scripted"
CONNECTION_ID = 4242


def sha1(data):
    return hashlib.sha1(data).digest()


def native_scramble(password, nonce):
    if not password:
        return b""
    pw = password.encode()
    return xor(sha1(pw), sha1(nonce + sha1(sha1(pw))))


def caching_sha2_scramble(password, nonce):
    if not password:
        return b""
    pw = password.encode()
    return xor(sha256(pw), sha256(sha256(sha256(pw)) + nonce))


class Conn:
    def __init__(self, sock):
        self.sock = sock
        self.seq = 0

    def send(self, payload):
        header = len(payload).to_bytes(3, "little") + bytes([self.seq])
        self.sock.sendall(header + payload)
        self.seq = (self.seq + 1) & 0xFF

    def recv_exact(self, n):
        data = bytearray()
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                return None
            data += chunk
        return bytes(data)

    def recv(self):
        """One packet's payload, or None at EOF. Checks the sequence id."""
        header = self.recv_exact(4)
        if header is None:
            return None
        length = int.from_bytes(header[:3], "little")
        seq = header[3]
        payload = self.recv_exact(length)
        if payload is None:
            return None
        if seq != self.seq:
            raise ValueError("client packet has sequence id %d, expected %d" % (seq, self.seq))
        self.seq = (seq + 1) & 0xFF
        return payload


def ok_packet(status=SERVER_STATUS_AUTOCOMMIT):
    return bytes([0x00, 0x00, 0x00]) + struct.pack("<HH", status, 0)


def greeting(nonce, plugin, caps=SERVER_CAPS):
    p = bytearray([10])
    p += VERSION.encode() + b"\0"
    p += struct.pack("<I", CONNECTION_ID)
    p += nonce[:8] + b"\0"
    p += struct.pack("<H", caps & 0xFFFF)
    p += bytes([255])  # utf8mb4_0900_ai_ci
    p += struct.pack("<H", SERVER_STATUS_AUTOCOMMIT)
    p += struct.pack("<H", caps >> 16)
    p += bytes([len(nonce) + 1])
    p += bytes(10)
    p += nonce[8:] + b"\0"  # part 2: max(13, 21 - 8) = 13 bytes, the last one NUL
    p += plugin.encode() + b"\0"
    return bytes(p)


def parse_handshake_response(p):
    caps = struct.unpack_from("<I", p, 0)[0]
    if caps & CLIENT_SSL:
        raise ValueError("the client asked for TLS; this server speaks plaintext only")
    if not caps & CLIENT_PROTOCOL_41:
        raise ValueError("the client did not set CLIENT_PROTOCOL_41")
    pos = 32
    end = p.index(0, pos)
    user = p[pos:end].decode()
    pos = end + 1
    if caps & CLIENT_PLUGIN_AUTH_LENENC:
        length, pos = lenenc_int(p, pos)
    else:
        length, pos = p[pos], pos + 1
    auth = p[pos:pos + length]
    pos += length
    database = None
    if caps & CLIENT_CONNECT_WITH_DB:
        end = p.index(0, pos)
        database = p[pos:end].decode()
        pos = end + 1
    plugin = None
    if caps & CLIENT_PLUGIN_AUTH:
        end = p.index(0, pos)
        plugin = p[pos:end].decode()
    return user, auth, database, plugin


def log(message):
    print("scripted_server: " + message, file=sys.stderr, flush=True)


def serve_auth_switch(conn, user, password):
    nonce1 = fixed_nonce("mysqlwire scripted greeting nonce")
    nonce2 = fixed_nonce("mysqlwire scripted auth switch nonce")
    conn.send(greeting(nonce1, "caching_sha2_password"))
    response = conn.recv()
    if response is None:
        log("client closed before its handshake response")
        return False
    got_user, auth, database, plugin = parse_handshake_response(response)
    conn.client_caps = struct.unpack_from("<I", response, 0)[0]
    log("handshake response: user %s, plugin %s, db %s, %d-byte auth" % (got_user, plugin, database, len(auth)))
    if got_user != user:
        conn.send(err_packet(1045, "28000", "Access denied for user '%s'@'localhost'" % got_user))
        return False
    if plugin == "caching_sha2_password" and auth != caching_sha2_scramble(password, nonce1):
        log("caching_sha2_password scramble does not match")
        conn.send(err_packet(1045, "28000", "Access denied for user '%s'@'localhost' (using password: YES)" % user))
        return False
    conn.send(b"\xfe" + b"mysql_native_password\0" + nonce2 + b"\0")
    answer = conn.recv()
    if answer is None:
        log("client closed after the auth switch request")
        return False
    if answer != native_scramble(password, nonce2):
        log("native scramble does not match: got %s" % answer.hex())
        conn.send(err_packet(1045, "28000", "Access denied for user '%s'@'localhost' (using password: YES)" % user))
        return False
    conn.send(ok_packet())
    log("authenticated")
    return True


def command_loop(conn):
    while True:
        conn.seq = 0
        packet = conn.recv()
        if packet is None or not packet:
            return
        if packet[0] == 0x01:  # COM_QUIT
            log("COM_QUIT")
            return
        if packet[0] == 0x0E:  # COM_PING
            conn.send(ok_packet())
        else:
            conn.send(err_packet(1064, "42000", "the scripted server answers no queries"))


KILLED = threading.Event()


def lenenc_str(data):
    assert len(data) < 251
    return bytes([len(data)]) + data


def bigint_result(conn, name, value):
    """A text-protocol result set: one BIGINT column `name`, one row `value`."""
    deprecate_eof = conn.client_caps & CLIENT_DEPRECATE_EOF
    conn.send(bytes([1]))  # column count
    conn.send(b"".join(lenenc_str(x) for x in [b"def", b"", b"", b"", name, b""])
              + bytes([0x0C]) + struct.pack("<HIBHB", 63, 21, 0x08, 0x0081, 0) + b"\0\0")
    if not deprecate_eof:
        conn.send(b"\xfe" + struct.pack("<HH", 0, SERVER_STATUS_AUTOCOMMIT))  # EOF: warnings, status
    conn.send(lenenc_str(str(value).encode()))
    if deprecate_eof:
        conn.send(b"\xfe\0\0" + struct.pack("<HH", SERVER_STATUS_AUTOCOMMIT, 0))  # OK: status, warnings
    else:
        conn.send(b"\xfe" + struct.pack("<HH", 0, SERVER_STATUS_AUTOCOMMIT))


def sleep_command_loop(conn):
    while True:
        conn.seq = 0
        packet = conn.recv()
        if not packet or packet[0] == 0x01:  # EOF or COM_QUIT
            return
        if packet[0] == 0x0E:  # COM_PING
            conn.send(ok_packet())
            continue
        sql = packet[1:].decode(errors="replace") if packet[0] == 0x03 else ""
        log("query: %s" % sql)
        if sql.upper() == "KILL QUERY %d" % CONNECTION_ID:
            KILLED.set()
            conn.send(ok_packet())
        elif sql.upper().startswith("SELECT SLEEP("):
            interrupted = KILLED.wait(5)
            log("sleep %s" % ("interrupted: returns 1" if interrupted else "done: returns 0"))
            bigint_result(conn, sql[7:].encode(), 1 if interrupted else 0)
        else:
            conn.send(err_packet(1064, "42000", "the scripted server answers no such query"))


def serve_tls_injection(conn):
    payload = greeting(fixed_nonce("mysqlwire scripted greeting nonce"), "mysql_native_password",
                       SERVER_CAPS | CLIENT_SSL)
    header = len(payload).to_bytes(3, "little") + bytes([0])
    conn.sock.sendall(header + payload + b"\x05\x00\x00\x02")  # the injected partial header
    conn.seq = 1
    request = conn.recv()
    if request is not None:
        log("got a %d-byte packet after the greeting%s" % (
            len(request), " (SSLRequest)" if len(request) == 32 else ""))
    while conn.sock.recv(4096):
        pass
    log("client closed")


def serve_tls_then_drop(conn, args):
    import ssl
    payload = greeting(fixed_nonce("mysqlwire scripted greeting nonce"), "mysql_native_password",
                       SERVER_CAPS | CLIENT_SSL)
    conn.send(payload)
    request = conn.recv()
    if request is None or len(request) != 32:
        log("expected an SSLRequest, got %r" % (None if request is None else len(request)))
        return
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    tls = context.wrap_socket(conn.sock, server_side=True)
    log("TLS established")
    if tls.recv(4096):
        log("got the login over TLS; dropping the connection without close_notify")
    tls.shutdown(socket.SHUT_RDWR)  # SSLSocket.shutdown drops the TLS session: no close_notify
    tls.close()


def serve_one(sock, args, index):
    """One connection of killed-sleep-returns-1 or kill-refused (runs in its own thread)."""
    sock.settimeout(args.timeout)
    conn = Conn(sock)
    try:
        if args.scenario == "kill-refused" and index == 1:
            log("refusing connection %d: too many connections" % index)
            conn.send(err_packet(1040, "08004", "Too many connections"))
        elif serve_auth_switch(conn, args.user, args.password):
            sleep_command_loop(conn)
    except (ValueError, OSError) as e:
        log("error: %s" % e)
    finally:
        sock.close()


def stall(sock, timeout):
    """Reads nothing: waits until the client closes the socket (seen with MSG_PEEK on a
    buffer that stays full) or the timeout passes."""
    import select
    import time
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        select.select([], [], [], 0.2)
        try:
            sock.setblocking(False)
            if sock.recv(1, socket.MSG_PEEK) == b"":
                return
        except BlockingIOError:
            pass
        except OSError:
            return


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--listen", required=True, help="HOST:PORT")
    ap.add_argument("--scenario", default="auth-switch", choices=["auth-switch", "stall-after-login", "killed-sleep-returns-1", "kill-refused",
                             "tls-injection", "tls-then-drop"])
    ap.add_argument("--user", default="mysqlwire")
    ap.add_argument("--password", default="mysqlwire-pass")
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--cert", help="PEM certificate (tls-then-drop)")
    ap.add_argument("--key", help="PEM private key (tls-then-drop)")
    args = ap.parse_args()
    host, _, port = args.listen.rpartition(":")
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, int(port)))
    listener.listen(2)
    listener.settimeout(args.timeout)
    # Port 0 picks a free port; the line names the real one (tests read it from here).
    log("listening on %s:%d" % (host, listener.getsockname()[1]))
    if args.scenario in ("killed-sleep-returns-1", "kill-refused"):
        threads = []
        for index in range(2):
            try:
                sock, _ = listener.accept()
            except socket.timeout:
                break
            thread = threading.Thread(target=serve_one, args=(sock, args, index), daemon=True)
            thread.start()
            threads.append(thread)
        listener.close()
        for thread in threads:
            thread.join(args.timeout)
        return 0
    sock, _ = listener.accept()
    listener.close()
    sock.settimeout(args.timeout)
    conn = Conn(sock)
    if args.scenario in ("tls-injection", "tls-then-drop"):
        try:
            if args.scenario == "tls-injection":
                serve_tls_injection(conn)
            else:
                serve_tls_then_drop(conn, args)
        except (ValueError, OSError) as e:
            log("error: %s" % e)
        finally:
            sock.close()
        return 0
    try:
        authenticated = serve_auth_switch(conn, args.user, args.password)
        if authenticated and args.scenario == "stall-after-login":
            log("stalling: reading nothing more")
            stall(sock, args.timeout)
        elif authenticated:
            command_loop(conn)
    except (ValueError, socket.timeout) as e:
        log("error: %s" % e)
        authenticated = False
    finally:
        sock.close()
    return 0 if authenticated else 1


if __name__ == "__main__":
    sys.exit(main())
