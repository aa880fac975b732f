#!/usr/bin/env python3
"""A loopback HTTP server for the Delivery webhook tests (standard library only).

Listens on 127.0.0.1:0 and prints the port on stdout. Each request is written to --dir as
N.json: method, path, headers, body (base64), status answered, and, with --secret, whether
X-Sigit-Signature-256 is the HMAC-SHA256 of the body (checked here, independently of Swift).
Exits when its stdin closes.

  --fail-first N   answer 503 to the first N requests, then 200
  --status CODE    answer CODE to every request
"""
import argparse
import base64
import hashlib
import hmac
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--fail-first", type=int, default=0)
    parser.add_argument("--status", type=int)
    parser.add_argument("--secret")
    return parser.parse_args()


ARGS = parse_args()
COUNT = 0


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        global COUNT
        COUNT += 1
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        if ARGS.status:
            status = ARGS.status
        elif COUNT <= ARGS.fail_first:
            status = 503
        else:
            status = 200
        record = {
            "method": self.command,
            "path": self.path,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": base64.b64encode(body).decode(),
            "status": status,
        }
        if ARGS.secret is not None:
            expected = "sha256=" + hmac.new(ARGS.secret.encode(), body, hashlib.sha256).hexdigest()
            record["signature_ok"] = hmac.compare_digest(expected, self.headers.get("X-Sigit-Signature-256", ""))
        path = os.path.join(ARGS.dir, "%d.json" % COUNT)
        with open(path + ".tmp", "w") as f:
            json.dump(record, f)
        os.replace(path + ".tmp", path)
        answer = b"ok\n" if status == 200 else b"try again later\n" if status == 503 else b"bad payload\n"
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format, *args):
        pass


def exit_when_stdin_closes():
    sys.stdin.buffer.read()
    os._exit(0)


server = HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
server.serve_forever()
