#!/usr/bin/env python3
"""sha2_server.py -- a tiny MySQL 8 server for the SHA-2 logins MariaDB cannot serve.

Written from the protocol documentation (HandshakeV10, SSLRequest, HandshakeResponse41,
AuthSwitchRequest, AuthMoreData, OK/ERR, the text result set) and the documented
caching_sha2_password / sha256_password exchanges. It never uses MySQLWire's code: scrambles
are computed with hashlib, RSA is done with the `cryptography` package, TLS with `ssl`.

Common to every scenario:
  - greeting: protocol 10, version 8.0.36-reference, a fixed 20-byte nonce N (derived from a
    constant string, so recordings are reproducible), capabilities PROTOCOL_41,
    SECURE_CONNECTION, PLUGIN_AUTH, PLUGIN_AUTH_LENENC_CLIENT_DATA, CONNECT_WITH_DB,
    CONNECT_ATTRS, DEPRECATE_EOF, SESSION_TRACK, TRANSACTIONS, MULTI_RESULTS, LONG_PASSWORD,
    LONG_FLAG (+ CLIENT_SSL with --tls-cert/--tls-key), the scenario's default plugin.
  - TLS: with --tls-cert/--tls-key an SSLRequest (32 bytes, CLIENT_SSL, sequence id 1) makes
    the server wrap the socket (Python `ssl`, server side) and read the real
    HandshakeResponse41 inside TLS (sequence id 2).
  - a user other than --user gets ERR 1045 (28000).
  - a client that names another plugin than the scenario's in its handshake response gets an
    AuthSwitchRequest to the scenario's plugin with the SAME nonce N (as MySQL does).
  - caching_sha2_password scramble: XOR(SHA256(pw), SHA256(SHA256(SHA256(pw)) + nonce)); an
    empty password is an empty response. An empty response is accepted (OK at once, as MySQL
    does for an account without a password) only when --password is empty.
  - RSA: the client's ciphertext (as long as the key, 256 bytes for 2048 bits) is decrypted
    with RSA-OAEP (MGF1-SHA-1, SHA-1, no label), XOR-ed with the nonce repeated cyclically and
    must be the password + NUL. The public key is sent as AuthMoreData `01` + PEM
    (SubjectPublicKeyInfo, `-----BEGIN PUBLIC KEY-----`). The key is --rsa-key (a private
    key PEM), else a fresh 2048-bit key.
  - a failed login is ERR 1045 (28000) "Access denied for user 'U'@'localhost' (using
    password: YES|NO)"; the password is never echoed.

Scenarios (--scenario):
  csha2-fast   default plugin caching_sha2_password; the password is "cached": checks the
               scramble of N, sends AuthMoreData `01 03` (fast auth success), then OK.
  csha2-full   default plugin caching_sha2_password; the cache is empty: sends `01 04`
               (perform full authentication) after the scramble. Then over TLS it expects the
               password + NUL in clear; over plain TCP either `02` (public key request:
               answered with `01` + PEM, then the next packet is read) or the RSA ciphertext
               directly (pinned key). The scramble is checked and logged too; OK needs both the
               scramble and the full-authentication password to be right, ERR 1045 otherwise
               (so a wrong password is refused after the full authentication, as on MySQL).
               A clear password over plain TCP is refused (ERR 1045) and logged loudly.
  sha256       default plugin sha256_password. The client's first response is `00` (empty
               password), the password + NUL over TLS, `01` (public key request: answered
               with `01` + PEM, then the ciphertext is read) or the ciphertext directly
               (pinned key). OK when it matches, ERR 1045 otherwise.
  switch-native-to-csha2
               default plugin mysql_native_password; nothing of the first response is
               checked; AuthSwitchRequest `FE` "caching_sha2_password" NUL + a NEW 20-byte
               nonce N2 + NUL; then as csha2-full with N2.
A wrong password is not a scenario: run any scenario with a client password other than
--password; it ends in ERR 1045 (28000).

After the OK: COM_QUERY (any text) gets what MySQL 8 answers to `SELECT 1`, a one-column
text result set -- column count 1, a column definition named `1` of type LONGLONG (binary
collation, length 1, NOT_NULL | BINARY), one row `1`, and an OK packet with header 0xFE as
terminator (CLIENT_DEPRECATE_EOF); COM_PING gets OK;
other commands ERR 1047 (08S01); COM_QUIT or EOF ends the connection. Every command starts
at sequence id 0.

Readiness probes: a connection that closes before sending a single byte (a test polling the
port) does not count; the server goes back to accept() (until --timeout).

Usage: sha2_server.py --listen 127.0.0.1:PORT --scenario NAME [--user mysqlwire]
                      [--password mysqlwire-pass] [--tls-cert PEM --tls-key PEM] [--rsa-key PEM]
Serves ONE connection, then exits (status 0 when the client authenticated, 1 otherwise).
Messages go to stderr. Record it with:
  Scripts/record --listen 127.0.0.1:P1 --upstream 127.0.0.1:PORT ...   (plain TCP only)
"""

import argparse
import hashlib
import os
import socket
import ssl
import struct
import sys

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mysql_packets import err_packet, fixed_nonce, lenenc_int, sha256, xor  # noqa: E402

CLIENT_LONG_PASSWORD = 1
CLIENT_LONG_FLAG = 1 << 2
CLIENT_CONNECT_WITH_DB = 1 << 3
CLIENT_PROTOCOL_41 = 1 << 9
CLIENT_SSL = 1 << 11
CLIENT_TRANSACTIONS = 1 << 13
CLIENT_SECURE_CONNECTION = 1 << 15
CLIENT_MULTI_RESULTS = 1 << 17
CLIENT_PLUGIN_AUTH = 1 << 19
CLIENT_CONNECT_ATTRS = 1 << 20
CLIENT_PLUGIN_AUTH_LENENC = 1 << 21
CLIENT_SESSION_TRACK = 1 << 23
CLIENT_DEPRECATE_EOF = 1 << 24

SERVER_CAPS = (CLIENT_LONG_PASSWORD | CLIENT_LONG_FLAG | CLIENT_CONNECT_WITH_DB | CLIENT_PROTOCOL_41
               | CLIENT_TRANSACTIONS | CLIENT_SECURE_CONNECTION | CLIENT_MULTI_RESULTS
               | CLIENT_PLUGIN_AUTH | CLIENT_CONNECT_ATTRS | CLIENT_PLUGIN_AUTH_LENENC
               | CLIENT_SESSION_TRACK | CLIENT_DEPRECATE_EOF)
SERVER_STATUS_AUTOCOMMIT = 0x0002
VERSION = "8.0.36-reference"
CONNECTION_ID = 4243
UTF8MB4_0900_AI_CI = 255
BINARY_COLLATION = 63
MYSQL_TYPE_LONGLONG = 0x08

NATIVE = "mysql_native_password"
CACHING_SHA2 = "caching_sha2_password"
SHA256 = "sha256_password"
SCENARIOS = {
    "csha2-fast": CACHING_SHA2,
    "csha2-full": CACHING_SHA2,
    "sha256": SHA256,
    "switch-native-to-csha2": NATIVE,
}

OAEP = padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA1()), algorithm=hashes.SHA1(), label=None)


GREETING_NONCE = fixed_nonce("mysqlwire sha2 reference greeting nonce")
SWITCH_NONCE = fixed_nonce("mysqlwire sha2 reference auth switch nonce")


def caching_sha2_scramble(password, nonce):
    """`password` is bytes (UTF-8)."""
    if not password:
        return b""
    return xor(sha256(password), sha256(sha256(sha256(password)) + nonce))


def log(message):
    print("sha2_server: " + message, file=sys.stderr, flush=True)


class Probe(Exception):
    """The peer closed before sending a byte: a readiness probe, not a client."""


class Conn:
    def __init__(self, sock):
        self.sock = sock
        self.seq = 0
        self.tls = False
        self.received_any = False

    def send(self, payload):
        header = len(payload).to_bytes(3, "little") + bytes([self.seq])
        self.sock.sendall(header + payload)
        self.seq = (self.seq + 1) & 0xFF

    def recv_exact(self, n):
        data = bytearray()
        while len(data) < n:
            try:
                chunk = self.sock.recv(n - len(data))
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                return None
            data += chunk
            self.received_any = True
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

    def recv_auth(self, what):
        """A packet during authentication; EOF there is an error."""
        packet = self.recv()
        if packet is None:
            raise ValueError("the client closed the connection instead of sending %s" % what)
        return packet


def lenenc_int_bytes(n):
    if n < 0xFB:
        return bytes([n])
    if n < 1 << 16:
        return b"\xfc" + struct.pack("<H", n)
    if n < 1 << 24:
        return b"\xfd" + n.to_bytes(3, "little")
    return b"\xfe" + struct.pack("<Q", n)


def lenenc_str(data):
    return lenenc_int_bytes(len(data)) + data


def ok_packet(header=0x00, status=SERVER_STATUS_AUTOCOMMIT):
    return bytes([header, 0x00, 0x00]) + struct.pack("<HH", status, 0)


def access_denied(user, password_used=True):
    return err_packet(1045, "28000", "Access denied for user '%s'@'localhost' (using password: %s)"
                      % (user, "YES" if password_used else "NO"))


def greeting(nonce, plugin, caps):
    p = bytearray([10])
    p += VERSION.encode() + b"\0"
    p += struct.pack("<I", CONNECTION_ID)
    p += nonce[:8] + b"\0"
    p += struct.pack("<H", caps & 0xFFFF)
    p += bytes([UTF8MB4_0900_AI_CI])
    p += struct.pack("<H", SERVER_STATUS_AUTOCOMMIT)
    p += struct.pack("<H", caps >> 16)
    p += bytes([len(nonce) + 1])
    p += bytes(10)
    p += nonce[8:] + b"\0"  # part 2: max(13, 21 - 8) = 13 bytes, the last one NUL
    p += plugin.encode() + b"\0"
    return bytes(p)


def parse_handshake_response(p):
    if len(p) < 32:
        raise ValueError("handshake response of %d bytes is too short" % len(p))
    caps = struct.unpack_from("<I", p, 0)[0]
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
    if caps & CLIENT_CONNECT_WITH_DB and pos < len(p):
        end = p.index(0, pos)
        database = p[pos:end].decode()
        pos = end + 1
    plugin = None
    if caps & CLIENT_PLUGIN_AUTH and pos < len(p):
        end = p.index(0, pos)
        plugin = p[pos:end].decode()
    return caps, user, auth, database, plugin


class Server:
    def __init__(self, args, private_key, tls_context):
        self.args = args
        self.user = args.user
        # The bytes as given on the command line (UTF-8 for a non-ASCII password), whatever
        # the locale: os.fsencode undoes Python's argv decoding.
        self.password = os.fsencode(args.password)
        self.scenario = args.scenario
        self.private_key = private_key
        self.tls_context = tls_context
        self.public_pem = private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)

    # ------------------------------------------------------------ helpers

    def expected_plaintext(self):
        return self.password + b"\0"

    def decrypt_password(self, ciphertext, nonce):
        """The password + NUL from the client's RSA ciphertext, or None when it does not decrypt."""
        try:
            plain = self.private_key.decrypt(ciphertext, OAEP)
        except ValueError as e:
            log("RSA-OAEP decryption failed: %s" % e)
            return None
        return bytes(b ^ nonce[i % len(nonce)] for i, b in enumerate(plain))

    def key_bytes(self):
        return self.private_key.key_size // 8

    def send_public_key(self, conn):
        log("sending the public key (%d-byte PEM)" % len(self.public_pem))
        conn.send(b"\x01" + self.public_pem)

    def finish(self, conn, good, why):
        if good:
            conn.send(ok_packet())
            log("authenticated (%s)" % why)
            return True
        log("access denied: %s" % why)
        conn.send(access_denied(self.user))
        return False

    def check_password_packet(self, conn, packet, nonce, key_request):
        """The password as the client sent it after the exchange started: clear over TLS,
        else `key_request` (answered with the key, then the next packet is read) or the RSA
        ciphertext. Returns (matches, how)."""
        if conn.tls:
            return packet == self.expected_plaintext(), "password in clear over TLS"
        if packet == key_request:
            log("public key request %s" % packet.hex())
            self.send_public_key(conn)
            packet = conn.recv_auth("the encrypted password")
            how = "RSA after key retrieval"
        else:
            how = "RSA with a pinned key"
        if len(packet) != self.key_bytes():
            if packet == self.expected_plaintext():
                log("DANGER: the client sent the password in clear over plain TCP")
                return False, "a clear password over plain TCP"
            log("expected a %d-byte RSA ciphertext, got %d bytes" % (self.key_bytes(), len(packet)))
            return False, "not an RSA ciphertext"
        return self.decrypt_password(packet, nonce) == self.expected_plaintext(), how

    def answer_for(self, conn, plugin, wanted, auth, nonce):
        """The client's auth data for `wanted`: its first response when it named that plugin,
        else its answer to an AuthSwitchRequest to `wanted` with `nonce`."""
        if plugin == wanted:
            return auth
        log("the client answered with %s; switching it to %s" % (plugin, wanted))
        conn.send(b"\xfe" + wanted.encode() + b"\0" + nonce + b"\0")
        return conn.recv_auth("its answer to the auth switch request")

    # ------------------------------------------------------------ plugins

    def caching_sha2(self, conn, auth, nonce, cached):
        if not auth or auth == b"\0":
            if not self.password:
                return self.finish(conn, True, "empty password")
            log("empty response, but the account has a password")
            conn.send(access_denied(self.user, password_used=False))
            return False
        scramble_ok = auth == caching_sha2_scramble(self.password, nonce)
        log("caching_sha2_password scramble %s" % ("matches" if scramble_ok else "does NOT match"))
        if cached:
            if not scramble_ok:
                return self.finish(conn, False, "wrong scramble")
            conn.send(b"\x01\x03")  # fast auth success
            return self.finish(conn, True, "fast auth")
        log("perform full authentication (01 04)")
        conn.send(b"\x01\x04")
        packet = conn.recv_auth("the password for the full authentication")
        good, how = self.check_password_packet(conn, packet, nonce, key_request=b"\x02")
        if good and not scramble_ok:
            return self.finish(conn, False, "%s matches, but the scramble did not" % how)
        return self.finish(conn, good, "full auth, %s" % how)

    def sha256_password(self, conn, auth, nonce):
        if auth in (b"", b"\0"):
            if not self.password:
                return self.finish(conn, True, "empty password")
            log("empty password sent, but the account has a password")
            conn.send(access_denied(self.user, password_used=False))
            return False
        good, how = self.check_password_packet(conn, auth, nonce, key_request=b"\x01")
        return self.finish(conn, good, "sha256_password, %s" % how)

    # ------------------------------------------------------------ the connection

    def handshake(self, conn):
        caps = SERVER_CAPS | (CLIENT_SSL if self.tls_context else 0)
        default_plugin = SCENARIOS[self.scenario]
        nonce = GREETING_NONCE
        try:
            conn.send(greeting(nonce, default_plugin, caps))
            response = conn.recv()
        except (BrokenPipeError, ConnectionResetError):
            response = None
        if response is None:
            if not conn.received_any:
                raise Probe()
            raise ValueError("the client closed the connection inside its handshake response")
        client_caps = struct.unpack_from("<I", response, 0)[0] if len(response) >= 4 else 0
        if client_caps & CLIENT_SSL:
            if len(response) != 32:
                raise ValueError("an SSLRequest is 32 bytes, this one %d" % len(response))
            if not self.tls_context:
                raise ValueError("the client asked for TLS, which this server was not given (--tls-cert)")
            conn.sock = self.tls_context.wrap_socket(conn.sock, server_side=True)
            conn.tls = True
            log("TLS established: %s, %s" % (conn.sock.version(), conn.sock.cipher()[0]))
            response = conn.recv_auth("the handshake response inside TLS")
        _, user, auth, database, plugin = parse_handshake_response(response)
        log("handshake response: user %s, plugin %s, db %s, %d-byte auth, %s" % (
            user, plugin, database, len(auth), "TLS" if conn.tls else "plain TCP"))
        if user != self.user:
            conn.send(access_denied(user))
            log("unknown user %s" % user)
            return False
        if self.scenario == "switch-native-to-csha2":
            log("not checking the %s response; switching to %s with a new nonce" % (plugin, CACHING_SHA2))
            conn.send(b"\xfe" + CACHING_SHA2.encode() + b"\0" + SWITCH_NONCE + b"\0")
            answer = conn.recv_auth("its answer to the auth switch request")
            return self.caching_sha2(conn, answer, SWITCH_NONCE, cached=False)
        auth = self.answer_for(conn, plugin, default_plugin, auth, nonce)
        if self.scenario == "sha256":
            return self.sha256_password(conn, auth, nonce)
        return self.caching_sha2(conn, auth, nonce, cached=self.scenario == "csha2-fast")


def result_set():
    """Packets of a one-column, one-row text result set: a column named `1` of type LONGLONG
    (binary collation 63, length 1, flags NOT_NULL | BINARY), as MySQL 8 describes `SELECT 1`,
    and the row '1'."""
    column = (lenenc_str(b"def") + lenenc_str(b"") + lenenc_str(b"") + lenenc_str(b"")
              + lenenc_str(b"1") + lenenc_str(b"")
              + bytes([0x0C]) + struct.pack("<HIBHB", BINARY_COLLATION, 1, MYSQL_TYPE_LONGLONG, 0x0081, 0)
              + b"\0\0")
    return [bytes([1]), column, lenenc_str(b"1"), ok_packet(header=0xFE)]


def command_loop(conn):
    while True:
        conn.seq = 0
        packet = conn.recv()
        if packet is None or not packet:
            log("EOF")
            return
        command = packet[0]
        if command == 0x01:  # COM_QUIT
            log("COM_QUIT")
            return
        if command == 0x03:  # COM_QUERY
            log("COM_QUERY %r" % packet[1:].decode("utf-8", "replace")[:80])
            for p in result_set():
                conn.send(p)
        elif command == 0x0E:  # COM_PING
            log("COM_PING")
            conn.send(ok_packet())
        else:
            log("command 0x%02x refused" % command)
            conn.send(err_packet(1047, "08S01", "Unknown command"))


def load_private_key(path):
    if path:
        with open(path, "rb") as f:
            key = serialization.load_pem_private_key(f.read(), password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise SystemExit("sha2_server: --rsa-key %s is not an RSA private key" % path)
        return key
    log("no --rsa-key: generating a 2048-bit key for this run")
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--listen", required=True, help="HOST:PORT")
    ap.add_argument("--scenario", default="csha2-fast", choices=sorted(SCENARIOS))
    ap.add_argument("--user", default="mysqlwire")
    ap.add_argument("--password", default="mysqlwire-pass")
    ap.add_argument("--tls-cert", help="server certificate (PEM); with --tls-key, offers TLS")
    ap.add_argument("--tls-key", help="the certificate's private key (PEM)")
    ap.add_argument("--rsa-key", help="RSA private key (PEM) for the password exchange; default: a fresh one")
    ap.add_argument("--timeout", type=float, default=30.0)
    args = ap.parse_args()
    if bool(args.tls_cert) != bool(args.tls_key):
        ap.error("--tls-cert and --tls-key go together")
    tls_context = None
    if args.tls_cert:
        tls_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls_context.load_cert_chain(args.tls_cert, args.tls_key)
    server = Server(args, load_private_key(args.rsa_key), tls_context)

    host, _, port = args.listen.rpartition(":")
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, int(port)))
    listener.listen(4)
    listener.settimeout(args.timeout)
    log("listening on %s:%d, scenario %s%s" % (host, listener.getsockname()[1], args.scenario,
                                                ", TLS offered" if tls_context else ""))
    authenticated = False
    while True:
        try:
            sock, _ = listener.accept()
        except socket.timeout:
            log("no client within %.0f s" % args.timeout)
            return 1
        sock.settimeout(args.timeout)
        conn = Conn(sock)
        try:
            authenticated = server.handshake(conn)
            if authenticated:
                command_loop(conn)
        except Probe:
            log("a connection closed without sending anything (a readiness probe); waiting for the client")
            sock.close()
            continue
        except (ValueError, OSError) as e:  # ssl.SSLError and socket.timeout are OSErrors
            log("error: %s" % e)
        finally:
            conn.sock.close()
        break
    listener.close()
    return 0 if authenticated else 1


if __name__ == "__main__":
    sys.exit(main())
