#!/usr/bin/env python3
"""The benchmarks' sink: an index that only reads and discards uploads.

It answers every authenticated POST /legacy/ with 200 after --latency
seconds, having read the whole body and judged nothing, so that a
client's wall time against it is the client's own. It serves HTTP/1.1
(over TLS with --cert and --key, offering only http/1.1 by ALPN: the
standard library has no HTTP/2). It prints its URL on the first line of
stdout, then the filename of each upload's content part, one a line, and
serves until SIGTERM. The harness, internal/cmd/bench, starts it; every
client, ours, twine and the raw sendfile POST, uploads to the same sink.
"""

import argparse
import base64
import http.server
import re
import signal
import socket
import ssl
import sys
import time

CHUNK = 1 << 20
# The content part's header; every other byte of the body goes unread
# by Python once it is found.
FILENAME = re.compile(rb'name="content"; filename="([^"\r\n]+)"')
# Bytes kept from the end of one chunk to find a header cut by the next.
OVERLAP = 1024


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.answer(404, b"sink: nothing to list\n")

    def do_POST(self):
        auth = self.headers.get("Authorization", "")
        want = "Basic " + base64.b64encode(b"__token__:" + self.server.token).decode()
        if self.path != "/legacy/" or auth != want:
            self.discard()
            self.answer(403, b"sink: only authenticated POST /legacy/\n")
            return
        name = self.discard()
        if name is None:
            self.answer(400, b"sink: no content part\n")
            return
        sys.stdout.write(name + "\n")
        sys.stdout.flush()
        time.sleep(self.server.latency)
        self.answer(200, b"OK\n")

    def discard(self):
        """Reads the body and returns the content part's filename, or None."""
        buf = bytearray(CHUNK)
        view = memoryview(buf)
        tail, name = b"", None
        for n in self.body(view):
            if name is None:
                window = tail + bytes(view[:n])
                m = FILENAME.search(window)
                if m:
                    name = m.group(1).decode("utf-8", "replace")
                tail = window[-OVERLAP:]
        return name

    def body(self, view):
        """Reads the body into view, yielding the count of each chunk."""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return
                yield from self.exactly(view, size)
                self.rfile.readline()
        else:
            yield from self.exactly(view, int(self.headers.get("Content-Length", 0)))

    def exactly(self, view, left):
        while left > 0:
            n = self.rfile.readinto(view[: min(left, len(view))])
            if not n:
                raise ConnectionError("body cut short")
            left -= n
            yield n

    def answer(self, status, text):
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    tls = None

    def get_request(self):
        conn, addr = self.socket.accept()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.tls:
            # The handshake happens in the connection's thread, on its
            # first read, not in the one accepting connections.
            conn = self.tls.wrap_socket(conn, server_side=True, do_handshake_on_connect=False)
        return conn, addr


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--latency", type=float, default=0.0, help="seconds to wait before answering an upload")
    p.add_argument("--token", required=True, help="the API token accepted as __token__'s password")
    p.add_argument("--cert", help="PEM certificate chain: serve HTTPS")
    p.add_argument("--key", help="PEM private key of --cert")
    args = p.parse_args()
    srv = Server(("127.0.0.1", 0), Handler)
    srv.latency, srv.token = args.latency, args.token.encode()
    scheme = "http"
    if args.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.cert, args.key)
        ctx.set_alpn_protocols(["http/1.1"])
        srv.tls, scheme = ctx, "https"
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"{scheme}://127.0.0.1:{srv.server_address[1]}", flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
