#!/usr/bin/env python3
"""Parses one RFC 5322 message with Python's email package and prints what a mail client sees, as JSON.

usage: parse_mail.py FILE
"""
import email
import email.policy
import json
import sys

with open(sys.argv[1], "rb") as f:
    raw = f.read()
message = email.message_from_bytes(raw, policy=email.policy.default)


def mailboxes(name):
    header = message[name]
    if header is None:
        return None
    return [{"name": a.display_name, "email": a.addr_spec} for a in header.addresses]


def text(name):
    value = message[name]
    return None if value is None else str(value)


print(json.dumps({
    "date": text("Date"),
    "from": mailboxes("From"),
    "to": mailboxes("To"),
    "subject": text("Subject"),
    "message_id": text("Message-ID"),
    "in_reply_to": text("In-Reply-To"),
    "references": text("References"),
    "mime_version": text("MIME-Version"),
    "content_type": message.get_content_type(),
    "charset": message.get_content_charset(),
    "transfer_encoding": text("Content-Transfer-Encoding"),
    "auto_submitted": text("Auto-Submitted"),
    "event": text("X-Sigit-Event"),
    "body": message.get_content().replace("\r\n", "\n"),  # the parser keeps the CRLF of the wire
    "defects": [type(d).__name__ for d in message.defects]
               + [type(d).__name__ for name in message.keys() for d in getattr(message[name], "defects", ())],
    "max_line": max(len(line) for line in raw.split(b"\r\n")),
    "bare_lf": b"\n" in raw.replace(b"\r\n", b""),
}))
