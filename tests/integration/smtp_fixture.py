#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""A real SMTP server for the mail tests (docs/mail.md): Debian's aiosmtpd (python3-aiosmtpd,
scripts/lib/packages.sh) on a free port of 127.0.0.1, plain or with STARTTLS required (a
certificate made here for 127.0.0.1) and AUTH. It keeps what it received, can refuse (any
reply, e.g. "451 …" or "550 …") and can be stopped and started again on the same port (a
relay down, then back). Tests wait for messages with a deadline, never for time."""

import os
import shutil
import subprocess
import sys
import tempfile
import threading

try:
    import aiosmtpd  # noqa: F401
except ImportError:
    # Debian's package lives in the system's dist-packages, which an interpreter of its own
    # (a virtualenv, pyenv) does not search
    sys.path.append("/usr/lib/python3/dist-packages")
from aiosmtpd.controller import Controller  # noqa: E402
from aiosmtpd.smtp import AuthResult, LoginPassword  # noqa: E402

import harness  # noqa: E402


class Received:
    """One message as the relay got it."""

    def __init__(self, mail_from, rcpt_tos, data, tls, login):
        self.mail_from = mail_from
        self.rcpt_tos = list(rcpt_tos)
        self.data = data      # bytes, as sent
        self.tls = tls        # the session had switched to TLS (STARTTLS)
        self.login = login    # the AUTH login, or None


class _Handler:
    def __init__(self, fixture):
        self.fixture = fixture

    async def handle_DATA(self, server, session, envelope):
        f = self.fixture
        with f.lock:
            f.attempts += 1
            if f.refuse is not None:
                return f.refuse
            auth = getattr(session, "auth_data", None)
            login = auth.login.decode() if isinstance(auth, LoginPassword) else None
            f.received.append(Received(envelope.mail_from, envelope.rcpt_tos, envelope.content,
                                       session.ssl is not None, login))
            f.cond.notify_all()
        return "250 2.0.0 OK"


def _make_cert(directory):
    cert = os.path.join(directory, "smtp-cert.pem")
    key = os.path.join(directory, "smtp-key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True, timeout=harness.RUN_TIMEOUT_S)
    return cert, key


class SmtpFixture:
    """start() / stop() / close(); url for --smtp-url; cafile for --smtp-ca-file (STARTTLS);
    refuse = "451 4.3.0 try later" makes it refuse every message until set to None."""

    def __init__(self, starttls=False, user=None, password=None):
        self.lock = threading.Lock()
        self.cond = threading.Condition(self.lock)
        self.received = []
        self.attempts = 0
        self.refuse = None
        self.port = harness.free_port()
        self.user = user
        self.password = password
        self.dir = tempfile.mkdtemp(prefix="recours-smtp-")
        self.cafile = None
        self._tls_context = None
        if starttls:
            import ssl
            self.cafile, key = _make_cert(self.dir)
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(self.cafile, key)
            self._tls_context = ctx
        self._controller = None

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.port}"

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and self.user is not None
              and auth_data.login.decode() == self.user
              and auth_data.password.decode() == self.password)
        return AuthResult(success=ok, auth_data=auth_data if ok else None)

    def start(self):
        kwargs = {}
        if self._tls_context is not None:
            kwargs.update(tls_context=self._tls_context, require_starttls=True)
        if self.user is not None:
            kwargs.update(authenticator=self._authenticate, auth_required=True,
                          auth_require_tls=self._tls_context is not None)
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port,
                                      **kwargs)
        self._controller.start()
        return self

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def close(self):
        """Stops the relay and removes its directory (the STARTTLS certificate and key): a
        test run used to leave one empty directory per fixture in /tmp."""
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def messages(self, to=None):
        with self.lock:
            return [m for m in self.received if to is None or to in m.rcpt_tos]

    def wait_messages(self, to, n=1, timeout=30.0):
        """The messages to address `to` once there are at least n (AssertionError past the
        deadline)."""
        return harness.poll(lambda: (lambda ms: ms if len(ms) >= n else None)(self.messages(to)),
                            timeout, what=f"{n} message(s) at the SMTP fixture")

    def wait_attempts(self, n, timeout=30.0):
        """Waits until the relay has seen at least n DATA commands (refused ones included)."""
        return harness.poll(lambda: self.attempts >= n, timeout,
                            what=f"{n} delivery attempt(s) at the SMTP fixture")
