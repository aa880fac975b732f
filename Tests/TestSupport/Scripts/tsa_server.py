#!/usr/bin/env python3
"""A time-stamping authority on 127.0.0.1 for TrustedTimeTests: POST /SECTION answers the RFC 3161
request in the body with `openssl ts -reply -config CONFIG -section SECTION` (RFC 3161 3.4, HTTP).

Usage: tsa_server.py CONFIG [LIBFAKETIME]. Prints the port it listens on, then serves one request at a
time (openssl writes the section's serial file). Exits when its parent (the test process) is gone.
POST /SECTION?at=UNIXTIME signs with the clock at that time (genTime), through libfaketime.
"""
import http.server
import os
import subprocess
import sys
import tempfile
import threading
import time

CONFIG = sys.argv[1]
FAKETIME = sys.argv[2] if len(sys.argv) > 2 else ""


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        path, _, query = self.path.partition("?")
        section = path.strip("/")
        environment = dict(os.environ)
        if query.startswith("at=") and query[3:].isdigit():
            if not FAKETIME:
                self.send_error(500, "faketime is not installed")
                return
            at = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(int(query[3:])))
            environment.update({"LD_PRELOAD": FAKETIME, "FAKETIME": "@" + at, "FAKETIME_DONT_FAKE_MONOTONIC": "1"})
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        if self.headers.get("Content-Type") != "application/timestamp-query" or not section.isidentifier():
            self.send_error(400, "expected a timestamp-query to /SECTION")
            return
        with tempfile.TemporaryDirectory() as scratch:
            query, reply = os.path.join(scratch, "query.tsq"), os.path.join(scratch, "reply.tsr")
            with open(query, "wb") as f:
                f.write(body)
            result = subprocess.run(
                ["openssl", "ts", "-reply", "-config", CONFIG, "-section", section, "-queryfile", query, "-out", reply],
                capture_output=True, timeout=30, env=environment)
            if result.returncode != 0 or not os.path.exists(reply):
                # The reason goes in the body and the log, never the status line (one line only).
                detail = result.stderr.decode(errors="replace")
                sys.stderr.write("tsa_server: openssl ts -reply failed: " + detail)
                self.send_error(500, "openssl ts -reply failed", detail)
                return
            with open(reply, "rb") as f:
                answer = f.read()
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format, *args):
        sys.stderr.write("tsa_server: " + (format % args) + "\n")


def watch_parent(parent):
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def main():
    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=watch_parent, args=(os.getppid(),), daemon=True).start()
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
