#!/usr/bin/env python3
"""The IMAP work of one message-list page, done directly against the server (no gateway).

    python3 scripts/bench_raw_imap_pages.py rate    PORT USER PASSWORD FOLDER CONNECTIONS SECONDS [search|sequence]
        Prints pages/s: CONNECTIONS connections, logged in and with FOLDER EXAMINEd before the
        clock starts, each doing one page after another for SECONDS.
    python3 scripts/bench_raw_imap_pages.py latency PORT USER PASSWORD FOLDER COUNT [search|sequence]
        Prints the median seconds of one page over COUNT sequential pages on one connection.
    python3 scripts/bench_raw_imap_pages.py alternate PORT USER PASSWORD FOLDER_A FOLDER_B COUNT one|two
        Prints "median p90" seconds of COUNT sequential sequence-mode pages alternating between
        the two folders: `one` on a single connection that EXAMINEs each folder before its page
        (a client with one session), `two` on two connections each keeping its folder EXAMINEd.

One page of 50 newest messages, the way a client would get it:
    search (default): what the issue's reference client does, and the gateway did before it
        read pages by sequence number (a UID SEARCH of the whole folder, then the page):
            UID SEARCH RETURN (ALL) ALL          (plain UID SEARCH ALL when ESEARCH is not offered)
            UID FETCH <the 50 highest UIDs, as ranges> (UID FLAGS ENVELOPE RFC822.SIZE INTERNALDATE BODYSTRUCTURE)
    sequence: what `GET /folders/{folder}/messages?limit=50` asks of the server now
        (Routes/MessageListBySequence.swift): one FETCH by sequence number from EXISTS (as EXAMINE
        and later untagged EXISTS/EXPUNGE told it)
            FETCH <max(1, EXISTS-49)>:* (UID FLAGS ENVELOPE RFC822.SIZE INTERNALDATE BODYSTRUCTURE)
Every response is read in full (literals included) and checked: a page must bring 50 FETCHes.
"""
import asyncio
import re
import statistics
import sys
import time

LIMIT = 50
ITEMS = "(UID FLAGS ENVELOPE RFC822.SIZE INTERNALDATE BODYSTRUCTURE)"
LITERAL = re.compile(rb"\{(\d+)\+?\}\r\n$")


class Session:
    def __init__(self, reader, writer, mode="search"):
        self.reader, self.writer, self.counter, self.esearch = reader, writer, 0, False
        self.mode, self.exists = mode, 0

    @classmethod
    async def open(cls, port, user, password, folder, mode="search"):
        reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 20)
        session = cls(reader, writer, mode)
        await reader.readuntil(b"\r\n")
        await session.command(f"LOGIN {quote(user)} {quote(password)}")
        capabilities = b" ".join(await session.command("CAPABILITY")).upper()
        session.esearch = b" ESEARCH" in capabilities
        await session.command(f"EXAMINE {quote(folder)}")
        return session

    async def command(self, text):
        """Sends a command; returns its untagged responses (literals inlined) once tagged OK."""
        self.counter += 1
        tag = b"p%d" % self.counter
        self.writer.write(tag + b" " + text.encode() + b"\r\n")
        responses = []
        while True:
            line = await self.reader.readuntil(b"\r\n")
            while (literal := LITERAL.search(line)) is not None:
                line += await self.reader.readexactly(int(literal.group(1)))
                line += await self.reader.readuntil(b"\r\n")
            if line.startswith(tag + b" "):
                if not line[len(tag) + 1:].startswith(b"OK"):
                    raise RuntimeError(f"{text}: {line!r}")
                return responses
            self.track(line)
            responses.append(line)

    def track(self, line):
        """Keeps EXISTS current from `* n EXISTS` and `* n EXPUNGE`, as an IMAP client does."""
        words = line.split(None, 3)
        if len(words) >= 3 and words[0] == b"*" and words[1].isdigit():
            if words[2].upper().startswith(b"EXISTS"):
                self.exists = int(words[1])
            elif words[2].upper().startswith(b"EXPUNGE"):
                self.exists = max(0, self.exists - 1)

    async def page(self):
        """One page; returns the number of FETCH responses (should be LIMIT)."""
        if self.mode == "sequence":
            if self.exists == 0:
                return 0
            fetched = await self.command(f"FETCH {max(1, self.exists - LIMIT + 1)}:* {ITEMS}")
            return sum(1 for line in fetched if b" FETCH (" in line[:40])
        if self.esearch:
            found = await self.command("UID SEARCH RETURN (ALL) ALL")
            uids = highest_in_esearch(found, LIMIT)
        else:
            found = await self.command("UID SEARCH ALL")
            numbers = [int(n) for line in found if line.startswith(b"* SEARCH")
                       for n in line.split()[2:]]
            uids = sorted(numbers)[-LIMIT:]
        if not uids:
            return 0
        fetched = await self.command(f"UID FETCH {as_ranges(uids)} {ITEMS}")
        return sum(1 for line in fetched if b" FETCH (" in line[:40])

    async def close(self):
        await self.command("LOGOUT")
        self.writer.close()


def quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def highest_in_esearch(lines, limit):
    """The `limit` highest UIDs of `* ESEARCH (TAG "x") UID ALL 1:5,9,...`, ascending."""
    for line in lines:
        words = line.split()
        if len(words) >= 2 and words[1].upper() == b"ESEARCH" and b"ALL" in words:
            sequence = words[words.index(b"ALL") + 1].decode()
            uids = []
            for piece in reversed(sequence.split(",")):
                low, _, high = piece.partition(":")
                low, high = int(low), int(high or low)
                low, high = min(low, high), max(low, high)
                uids.extend(range(high, max(low, high - (limit - len(uids))) - 1, -1))
                if len(uids) >= limit:
                    break
            return sorted(uids[:limit])
    return []


def as_ranges(uids):
    ranges, start, previous = [], uids[0], uids[0]
    for uid in uids[1:]:
        if uid != previous + 1:
            ranges.append(f"{start}:{previous}" if start != previous else f"{start}")
            start = uid
        previous = uid
    ranges.append(f"{start}:{previous}" if start != previous else f"{start}")
    return ",".join(ranges)


async def rate(port, user, password, folder, connections, seconds, mode):
    sessions = await asyncio.gather(*(Session.open(port, user, password, folder, mode) for _ in range(connections)))
    for session in sessions:  # warm: one page each, not counted
        await session.page()
    short = 0

    async def loop(session, deadline):
        nonlocal short
        done = 0
        while time.monotonic() < deadline:
            if await session.page() != LIMIT:
                short += 1
            done += 1
        return done

    start = time.monotonic()
    done = sum(await asyncio.gather(*(loop(s, start + seconds) for s in sessions)))
    elapsed = time.monotonic() - start
    await asyncio.gather(*(s.close() for s in sessions))
    if short:
        print(f"warning: {short} pages brought fewer than {LIMIT} messages", file=sys.stderr)
    print(f"{done / elapsed:.1f}")


async def latency(port, user, password, folder, count, mode):
    session = await Session.open(port, user, password, folder, mode)
    await session.page()
    times = []
    for _ in range(count):
        start = time.perf_counter()
        fetched = await session.page()
        times.append(time.perf_counter() - start)
        if fetched != LIMIT:
            print(f"warning: a page brought {fetched} messages, not {LIMIT}", file=sys.stderr)
    await session.close()
    print(f"{statistics.median(times):.6f}")


async def alternate(port, user, password, folders, count, connections):
    if connections == "one":
        session = await Session.open(port, user, password, folders[0], "sequence")
        sessions = [session, session]
    else:
        sessions = [await Session.open(port, user, password, folder, "sequence") for folder in folders]

    async def page(index):
        session = sessions[index % 2]
        if connections == "one":
            await session.command(f"EXAMINE {quote(folders[index % 2])}")
        return await session.page()

    for index in range(4):  # warm-up, not counted
        await page(index)
    times = []
    for index in range(count):
        start = time.perf_counter()
        fetched = await page(index)
        times.append(time.perf_counter() - start)
        if fetched != min(LIMIT, sessions[index % 2].exists):
            print(f"warning: a page brought {fetched} messages", file=sys.stderr)
    for session in set(sessions):
        await session.close()
    times.sort()
    print(f"{statistics.median(times):.6f} {times[int(len(times) * 0.9)]:.6f}")


def main():
    args = sys.argv[1:]
    if len(args) == 8 and args[0] == "alternate" and args[7] in ("one", "two"):
        asyncio.run(alternate(int(args[1]), args[2], args[3], args[4:6], int(args[6]), args[7]))
        return
    mode = "search"
    if args and args[-1] in ("search", "sequence"):
        mode = args.pop()
    if len(args) == 7 and args[0] == "rate":
        asyncio.run(rate(int(args[1]), args[2], args[3], args[4], int(args[5]), float(args[6]), mode))
    elif len(args) == 6 and args[0] == "latency":
        asyncio.run(latency(int(args[1]), args[2], args[3], args[4], int(args[5]), mode))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
