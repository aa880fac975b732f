"""WebAuthn smoke test: a real headless Chromium with a virtual authenticator creates an ES256 passkey for
localhost and signs, as its challenge, the SSHSIG signed data of a message (namespace git, sha512).

    .build/browser-venv/bin/python Tests/browser/webauthn_smoke.py --out /tmp/assertion.json [--no-uv] [--message FILE]

The JSON (bytes in standard base64) is what WebAuthnAssertionTests.browserAssertion reads when
SIGIT_BROWSER_SMOKE points to it: rpId, message, challenge, spki, authenticatorData, clientDataJSON, signature,
userVerified, and the timings. The page is served here (127.0.0.1, opened as http://localhost:PORT/, a secure
context) with the header Content-Security-Policy: default-src 'self'.
"""

import argparse
import base64
import functools
import hashlib
import http.server
import json
import os
import struct
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Browser, Timer  # noqa: E402

PAGE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "smoke")
DEFAULT_MESSAGE = (b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
                   b"author Counterparty <counterparty@example.com> 1700000000 +0000\n"
                   b"committer Counterparty <counterparty@example.com> 1700000000 +0000\n\nApprove\n")


def sshsig_signed_data(message, namespace="git", hash_algorithm="sha512"):
    """SSHSIG || string namespace || string reserved || string hash_alg || string H(message) (OpenSSH PROTOCOL.sshsig)."""
    def string(data):
        return struct.pack(">I", len(data)) + data
    digest = hashlib.new(hash_algorithm, message).digest()
    return b"SSHSIG" + string(namespace.encode()) + string(b"") + string(hash_algorithm.encode()) + string(digest)


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def from_b64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class PageHandler(http.server.SimpleHTTPRequestHandler):
    """Static files of the smoke page, with a strict CSP; quiet."""

    def end_headers(self):
        self.send_header("Content-Security-Policy", "default-src 'self'")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, *_):
        pass


def serve(directory):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(PageHandler, directory=directory))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def run(message, user_verification=True, screenshot=None):
    timer = Timer()
    signed = sshsig_signed_data(message)
    server = serve(PAGE)
    try:
        with Browser(timer=timer) as browser:
            browser.add_authenticator(user_verification=user_verification)
            uv = "required" if user_verification else "discouraged"
            url = f"http://localhost:{server.server_address[1]}/?challenge={b64url(signed)}&uv={uv}"
            with timer.measure("page load"):
                browser.open(url)
                browser.wait_for("#register")
            with timer.measure("create"):
                browser.driver.find_element("css selector", "#register").click()
                registration = wait_json(browser, "#registration")
            with timer.measure("get"):
                browser.driver.find_element("css selector", "#approve").click()
                assertion = wait_json(browser, "#assertion")
            if screenshot:
                browser.screenshot(screenshot)
            credentials = browser.credentials()
    finally:
        server.shutdown()
        server.server_close()
    authenticator_data = from_b64url(assertion["authenticatorData"])
    client_data = from_b64url(assertion["clientDataJSON"])
    return {
        "rpId": "localhost",
        "message": base64.b64encode(message).decode(),
        "challenge": base64.b64encode(signed).decode(),
        "spki": base64.b64encode(from_b64url(registration["spki"])).decode(),
        "algorithm": registration["algorithm"],
        "authenticatorData": base64.b64encode(authenticator_data).decode(),
        "clientDataJSON": base64.b64encode(client_data).decode(),
        "signature": base64.b64encode(from_b64url(assertion["signature"])).decode(),
        "userVerified": user_verification,
        "flags": authenticator_data[32],
        "counter": struct.unpack(">I", authenticator_data[33:37])[0],
        "clientDataText": client_data.decode(),
        "residentCredentials": sum(1 for c in credentials if c.get("isResidentCredential")),
        "timings": {name: round(seconds, 3) for name, seconds in timer.durations.items()},
    }


def wait_json(browser, css):
    """The JSON the page wrote into `css`, or an error with what the page reported instead."""
    def ready(driver):
        text = driver.find_element("css selector", css).text
        error = driver.find_element("css selector", "#error").text
        return text or (error and "error:" + error)
    from selenium.webdriver.support.ui import WebDriverWait
    result = WebDriverWait(browser.driver, browser.timeout).until(ready)
    if result.startswith("error:"):
        raise RuntimeError(f"the page failed: {result[6:]}")
    return json.loads(result)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", help="write the JSON here (default: standard output)")
    parser.add_argument("--message", help="sign this file's bytes (default: a small commit payload)")
    parser.add_argument("--no-uv", action="store_true", help="an authenticator without user verification")
    parser.add_argument("--screenshot", help="save a screenshot of the page after the ceremony")
    args = parser.parse_args()
    message = open(args.message, "rb").read() if args.message else DEFAULT_MESSAGE
    result = run(message, user_verification=not args.no_uv, screenshot=args.screenshot)
    text = json.dumps(result, indent=2)
    if args.out:
        with open(args.out, "w") as out:
            out.write(text + "\n")
        print(f"flags 0x{result['flags']:02x}, counter {result['counter']}; " +
              ", ".join(f"{k} {v:.2f}s" for k, v in result["timings"].items()), file=sys.stderr)
    else:
        print(text)


if __name__ == "__main__":
    main()
