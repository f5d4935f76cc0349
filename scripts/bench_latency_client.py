#!/usr/bin/env python3
"""One keep-alive client timing single requests, through the gateway and as an expert raw IMAP
client, against an IMAP server made remote by scripts/latency_proxy.py (see bench-latency.sh).

    python3 scripts/bench_latency_client.py HTTP_PORT IMAP_PORT USER PASSWORD FOLDER COUNT RTT_MS

Prints one line per request kind: median and p99 in ms, and the median in IMAP round trips.
Every request is sent COUNT times after one warm-up; each answer is checked (status, size of a
page) so an error can never pass for a fast answer.
  raw page       FETCH <EXISTS-49>:* (UID FLAGS ENVELOPE RFC822.SIZE INTERNALDATE BODYSTRUCTURE) on a
                 connection that keeps FOLDER EXAMINEd: the strongest raw client (one round trip)
  first page     GET /folders/F/messages?limit=50
  next page      GET ...?limit=50&cursor=<the first page's nextCursor>
  search page    GET ...?limit=50&search=from:alice
  opening        GET /folders/F/messages/<uid> of COUNT messages never opened before (the body
                 is not in the gateway's body cache: the server is asked for it)
  one message    GET /folders/F/messages/<newest uid> (opened before: its body is cached)
  raw STORE      UID STORE <newest uid> +FLAGS / -FLAGS (\\Flagged) in turn on a connection that keeps
                 FOLDER SELECTed: PATCH's reference (one round trip plus the server's own STORE time)
  PATCH flags    PATCH /folders/F/messages/<newest uid> adding and removing \\Flagged in turn; every
                 request (the warm-up too) changes the flag, as every raw STORE does
  changes        GET /folders/F/changes?since=<state>   (only when the gateway has it)
Each gateway line also gives the IMAP commands the gateway sent per request (/metrics).
With UNWATCHED=1 (the gateway runs without folder watchers) that is all. Otherwise, with the
mirror on, the same reads once more after the folder's watcher is in IDLE ("watched":
the client first waits until a page costs no IMAP command, by /metrics imap_commands_total):
  watched first / watched next / watched changes / watched message / watched opening
"""
import asyncio
import base64
import http.client
import json
import os
import statistics
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_raw_imap_pages import LIMIT, Session, quote  # noqa: E402


def summary(name, times, rtt, commands=None):
    times = sorted(times)
    median = statistics.median(times) * 1000
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))] * 1000
    sent = "" if commands is None else f"   {commands:4.1f} IMAP commands/request"
    print(f"  {name:<14} median {median:7.2f} ms   p99 {p99:7.2f} ms   {median / rtt:4.1f} round trips{sent}")


class Gateway:
    def __init__(self, port, user, password):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    def request(self, method, path, body=None, expect=200):
        headers = {"Authorization": self.auth}
        if body is not None:
            body = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        if response.status != expect:
            raise SystemExit(f"{method} {path}: {response.status} {data[:300]!r}")
        return json.loads(data) if data else None

    def timed(self, count, make, warm_up=True):
        if warm_up:
            make()
        before = self.commands()
        times = []
        for index in range(count):
            start = time.perf_counter()
            make(index)
            times.append(time.perf_counter() - start)
        # IMAP commands the gateway sent per timed request (every session: pooled and watchers).
        self.per_request = (self.commands() - before) / count
        return times

    def commands(self):
        self.connection.request("GET", "/metrics")
        text = self.connection.getresponse().read().decode()
        return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith("imap_commands_total{"))


def main():
    http_port, imap_port, user, password, folder = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
    count, rtt = int(sys.argv[6]), float(sys.argv[7])

    async def raw():
        session = await Session.open(imap_port, user, password, folder, "sequence")
        await session.page()
        times = []
        for _ in range(count):
            start = time.perf_counter()
            fetched = await session.page()
            times.append(time.perf_counter() - start)
            if fetched != LIMIT:
                raise SystemExit(f"raw page brought {fetched} messages, not {LIMIT}")
        await session.close()
        return times

    summary("raw page", asyncio.run(raw()), rtt)

    gateway = Gateway(http_port, user, password)
    base = "/folders/" + urllib.parse.quote(folder, safe="") + "/messages"

    def first(_=0):
        page = gateway.request("GET", base + "?limit=50")
        if len(page["messages"]) != LIMIT:
            raise SystemExit("first page is short")
        return page
    summary("first page", gateway.timed(count, first), rtt, gateway.per_request)

    cursor = first()["nextCursor"]
    def following(_=0):
        page = gateway.request("GET", base + "?limit=50&cursor=" + urllib.parse.quote(cursor))
        if len(page["messages"]) != LIMIT:
            raise SystemExit("next page is short")
    summary("next page", gateway.timed(count, following), rtt, gateway.per_request)

    def search(_=0):
        page = gateway.request("GET", base + "?limit=50&search=" + urllib.parse.quote("from:alice"))
        if not page["messages"]:
            raise SystemExit("search found nothing")
    summary("search page", gateway.timed(count, search), rtt, gateway.per_request)

    page = first()
    newest = page["messages"][0]["uid"]
    # Messages of the first two pages never opened so far (the watched run opens others).
    following_page = gateway.request("GET", base + "?limit=50&cursor=" + urllib.parse.quote(page["nextCursor"]))
    unopened = [message["uid"] for message in page["messages"][1:] + following_page["messages"]]
    if 2 * count > len(unopened):
        raise SystemExit(f"COUNT {count} is too many: 2 x COUNT messages must be opened once each, of {len(unopened)}")
    def opening(index):
        gateway.request("GET", f"{base}/{unopened.pop(0)}")
    summary("opening", gateway.timed(count, opening, warm_up=False), rtt, gateway.per_request)
    summary("one message", gateway.timed(count, lambda _=0: gateway.request("GET", f"{base}/{newest}")), rtt, gateway.per_request)

    async def raw_store():
        session = await Session.open(imap_port, user, password, folder, "sequence")
        await session.command(f"SELECT {quote(folder)}")
        await session.command(f"UID STORE {newest} -FLAGS (\\Flagged)")
        times = []
        for index in range(count):
            change = "+FLAGS" if index % 2 == 0 else "-FLAGS"
            start = time.perf_counter()
            answer = await session.command(f"UID STORE {newest} {change} (\\Flagged)")
            times.append(time.perf_counter() - start)
            if not any(b" FETCH (" in line[:40] for line in answer):
                raise SystemExit(f"raw UID STORE {change} changed nothing")
        await session.command(f"UID STORE {newest} -FLAGS (\\Flagged)")
        await session.close()
        return times

    summary("raw STORE", asyncio.run(raw_store()), rtt)

    # The flag is off now: the warm-up (index -1) adds it, then each request toggles it.
    def patch(index=-1):
        change = {"add": ["\\Flagged"]} if index % 2 != 0 else {"remove": ["\\Flagged"]}
        answer = gateway.request("PATCH", f"{base}/{newest}", {"flags": change})
        if ("\\Flagged" in answer["flags"]) != ("add" in change):
            raise SystemExit(f"PATCH {change} answered {answer}")
    summary("PATCH flags", gateway.timed(count, patch), rtt, gateway.per_request)

    folder_path = "/folders/" + urllib.parse.quote(folder, safe="")
    state = (gateway.request("GET", folder_path) or {}).get("state")
    if state:
        summary("changes", gateway.timed(count, lambda _=0: gateway.request(
            "GET", folder_path + "/changes?since=" + urllib.parse.quote(state))), rtt)
    else:
        print("  changes        n/a (the gateway reports no folder state)")
        return

    if os.environ.get("UNWATCHED") == "1":
        return
    # Watched: wait until the folder's watcher is in IDLE, i.e. a page sends no IMAP command.
    commands = gateway.commands
    deadline = time.monotonic() + 60
    while True:
        before = commands()
        first()
        if commands() == before:
            break
        if time.monotonic() > deadline:
            raise SystemExit("the folder never became watched (every page still sent IMAP commands)")
        time.sleep(0.2)
    before = commands()
    summary("watched first", gateway.timed(count, first), rtt)
    summary("watched next", gateway.timed(count, following), rtt)
    state = first()["state"]
    summary("watched changes", gateway.timed(count, lambda _=0: gateway.request(
        "GET", folder_path + "/changes?since=" + urllib.parse.quote(state))), rtt)
    summary("watched message", gateway.timed(count, lambda _=0: gateway.request("GET", f"{base}/{newest}")), rtt)
    print(f"  IMAP commands sent during the watched reads: {commands() - before:.0f}")
    before = commands()
    summary("watched opening", gateway.timed(count, opening, warm_up=False), rtt)
    print(f"  IMAP commands sent to open {count} messages of the watched folder: {commands() - before:.0f}")


if __name__ == "__main__":
    main()
