"""Headless Chromium with a WebDriver virtual authenticator, for sigit's browser tests.

Run with the venv that `make deps` makes: .build/browser-venv/bin/python. Chromium and chromedriver are Debian's
(`chromium`, `chromium-driver`); Selenium is pointed at them, so it never downloads a browser.

    with Browser() as browser:
        authenticator = browser.add_authenticator()          # user verification on
        browser.open("http://localhost:8080/")
        browser.wait_for("#done")
        browser.screenshot("/tmp/page.png")
"""

import os
import shutil
import tempfile
import time
from contextlib import contextmanager

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.virtual_authenticator import Protocol, Transport, VirtualAuthenticatorOptions
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = os.environ.get("SIGIT_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("SIGIT_CHROMEDRIVER", "/usr/bin/chromedriver")


class Timer:
    """Named durations in seconds, in the order they were measured."""

    def __init__(self):
        self.durations = {}

    @contextmanager
    def measure(self, name):
        start = time.monotonic()
        try:
            yield
        finally:
            self.durations[name] = time.monotonic() - start

    def report(self):
        return ", ".join(f"{name} {seconds:.2f}s" for name, seconds in self.durations.items())


class Browser:
    """A headless Chromium session with its own throw-away profile; use it as a context manager."""

    def __init__(self, timeout=10, timer=None):
        self.timeout = timeout
        self.timer = timer or Timer()
        self.profile = tempfile.mkdtemp(prefix="sigit-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        options.add_argument("--headless=new")
        options.add_argument(f"--user-data-dir={self.profile}")
        options.add_argument("--disable-gpu")
        options.add_argument("--disable-dev-shm-usage")
        options.add_argument("--no-first-run")
        if os.geteuid() == 0:
            options.add_argument("--no-sandbox")  # Chromium's sandbox refuses to run as root
        try:
            with self.timer.measure("chromium start"):
                self.driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
        except BaseException:
            shutil.rmtree(self.profile, ignore_errors=True)
            raise
        self.driver.set_script_timeout(timeout)

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.close()

    def close(self):
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)

    def add_authenticator(self, user_verification=True):
        """A CTAP2 platform authenticator (transport internal) that keeps resident keys and, unless
        `user_verification` is False, verifies the user; returns its id."""
        options = VirtualAuthenticatorOptions(
            protocol=Protocol.CTAP2,
            transport=Transport.INTERNAL,
            has_resident_key=True,
            has_user_verification=user_verification,
            is_user_verified=user_verification,
            is_user_consenting=True,
        )
        self.driver.add_virtual_authenticator(options)
        return self.driver.virtual_authenticator_id

    def credentials(self):
        """The credentials the current virtual authenticator holds (id, rp_id, sign_count, ...)."""
        return [credential.to_dict() for credential in self.driver.get_credentials()]

    def open(self, url):
        self.driver.get(url)

    def wait_for(self, css, timeout=None):
        """The first element matching `css`, once it is present; raises TimeoutException after `timeout` seconds."""
        return WebDriverWait(self.driver, timeout or self.timeout).until(
            expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css)))

    def text(self, css):
        return self.wait_for(css).text

    def screenshot(self, path):
        self.driver.save_screenshot(path)
        return path

    def console(self):
        """What the page logged (Chromium keeps the browser log)."""
        try:
            return self.driver.get_log("browser")
        except Exception:  # not every driver keeps logs
            return []
