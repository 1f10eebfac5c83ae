"""A pytest fixture that runs Consentry for a test session.

The fixture ``consentry`` starts the runnable jar (``java -jar consentry.jar serve``) once per session, on a free
port, with an in-memory store and its demo tenant, and stops it at the end. It hands tests the base URL, the CA file
to trust, the demo tenant's authority, apps and users, a ``requests`` session trusting the CA, an HTTP client for MSAL
Python, and the diagnosis of any request by its id.

Use it from your conftest.py, with this file on the Python path::

    pytest_plugins = ["consentry_pytest"]

Where the jar is: $CONSENTRY_JAR, else cli/target/dist/consentry.jar of the Consentry checkout this file is in (made
by ``./consentry build``). Which Java: $CONSENTRY_JAVA, else $JAVA_HOME/bin/java, else ``java`` on PATH (21 or newer).
"""
import html
import json
import os
import re
import pathlib
import shutil
import subprocess
import tempfile
import threading
import urllib.parse

import pytest
import requests


class Consentry:
    """A running Consentry and what a test needs to reach it."""

    def __init__(self, banner, data_dir):
        self.base_url = banner["baseUrl"]
        self.graph_url = banner["graphUrl"]
        self.ca_file = str(pathlib.Path(data_dir) / "ca.pem")
        tenant = banner["tenants"][0]
        self.tenant_id = tenant["id"]
        self.domain = tenant["domain"]
        self.apps = {app["name"]: app for app in banner.get("demoApps", [])}
        self.users = {user["userPrincipalName"]: user for user in banner.get("demoUsers", [])}

    def authority(self, tenant=None):
        """The authority MSAL Python is given for ``tenant`` (its id or a domain; the demo tenant by default)."""
        return self.base_url + "/" + (tenant or self.tenant_id)

    def session(self):
        """A requests session that trusts Consentry's CA and nothing else, whatever REQUESTS_CA_BUNDLE says."""
        s = requests.Session()
        s.verify = self.ca_file
        s.trust_env = False  # else REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE replace verify
        return s

    def msal_http_client(self):
        """The HTTP client MSAL Python is given (``http_client=``): trusting the CA, and sending MSAL's user realm
        lookup, which MSAL builds without the authority's port, to Consentry's port."""
        return _KeepPortForUserRealm(self.base_url, self.ca_file)

    def sign_in_on_device_page(self, user_code, username, password):
        """Does what the person does in a browser for a device code sign-in: opens the verification page
        (/devicelogin), enters the code, confirms, and signs in with a password; the device's next poll gets its
        tokens. Raises RuntimeError with the page's text when a step does not lead where a sign-in leads."""
        browser = self.session()
        page = browser.get(self.base_url + "/devicelogin", timeout=10).text
        for fields in ({"user_code": user_code}, {"step": "confirm"}, {"username": username}, {"password": password}):
            page = _submit(browser, self.base_url, page, fields)
        if "You have signed in" not in page:
            raise RuntimeError("the device code sign-in did not complete: " + re.sub(r"<[^>]+>", " ", page)[:500])

    def diagnosis(self, request_id):
        """Consentry's explanation of a decision, by the request id Graph answered or the trace id of an AADSTS error."""
        r = self.session().get(self.base_url + "/consentry/diagnostics/" + request_id, timeout=10)
        r.raise_for_status()
        return r.json()


_INPUT = re.compile(r"<input[^>]*>")
_ATTRIBUTE = re.compile(r'([a-zA-Z-]+)="([^"]*)"')
_ACTION = re.compile(r'<form[^>]*action="([^"]*)"')


def _submit(browser, base_url, page, fields):
    """Posts the page's first form: its hidden fields (Consentry's pages quote attributes with ") and ``fields``."""
    form = {}
    for tag in _INPUT.findall(page):
        attributes = dict(_ATTRIBUTE.findall(tag))
        if attributes.get("type") == "hidden" and "name" in attributes:
            form[attributes["name"]] = html.unescape(attributes.get("value", ""))
    form.update(fields)
    action = _ACTION.search(page)
    if not action:
        raise RuntimeError("no form on the page: " + re.sub(r"<[^>]+>", " ", page)[:500])
    url = urllib.parse.urljoin(base_url + "/", html.unescape(action.group(1)))
    return browser.post(url, data=form, timeout=10).text


class _KeepPortForUserRealm(requests.Session):
    def __init__(self, base_url, ca_file):
        super().__init__()
        self.verify = ca_file
        self.trust_env = False
        self._base = urllib.parse.urlsplit(base_url)

    def request(self, method, url, *args, **kwargs):
        parts = urllib.parse.urlsplit(url)
        if parts.path.startswith("/common/userrealm/") and parts.port is None and parts.hostname == self._base.hostname:
            url = parts._replace(netloc=self._base.netloc).geturl()
        return super().request(method, url, *args, **kwargs)


def _jar():
    jar = os.environ.get("CONSENTRY_JAR")
    if jar:
        return jar
    return str(pathlib.Path(__file__).resolve().parents[2] / "cli" / "target" / "dist" / "consentry.jar")


def _java():
    if os.environ.get("CONSENTRY_JAVA"):
        return os.environ["CONSENTRY_JAVA"]
    if os.environ.get("JAVA_HOME"):
        return str(pathlib.Path(os.environ["JAVA_HOME"]) / "bin" / "java")
    return shutil.which("java") or "java"


def start(timeout=60):
    """Starts a Consentry; returns (Consentry, process, data dir). ``stop`` ends it."""
    jar = _jar()
    if not pathlib.Path(jar).is_file():
        raise RuntimeError("no Consentry jar at " + jar + ": run ./consentry build, or set CONSENTRY_JAR")
    data_dir = tempfile.mkdtemp(prefix="consentry-")
    process = subprocess.Popen([_java(), "-jar", jar, "serve", "--in-memory", "--data-dir", data_dir, "--port", "0",
                                "--output", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ready = {}
    read = threading.Event()

    def read_ready_line():
        ready["line"] = process.stdout.readline()
        read.set()
        for _ in process.stdout:  # nothing else is expected; keep the pipe drained all the same
            pass

    threading.Thread(target=read_ready_line, daemon=True).start()
    read.wait(timeout)
    line = ready.get("line", "")
    if not line:
        process.kill()
        error = process.stderr.read()
        shutil.rmtree(data_dir, ignore_errors=True)
        raise RuntimeError("Consentry did not start within %d s: %s" % (timeout, error.strip()[-2000:]))
    threading.Thread(target=process.stderr.read, daemon=True).start()  # its log, drained
    return Consentry(json.loads(line), data_dir), process, data_dir


def stop(process, data_dir):
    process.terminate()
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
    shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def consentry():
    """A Consentry for the whole test session (see the module's documentation)."""
    server, process, data_dir = start()
    try:
        yield server
    finally:
        stop(process, data_dir)
