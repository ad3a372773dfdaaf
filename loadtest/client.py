"""The load: simulated users and password guessers, over plain HTTP with the standard library.

A simulated user takes the next person of the organisation, logs in, opens their
self-assessment, saves it a few indicators at a time, submits it once everything is rated, logs
out and takes the next person. It posts the rating form back as a browser would: every hidden
input as found, every checked radio, every textarea, and the button's `action`. A guesser posts
wrong passwords for one real login as fast as the server answers.

Every request is recorded (kind, latency, outcome). Every save the server acknowledged (302) is
written in the Ledger, so that the database can be checked afterwards.
"""

import html
import http.client
import random
import re
import threading
import time
from collections import deque
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

TIMEOUT = 60
RATINGS_PER_SAVE = 10
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
INPUT = re.compile(r"<input\b([^>]*)>", re.I)
TEXTAREA = re.compile(r"<textarea\b([^>]*)>(.*?)</textarea>", re.S | re.I)
ATTRIBUTE = re.compile(r"""([\w:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
RATING = re.compile(r"r[0-9]+")
COMMENT = re.compile(r"c[0-9]+")


# ---------------------------------------------------------------- reading pages


def attributes(text):
    found = {}
    for name, double, single, bare in ATTRIBUTE.findall(text):
        found[name.lower()] = html.unescape(double or single or bare)
    return found


class Form:
    """One <form> of a page: its action, hidden inputs, radio groups, other fields."""

    def __init__(self, attrs, body):
        self.action = attrs.get("action", "")
        self.hidden = {}
        self.options = {}  # radio name -> [values], in page order
        self.checked = {}  # radio name -> value
        self.fields = {}  # textareas and other enabled inputs
        self.disabled = False
        for tag in INPUT.findall(body):
            self._add_input(attributes(tag))
        for attrs_text, content in TEXTAREA.findall(body):
            field = attributes(attrs_text)
            if "disabled" in field:
                self.disabled = True
            elif "name" in field:
                self.fields[field["name"]] = html.unescape(content)

    def _add_input(self, field):
        name, kind = field.get("name"), field.get("type", "text").lower()
        if not name or kind in ("submit", "button"):
            return
        if "disabled" in field:
            self.disabled = True
        elif kind == "hidden":
            self.hidden[name] = field.get("value", "")
        elif kind == "radio":
            self.options.setdefault(name, []).append(field.get("value", "on"))
            if "checked" in field:
                self.checked[name] = field.get("value", "on")
        elif kind != "checkbox" or "checked" in field:
            self.fields[name] = field.get("value", "")

    def unrated(self):
        return [name for name in self.options if name not in self.checked]

    def post_data(self, action=None):
        data = {**self.hidden, **self.checked, **self.fields}
        if action:
            data["action"] = action
        return data


def forms_of(page):
    return [Form(attributes(attrs), body) for attrs, body in FORM.findall(page)]


def rating_form(page):
    return next((form for form in forms_of(page) if form.options), None)


def form_posting_to(page, path):
    return next((form for form in forms_of(page) if form.action.endswith(path)), None)


# ---------------------------------------------------------------- recording


class Recorder:
    """Every request's (phase, kind, seconds, outcome, end): outcome "ok" or what went wrong,
    end in seconds since the phase started."""

    def __init__(self):
        self.rows = []
        self.phase = None
        self.started = time.perf_counter()

    def start(self, phase):
        self.phase, self.started = phase, time.perf_counter()

    def add(self, kind, seconds, outcome):
        end = time.perf_counter() - self.started
        self.rows.append((self.phase, kind, seconds, outcome, end))


class Ledger:
    """What the server acknowledged, per (assessment, field): the values the database may hold.

    An acknowledged save replaces the candidates of every field it posted; a save whose answer
    never came (timeout, broken connection, server error) may or may not have been written, so
    its values are added to the candidates.
    """

    def __init__(self):
        self.expected = {}
        self.acknowledged = 0
        self.lock = threading.Lock()

    def acknowledge(self, assessment, data):
        with self.lock:
            self.acknowledged += 1
        for key, value in fields_of(assessment, data):
            self.expected[key] = {value}

    def maybe(self, assessment, data):
        for key, value in fields_of(assessment, data):
            self.expected.setdefault(key, set()).add(value)


def fields_of(assessment, data):
    for name, value in data.items():
        if RATING.fullmatch(name):
            yield (assessment, "r", int(name[1:])), int(value)
        elif COMMENT.fullmatch(name):
            yield (assessment, "c", int(name[1:])), value.strip()


# ---------------------------------------------------------------- HTTP


class Failed(Exception):
    """A request that did not get the answer it should have."""


class Browser:
    """One client: a connection to the server (kept open when the server allows) and its
    cookies. Each request is timed and recorded."""

    def __init__(self, address, recorder):
        self.address = address
        self.recorder = recorder
        self.cookies = {}
        self.connection = None

    def get(self, path, kind):
        return self.request("GET", path, kind, None, expect=200)

    def post(self, path, kind, data, expect=302):
        return self.request("POST", path, kind, data, expect=expect)

    def request(self, method, path, kind, data, expect):
        """(status, headers, body) of one request; Failed, recorded, when the status is not
        `expect` (an int or a tuple of ints)."""
        started = time.perf_counter()
        try:
            status, headers, body = self._exchange(method, path, data)
        except (OSError, http.client.HTTPException) as error:
            self.close()
            self.recorder.add(kind, time.perf_counter() - started, type(error).__name__)
            raise Failed(type(error).__name__) from error
        seconds = time.perf_counter() - started
        accepted = expect if isinstance(expect, tuple) else (expect,)
        outcome = "ok" if status in accepted else f"HTTP {status}"
        self.recorder.add(kind, seconds, outcome)
        if outcome != "ok":
            raise Failed(outcome)
        return status, headers, body

    def _exchange(self, method, path, data):
        if self.connection is None:
            self.connection = http.client.HTTPConnection(*self.address, timeout=TIMEOUT)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        content = response.read().decode("utf-8", "replace")
        for value in response.headers.get_all("Set-Cookie") or ():
            for name, morsel in SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        if response.will_close:
            self.close()
        return response.status, response.headers, content

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def location(headers):
    return urlsplit(headers.get("Location", "")).path


# ---------------------------------------------------------------- simulated users


class People:
    """The people still to take their turn: (username, self-assessment id), shared by threads."""

    def __init__(self, people):
        self.queue = deque(people)
        self.lock = threading.Lock()

    def take(self):
        with self.lock:
            return self.queue.popleft() if self.queue else None


class User(threading.Thread):
    """One person at a keyboard, then the next: login, self-assessment, logout."""

    def __init__(self, number, address, people, password, stop, recorder, ledger):
        super().__init__(name=f"user-{number}", daemon=True)
        self.address, self.people, self.password = address, people, password
        self.stop, self.recorder, self.ledger = stop, recorder, ledger
        self.rng = random.Random(number)
        self.started_people = 0

    def run(self):
        while not self.stop.is_set():
            person = self.people.take()
            if person is None:
                return
            self.started_people += 1
            browser = Browser(self.address, self.recorder)
            try:
                self.visit(browser, *person)
            except Failed:
                pass  # recorded; the next person takes over
            finally:
                browser.close()

    def visit(self, browser, username, assessment):
        self.log_in(browser, username)
        browser.get("/", "GET home")
        path = f"/assessments/{assessment}/self/"
        page = browser.get(path, "GET self")[2]
        page = self.rate(browser, path, assessment, page)
        logout = form_posting_to(page, "/accounts/logout/")
        if logout is not None and not self.stop.is_set():
            browser.post(logout.action, "POST logout", logout.post_data())

    def log_in(self, browser, username):
        form = form_posting_to(browser.get("/accounts/login/", "GET login")[2], "/accounts/login/")
        data = {**form.post_data(), "username": username, "password": self.password}
        browser.post("/accounts/login/", "POST login", data)

    def rate(self, browser, path, assessment, page):
        """Save until everything is rated, then submit; return the last page."""
        while not self.stop.is_set():
            form = rating_form(page)
            if form is None or form.disabled:
                return page  # submitted: read-only
            action = "save" if form.unrated() else "submit"
            if action == "save":
                self.fill_in(form)
            page = self.send(browser, path, assessment, form, action)
        return page

    def fill_in(self, form):
        """Rate the next few indicators; now and then change one rating or a comment."""
        for name in form.unrated()[:RATINGS_PER_SAVE]:
            form.checked[name] = self.rng.choice(form.options[name])
        if form.checked and self.rng.random() < 0.3:
            name = self.rng.choice(list(form.checked))
            form.checked[name] = self.rng.choice(form.options[name])
        comments = [name for name in form.fields if COMMENT.fullmatch(name)]
        if comments and self.rng.random() < 0.5:
            stamp = f"{self.name} {time.monotonic():.6f}"
            form.fields[self.rng.choice(comments)] = f"หลักฐานการปฏิบัติงาน {stamp}"

    def send(self, browser, path, assessment, form, action):
        """Post the form; follow the redirect of an acknowledged save; the page to go on from."""
        data = form.post_data(action)
        try:
            _status, headers, _body = browser.post(path, f"POST {action}", data)
        except Failed as error:
            if not str(error).startswith("HTTP 4"):
                self.ledger.maybe(assessment, data)  # its answer never came: written or not
            return browser.get(path, "GET self")[2]
        self.ledger.acknowledge(assessment, data)
        return browser.get(location(headers) or path, "GET self")[2]


# ---------------------------------------------------------------- guessers


class Guesser(threading.Thread):
    """Wrong passwords for real logins (in turn, when given several), one after another, as
    fast as the server answers. An answer of 200 (the form again) or 429 (locked) is expected;
    a 302 would mean a guess came right."""

    def __init__(self, number, address, usernames, stop, recorder):
        super().__init__(name=f"guesser-{number}", daemon=True)
        self.address, self.usernames = address, usernames
        self.stop, self.recorder = stop, recorder
        self.guesses = 0
        self.locked = 0

    def run(self):
        browser = Browser(self.address, self.recorder)
        form = None
        while not self.stop.is_set():
            try:
                if form is None:
                    page = browser.get("/accounts/login/", "GET login (guesser)")[2]
                    form = form_posting_to(page, "/accounts/login/")
                self.guess(browser, form)
            except Failed:
                form = None  # fetch a fresh form (and CSRF cookie)
        browser.close()

    def guess(self, browser, form):
        username = self.usernames[self.guesses % len(self.usernames)]
        self.guesses += 1
        data = {**form.post_data(), "username": username, "password": f"guess-{self.guesses}"}
        status = browser.post("/accounts/login/", "POST guess", data, expect=(200, 429))[0]
        self.locked += status == 429
