#!/usr/bin/env python3
"""A loopback SMTP server for the Delivery tests (aiosmtpd).

Listens on 127.0.0.1:0 and prints the port on stdout. Each accepted message is written to
--dir as N.eml (the raw DATA, dot-unstuffed) and N.json (envelope sender, recipients, whether
TLS was in use, the authenticated login). Exits when its stdin closes, so a test that dies
never leaves it behind.

  --starttls CERT KEY     offer STARTTLS and require it before MAIL
  --implicit-tls CERT KEY TLS from the first byte (smtps)
  --auth USER:PASSWORD    offer AUTH PLAIN/LOGIN and require it
  --refuse-rcpt ADDRESS   answer 550 to RCPT TO for this address
"""
import argparse
import asyncio
import json
import os
import ssl
import sys
import threading

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--implicit-tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--auth")
    parser.add_argument("--refuse-rcpt")
    return parser.parse_args()


class Handler:
    def __init__(self, directory, refuse, implicit_tls):
        self.directory = directory
        self.refuse = refuse.lower() if refuse else None
        self.implicit_tls = implicit_tls
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse and address.lower() == self.refuse:
            return "550 5.1.1 <%s>: Recipient address rejected: no such user" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.directory, "%d" % self.count)
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": self.implicit_tls or server._tls_protocol is not None,
            "login": session.auth_data if session.authenticated else None,
        }
        write_atomically(base + ".eml", envelope.original_content)
        write_atomically(base + ".json", json.dumps(record).encode())
        return "250 2.0.0 Message accepted"


def write_atomically(path, data):
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.replace(path + ".tmp", path)


def make_authenticator(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == user.encode()
              and auth_data.password == password.encode())
        return AuthResult(success=ok, handled=False, auth_data=user if ok else None)
    return authenticate


def tls_context(cert, key):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def exit_when_stdin_closes():
    sys.stdin.buffer.read()
    os._exit(0)


async def main():
    args = parse_args()
    handler = Handler(args.dir, args.refuse_rcpt, args.implicit_tls is not None)
    options = {"hostname": "sink.test", "enable_SMTPUTF8": False, "decode_data": False}
    if args.starttls:
        options["tls_context"] = tls_context(*args.starttls)
        options["require_starttls"] = True
    if args.auth:
        user, password = args.auth.split(":", 1)
        options["authenticator"] = make_authenticator(user, password)
        options["auth_required"] = True
        options["auth_require_tls"] = args.implicit_tls is None
    implicit = tls_context(*args.implicit_tls) if args.implicit_tls else None
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, loop=loop, **options), "127.0.0.1", 0, ssl=implicit)
    print(server.sockets[0].getsockname()[1], flush=True)
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
