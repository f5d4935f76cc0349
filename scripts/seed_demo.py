#!/usr/bin/env python3
"""Seeds the demo mailbox: writes maildir files for Dovecot (LAYOUT=fs, "/" delimiter).

    python3 scripts/seed_demo.py MAILDIR_ROOT      e.g. /tmp/imap-gateway-demo/mail/demo

Folders in several languages, 40+ messages with attachments (PDF, PNG, text), RFC 2047 subjects
in UTF-8, ISO-8859-1, KOI8-R and ISO-2022-JP, multipart/alternative, an attached
message/rfc822, some flagged/seen/answered, drafts. Deterministic: same input, same mail.
Files are chowned to the dovecot user when run as root.
"""
import base64
import os
import pwd
import random
import struct
import sys
import zlib
from datetime import datetime, timedelta, timezone
from email import policy
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.base import MIMEBase
from email.mime.image import MIMEImage
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime

# compat32 keeps our hand-picked charsets in encoded words instead of re-encoding as UTF-8.
POLICY = policy.compat32.clone(linesep="\n")
START = datetime(2024, 1, 8, 9, 30, tzinfo=timezone.utc)
MESSAGE_IDS = 0


def mutf7(name):
    """Modified UTF-7 (RFC 3501 5.1.3): how Dovecot names maildir folders on disk."""
    out, pending = [], []

    def flush():
        if pending:
            raw = "".join(pending).encode("utf-16-be")
            out.append("&" + base64.b64encode(raw).decode().rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            pending.append(ch)
    flush()
    return "".join(out)


def tiny_png():
    """A valid 16x16 PNG: a blue square with a yellow diagonal."""
    rows = b""
    for y in range(16):
        rows += b"\x00" + b"".join(b"\xff\xd7\x00" if x == y else b"\x1f\x4e\xa8" for x in range(16))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def tiny_pdf(title):
    """A minimal one-page PDF (real enough for viewers that tolerate a missing xref table)."""
    text = title.encode("latin-1", "replace")
    stream = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body = b"%PDF-1.4\n"
    for number, obj in enumerate(objects, 1):
        body += str(number).encode() + b" 0 obj\n" + obj + b"\nendobj\n"
    return body + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


PEOPLE = [
    ("Jürgen Müller", "juergen@example.de", "iso-8859-1"),
    ("Анна Петрова", "anna@example.ru", "koi8-r"),
    ("山田太郎", "taro@example.jp", "iso-2022-jp"),
    ("Zoë Ångström", "zoe@example.se", "utf-8"),
    ("Bob Smith", "bob@example.com", "us-ascii"),
    ("François Dupont", "francois@example.fr", "iso-8859-1"),
]
ME = ("Demo User", "demo@example.org")


def encoded_word(value, charset):
    """RFC 2047 in the given charset (UTF-8 if the text does not fit it); plain ASCII as is."""
    if all(ord(c) < 128 for c in value):
        return value
    try:
        value.encode(charset)
    except (UnicodeEncodeError, LookupError):
        charset = "utf-8"
    return Header(value, charset).encode()


def address(name, email, charset="utf-8"):
    if all(ord(c) < 128 for c in name):
        return f'"{name}" <{email}>'
    return f"{encoded_word(name, charset)} <{email}>"


class Mailbox:
    def __init__(self, root):
        self.root = root
        self.count = 0
        self.sequence = 0
        owner = pwd.getpwnam("dovecot") if os.geteuid() == 0 else None
        self.owner = (owner.pw_uid, owner.pw_gid) if owner else None

    def folder_path(self, folder):
        return self.root if folder == "INBOX" else os.path.join(self.root, mutf7(folder))

    def deliver(self, folder, message, date, flags=""):
        path = self.folder_path(folder)
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(path, sub), exist_ok=True)
        data = message.as_bytes(policy=POLICY)
        self.sequence += 1
        stamp = int(date.timestamp())
        name = f"{stamp}.M{self.sequence:06d}P{os.getpid()}.demo,S={len(data)}:2,{''.join(sorted(flags))}"
        file = os.path.join(path, "cur", name)
        with open(file, "wb") as handle:
            handle.write(data)
        os.utime(file, (stamp, stamp))  # INTERNALDATE
        self.count += 1

    def chown_all(self):
        if not self.owner:
            return
        for directory, subdirs, files in os.walk(self.root):
            os.chown(directory, *self.owner)
            for entry in subdirs + files:
                os.chown(os.path.join(directory, entry), *self.owner)


def headers(msg, sender, subject, date, charset="utf-8", to=ME):
    name, email, sender_charset = sender
    msg["From"] = address(name, email, sender_charset if sender_charset != "us-ascii" else "utf-8")
    msg["To"] = address(*to)
    msg["Subject"] = encoded_word(subject, charset)
    msg["Date"] = format_datetime(date)
    global MESSAGE_IDS
    MESSAGE_IDS += 1
    msg["Message-ID"] = f"<demo-{MESSAGE_IDS:03d}@demo.example.org>"
    return msg


def text(sender, subject, body, date, charset="utf-8"):
    body.encode(charset)  # a demo message in a charset that cannot carry it is a bug here
    return headers(MIMEText(body, "plain", charset), sender, subject, date, charset)


def alternative(sender, subject, plain, html, date, charset="utf-8"):
    msg = MIMEMultipart("alternative")
    msg.attach(MIMEText(plain, "plain", charset))
    msg.attach(MIMEText(html, "html", charset))
    return headers(msg, sender, subject, date, charset)


def with_attachments(sender, subject, body, date, attachments, charset="utf-8"):
    msg = MIMEMultipart("mixed")
    msg.attach(MIMEText(body, "plain", charset))
    for kind, filename, data in attachments:
        if kind == "pdf":
            part = MIMEApplication(data, "pdf")
        elif kind == "png":
            part = MIMEImage(data, "png")
        elif kind == "txt":
            part = MIMEText(data, "plain", "utf-8")
        else:
            part = MIMEBase("application", "octet-stream")
            part.set_payload(base64.encodebytes(data).decode())
            part["Content-Transfer-Encoding"] = "base64"
        if all(ord(c) < 128 for c in filename):
            part.add_header("Content-Disposition", "attachment", filename=filename)
        else:  # RFC 2231
            part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", filename))
        msg.attach(part)
    return headers(msg, sender, subject, date, charset)


def forwarded(sender, subject, date, inner):
    msg = MIMEMultipart("mixed")
    msg.attach(MIMEText("Forwarding the original below.\n", "plain", "utf-8"))
    msg.attach(MIMEMessage(inner))
    return headers(msg, sender, subject, date)


def related(sender, subject, date, png):
    msg = MIMEMultipart("related")
    alt = MIMEMultipart("alternative")
    alt.attach(MIMEText("Our new logo is attached inline.\n", "plain", "utf-8"))
    alt.attach(MIMEText('<p>Our new logo: <img src="cid:logo@demo"></p>\n', "html", "utf-8"))
    msg.attach(alt)
    image = MIMEImage(png, "png")
    image.add_header("Content-ID", "<logo@demo>")
    image.add_header("Content-Disposition", "inline", filename="logo.png")
    msg.attach(image)
    return headers(msg, sender, subject, date)


def seed(root):
    random.seed(2047)  # MIME boundaries come from `random`: same mail on every run
    box = Mailbox(root)
    png, when = tiny_png(), START
    juergen, anna, taro, zoe, bob, francois = PEOPLE

    def tick(hours=37):
        nonlocal when
        when += timedelta(hours=hours)
        return when

    # INBOX: the everyday mix.
    box.deliver("INBOX", text(bob, "Welcome to the IMAP gateway demo", "Hi!\n\nThis mailbox was seeded by scripts/seed_demo.py.\n", tick()), date=when, flags="S")
    box.deliver("INBOX", text(juergen, "Grüße aus München - Übersicht", "Hallo,\n\nanbei die Übersicht für nächste Woche.\n\nGrüße\nJürgen\n", tick(), "iso-8859-1"), date=when, flags="SF")
    box.deliver("INBOX", text(anna, "Привет! Отчёт за квартал", "Добрый день!\n\nОтчёт готов.\n\nАнна\n", tick(), "koi8-r"), date=when)
    box.deliver("INBOX", text(taro, "会議の議事録について", "お疲れ様です。\n議事録を送ります。\n\n山田\n", tick(), "iso-2022-jp"), date=when, flags="S")
    box.deliver("INBOX", alternative(zoe, "Smörgåsbord on Friday? 🍣", "Plain text: are you in?\n", "<html><body><p><b>HTML:</b> are you in? 🍣</p></body></html>\n", tick()), date=when)
    box.deliver("INBOX", alternative(francois, "Réunion de l'équipe", "Bonjour à tous,\n\nréunion jeudi.\n", "<p>Bonjour à tous,</p><p>réunion <i>jeudi</i>.</p>\n", tick(), "iso-8859-1"), date=when, flags="RS")
    box.deliver("INBOX", with_attachments(bob, "Q3 numbers (PDF attached)", "Numbers attached.\n", tick(), [("pdf", "q3-numbers.pdf", tiny_pdf("Q3 numbers"))]), date=when, flags="S")
    box.deliver("INBOX", with_attachments(zoe, "Photo from the trip", "A tiny picture.\n", tick(), [("png", "trip.png", png)]), date=when, flags="F")
    box.deliver("INBOX", with_attachments(juergen, "Übersicht 2024 und Notizen", "Anbei PDF, Bild und Notizen.\n", tick(), [
        ("pdf", "Übersicht 2024.pdf", tiny_pdf("Uebersicht 2024")),
        ("png", "Diagramm.png", png),
        ("txt", "notizen.txt", "Notizen:\n- Budget prüfen\n- Termine abstimmen\n"),
    ], "iso-8859-1"), date=when)
    inner = text(anna, "Исходное письмо", "Это исходное письмо.\n", START - timedelta(days=3), "koi8-r")
    box.deliver("INBOX", forwarded(bob, "Fwd: original from Anna", tick(), inner), date=when, flags="S")
    box.deliver("INBOX", related(zoe, "New logo (inline image)", tick(), png), date=when)
    box.deliver("INBOX", text(taro, "【重要】サーバーメンテナンスのお知らせ", "来週サーバーのメンテナンスがあります。\n", tick(), "iso-2022-jp"), date=when, flags="F")
    for n in range(1, 11):
        sender = PEOPLE[n % len(PEOPLE)]
        subject = f"Newsletter #{n}: what's new" if n % 2 else f"Status update {n} — all green ✅"
        box.deliver("INBOX", text(sender, subject, f"Update number {n}.\n" + "Lorem ipsum dolor sit amet. " * n + "\n", tick(11)), date=when, flags="S" if n < 7 else "")

    # Drafts and Sent (special-use folders from the shared Dovecot config).
    box.deliver("Drafts", text(ME + ("utf-8",), "Entwurf: Antwort an Jürgen", "Lieber Jürgen,\n\n(noch nicht fertig)\n", tick()), date=when, flags="DS")
    box.deliver("Drafts", with_attachments(ME + ("utf-8",), "Draft with attachment", "Draft body.\n", tick(), [("txt", "todo.txt", "1. write\n2. send\n")]), date=when, flags="DS")
    for n, person in enumerate(PEOPLE[:4], 1):
        msg = text(ME + ("utf-8",), f"Re: message {n}", f"Thanks, {person[0]}!\n", tick())
        msg.replace_header("To", address(person[0], person[1], "utf-8"))
        box.deliver("Sent", msg, date=when, flags="S")
    box.deliver("Trash", text(bob, "Old spam-ish thing", "Deleted long ago.\n", tick()), date=when, flags="S")
    box.deliver("Junk", text(("Prize Office", "win@spam.example", "us-ascii"), "You have WON!!!", "Click here.\n", tick()), date=when)
    box.deliver("Archive", text(francois, "Archivé : ancien projet", "Projet terminé.\n", tick(), "iso-8859-1"), date=when, flags="S")

    # Folders in several languages and with awkward characters.
    for year in (2024, 2025):
        for quarter in range(1, 4):
            box.deliver(f"Reports/{year}", with_attachments(bob, f"Report {year} Q{quarter}", f"Quarterly report {year} Q{quarter}.\n", tick(), [("pdf", f"report-{year}-q{quarter}.pdf", tiny_pdf(f"Report {year} Q{quarter}"))]), date=when, flags="S" if quarter < 3 else "")
    for n in range(1, 4):
        box.deliver("Rechnungen", with_attachments(juergen, f"Rechnung Nr. 2025-{n:03d} - Büromaterial", f"Sehr geehrte Damen und Herren,\n\nanbei Rechnung {n}.\n", tick(), [("pdf", f"Rechnung-2025-{n:03d}.pdf", tiny_pdf(f"Rechnung {n}"))], "iso-8859-1"), date=when, flags="S" if n == 1 else "F")
    box.deliver("Входящие проекты", text(anna, "Новый проект: \"Север\"", "Коллеги, стартуем проект \"Север\".\n", tick(), "koi8-r"), date=when)
    box.deliver("Входящие проекты", text(anna, "Проект «Юг» — план", "План во вложении не нужен.\n", tick(), "utf-8"), date=when, flags="S")
    box.deliver("日本語", text(taro, "日本語のテストメール", "これはテストです。\n", tick(), "iso-2022-jp"), date=when)
    box.deliver("日本語", text(taro, "UTF-8 の件名 🎌", "UTF-8 本文。\n", tick(), "utf-8"), date=when, flags="F")
    box.deliver("Café & Bar", alternative(francois, "Menu du café & bar", "Café, thé, crème brûlée.\n", "<ul><li>Café</li><li>Thé</li><li>Crème brûlée</li></ul>\n", tick(), "iso-8859-1"), date=when)
    box.deliver("100% done", text(bob, "100% done: migration finished", "All done.\n", tick()), date=when, flags="S")
    box.deliver("[Brackets]", text(bob, "[JIRA-123] Bracketed subject", "Folder name with brackets.\n", tick()), date=when)

    box.chown_all()
    return box.count


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    count = seed(sys.argv[1])
    print(f"seed_demo: {count} messages in {sys.argv[1]}")
