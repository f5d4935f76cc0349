#!/usr/bin/env python3
"""Seeds a Dovecot maildir folder (LAYOUT=fs) with COUNT small, realistic messages, fast.

    python3 scripts/seed_maildir.py FOLDER_DIR COUNT      e.g. $DIR/mail/bench/Bench20k 20000

Writes cur/<unique>:2, files directly (as Tests/TestSupport's deliver() does), which is far
faster than APPEND: Dovecot picks them up at the next SELECT. Every message has From, To, Cc
(some), Subject, Date and Message-ID; one in four is multipart/alternative (text + HTML), one in
ten multipart/mixed with a small attachment, so BODYSTRUCTURE is not trivial. The file mtime is
the Date (Dovecot's INTERNALDATE), a few are \\Seen or \\Flagged. Deterministic. Files are
chowned to the dovecot user when run as root. Names are ASCII only: pass an ASCII folder name.
"""
import base64
import os
import pwd
import random
import sys
from email.utils import format_datetime
from datetime import datetime, timedelta, timezone

PEOPLE = [("Alice Martin", "alice@example.com"), ("Bob Schmidt", "bob@example.org"),
          ("Chloé Dubois", "chloe@example.fr"), ("Dmitri Ivanov", "dmitri@example.net"),
          ("Eve Tanaka", "eve@example.jp"), ("Frank Müller", "frank@example.de"),
          ("Grace Okafor", "grace@example.com"), ("Henrik Larsen", "henrik@example.dk")]
TOPICS = ["Quarterly report", "Lunch on Friday?", "Re: build failure on main", "Invoice 2024-%04d",
          "Meeting notes", "Fwd: travel plans", "Release checklist", "Question about the API",
          "Holiday schedule", "Re: Re: contract draft"]
WORDS = ("the report is attached please review before our meeting next week thanks for the quick "
         "answer we should ship this on monday once the tests pass and the docs are done").split()
ATTACHMENT = base64.b64encode(b"a,b,c\n" * 20).decode()
START = datetime(2024, 1, 8, 9, 30, tzinfo=timezone.utc)


def header_address(person):
    name, address = person
    if name.isascii():
        return f"{name} <{address}>"
    # RFC 2047, as real clients send non-ASCII display names.
    return "=?UTF-8?B?%s?= <%s>" % (base64.b64encode(name.encode()).decode(), address)


def text(rng, lines):
    return "\r\n".join(" ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14))).capitalize() + "."
                       for _ in range(lines))


def message(n, rng):
    sender, recipient = rng.sample(PEOPLE, 2)
    date = START + timedelta(minutes=7 * n + rng.randint(0, 6))
    topic = rng.choice(TOPICS)
    subject = (topic % n if "%" in topic else topic) + f" #{n}"
    headers = [f"From: {header_address(sender)}", f"To: {header_address(recipient)}"]
    if n % 3 == 0:
        headers.append(f"Cc: {header_address(rng.choice(PEOPLE))}")
    headers += [f"Subject: {subject}", f"Date: {format_datetime(date)}",
                f"Message-ID: <seed{n}.{date.timestamp():.0f}@example.com>", "MIME-Version: 1.0"]
    body = text(rng, rng.randint(2, 8))
    if n % 10 == 0:
        boundary = f"mixed-{n}"
        headers.append(f'Content-Type: multipart/mixed; boundary="{boundary}"')
        parts = (f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
                 f"--{boundary}\r\nContent-Type: text/csv; name=\"data-{n}.csv\"\r\n"
                 f"Content-Disposition: attachment; filename=\"data-{n}.csv\"\r\n"
                 f"Content-Transfer-Encoding: base64\r\n\r\n"
                 f"{ATTACHMENT}\r\n--{boundary}--\r\n")
    elif n % 4 == 0:
        boundary = f"alt-{n}"
        headers.append(f'Content-Type: multipart/alternative; boundary="{boundary}"')
        parts = (f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
                 f"--{boundary}\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
                 f"<html><body><p>{body}</p></body></html>\r\n--{boundary}--\r\n")
    else:
        headers.append("Content-Type: text/plain; charset=utf-8")
        parts = body + "\r\n"
    flags = "S" if n % 2 else ""
    if n % 17 == 0:
        flags = "F" + flags
    return ("\r\n".join(headers) + "\r\n\r\n" + parts).encode(), date.timestamp(), flags


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    folder, count = sys.argv[1], int(sys.argv[2])
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(folder, sub), exist_ok=True)
    owner = pwd.getpwnam("dovecot") if os.geteuid() == 0 else None
    rng = random.Random(count)
    cur = os.path.join(folder, "cur")
    for n in range(1, count + 1):
        data, stamp, flags = message(n, rng)
        # Dovecot orders new files by name when it assigns UIDs: zero-padded sequence keeps Date order.
        path = os.path.join(cur, f"{int(stamp)}.M{n:07d}P1.seed,S={len(data)}:2,{flags}")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, data)
            if owner:
                os.fchown(fd, owner.pw_uid, owner.pw_gid)
        finally:
            os.close(fd)
        os.utime(path, (stamp, stamp))
    if owner:
        # The folder, its cur/new/tmp and the user's mail root (its parent) must be Dovecot's.
        for path in (folder, cur, os.path.join(folder, "new"), os.path.join(folder, "tmp"),
                     os.path.dirname(os.path.abspath(folder))):
            os.chown(path, owner.pw_uid, owner.pw_gid)


if __name__ == "__main__":
    main()
