#!/usr/bin/env python3
"""A time-stamping authority on 127.0.0.1 that misbehaves, for the tests of sigit timestamp.

Usage: bad_tsa.py MODE [UPSTREAM], MODE one of
  garbage  answers every POST with HTTP 200, Content-Type application/timestamp-reply and bytes that are no DER;
  hang     reads the request and never answers (until the client gives up);
  error    answers HTTP 503 with a short text body;
  large    answers HTTP 200 application/timestamp-reply with 2 MiB;
  once     passes the first request to UPSTREAM (a real TSA URL) and answers its reply, then answers like error.
Prints the port it listens on, then serves requests on threads. Exits when its parent (the test process) is gone.
"""
import http.server
import os
import sys
import threading
import time
import urllib.request

MODE = sys.argv[1]
UPSTREAM = sys.argv[2] if len(sys.argv) > 2 else None
LOCK = threading.Lock()
SERVED = [0]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body_in = self.rfile.read(length)
        if MODE == "hang":
            time.sleep(3600)
            return
        first = False
        with LOCK:
            SERVED[0] += 1
            first = SERVED[0] == 1
        if MODE == "once" and first:
            request = urllib.request.Request(UPSTREAM, data=body_in, headers={"Content-Type": "application/timestamp-query"})
            with urllib.request.urlopen(request, timeout=30) as answer:
                body = answer.read()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
        elif MODE == "large":
            body = b"\x30" * (2 << 20)
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
        elif MODE in ("error", "once"):
            body = b"service unavailable: try later\n"
            self.send_response(503)
            self.send_header("Content-Type", "text/plain")
        else:
            body = b"this is not a time-stamp response \x00\xff\x30\x82"
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        sys.stderr.write("bad_tsa: " + (format % args) + "\n")


def watch_parent(parent):
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=watch_parent, args=(os.getppid(),), daemon=True).start()
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
