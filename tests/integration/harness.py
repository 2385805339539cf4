# SPDX-License-Identifier: AGPL-3.0-or-later
"""Shared machinery of the integration tests: a real `recours serve` over HTTPS on a free port
with its own secrets, certificate and log; a keep-alive client and a raw TLS socket for
hand-made requests; the problem-document assertion; a private PostgreSQL cluster for
destructive tests; and main(), which prints the log tails of the servers involved in a failed
test.

Python 3 standard library only. Environment: RECOURS_BIN (the binary), RECOURS_SOURCE_DIR (the
repository root), DATABASE_URL (a PostgreSQL whose role may create databases). Importing this
module gives the test file a database of its own on that server (_isolate_database): tests
never touch the database DATABASE_URL names.

Every wait polls with a deadline; nothing sleeps to synchronise.
"""

import hashlib
import http.client
import json
import os
import pwd
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import unittest

import openapi_check
import template_db

PROBLEM_BASE = "https://recours.dev/problems/"
PG_BIN = "/usr/lib/postgresql/15/bin"
START_TIMEOUT_S = 30.0     # an ASan build starts slowly on a busy machine
STOP_TIMEOUT_S = 20.0
IO_TIMEOUT_S = 10.0        # every socket operation of a client
RUN_TIMEOUT_S = 120.0      # every helper subprocess (secrets init, migrate, initdb, pg_ctl)
TEST_DB_CONNECT_TIMEOUT_S = 10  # every process a test starts (below): first connections on a loaded machine
LOG_TAIL_LINES = 40


def env(name):
    """The value of a required environment variable; fails the run clearly when missing."""
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"harness: environment variable {name} is not set "
                           "(run through ctest or ./scripts/test)")
    return value


def recours_bin():
    path = env("RECOURS_BIN")
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"harness: RECOURS_BIN={path} is not an executable (build it first)")
    return path


def route_roles():
    """{(method, template): [roles]} from `recours routes` (the route table's role column:
    public, claimant, association, operator), method in lower case as in the OpenAPI paths."""
    run = subprocess.run([recours_bin(), "routes"], capture_output=True, text=True,
                         timeout=RUN_TIMEOUT_S, check=True)
    out = {}
    for line in run.stdout.splitlines():
        method, path, roles = line.split()
        out[(method.lower(), path)] = roles.split(",")
    return out


def source_dir():
    return env("RECOURS_SOURCE_DIR")


def migrations_dir():
    return os.path.join(source_dir(), "db-migrations")


def poll(predicate, timeout, interval=0.02, what="condition"):
    """Calls predicate until it returns a true value (returned) or timeout seconds pass
    (AssertionError naming what)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:.1f} s waiting for {what}")
        time.sleep(interval)


def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago (the kernel's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- a database of its own for every test file ---------------------------------------------

_migrated = set()  # the databases this process migrated or copied from the template

def _psql_admin(url, sql):
    """Runs one statement with psql on url; raises with psql's message on failure."""
    run = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", url,
                          "-c", sql], capture_output=True, text=True, timeout=RUN_TIMEOUT_S,
                         env=dict(os.environ, PGCONNECT_TIMEOUT="10"))
    if run.returncode != 0:
        raise RuntimeError(f"harness: psql failed: {run.stderr.strip()}")
    return run.stdout


def _url_with_database(url, name):
    import urllib.parse
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def _drop_test_database(admin_url, name):
    """Drops the test file's database, ending first the sessions our role still has in it (a
    server a failed test left running). No DROP ... WITH (FORCE): PostgreSQL 15 refuses it to a
    non-superuser while autovacuum is in the database; a plain DROP waits for it."""
    lit = "'" + name + "'"
    for _ in range(100):
        try:
            _psql_admin(admin_url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        f" WHERE datname = {lit} AND usename = current_user"
                        " AND pid <> pg_backend_pid()")
            _psql_admin(admin_url, f"DROP DATABASE IF EXISTS {name}")
            return
        except RuntimeError as e:
            if "is being accessed by other users" not in str(e):
                print(f"harness: could not drop {name}: {e}", file=sys.stderr)
                return
        time.sleep(0.1)
    print(f"harness: could not drop {name}: still in use", file=sys.stderr)


def _isolate_database():
    """Points DATABASE_URL, for this process and everything it starts, at a new database made
    for this test file on the same PostgreSQL, and drops it at exit. So no test ever writes into
    the database that `./scripts/run` serves (the victims' home page would list the tests'
    incidents), and test files running side by side (ctest -j) never see each other's rows.
    The database is a copy of the migrated template (template_db.py), so already migrated.
    Done once, on import, before any test file reads DATABASE_URL."""
    import atexit
    import secrets as _secrets
    if os.environ.get("RECOURS_TEST_DATABASE") or not os.environ.get("DATABASE_URL"):
        return  # already isolated (a nested harness), or no database (unit-only use)
    admin_url = os.environ["DATABASE_URL"]
    script = os.path.splitext(os.path.basename(sys.argv[0] or "test"))[0]
    script = re.sub(r"[^a-z0-9_]", "_", script.lower())[:30]
    name = f"recours_t_{script}_{_secrets.token_hex(4)}"
    if os.environ.get("RECOURS_BIN") and os.environ.get("RECOURS_SOURCE_DIR"):
        url = create_migrated_database(name, admin_url)
    else:
        _psql_admin(admin_url, f"CREATE DATABASE {name}")
        url = _url_with_database(admin_url, name)
    atexit.register(_drop_test_database, admin_url, name)
    os.environ["DATABASE_URL"] = url
    os.environ["RECOURS_TEST_DATABASE"] = name


def create_migrated_database(name, admin_url=None):
    """CREATE DATABASE name as a copy of the migrated template (template_db.py says why) on
    admin_url's server (DATABASE_URL's by default); its URL, known to ensure_migrated."""
    admin_url = admin_url or os.environ["DATABASE_URL"]
    run_sql = lambda sql: _psql_admin(admin_url, sql)  # noqa: E731
    template = template_db.template_for(run_sql, lambda db: _url_with_database(admin_url, db),
                                        recours_bin(), migrations_dir(), RUN_TIMEOUT_S)
    template_db.create_from(run_sql, template, name)
    url = _url_with_database(admin_url, name)
    _migrated.add(url)
    return url


_isolate_database()

# A database connection (fork, authentication) can take more than the 2 s default of
# --db-connect-timeout on a loaded 2-core machine under ASan: a server's request then answers
# 503, and a command run by a test (`recours association add`, `recours audit verify`) fails
# with "timeout expired" (test_audit_chain, seen at load 15). Set for every process a test
# starts; tests about that timeout pass --db-connect-timeout, which wins over this variable.
os.environ.setdefault("RECOURS_DB_CONNECT_TIMEOUT", str(TEST_DB_CONNECT_TIMEOUT_S))


def tail(text, lines=LOG_TAIL_LINES):
    return "\n".join(text.splitlines()[-lines:])


# --- who listens on a port -------------------------------------------------------------------

def _listening_inodes(port):
    """Inodes of every LISTEN TCP socket (v4 and v6) bound to port, from /proc/net."""
    inodes = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table, encoding="ascii") as f:
                next(f)
                for line in f:
                    fields = line.split()
                    local, state, inode = fields[1], fields[3], fields[9]
                    if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                        inodes.append(inode)
        except FileNotFoundError:
            pass
    return inodes


def _socket_inodes_of(pid):
    found = set()
    fd_dir = f"/proc/{pid}/fd"
    try:
        for fd in os.listdir(fd_dir):
            try:
                target = os.readlink(os.path.join(fd_dir, fd))
            except OSError:
                continue
            m = re.fullmatch(r"socket:\[(\d+)\]", target)
            if m:
                found.add(m.group(1))
    except OSError:
        pass
    return found


def port_owned_by(port, pid):
    """True when every socket listening on port belongs to pid, and there is one. Guards against
    a port shared with another process through SO_REUSEPORT, where the kernel would hand half of
    our connections to a stranger."""
    inodes = _listening_inodes(port)
    return bool(inodes) and set(inodes) <= _socket_inodes_of(pid)


# --- responses -------------------------------------------------------------------------------

class Headers:
    """Response headers, case-insensitive. h["x"] is the last value; get_all("x") every one."""

    def __init__(self, pairs=()):
        self._items = [(k, v) for k, v in pairs]

    def get_all(self, name):
        name = name.lower()
        return [v for k, v in self._items if k.lower() == name]

    def get(self, name, default=None):
        values = self.get_all(name)
        return values[-1] if values else default

    def __getitem__(self, name):
        values = self.get_all(name)
        if not values:
            raise KeyError(name)
        return values[-1]

    def __contains__(self, name):
        return bool(self.get_all(name))

    def items(self):
        return list(self._items)

    def keys(self):
        return [k for k, _ in self._items]

    def __iter__(self):
        return iter(self.keys())

    def __len__(self):
        return len(self._items)

    def __repr__(self):
        return "Headers(%r)" % (self._items,)


class Response:
    """status (int), reason, headers (Headers), body (bytes); json() parses the body."""

    def __init__(self, status, headers, body, reason=""):
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    @property
    def content_type(self):
        return self.headers.get("Content-Type", "")

    @property
    def media_type(self):
        return self.content_type.split(";", 1)[0].strip().lower()

    def __repr__(self):
        return f"<Response {self.status} {self.media_type} {self.body[:200]!r}>"


class RawResponse(Response):
    """A response read off a raw socket: also the HTTP version, the 1xx interim responses
    received before it (list of (status, Headers)) and whether the server closed afterwards."""

    def __init__(self, version, status, reason, headers, body, interim, closed):
        super().__init__(status, headers, body, reason)
        self.version = version
        self.interim = interim
        self.closed = closed


# --- the server ------------------------------------------------------------------------------

def ensure_migrated(database_url, timeout=RUN_TIMEOUT_S):
    """Applies the repository's migrations to database_url, once per process (the command is
    idempotent and concurrent runs serialise on an advisory lock)."""
    if database_url in _migrated:
        return
    run = subprocess.run(
        [recours_bin(), "migrate", "--migrations-dir", migrations_dir()],
        env=dict(os.environ, DATABASE_URL=database_url), capture_output=True, text=True,
        timeout=timeout)
    if run.returncode != 0:
        raise RuntimeError(f"recours migrate failed ({run.returncode}):\n{run.stdout}\n"
                           f"{run.stderr}")
    _migrated.add(database_url)


_registry = []  # every Server and PrivateCluster made in this process, for log tails


def seed_database_secrets(secrets_dir, database_url):
    """Creates secrets_dir with the hmac-key and first data key of database_url's secrets, for
    `recours secrets init` to complete (it keeps them). One database, one hmac-key and one
    first data key, as in a deployment: every server or CLI process on a database appends to
    its audit chain under the same key (derived from it), so the chain verifies whichever
    process wrote which event, and opens the claims another sealed; serve refuses secrets that
    do not belong to its database. The operator key stays random."""
    os.makedirs(secrets_dir, mode=0o700)
    for name, label, line in (("hmac-key", b"recours-test-hmac-key|", "{}\n"),
                              ("data-keys", b"recours-test-data-key|", "1 {}\n")):
        seed = hashlib.sha256(label + database_url.encode()).hexdigest()
        fd = os.open(os.path.join(secrets_dir, name), os.O_WRONLY | os.O_CREAT | os.O_EXCL,
                     0o600)
        with os.fdopen(fd, "w", encoding="ascii") as f:
            f.write(line.format(seed))


class Server:
    """A `recours serve` of its own: temp dir, secrets, self-signed certificate, free port,
    stderr log. Use as a context manager, or call start() and close() (or add close as a
    cleanup). Arguments:
      args          extra command-line flags (list of str)
      env           extra environment variables for the server (dict)
      database_url  defaults to $DATABASE_URL; migrations are applied to it first unless
                    migrate=False
      plain_http    adds --plain-http; the client then speaks HTTP
      workers       --workers (4)
      secrets_from  another Server: this one is a second node of the same deployment (its
                    secrets copied: same data keys, hmac-key and operator key)
    source_address, None or (address, 0), may be set at any time: the clients made afterwards
    (Client, RawConnection) connect from that address, e.g. another of 127.0.0.0/8, which the
    server sees as another client (its own rate-limit bucket)
    close() stops a running server with SIGTERM and raises if it then exits non-zero (a
    sanitizer report at exit) or if it had died on its own; stop()/kill() by the test
    disarm that check."""

    def __init__(self, args=(), env=None, database_url=None, plain_http=False, workers=4,
                 migrate=True, start_timeout=START_TIMEOUT_S, secrets_from=None):
        self.args = list(args)
        self.secrets_from = secrets_from
        self.extra_env = dict(env or {})
        self.database_url = database_url if database_url is not None else \
            os.environ.get("DATABASE_URL", "")
        self.plain_http = plain_http
        self.workers = workers
        self.migrate = migrate
        self.start_timeout = start_timeout
        self.proc = None
        self.port = None
        self.operator_key = None
        self.returncode = None
        self._tmp = None
        self._log_file = None
        self._log_offset = 0
        self._final_log = None
        self._closed_at = None
        self._expect_exit = False
        self.started_at = None
        self.source_address = None

    # paths
    @property
    def dir(self):
        return self._tmp

    @property
    def secrets_dir(self):
        return os.path.join(self._tmp, "secrets")

    @property
    def cafile(self):
        return os.path.join(self._tmp, "tls", "cert.pem")

    @property
    def keyfile(self):
        return os.path.join(self._tmp, "tls", "key.pem")

    @property
    def log_path(self):
        return os.path.join(self._tmp, "server.log")

    @property
    def scheme(self):
        return "http" if self.plain_http else "https"

    @property
    def host(self):
        return "127.0.0.1"

    @property
    def url(self):
        return f"{self.scheme}://{self.host}:{self.port}"

    @property
    def pid(self):
        return self.proc.pid if self.proc is not None else None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, exc_type, exc, tb):
        self.close(check=exc_type is None)
        return False

    def _secrets_init(self):
        if self.secrets_from is not None:
            shutil.copytree(self.secrets_from.secrets_dir, self.secrets_dir)
            self.operator_key = self.secrets_from.operator_key
            return
        seed_database_secrets(self.secrets_dir, self.database_url)
        run = subprocess.run(
            [recours_bin(), "secrets", "init", "--secrets-dir", self.secrets_dir],
            capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
        if run.returncode != 0:
            raise RuntimeError(f"recours secrets init failed ({run.returncode}):\n"
                               f"{run.stdout}\n{run.stderr}")
        lines = run.stdout.splitlines()
        key = None
        for i, line in enumerate(lines):
            if line.startswith("operator key (shown once") and i + 1 < len(lines):
                key = lines[i + 1].strip()
        with open(os.path.join(self.secrets_dir, "operator-key"), encoding="ascii") as f:
            stored = f.read().strip()
        if key is None:
            raise RuntimeError("recours secrets init printed no operator key:\n" + run.stdout)
        if key != stored:
            raise RuntimeError("the operator key printed differs from secrets/operator-key")
        self.operator_key = key

    def command(self):
        cmd = [recours_bin(), "serve", "--port", str(self.port),
               "--secrets-dir", self.secrets_dir,
               "--tls-cert", self.cafile, "--tls-key", self.keyfile,
               "--migrations-dir", migrations_dir(),
               "--web-dir", os.path.join(source_dir(), "web"),
               "--risk-domains-file", os.path.join(source_dir(), "data", "disposable_domains.txt"),
               "--workers", str(self.workers)]
        if self.plain_http:
            cmd.append("--plain-http")
        return cmd + self.args

    def start(self):
        """Starts the server and waits until GET /healthz answers 200 on a port it alone
        listens on. On failure everything is cleaned up and the error raised."""
        try:
            return self._start()
        except BaseException:
            self.close(check=False)
            raise

    def restart(self):
        """Starts the server again after stop() or kill(): same port (clients keep their
        address), same secrets and certificate (keys, tokens and the CA stay valid), same log
        (appended). Waits for GET /healthz 200 like start(); raises if the port is taken."""
        if self._tmp is None or self.port is None:
            raise RuntimeError("harness: restart() of a server that never started")
        if self.proc is not None and self.proc.poll() is None:
            raise RuntimeError("harness: restart() of a running server")
        if self._log_file is not None:
            self._log_file.close()
        self._expect_exit = False
        return self._start(port=self.port)

    def _start(self, port=None):
        if self._tmp is None:
            self._tmp = tempfile.mkdtemp(prefix="recours-it-")
            _registry.append(self)
            self._secrets_init()
        if self.migrate and self.database_url:
            ensure_migrated(self.database_url)
        child_env = dict(os.environ)
        if self.database_url:
            child_env["DATABASE_URL"] = self.database_url
        child_env.update(self.extra_env)
        last_error = None
        for _attempt in range(5 if port is None else 1):
            self.port = free_port() if port is None else port
            self._log_file = open(self.log_path, "ab")
            self._log_offset = self._log_file.tell()
            self.proc = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL,
                                         stdout=self._log_file, stderr=subprocess.STDOUT,
                                         env=child_env, cwd=self._tmp)
            self.started_at = time.monotonic()
            try:
                self._wait_started()
                return self
            except _PortTaken as e:
                last_error = e
                self._discard_process()
        if port is not None:
            raise RuntimeError(f"harness: cannot restart on port {port}: {last_error}")
        raise RuntimeError(f"harness: no free port after 5 attempts: {last_error}")

    def _discard_process(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=STOP_TIMEOUT_S)
        self._log_file.close()
        self.proc = None

    def _wait_started(self):
        deadline = time.monotonic() + self.start_timeout
        last = None
        while True:
            code = self.proc.poll()
            if code is not None:
                text = self.log_text()
                if "could not start the HTTP daemon" in text[self._log_offset:]:
                    raise _PortTaken(f"port {self.port} in use")
                raise RuntimeError(f"recours serve exited with {code} while starting; log:\n"
                                   + tail(text))
            if os.path.exists(os.path.join(self._tmp, "tls", "cert.pem")) or self.plain_http:
                try:
                    c = Client(self, timeout=2.0)
                    try:
                        r = c.request("GET", "/healthz")
                    finally:
                        c.close()
                    if r.status == 200:
                        break
                    last = f"GET /healthz answered {r.status}"
                except (OSError, http.client.HTTPException) as e:
                    last = repr(e)
            if time.monotonic() >= deadline:
                self.proc.kill()
                raise RuntimeError(f"recours serve not healthy after {self.start_timeout} s "
                                   f"(last: {last}); log:\n" + tail(self.log_text()))
            time.sleep(0.02)
        if not port_owned_by(self.port, self.proc.pid):
            raise _PortTaken(f"port {self.port} is also listened on by another process")

    def log_text(self):
        """Everything the server wrote to stderr so far (kept after close)."""
        if self._final_log is not None:
            return self._final_log
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def log_lines_json(self):
        """The JSON log lines as dicts (other lines, e.g. sanitizer output, skipped)."""
        out = []
        for line in self.log_text().splitlines():
            if line.startswith("{"):
                try:
                    out.append(json.loads(line))
                except ValueError:
                    pass
        return out

    def wait_log(self, predicate, timeout=10.0, what="a log line"):
        """Polls the JSON log lines until predicate(line) holds for one; returns it."""
        def find():
            for line in self.log_lines_json():
                if predicate(line):
                    return line
            return None
        return poll(find, timeout, what=what)

    def send_signal(self, sig):
        self.proc.send_signal(sig)

    def wait(self, timeout):
        """Waits up to timeout for the process to exit; returns its code or None."""
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self, sig=signal.SIGTERM, timeout=STOP_TIMEOUT_S):
        """Sends sig and waits up to timeout seconds; returns the exit code (negative: killed by
        a signal). If it does not exit in time it is killed and AssertionError is raised."""
        self._expect_exit = True
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise AssertionError(f"recours serve did not exit within {timeout} s of "
                                     f"signal {sig}; log:\n" + tail(self.log_text()))
        self.returncode = self.proc.returncode
        return self.returncode

    def kill(self):
        """SIGKILL, no grace; returns the exit code."""
        self._expect_exit = True
        if self.proc.poll() is None:
            self.proc.kill()
        self.returncode = self.proc.wait(timeout=STOP_TIMEOUT_S)
        return self.returncode

    def close(self, check=True):
        """Stops the server if running and removes its temp dir (the log stays readable).
        With check, a non-zero exit at this stop or an earlier unexpected death raises."""
        if self._closed_at is not None:
            return
        problem = None
        if self.proc is not None:
            if self.proc.poll() is not None and not self._expect_exit:
                problem = f"recours serve died during the test with code {self.proc.returncode}"
            elif self.proc.poll() is None:
                try:
                    code = self.stop()
                    if code != 0:
                        problem = f"recours serve exited with {code} on SIGTERM at cleanup"
                except AssertionError as e:
                    problem = str(e)
            self.returncode = self.proc.returncode
        if self._log_file is not None:
            self._log_file.close()
        self._final_log = self.log_text() if self._tmp else ""
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
        self._closed_at = time.monotonic()
        if check and problem is not None:
            raise AssertionError(problem + "; log:\n" + tail(self._final_log))

    def describe(self):
        return f"recours serve on port {self.port} (pid {self.pid})"


class _PortTaken(Exception):
    pass


# --- clients ---------------------------------------------------------------------------------

def tls_context(server=None, cafile=None):
    """A verifying client context trusting only the server's generated certificate."""
    ctx = ssl.create_default_context(cafile=cafile or server.cafile)
    return ctx


class Client:
    """One keep-alive connection to a Server (http.client underneath; it reconnects by itself
    after the server closed). request() returns a Response, which must be one that
    api/openapi.json describes (openapi_check) unless check_openapi is False."""

    def __init__(self, server, timeout=IO_TIMEOUT_S, context=None, check_openapi=True):
        self.server = server
        self.check_openapi = check_openapi
        source = getattr(server, "source_address", None)
        if server.plain_http:
            self.conn = http.client.HTTPConnection(server.host, server.port, timeout=timeout,
                                                   source_address=source)
        else:
            self.conn = http.client.HTTPSConnection(
                server.host, server.port, timeout=timeout,
                context=context or tls_context(server), source_address=source)

    def request(self, method, path, body=None, headers=None, token=None):
        hdrs = dict(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode("utf-8")
            if not any(k.lower() == "content-type" for k in hdrs):
                hdrs["Content-Type"] = "application/json"
        elif isinstance(body, str):
            body = body.encode("utf-8")
        if token is not None:
            hdrs["Authorization"] = "Bearer " + token
        # A kept-alive connection the server closed while idle (--connection-timeout) fails
        # on its next request before any answer: an idempotent request is sent again once on
        # a new connection, as browsers do; any other is the caller's to retry.
        reused = self.conn.sock is not None
        try:
            return self._exchange(method, path, body, hdrs)
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            if not reused or method not in ("GET", "HEAD", "PUT", "DELETE", "OPTIONS"):
                raise
        return self._exchange(method, path, body, hdrs)

    def _exchange(self, method, path, body, hdrs):
        try:
            self.conn.request(method, path, body=body, headers=hdrs)
            resp = self.conn.getresponse()
            data = resp.read()
        except BaseException:
            self.conn.close()
            raise
        r = Response(resp.status, Headers(resp.getheaders()), data, resp.reason)
        if self.check_openapi:
            openapi_check.check_response(source_dir(), method, path, r)
        return r

    @property
    def sock(self):
        return self.conn.sock

    def close(self):
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


class RawConnection:
    """A TLS (or plain, for --plain-http) socket for hand-made requests: send() bytes as they
    are, read_response() parses one response (1xx interim responses collected)."""

    def __init__(self, server, timeout=IO_TIMEOUT_S, context=None):
        sock = socket.create_connection((server.host, server.port), timeout=timeout,
                                        source_address=getattr(server, "source_address", None))
        if not server.plain_http:
            ctx = context or tls_context(server)
            sock = ctx.wrap_socket(sock, server_hostname=server.host)
        self.sock = sock
        self._buf = b""
        self.eof = False

    def send(self, data):
        self.sock.sendall(data)

    def _fill(self):
        if self.eof:
            return False
        try:
            chunk = self.sock.recv(65536)
        except (ConnectionResetError, ssl.SSLEOFError, ssl.SSLZeroReturnError):
            chunk = b""
        if not chunk:
            self.eof = True
            return False
        self._buf += chunk
        return True

    def _readline(self):
        while b"\r\n" not in self._buf:
            if not self._fill():
                raise ConnectionError("connection closed inside a response head: "
                                      f"{self._buf[:200]!r}")
        line, self._buf = self._buf.split(b"\r\n", 1)
        return line

    def _read_exact(self, n):
        while len(self._buf) < n:
            if not self._fill():
                raise ConnectionError(f"connection closed after {len(self._buf)} of {n} "
                                      "body bytes")
        data, self._buf = self._buf[:n], self._buf[n:]
        return data

    def _read_head(self):
        status_line = self._readline().decode("latin-1")
        m = re.fullmatch(r"(HTTP/\d\.\d) (\d{3})(?: (.*))?", status_line)
        if not m:
            raise ConnectionError(f"bad status line {status_line!r}")
        pairs = []
        while True:
            line = self._readline()
            if line == b"":
                break
            name, _, value = line.decode("latin-1").partition(":")
            pairs.append((name.strip(), value.strip()))
        return m.group(1), int(m.group(2)), m.group(3) or "", Headers(pairs)

    def read_response(self, method="GET"):
        interim = []
        while True:
            version, status, reason, headers = self._read_head()
            if 100 <= status < 200:
                interim.append((status, headers))
                continue
            break
        if method == "HEAD" or status in (204, 304):
            body = b""
        elif "chunked" in headers.get("Transfer-Encoding", "").lower():
            body = b""
            while True:
                size = int(self._readline().split(b";")[0], 16)
                if size == 0:
                    while self._readline() != b"":
                        pass
                    break
                body += self._read_exact(size)
                self._read_exact(2)
        elif "Content-Length" in headers:
            body = self._read_exact(int(headers["Content-Length"]))
        else:
            while self._fill():
                pass
            body, self._buf = self._buf, b""
        closed = "close" in headers.get("Connection", "").lower()
        return RawResponse(version, status, reason, headers, body, interim, closed)

    def read_interim(self):
        """Reads one response head that must be 1xx (e.g. 100 Continue); returns its status."""
        _, status, _, _ = self._read_head()
        return status

    def at_eof(self, timeout=IO_TIMEOUT_S):
        """True when the server closed the connection within timeout (data left unread is an
        error)."""
        self.sock.settimeout(timeout)
        try:
            return not self._fill()
        except socket.timeout:
            return False

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def raw_request(server, data, method=None, timeout=IO_TIMEOUT_S):
    """Sends data (a complete hand-made request, bytes) on a fresh connection and returns the
    RawResponse read back (Content-Length, chunked, or until the server closes)."""
    if method is None:
        method = data.split(b" ", 1)[0].decode("ascii", "replace")
    with RawConnection(server, timeout=timeout) as rc:
        rc.send(data)
        return rc.read_response(method=method)


# --- assertions ------------------------------------------------------------------------------

def assert_problem(tc, resp, status, name):
    """Asserts an RFC 9457 problem of ours: status, media type, absolute type URI, title,
    status member, detail. Returns the document."""
    tc.assertEqual(resp.status, status, f"status of {resp!r}")
    tc.assertEqual(resp.media_type, "application/problem+json", f"content type of {resp!r}")
    try:
        doc = resp.json()
    except ValueError as e:
        tc.fail(f"problem body is not JSON ({e}): {resp.body[:300]!r}")
    tc.assertIsInstance(doc, dict)
    tc.assertEqual(doc.get("type"), PROBLEM_BASE + name, f"problem type in {doc}")
    tc.assertIsInstance(doc.get("title"), str, f"title in {doc}")
    tc.assertTrue(doc["title"], f"empty title in {doc}")
    tc.assertEqual(doc.get("status"), status, f"status member in {doc}")
    tc.assertIsInstance(doc.get("detail"), str, f"detail in {doc}")
    return doc


# --- a private PostgreSQL --------------------------------------------------------------------

class PrivateCluster:
    """A throw-away PostgreSQL 15 cluster for destructive tests (stop, kill, restart): initdb
    in a temp dir owned by the postgres user, started with pg_ctl on a free port listening on
    127.0.0.1 only. url is postgresql://postgres@127.0.0.1:<port>/postgres (trust auth).
    settings: extra server settings (dict), e.g. {"fsync": "off"} where durability does not
    matter. Cleanup stops it (immediate) and removes the directory."""

    def __init__(self, settings=None):
        self.settings = dict(settings or {})
        self.port = None
        self._tmp = None
        self._running = False
        self._final_log = None
        self._closed_at = None

    @property
    def data_dir(self):
        return os.path.join(self._tmp, "data")

    @property
    def log_path(self):
        return os.path.join(self._tmp, "postgres.log")

    @property
    def url(self):
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _as_postgres(self, cmd):
        return (["runuser", "-u", "postgres", "--"] + cmd) if os.geteuid() == 0 else cmd

    def _run(self, cmd, timeout=RUN_TIMEOUT_S, check=True):
        run = subprocess.run(self._as_postgres(cmd), capture_output=True, text=True,
                             timeout=timeout, stdin=subprocess.DEVNULL)
        if check and run.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({run.returncode}):\n{run.stdout}\n"
                               f"{run.stderr}\npostgres log:\n{tail(self.log_text())}")
        return run

    def __enter__(self):
        try:
            self.create()
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def create(self):
        self._tmp = tempfile.mkdtemp(prefix="recours-pg-")
        _registry.append(self)
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            os.chown(self._tmp, pw.pw_uid, pw.pw_gid)
        self._run([os.path.join(PG_BIN, "initdb"), "-D", self.data_dir, "-A", "trust",
                   "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])

    def start(self, timeout=60):
        """Starts the cluster (on the same port after the first time) and waits until it
        accepts connections."""
        attempts = 1 if self.port is not None else 5
        for _ in range(attempts):
            if self.port is None or attempts > 1:
                self.port = free_port()
            opts = [f"-p {self.port}", "-c listen_addresses=127.0.0.1",
                    f"-c unix_socket_directories={self._tmp}"]
            opts += [f"-c {k}={v}" for k, v in self.settings.items()]
            run = self._run([os.path.join(PG_BIN, "pg_ctl"), "-D", self.data_dir, "-l",
                             self.log_path, "-w", "-t", str(timeout), "-o", " ".join(opts),
                             "start"], timeout=timeout + 30, check=False)
            if run.returncode == 0:
                self._running = True
                return
            if "Address already in use" not in self.log_text():
                break
        raise RuntimeError(f"pg_ctl start failed:\n{run.stdout}\n{run.stderr}\npostgres log:\n"
                           f"{tail(self.log_text())}")

    def stop(self, mode="fast", timeout=60):
        self._run([os.path.join(PG_BIN, "pg_ctl"), "-D", self.data_dir, "-m", mode, "-w",
                   "-t", str(timeout), "stop"], timeout=timeout + 30)
        self._running = False

    def psql(self, sql, database="postgres"):
        """Runs sql with psql as postgres; returns the rows as lists of fields."""
        url = f"postgresql://postgres@127.0.0.1:{self.port}/{database}"
        run = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v",
                              "ON_ERROR_STOP=1", "-d", url, "-c", sql],
                             capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
        if run.returncode != 0:
            raise AssertionError(f"psql failed ({run.returncode}): {run.stderr.strip()}")
        return [line.split("\t") for line in run.stdout.splitlines() if line != ""]

    def log_text(self):
        if self._final_log is not None:
            return self._final_log
        if self._tmp is None:
            return ""
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def close(self):
        if self._closed_at is not None:
            return
        if self._tmp is not None and os.path.exists(os.path.join(self.data_dir,
                                                                 "postmaster.pid")):
            self._run([os.path.join(PG_BIN, "pg_ctl"), "-D", self.data_dir, "-m", "immediate",
                       "-w", "stop"], check=False)
        self._running = False
        self._final_log = self.log_text()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
        self._closed_at = time.monotonic()

    def describe(self):
        return f"private PostgreSQL on port {self.port}"


# --- running a test file ---------------------------------------------------------------------

class _LogTailResult(unittest.TextTestResult):
    """Prints the log tails of every server and cluster alive during a failed test."""

    def startTest(self, test):
        self._test_started = time.monotonic()
        super().startTest(test)

    def _print_tails(self):
        started = getattr(self, "_test_started", 0.0)
        for item in _registry:
            if item._closed_at is not None and item._closed_at < started:
                continue
            self.stream.write(f"\n----- last lines of the log of {item.describe()} -----\n")
            self.stream.write(tail(item.log_text()) + "\n")
            self.stream.write("----- end of log -----\n")
        self.stream.flush()

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._print_tails()

    def addError(self, test, err):
        super().addError(test, err)
        self._print_tails()


def main():
    """Runs the tests of the calling script (unittest command line accepted) verbosely and
    exits non-zero on any failure."""
    runner = unittest.TextTestRunner(verbosity=2, resultclass=_LogTailResult)
    prog = unittest.main(module="__main__", testRunner=runner, exit=False, verbosity=2)
    sys.exit(0 if prog.result.wasSuccessful() else 1)
