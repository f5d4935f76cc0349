"""Shared by the browser and generated-client tests: settings from the environment the Swift
test sets, seeding over raw IMAP, direct API calls, and a small pass/fail tally."""
import base64
import email.utils
import imaplib
import json
import os
import struct
import sys
import traceback
import urllib.request
import uuid
import zlib

GATEWAY = os.environ["GATEWAY_URL"].rstrip("/")
IMAP_HOST = os.environ["IMAP_HOST"]
IMAP_PORT = int(os.environ["IMAP_PORT"])
USER = os.environ["IMAP_USER"]
PASSWORD = os.environ["IMAP_PASSWORD"]
AUTH = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def imap():
    connection = imaplib.IMAP4(IMAP_HOST, IMAP_PORT)
    connection.login(USER, PASSWORD)
    return connection


def append(folder, message, flags=""):
    connection = imap()
    try:
        connection.create(f'"{folder}"')
        status, detail = connection.append(f'"{folder}"', flags, None, message)
        assert status == "OK", detail
    finally:
        connection.logout()


def append_many(folder, messages):
    connection = imap()
    try:
        connection.create(f'"{folder}"')
        for message in messages:
            status, detail = connection.append(f'"{folder}"', "", None, message)
            assert status == "OK", detail
    finally:
        connection.logout()


def api(path, method="GET", body=None, content_type=None):
    request = urllib.request.Request(GATEWAY + path, method=method, data=body, headers={"Authorization": AUTH})
    if content_type:
        request.add_header("Content-Type", content_type)
    with urllib.request.urlopen(request, timeout=60) as response:
        data = response.read()
        return json.loads(data) if "json" in (response.headers.get("Content-Type") or "") else data


def folder_path(name):
    return "/folders/" + urllib.request.quote(name, safe="")


def png(red, green, blue):
    """A 2x2 PNG of one colour, made here (no files, no downloads)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes([red, green, blue]) * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def headers(subject, extra=""):
    return (f"From: Ann Example <ann@example.com>\r\nTo: {USER}@example.org\r\nSubject: {subject}\r\n"
            f"Date: {email.utils.formatdate()}\r\nMessage-ID: <{uuid.uuid4().hex}@example.com>\r\nMIME-Version: 1.0\r\n{extra}")


def plain(subject, body="Hello."):
    return (headers(subject, "Content-Type: text/plain; charset=utf-8\r\n") + "\r\n" + body + "\r\n").encode()


def html_with_image(subject, html, image):
    b64 = base64.encodebytes(image).decode().replace("\n", "\r\n")
    return (headers(subject, 'Content-Type: multipart/related; boundary="rel"\r\n') + "\r\n"
            "--rel\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html + "\r\n"
            "--rel\r\nContent-Type: image/png\r\nContent-ID: <logo@example>\r\nContent-Disposition: inline; filename=\"logo.png\"\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n" + b64 + "--rel--\r\n").encode()


def with_attachment(subject, filename, payload):
    b64 = base64.encodebytes(payload).decode().replace("\n", "\r\n")
    encoded = "UTF-8''" + urllib.request.quote(filename, safe="")
    return (headers(subject, 'Content-Type: multipart/mixed; boundary="mix"\r\n') + "\r\n"
            "--mix\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee the attachment.\r\n"
            f"--mix\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename*={encoded}\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n" + b64 + "--mix--\r\n").encode()


class Tally:
    """Runs named checks, prints each outcome, and ends with 'N passed, M failed'."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, name, function, *args):
        try:
            function(*args)
            self.passed += 1
            print(f"PASS {name}", flush=True)
            return True
        except Exception:
            self.failed += 1
            print(f"FAIL {name}\n{traceback.format_exc()}", flush=True)
            return False

    def finish(self):
        print(f"{self.passed} passed, {self.failed} failed", flush=True)
        sys.exit(0 if self.failed == 0 and self.passed > 0 else 1)
