# SPDX-License-Identifier: AGPL-3.0-or-later
"""A TCP proxy between recours and PostgreSQL that cuts connections at chosen moments of the
intake writers' transactions (tests/integration/test_intake_write_faults.py).

It listens on 127.0.0.1 and forwards to the PostgreSQL of a database URL; give the server
`proxy.url` instead. It reads the frontend/backend protocol (PostgreSQL docs, "Message
Formats") in both directions, whole messages at a time:

  - an SSLRequest or GSSENCRequest is answered 'N' by the proxy itself (the bytes must stay
    readable), so libpq goes on in plain text: do not give it a URL with sslmode=require;
  - a writer's batch transaction is recognised by the Bind of the prepared statement
    `db_claims_insert_batch` (api/db/claims_batch.c) after a simple-query BEGIN; its COMMIT is
    the simple query "COMMIT" (api/service/tx.c);
  - every `every`-th such transaction is cut, the kinds in turn (KINDS):
      mid_batch       half of the Bind forwarded, then both sides closed: rolled back;
      before_commit   the COMMIT never forwarded: rolled back;
      reply_lost      the COMMIT forwarded, PostgreSQL's answer read to its ReadyForQuery and
                      dropped, then both sides closed: committed, the writer cannot know it;
      after_reply     the answer forwarded, then both sides closed: committed and known, the
                      connection dead for the writer's next batch.
  - cut_next(kind) cuts the next batch transaction that way, once;
  - cut_all() closes every connection open at that moment (the request threads' too).

A cut closes both sockets; counts of connections and of each kind of cut are kept. Python
standard library, two threads per connection.
"""

import socket
import struct
import threading
import urllib.parse

KINDS = ("mid_batch", "before_commit", "reply_lost", "after_reply")

SSL_REQUEST = 80877103
GSSENC_REQUEST = 80877104
BATCH_STATEMENT = b"db_claims_insert_batch"


class _Closed(Exception):
    """The peer closed, or the proxy cut the connection."""


def _recv_exact(sock, n):
    chunks = []
    while n > 0:
        try:
            b = sock.recv(min(n, 1 << 16))
        except OSError as e:
            raise _Closed() from e
        if not b:
            raise _Closed()
        chunks.append(b)
        n -= len(b)
    return b"".join(chunks)


def _read_typed(sock):
    """One typed message: (type byte, the whole message bytes)."""
    head = _recv_exact(sock, 5)
    length = struct.unpack("!I", head[1:5])[0]
    if length < 4:
        raise _Closed()
    return head[:1], head + _recv_exact(sock, length - 4)


def _bind_statement(msg):
    """The prepared statement's name in a Bind message."""
    body = msg[5:]
    portal_end = body.find(b"\0")
    stmt_end = body.find(b"\0", portal_end + 1)
    return body[portal_end + 1:stmt_end] if portal_end >= 0 and stmt_end > 0 else b""


def _query_text(msg):
    return msg[5:].rstrip(b"\0").strip().rstrip(b";").strip().upper()


class _Link:
    """One proxied connection and what the proxy knows of its current transaction."""

    def __init__(self, proxy, client):
        self.proxy = proxy
        self.client = client
        self.server = None
        self.lock = threading.Lock()
        self.closed = False
        self.batch_tx = False      # the transaction in progress wrote a claims batch
        self.plan = None           # the kind of cut chosen for it, if any
        self.reply_action = None   # what to do with the answer to the COMMIT sent

    def cut(self, kind):
        """Closes both sides; counts the cut once under kind (None: not a cut, a close)."""
        with self.lock:
            if self.closed:
                return
            self.closed = True
        for s in (self.client, self.server):
            if s is None:
                continue
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()
        self.proxy._forget(self, kind)

    def send(self, sock, data):
        try:
            sock.sendall(data)
        except OSError as e:
            raise _Closed() from e

    def run(self):
        try:
            if not self.startup():
                return
            t = threading.Thread(target=self.server_to_client, daemon=True)
            t.start()
            self.client_to_server()
        except _Closed:
            pass
        finally:
            self.cut(None)

    def startup(self):
        """Answers SSL/GSS requests 'N' and forwards the startup packet (or a cancel)."""
        while True:
            head = _recv_exact(self.client, 8)
            length, code = struct.unpack("!II", head)
            rest = _recv_exact(self.client, length - 8) if length > 8 else b""
            if code in (SSL_REQUEST, GSSENC_REQUEST):
                self.send(self.client, b"N")
                continue
            break
        self.server = socket.create_connection(self.proxy.upstream, timeout=10)
        self.server.settimeout(None)
        # one write per message: without this, Nagle and delayed ACKs add 40 ms to each
        self.server.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.closed:  # cut_all() came while connecting
            self.server.close()
            return False
        self.send(self.server, head + rest)
        return True

    def client_to_server(self):
        while True:
            kind, msg = _read_typed(self.client)
            if kind == b"Q":
                text = _query_text(msg)
                if text.startswith(b"BEGIN"):
                    self.batch_tx, self.plan = False, None
                elif text == b"COMMIT" and self.batch_tx:
                    plan, self.batch_tx, self.plan = self.plan, False, None
                    if plan == "before_commit":
                        self.cut(plan)
                        return
                    if plan in ("reply_lost", "after_reply"):
                        self.reply_action = plan
            elif kind == b"B" and _bind_statement(msg) == BATCH_STATEMENT and not self.batch_tx:
                self.batch_tx = True
                self.plan = self.proxy._next_plan()
                if self.plan == "mid_batch":
                    self.send(self.server, msg[:len(msg) // 2])
                    self.cut("mid_batch")
                    return
            self.send(self.server, msg)

    def server_to_client(self):
        try:
            while True:
                kind, msg = _read_typed(self.server)
                action = self.reply_action
                if action != "reply_lost":
                    self.send(self.client, msg)
                if action is not None and kind == b"Z":  # the end of the COMMIT's answer
                    self.cut(action)
                    return
        except _Closed:
            self.cut(None)


class FaultProxy:
    """Use as a context manager, or call start() and close(). every: one batch transaction
    out of `every` is cut (0: none; set it any time)."""

    def __init__(self, database_url, every=0):
        parts = urllib.parse.urlsplit(database_url)
        self._parts = parts
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 5432)
        self.every = every
        self._lock = threading.Lock()
        self._links = set()
        self._batches = 0
        self._turn = 0
        self._queued = []
        self.connections = 0
        self.cuts = {k: 0 for k in KINDS + ("all",)}
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = self._listener.getsockname()[1]
        self._thread = None

    @property
    def url(self):
        """database_url with the proxy's address instead of PostgreSQL's."""
        netloc = self._parts.netloc
        userinfo = netloc.rsplit("@", 1)[0] + "@" if "@" in netloc else ""
        return urllib.parse.urlunsplit(
            self._parts._replace(netloc=f"{userinfo}127.0.0.1:{self.port}"))

    def start(self):
        self._thread = threading.Thread(target=self._accept, daemon=True, name="fault-proxy")
        self._thread.start()
        return self

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()

    def _accept(self):
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # closed
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            link = _Link(self, client)
            with self._lock:
                self._links.add(link)
                self.connections += 1
            threading.Thread(target=link.run, daemon=True).start()

    def cut_next(self, kind):
        """The next batch transaction is cut this way, whatever `every` says."""
        with self._lock:
            self._queued.append(kind)

    def _next_plan(self):
        with self._lock:
            self._batches += 1
            if self._queued:
                return self._queued.pop(0)
            if self.every <= 0 or self._batches % self.every != 0:
                return None
            kind = KINDS[self._turn % len(KINDS)]
            self._turn += 1
            return kind

    def _forget(self, link, kind):
        with self._lock:
            self._links.discard(link)
            if kind is not None:
                self.cuts[kind] += 1

    def cut_all(self):
        """Closes every connection open now; returns how many."""
        with self._lock:
            links = list(self._links)
        for link in links:
            link.cut("all")
        return len(links)

    def counts(self):
        """A copy of the cut counts, by kind."""
        with self._lock:
            return dict(self.cuts)

    def close(self):
        self.every = 0
        try:
            self._listener.close()
        except OSError:
            pass
        with self._lock:
            links = list(self._links)
        for link in links:
            link.cut(None)
