"""Issue 17 end to end: a counterparty signs in a real browser with a passkey, through `sigit serve`.

    .build/browser-venv/bin/python Tests/browser/signing_test.py --sigit .build/debug/sigit --work /tmp/w \
        --report /tmp/w/report.json [--screenshots DIR] [--runs N]

Builds its own repository with the real CLI and ssh-keygen keys (alice admin + legal, bob, the service account
drafter), invites counterparties with `sigit invite --channel outbox:DIR`, starts `sigit serve` on a free loopback
port, and drives headless Chromium with a WebDriver virtual authenticator (CTAP2, internal, resident keys) through
the page: the link from the mail, the document, "Create a passkey", "Approve"; then checks the commit with stock git,
`sigit verify`, `sigit status` and `sigit certificate`. The refusals (used and expired links, a tampered digest, a
signature over bytes the server did not prepare, a POST without the CSRF token, a passkey without user verification
on a step that asks for it) must each write nothing: HEAD is compared before and after.

Exit status 0 when every scenario passed; the JSON report lists each scenario, its result and the timings.
"""

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Browser  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


class Failure(Exception):
    """A scenario's expectation that did not hold."""


def expect(condition, message):
    if not condition:
        raise Failure(message)


# MARK: The repository, through the real CLI


class Repository:
    """A sigit repository in `work/repo` with its own HOME and git config; keys in `work/keys`."""

    def __init__(self, sigit, work):
        self.sigit_binary = sigit
        self.work = work
        self.path = os.path.join(work, "repo")
        home = os.path.join(work, "home")
        os.makedirs(home, exist_ok=True)
        with open(os.path.join(home, ".gitconfig"), "w") as config:
            config.write("[init]\n\tdefaultBranch = main\n")
        self.env = dict(os.environ, HOME=home, GIT_CONFIG_GLOBAL=os.path.join(home, ".gitconfig"), GIT_CONFIG_NOSYSTEM="1")
        self.env.pop("SIGIT_SIGNING_KEY", None)

    def run(self, argv, who=None, check=True):
        env = dict(self.env)
        if who:
            env["SIGIT_SIGNING_KEY"] = self.key(who)
        result = subprocess.run(argv, cwd=self.path, env=env, capture_output=True, text=True, timeout=60)
        if check and result.returncode != 0:
            raise Failure(f"{' '.join(argv[:3])} ... failed ({result.returncode}): {result.stderr.strip()} {result.stdout.strip()}")
        return result

    def sigit(self, *args, who=None, check=True):
        return self.run([self.sigit_binary, *args], who=who, check=check)

    def git(self, *args, check=True):
        return self.run(["git", *args], check=check)

    def head(self):
        return self.git("rev-parse", "HEAD").stdout.strip()

    def key(self, who):
        return os.path.join(self.work, "keys", who)

    def make_key(self, who):
        os.makedirs(os.path.dirname(self.key(who)), exist_ok=True)
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", who, "-f", self.key(who)], check=True)

    def create(self):
        """alice (admin, legal), bob, and the service account drafter (owner alice) with the draft permission."""
        for who in ["alice", "bob", "drafter"]:
            self.make_key(who)
        subprocess.run(["git", "init", "-q", self.path], check=True, env=self.env)
        self.git("config", "user.name", "Alice Example")
        self.git("config", "user.email", "alice@example.com")
        self.sigit("init", "--name", "alice", who="alice")
        self.sigit("identity", "add", "bob", "--email", "bob@example.com", "--public-key", self.key("bob") + ".pub", who="alice")
        self.sigit("identity", "add", "drafter", "--email", "drafter@example.com", "--public-key", self.key("drafter") + ".pub",
                   "--kind", "service", "--owner", "alice", who="alice")
        self.sigit("role", "add", "legal", "alice", who="alice")
        self.sigit("grant", "draft", "drafter", who="alice")

    def invite(self, name, agreement, origin, expires="7d"):
        """`sigit invite` by alice into an outbox; returns the link taken from the mail."""
        outbox = os.path.join(self.work, "outbox-" + name)
        self.sigit("invite", agreement, "--name", name, "--email", f"{name}@counterparty.example", "--display-name",
                   f"{name.capitalize()} Counterparty", "--step", "signatures", "--expires", expires,
                   "--channel", "outbox:" + outbox, "--origin", origin, who="alice")
        mails = sorted(f for f in os.listdir(outbox) if f.endswith(".eml"))
        expect(mails, f"no mail in {outbox}")
        with open(os.path.join(outbox, mails[-1])) as mail:
            links = [line.strip() for line in mail if "/i/" in line]
        expect(links and links[0].startswith(origin + "/i/"), f"no link to {origin}/i/ in the mail")
        return links[0]

    def agreement(self, agreement, signer, counterparty, assurance=None):
        """The nda template drafted by drafter for `signer`, sent, and past legal review (alice approves);
        `assurance` (YAML) is added to the signatures step and committed with `sigit draft`."""
        self.sigit("new", "nda", agreement, "--set", f"counterparty={counterparty}", "--set", "our_signer=bob",
                   "--set", f"their_signer={signer}", who="drafter")
        if assurance:
            spec = os.path.join(self.path, "agreements", agreement, "agreement.yml")
            with open(spec) as file:
                text = file.read()
            expect("    humans-only: true\n" in text, "the nda template's signatures step changed")
            with open(spec, "w") as file:
                file.write(text.replace("    humans-only: true\n", f"    humans-only: true\n    assurance: {assurance}\n"))
            self.sigit("draft", agreement, who="drafter")
        self.sigit("send", agreement, who="drafter")
        self.sigit("approve", agreement, who="alice")

    def status(self, agreement):
        return json.loads(self.sigit("status", agreement, "--json").stdout)


# MARK: The server


class Server:
    """`sigit serve` on a free loopback port, its origin http://localhost:PORT; stopped by close()."""

    def __init__(self, repository):
        self.port = free_port()
        self.origin = f"http://localhost:{self.port}"
        self.log = open(os.path.join(repository.work, "serve.log"), "w+")
        self.process = subprocess.Popen([repository.sigit_binary, "serve", "--listen", f"127.0.0.1:{self.port}", "--origin", self.origin],
                                        cwd=repository.path, env=repository.env, stdout=subprocess.PIPE, stderr=self.log, text=True)
        self.wait_listening()

    def wait_listening(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if "listening on " + self.origin in line:
                return
            if not line and self.process.poll() is not None:
                break
        self.close()
        raise Failure(f"sigit serve did not say it was listening on {self.origin}")

    def close(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# MARK: The page, in the browser

POST_FROM_PAGE = """
const [action, payload, withToken, done] = arguments;
const csrf = document.querySelector('meta[name="sigit-csrf"]').getAttribute('content');
const headers = {'Content-Type': 'application/json'};
if (withToken) { headers['X-CSRF-Token'] = csrf; }
fetch(location.pathname.replace(/\\/+$/, '') + '/' + action, {method: 'POST', headers, body: JSON.stringify(payload)})
  .then(r => r.text().then(body => done({status: r.status, body})))
  .catch(e => done({status: 0, body: String(e)}));
"""

# The page's own sequence (decide at the page's digest, the passkey signs the challenge, complete), with the
# passkey asked for user verification as `uv` says, and `tamper` one byte of what goes to /complete:
# authenticatorData (its counter) or clientDataJSON (the challenge it names); null changes nothing.
DECIDE_FROM_PAGE = """
const [uv, tamper, done] = arguments;
const csrf = document.querySelector('meta[name="sigit-csrf"]').getAttribute('content');
const base = location.pathname.replace(/\\/+$/, '');
const b64 = b => btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
const unb64 = t => Uint8Array.from(atob(t.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((t.length + 3) % 4)), c => c.charCodeAt(0));
const post = (action, payload) => fetch(base + '/' + action, {method: 'POST', body: JSON.stringify(payload),
  headers: {'Content-Type': 'application/json', 'X-CSRF-Token': csrf}}).then(r => r.text().then(body => ({status: r.status, body})));
post('decide', {approve: true, digest: document.body.dataset.digest}).then(prepared => {
  if (prepared.status !== 200) { return prepared; }
  const {id, challenge} = JSON.parse(prepared.body);
  return navigator.credentials.get({publicKey: {challenge: unb64(challenge), rpId: document.body.dataset.rpId,
                                                userVerification: uv}}).then(credential => {
    const authenticatorData = new Uint8Array(credential.response.authenticatorData);
    let clientDataJSON = new Uint8Array(credential.response.clientDataJSON);
    if (tamper === 'authenticatorData') {
      authenticatorData[36] ^= 0x01;
    } else if (tamper === 'clientDataJSON') {
      const text = new TextDecoder().decode(clientDataJSON);
      const at = text.indexOf('"challenge":"') + 13;
      clientDataJSON = new TextEncoder().encode(text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1));
    }
    return post('complete', {id, authenticatorData: b64(authenticatorData), clientDataJSON: b64(clientDataJSON),
                             signature: b64(credential.response.signature)});
  });
}).then(done).catch(e => done({status: 0, body: String(e)}));
"""

# A passkey made in this browser (as the page would) and offered to /enroll.
ENROLL_FRESH_PASSKEY = """
const [done] = arguments;
const csrf = document.querySelector('meta[name="sigit-csrf"]').getAttribute('content');
navigator.credentials.create({publicKey: {rp: {id: document.body.dataset.rpId, name: 'sigit'},
    user: {id: crypto.getRandomValues(new Uint8Array(16)), name: 'second', displayName: 'second'},
    challenge: crypto.getRandomValues(new Uint8Array(32)), pubKeyCredParams: [{type: 'public-key', alg: -7}],
    authenticatorSelection: {residentKey: 'required', userVerification: 'required'}, attestation: 'none'}})
  .then(credential => {
    const spki = btoa(String.fromCharCode(...new Uint8Array(credential.response.getPublicKey())))
      .replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
    return fetch(location.pathname.replace(/\\/+$/, '') + '/enroll', {method: 'POST', body: JSON.stringify({spki}),
      headers: {'Content-Type': 'application/json', 'X-CSRF-Token': csrf}});
  }).then(r => r.text().then(body => done({status: r.status, body})))
  .catch(e => done({status: 0, body: String(e)}));
"""


def click(browser, css):
    browser.driver.find_element(By.CSS_SELECTOR, css).click()


def present(browser, css):
    return bool(browser.driver.find_elements(By.CSS_SELECTOR, css))


def page_text(browser):
    return browser.driver.find_element(By.TAG_NAME, "body").text


def full_page_screenshot(browser, path):
    """The whole page, not only the viewport: the window is made as tall as the document."""
    browser.driver.execute_script("window.scrollTo(0, 0)")
    height = browser.driver.execute_script("return Math.ceil(document.documentElement.scrollHeight)")
    browser.driver.set_window_size(1200, min(max(height, 800), 12000))
    browser.screenshot(path)
    browser.driver.set_window_size(1200, 900)
    return path


def enroll(browser):
    """Clicks "Create a passkey" and waits for the reloaded page to offer Approve; returns the seconds it took."""
    expect(present(browser, "#create-passkey"), "no Create a passkey button")
    start = time.monotonic()
    click(browser, "#create-passkey")
    wait_for_or_error(browser, "#approve")
    return time.monotonic() - start


def wait_for_or_error(browser, css, timeout=20):
    """Waits until `css` appears; fails with the page's message if the page reported an error instead."""
    def ready(driver):
        if driver.find_elements(By.CSS_SELECTOR, css):
            return "ok"
        message = driver.find_elements(By.CSS_SELECTOR, "#message.error")
        return message[0].text if message and message[0].text else False
    outcome = WebDriverWait(browser.driver, timeout).until(ready)
    expect(outcome == "ok", f"the page said: {outcome}")


def wait_for_new_head(repository, before, browser, timeout=20):
    """Polls `git rev-parse HEAD` until it is not `before`; returns the new commit. Fails with the page's message
    when it shows an error (checked every half second, so the polling of HEAD stays tight)."""
    deadline = time.monotonic() + timeout
    next_look = time.monotonic() + 0.5
    while time.monotonic() < deadline:
        head = repository.head()
        if head != before:
            return head
        if time.monotonic() > next_look:
            errors = browser.driver.find_elements(By.CSS_SELECTOR, "#message.error")
            expect(not (errors and errors[0].text), f"no commit; the page said: {errors[0].text if errors else ''}")
            next_look = time.monotonic() + 0.5
        time.sleep(0.01)
    raise Failure(f"HEAD stayed at {before} for {timeout} s")


def expect_refused(answer, status_range, words, what):
    expect(status_range[0] <= answer["status"] <= status_range[1], f"{what}: answered {answer['status']} {answer['body']}")
    body = answer["body"].lower()
    expect(any(word in body for word in words), f"{what}: the refusal does not say {' or '.join(words)}: {answer['body']}")


def expect_unchanged(repository, before, what):
    expect(repository.head() == before, f"{what} wrote a commit")


# MARK: Scenarios

COUNTERPARTY = "Globex <Corp> & Sons"


class Run:
    """One repository, one server, and the scenarios in order; results and timings for the report."""

    def __init__(self, args):
        self.args = args
        self.results = []
        self.timings = {"approve_to_commit_s": [], "enrollment_s": [], "page_load_s": []}
        self.repository = Repository(args.sigit, args.work)
        self.server = None
        self.invitations = {}

    def scenario(self, name, function, *arguments):
        start = time.monotonic()
        try:
            detail = function(*arguments)
            result = {"name": name, "passed": True, "seconds": round(time.monotonic() - start, 2)}
            if detail:
                result["detail"] = detail
            self.results.append(result)
            print(f"PASS {name}", file=sys.stderr)
        except Exception as error:  # a scenario's failure is reported, the others still run
            detail = f"{type(error).__name__}: {error}"
            self.results.append({"name": name, "passed": False, "error": detail, "seconds": round(time.monotonic() - start, 2)})
            print(f"FAIL {name}: {detail}", file=sys.stderr)
            if not isinstance(error, Failure):
                traceback.print_exc()

    def prepare(self):
        repository = self.repository
        repository.create()
        self.server = Server(repository)
        origin = self.server.origin
        # The shortest --expires is 1m (durations take d, h or m): invited first, the link is opened last.
        self.expired = (repository.invite("gina", "nda-y", origin, expires="1m"), time.monotonic() + 61)
        for run in range(self.args.runs):
            name, agreement = ("erin", "nda-x") if run == 0 else (f"erin{run + 1}", f"nda-x{run + 1}")
            self.invitations[name] = (repository.invite(name, agreement, origin), agreement)
            repository.agreement(agreement, name, COUNTERPARTY)
        self.invitations["frank"] = (repository.invite("frank", "nda-y", origin), "nda-y")
        repository.agreement("nda-y", "frank", "Initech")
        self.invitations["hank"] = (repository.invite("hank", "nda-uv", origin), "nda-uv")
        repository.agreement("nda-uv", "hank", "Umbrella", assurance="{user-verification: true}")

    # 1-5: the happy path, with the refusals that need erin's enrolled passkey before she approves.
    def sign(self, name, first):
        link, agreement = self.invitations[name]
        repository = self.repository
        status = repository.status(agreement)
        with Browser(timeout=20) as browser:
            browser.add_authenticator()
            start = time.monotonic()
            browser.open(link)
            browser.wait_for("#create-passkey")
            self.timings["page_load_s"].append(round(time.monotonic() - start, 3))
            check_document(browser, repository, agreement, status, name)
            before = repository.head()
            self.timings["enrollment_s"].append(round(enroll(browser), 3))
            enrollment = repository.head()
            expect(enrollment != before, "the enrollment wrote no commit")
            expect(len(browser.credentials()) == 1, "the authenticator holds no passkey")
            check_commit(repository, enrollment)
            if first and self.args.screenshots:  # what the signer sees when they click Approve
                full_page_screenshot(browser, os.path.join(self.args.screenshots, "signing-page.png"))
            if first:
                self.scenario("tampered digest in /decide refused, nothing written", tampered_digest, browser, repository)
                self.scenario("POST without the CSRF token: 403, nothing written", missing_csrf, browser, repository)
            self.timings["approve_to_commit_s"].append(round(approve(browser, repository), 3))
            check_signed(repository, agreement, name)
            wait_for_or_error(browser, "#decided")
            expect(browser.text("#decided").startswith("You approved this agreement"), f"the page says {browser.text('#decided')!r}")
            if first and self.args.screenshots:
                full_page_screenshot(browser, os.path.join(self.args.screenshots, "signed-state.png"))

    def used_link(self):
        link, _ = self.invitations["erin"]
        repository = self.repository
        before = repository.head()
        with Browser(timeout=20) as browser:
            browser.add_authenticator()
            browser.open(link)
            browser.wait_for("#agreement-state")
            expect(not present(browser, "#create-passkey"), "a used link still offers Create a passkey")
            expect("Passkey enrolled" in page_text(browser), "the page does not say a passkey was enrolled with this link")
            expect(present(browser, "#link-used") and "cannot create another" in page_text(browser),
                   "the page does not say this link was used and what to do if that was not the reader")
            answer = browser.driver.execute_async_script(ENROLL_FRESH_PASSKEY)
            expect_refused(answer, (400, 499), ["used"], "a second enrollment")
        expect_unchanged(repository, before, "a second enrollment")
        return f"POST /enroll: {answer['status']} {answer['body']}"

    def expired_link(self):
        repository = self.repository
        link, expired = self.expired
        time.sleep(max(0, expired - time.monotonic()))
        before = repository.head()
        with Browser(timeout=20) as browser:
            browser.add_authenticator()
            browser.open(link)
            refusal = browser.text("#enrollment-refused")
            expect("expired" in refusal, f"the page does not say the link expired: {refusal}")
            expect(not present(browser, "#create-passkey"), "an expired link offers Create a passkey")
            answer = browser.driver.execute_async_script(ENROLL_FRESH_PASSKEY)
            expect_refused(answer, (400, 499), ["expired"], "an enrollment with an expired link")
        expect_unchanged(repository, before, "an enrollment with an expired link")
        return f"page: {refusal}; POST /enroll: {answer['status']} {answer['body']}"

    def decline(self):
        link, agreement = self.invitations["frank"]
        repository = self.repository
        reason = 'Clause 3 <b>too broad</b> & "one-sided"'
        with Browser(timeout=20) as browser:
            browser.add_authenticator()
            browser.open(link)
            enroll(browser)
            self.scenario("signature over bytes the server did not prepare (authenticatorData) refused, nothing written",
                          tampered_signature, browser, repository, "authenticatorData")
            self.scenario("signature over bytes the server did not prepare (clientDataJSON) refused, nothing written",
                          tampered_signature, browser, repository, "clientDataJSON")
            before = repository.head()
            browser.driver.find_element(By.CSS_SELECTOR, "#decline-reason").send_keys(reason)
            click(browser, "#decline")
            wait_for_new_head(repository, before, browser)
            wait_for_or_error(browser, "#decided")
            browser.driver.refresh()
            expect(browser.text("#decided").startswith("You declined this agreement"), f"the page says {browser.text('#decided')!r}")
            expect(browser.text("#agreement-state") == "declined", "the page does not show the agreement declined")
            expect(reason in page_text(browser), "the reason is not shown as typed")
            expect("&lt;b&gt;too broad&lt;/b&gt;" in browser.driver.page_source, "the reason is not escaped in the HTML")
            expect(not browser.driver.find_elements(By.CSS_SELECTOR, "#invitation b"), "the reason's markup became an element")
        expect(repository.status(agreement).get("state") == "declined", "sigit status does not say declined")
        check_commit(repository, repository.head())

    def user_verification_off(self):
        """Spec 7: a step with assurance {user-verification: true}; after enrollment the authenticator stops verifying
        the user. The page's Approve asks for verification, so Chromium refuses before anything reaches the server;
        the same sequence asking for none (discouraged) reaches it with flags without UV and is refused there."""
        link, agreement = self.invitations["hank"]
        repository = self.repository
        with Browser(timeout=20) as browser:
            browser.add_authenticator()
            browser.open(link)
            enroll(browser)
            browser.driver.set_user_verified(False)
            before = repository.head()
            click(browser, "#approve")
            message = wait_for_message(browser)
            expect_unchanged(repository, before, "Approve with a passkey that does not verify the user")
            answer = browser.driver.execute_async_script(DECIDE_FROM_PAGE, "discouraged", None)
            expect_refused(answer, (400, 499), ["verification"], "an approval without user verification")
            expect("assurance" in answer["body"], f"the refusal does not name the step's assurance: {answer['body']}")
            expect_unchanged(repository, before, "an approval without user verification")
        slot = slot_of(repository.status(agreement), "hank")
        expect(slot.get("state") != "approved", "hank's slot counts as approved")
        return f"page: {message}; without UV: {answer['status']} {answer['body']}"

    def execute(self):
        os.makedirs(self.args.work, exist_ok=True)
        if self.args.screenshots:
            os.makedirs(self.args.screenshots, exist_ok=True)
        try:
            self.scenario("repository, invitations and sigit serve", self.prepare)
            if self.server is None:
                return
            self.scenario("link from the mail, document shown, passkey created, Approve -> signed commit verified", self.sign, "erin", True)
            for run in range(1, self.args.runs):
                self.scenario(f"approve run {run + 1}", self.sign, f"erin{run + 1}", False)
            if self.args.approvals_only:
                return
            self.scenario("second enrollment with the used link refused, nothing written", self.used_link)
            self.scenario("decline with a reason: declined, reason shown escaped after reload", self.decline)
            self.scenario("user verification off on a user-verification step refused (assurance), nothing written", self.user_verification_off)
            self.scenario("expired link refused, nothing written", self.expired_link)
        finally:
            if self.server:
                self.server.close()

    def report(self):
        approve = self.timings["approve_to_commit_s"]
        enrollment = self.timings["enrollment_s"]
        return {
            "passed": all(result["passed"] for result in self.results) and bool(self.results),
            "scenarios": self.results,
            "timings": dict(self.timings,
                            approve_to_commit_median_s=round(statistics.median(approve), 3) if approve else None,
                            enrollment_median_s=round(statistics.median(enrollment), 3) if enrollment else None),
        }


def check_document(browser, repository, agreement, status, signer):
    """The page shows the title, the digest, the steps with the signers, and the NDA's text from nda.md."""
    expect(browser.text("#title") == status["title"], f"title {browser.text('#title')!r}, expected {status['title']!r}")
    expect(browser.text("#digest") == status["digest"], "the page's digest is not sigit status's")
    expect(browser.driver.find_element(By.TAG_NAME, "body").get_attribute("data-digest") == status["digest"], "data-digest differs")
    steps = browser.text("#steps")
    for word in ["legal-review", "signatures", "bob", signer]:
        expect(word in steps, f"the steps do not show {word}")
    with open(os.path.join(repository.path, "agreements", agreement, "nda.md")) as file:
        nda = file.read()
    text = page_text(browser)
    for line in ["1. Purpose", "Mutual Non-Disclosure Agreement"]:
        expect(line in nda and line in text, f"the page does not show {line!r} of nda.md")
    sentence = next(line for line in nda.splitlines() if line.startswith("The parties wish"))
    expect(sentence in text, "the page does not show nda.md's first paragraph")
    # sigit new writes the counterparty into nda.md as Markdown (`<` as `&lt;`); the page shows what a reader expects.
    documents = browser.text("#documents")
    expect(f"and {COUNTERPARTY}, signing through" in documents and "&lt;" not in documents,
           "the counterparty in nda.md is not shown as written")


def approve(browser, repository):
    """Clicks Approve; returns the seconds from the click until the branch has the new commit."""
    before = repository.head()
    start = time.monotonic()
    click(browser, "#approve")
    wait_for_new_head(repository, before, browser)
    return time.monotonic() - start


def check_commit(repository, commit):
    allowed = os.path.join(repository.path, ".sigit", "allowed_signers")
    verified = repository.git("-c", f"gpg.ssh.allowedSignersFile={allowed}", "verify-commit", commit, check=False)
    expect(verified.returncode == 0 and 'Good "git" signature' in verified.stderr, f"git verify-commit: {verified.stderr.strip()}")
    verify = repository.sigit("verify", check=False)
    expect(verify.returncode == 0, f"sigit verify exited {verify.returncode}: {verify.stdout.strip()} {verify.stderr.strip()}")
    return verified.stderr


def check_signed(repository, agreement, signer):
    verdict = check_commit(repository, repository.head())
    expect(f"{signer}@counterparty.example" in verdict and "ECDSA-SK" in verdict, f"not the passkey's signature: {verdict.strip()}")
    slot = slot_of(repository.status(agreement), signer)
    expect(slot.get("state") == "approved", f"{signer}'s slot is {slot.get('state')}")
    certificate = repository.sigit("certificate", agreement).stdout
    lines = [line for line in certificate.splitlines() if signer in line]
    expect(lines, f"the certificate does not list {signer}")
    expect("webauthn-sk" in certificate, "the certificate does not name the webauthn-sk signature")


def slot_of(status, signer):
    """The slot of `signer` in the status JSON's steps."""
    for step in status.get("steps", []):
        for slot in step.get("slots", []):
            if slot.get("identity") == signer:
                return slot
    raise Failure(f"no slot of {signer} in sigit status")


def tampered_digest(browser, repository):
    before = repository.head()
    answer = browser.driver.execute_async_script(POST_FROM_PAGE, "decide", {"approve": True, "digest": "sha256:" + "0" * 64}, True)
    expect_refused(answer, (400, 499), ["changed", "digest"], "a decision at another digest")
    expect_unchanged(repository, before, "a decision at another digest")
    return f"POST /decide: {answer['status']} {answer['body']}"


def missing_csrf(browser, repository):
    before = repository.head()
    digest = browser.driver.find_element(By.TAG_NAME, "body").get_attribute("data-digest")
    answer = browser.driver.execute_async_script(POST_FROM_PAGE, "decide", {"approve": True, "digest": digest}, False)
    expect(answer["status"] == 403, f"a POST without the token answered {answer['status']} {answer['body']}")
    expect_unchanged(repository, before, "a POST without the token")
    return f"POST /decide: {answer['status']} {answer['body']}"


def tampered_signature(browser, repository, which):
    before = repository.head()
    answer = browser.driver.execute_async_script(DECIDE_FROM_PAGE, "required", which)
    expect(400 <= answer["status"] <= 499, f"a tampered {which} answered {answer['status']} {answer['body']}")
    expect_unchanged(repository, before, f"a tampered {which}")
    return f"POST /complete: {answer['status']} {answer['body']}"


def wait_for_message(browser, timeout=20):
    """The page's error message once it shows one."""
    WebDriverWait(browser.driver, timeout).until(
        lambda driver: driver.find_elements(By.CSS_SELECTOR, "#message.error") and driver.find_element(By.CSS_SELECTOR, "#message").text)
    return browser.text("#message")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sigit", required=True, help="the sigit binary")
    parser.add_argument("--work", required=True, help="a directory for the repository, keys and outboxes (emptied first)")
    parser.add_argument("--report", required=True, help="write the JSON report here")
    parser.add_argument("--screenshots", help="save signing-page.png and signed-state.png here")
    parser.add_argument("--runs", type=int, default=1,
                        help="approve this many agreements (timings per run and median); each takes 4 of the 30 attempts a minute sigit serve allows a client")
    parser.add_argument("--approvals-only", action="store_true", help="only the approvals (for timing with --runs up to 6)")
    args = parser.parse_args()
    args.sigit = os.path.abspath(args.sigit)
    args.work = os.path.abspath(args.work)
    shutil.rmtree(args.work, ignore_errors=True)
    run = Run(args)
    run.execute()
    report = run.report()
    with open(args.report, "w") as file:
        json.dump(report, file, indent=2)
        file.write("\n")
    approve = report["timings"]["approve_to_commit_s"]
    print(f"approve click to commit: {approve} s (median {report['timings']['approve_to_commit_median_s']} s); "
          f"enrollment: {report['timings']['enrollment_s']} s", file=sys.stderr)
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
