# SPDX-License-Identifier: AGPL-3.0-or-later
"""Evidence files for the tests (docs/evidence.md): minimal files of each accepted type, made
with the standard library, and the claimant's upload through the API."""

import os
import struct
import urllib.parse
import zlib

import assoc_fixtures as af


def pdf(size=600):
    """A PDF of exactly size bytes: the header, a comment of random bytes, the trailer."""
    head = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%"
    tail = b"\ntrailer\n<< /Root 1 0 R >>\nstartxref\n16\n%%EOF\n"
    pad = size - len(head) - len(tail)
    if pad < 0:
        raise ValueError("too small for a PDF")
    # random bytes, without CR or LF so the comment stays one line
    body = bytes(b if b not in (10, 13) else 32 for b in os.urandom(pad))
    return head + body + tail


def png():
    """A 1×1 RGB PNG."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    raw = b"\x00\xff\x00\x00"
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def jpeg():
    """The head and tail of a JFIF file around a few bytes (the checks read no more)."""
    return (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
            + os.urandom(200) + b"\xff\xd9")


def upload_path(claim, name=None):
    path = f"/v1/claims/{claim['reference']}/evidence"
    if name is not None:
        path += "?name=" + urllib.parse.quote(name)
    return path


def upload(server, claim, data, name=None, client=None, headers=None):
    """POST the bytes as the claim's evidence with its token; the response."""
    hdrs = {"Content-Type": "application/octet-stream"}
    hdrs.update(headers or {})
    return af.request(server, "POST", upload_path(claim, name), token=claim["token"], body=data,
                      headers=hdrs, client=client)


def uploaded(server, claim, data=None, name="loss.pdf", client=None):
    """Uploads (a small PDF by default) and returns the stored file's JSON; asserts 201."""
    r = upload(server, claim, data if data is not None else pdf(), name, client=client)
    if r.status != 201:
        raise AssertionError(f"evidence upload refused: {r!r}")
    return r.json()


def multipart(parts, boundary="----recoursTestBoundary7MA4YWxkTrZu0gW"):
    """(Content-Type, body) of a browser's multipart/form-data post: parts are (name, text) or
    (name, (filename, bytes, content type)), in the form's order."""
    out = b""
    for name, value in parts:
        out += f"--{boundary}\r\n".encode()
        if isinstance(value, tuple):
            filename, data, ctype = value
            out += (f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                    f"Content-Type: {ctype}\r\n\r\n").encode() + data + b"\r\n"
        else:
            out += (f'Content-Disposition: form-data; name="{name}"\r\n\r\n'
                    f"{value}\r\n").encode()
    out += f"--{boundary}--\r\n".encode()
    return f"multipart/form-data; boundary={boundary}", out
