#!/usr/bin/env python3
"""A real browser against the gateway: headless Debian Chromium driven by Playwright (never a
downloaded browser). Run by Tests/GatewayTests/BrowserTests.swift, which starts Dovecot and the
gateway (CORS for this page's origin, --ui on) and passes their addresses in the environment.

The same checks run twice: the inbox page served from ANOTHER origin (http://localhost:PAGE_PORT,
the gateway being http://127.0.0.1:PORT) and the gateway's own /ui/. Then the script-free test:
a message whose HTML carries a script, an onerror handler, a remote image and a meta refresh
runs nothing and sends nothing, by the browser's network log."""
import http.server
import os
import shutil
import sys
import threading

from common import (GATEWAY, Tally, api, append, append_many, folder_path, html_with_image, plain, png, unique,
                    with_attachment)

PAGE_PORT = int(os.environ["PAGE_PORT"])
UI_DIR = os.environ["UI_DIR"]
TIMEOUT = 30_000  # ms, generous for a loaded 2-core machine


def find_chromium():
    for candidate in [os.environ.get("CHROMIUM"), shutil.which("chromium"), "/usr/bin/chromium", shutil.which("chromium-browser")]:
        if candidate and os.path.exists(candidate):
            return candidate
    print("FAIL: Chromium is not installed. Install it with `apt-get install chromium` "
          "(scripts/install-deps.sh does, and scripts/test.sh runs that).", flush=True)
    print("0 passed, 1 failed")
    sys.exit(1)


try:
    from playwright.sync_api import sync_playwright
except ImportError:
    print("FAIL: Playwright for Python is missing. Install it with "
          "`PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 python3 -m pip install playwright` (scripts/install-deps.sh does; "
          "it never downloads a browser: the tests use Debian's chromium).", flush=True)
    print("0 passed, 1 failed")
    sys.exit(1)


class PageHandler(http.server.SimpleHTTPRequestHandler):
    """Serves ui/ as another origin would; index.html names the gateway in <meta name=gateway>."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=UI_DIR, **kwargs)

    def do_GET(self):
        if self.path.split("?")[0] in ("/", "/index.html"):
            with open(os.path.join(UI_DIR, "index.html"), encoding="utf-8") as file:
                page = file.read().replace("<head>", f'<head>\n<meta name="gateway" content="{GATEWAY}">', 1)
            body = page.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_message(self, *args):
        pass


class RemoteHandler(http.server.BaseHTTPRequestHandler):
    """Stands for the internet: the script-free test counts every request that reaches it."""
    hits = []

    def do_GET(self):
        RemoteHandler.hits.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def serve(handler, port):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


LOGO = png(200, 30, 30)
PDF = b"%PDF-1.4\n% a tiny stand-in for a PDF\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PDF_NAME = "Übersicht 2024.pdf"
FILLERS = 40


def seed(folder):
    messages = [plain(f"Filler {index:02d}") for index in range(FILLERS)]
    messages.append(html_with_image("HTML with image", '<html><body><p id="hello">Hello <b>HTML</b></p>'
                                    '<img id="logo" src="cid:logo@example" alt="logo"></body></html>', LOGO))
    messages.append(with_attachment("With attachment", PDF_NAME, PDF))
    append_many(folder, messages)
    return len(messages)


def scenario(browser, page_url, label):
    folder = unique(f"Browser-{label}")
    count = seed(folder)
    tally_name = lambda name: f"[{label}] {name}"  # noqa: E731
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    responses = []
    page.on("response", lambda response: responses.append(response))
    console = []
    page.on("console", lambda message: console.append(message.text))
    row = lambda subject: page.locator(".message-row", has_text=subject)  # noqa: E731

    def wrong_password_shows_problem():
        page.goto(page_url)
        page.fill("#login-user", os.environ["IMAP_USER"])
        page.fill("#login-password", "not the password")
        page.click("#login-submit")
        page.wait_for_selector("#error:not([hidden])")
        text = page.inner_text("#error")
        assert "Unauthorized (401)" in text, text
        assert "The IMAP server refused these credentials." in text, text
        assert "https://imap-gateway.dev/problems/unauthorized" in text, text

    def login_and_folders():
        page.fill("#login-password", os.environ["IMAP_PASSWORD"])
        page.click("#login-submit")
        page.wait_for_selector('.folder[data-name="INBOX"]')
        unread = page.locator(f'.folder[data-name="{folder}"] .unread')
        unread.wait_for()
        assert unread.inner_text() == str(count), unread.inner_text()

    def list_and_scroll():
        page.click(f'.folder[data-name="{folder}"]')
        row("Filler 39").wait_for()
        first = page.locator(".message-row").count()
        assert first < count, f"the first page already had {first} rows"
        page.locator("#list-end").scroll_into_view_if_needed()
        row("Filler 00").wait_for()
        assert page.locator(".message-row").count() == count

    def html_with_inline_image():
        row("HTML with image").click()
        frame_element = page.wait_for_selector("#message-html:not([hidden])")
        page.wait_for_selector('#message-html[src*="/html?ticket="]', state="attached")
        frame = page.frame_locator("#message-html")
        frame.locator("#hello").wait_for()
        assert frame.locator("#hello").inner_text() == "Hello HTML"
        part = [r for r in responses if "/parts/" in r.url and "ticket=" in r.url]
        assert part, "the inline image was never requested"
        assert part[-1].status == 200 and part[-1].headers.get("content-type") == "image/png", (part[-1].status, part[-1].headers)
        assert part[-1].body() == LOGO
        width = frame.locator("#logo").evaluate("image => image.complete && image.naturalWidth")
        assert width == 2, f"the image did not render (naturalWidth {width})"
        html = [r for r in responses if "/html?ticket=" in r.url][-1]
        policy = html.headers.get("content-security-policy", "")
        assert "sandbox" in policy and "script-src" not in policy and "default-src 'none'" in policy, policy
        assert frame_element.get_attribute("sandbox") is not None

    def toggle_flag():
        page.click("#toggle-flagged")
        page.wait_for_selector('#toggle-flagged[data-flagged="true"]')
        uid = page.locator(".message-row.current").get_attribute("data-uid")
        message = api(f"{folder_path(folder)}/messages/{uid}")
        assert "\\Flagged" in message["flags"] and "\\Seen" in message["flags"], message["flags"]
        assert row("HTML with image").locator(".flagged").count() == 1

    def upload():
        subject = unique("Uploaded")
        page.set_input_files("#upload-input", files=[{"name": "hello.eml", "mimeType": "message/rfc822",
                                                      "buffer": plain(subject)}])
        row(subject).wait_for()
        listing = api(f"{folder_path(folder)}/messages?limit=5")
        assert subject in [message["subject"] for message in listing["messages"]], listing

    def live_event():
        page.wait_for_selector("#live-status.live")
        subject = unique("Live")
        append(folder, plain(subject))  # over raw IMAP, not through the gateway
        row(subject).wait_for()

    def download_attachment():
        row("With attachment").click()
        link = page.locator("#attachments .attachment")
        link.wait_for()
        with page.expect_download() as info:
            link.click()
        download = info.value
        assert download.suggested_filename == PDF_NAME, download.suggested_filename
        with open(download.path(), "rb") as file:
            assert file.read() == PDF

    def move_and_delete():
        subjects = lambda: [m["subject"] for m in api(f"{folder_path(folder)}/messages?limit=100")["messages"]]  # noqa: E731
        row("Filler 05").click()
        page.wait_for_selector('#message-subject:text-is("Filler 05")')
        page.select_option("#move-target", "INBOX")
        page.click("#move")
        row("Filler 05").wait_for(state="detached")
        row("Filler 06").click()
        page.wait_for_selector('#message-subject:text-is("Filler 06")')
        page.click("#delete")
        row("Filler 06").wait_for(state="detached")
        remaining = subjects()
        assert "Filler 05" not in remaining and "Filler 06" not in remaining and "Filler 07" in remaining

    checks = [("a wrong password shows the 401 problem document", wrong_password_shows_problem),
              ("logs in; folders with unread counts", login_and_folders),
              ("message list, infinite scroll on the cursor", list_and_scroll),
              ("HTML message with an inline cid: image in the sandboxed frame", html_with_inline_image),
              ("flag toggle", toggle_flag),
              ("upload", upload),
              ("an event for a message appended over raw IMAP", live_event),
              ("attachment download with its filename", download_attachment),
              ("move and delete", move_and_delete)]
    for name, check in checks:
        if not TALLY.check(tally_name(name), check):
            break  # later steps build on earlier ones
    context.close()
    csp_errors = [text for text in console if "Content Security Policy" in text and "frame" not in text]
    if csp_errors:
        print(f"[{label}] console: {csp_errors}")


def script_free(browser, page_url):
    remote = serve(RemoteHandler, 0)
    remote_origin = f"http://127.0.0.1:{remote.server_address[1]}"
    folder = unique("Evil")
    html = ('<html><head><meta http-equiv="refresh" content="0; url=' + remote_origin + '/refresh"></head><body>'
            '<p id="visible">Harmless text</p>'
            '<script>parent.postMessage("script ran", "*"); fetch("' + remote_origin + '/script");</script>'
            '<img src="x-broken" onerror="parent.postMessage(\'onerror ran\', \'*\'); fetch(\'' + remote_origin + '/onerror\')">'
            '<img src="' + remote_origin + '/remote.png">'
            '<div style="background:url(' + remote_origin + '/css.png)">styled</div>'
            '<img id="logo" src="cid:logo@example"></body></html>')
    append(folder, html_with_image("Evil HTML", html, LOGO))
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    requests = []
    page.on("request", lambda request: requests.append(request))
    page.goto(page_url)
    page.evaluate("window.__messages = []; window.addEventListener('message', (e) => window.__messages.push(String(e.data)))")
    page.fill("#login-user", os.environ["IMAP_USER"])
    page.fill("#login-password", os.environ["IMAP_PASSWORD"])
    page.click("#login-submit")
    page.click(f'.folder[data-name="{folder}"]')
    page.locator(".message-row", has_text="Evil HTML").click()
    frame = page.frame_locator("#message-html")
    # The cid image is the document's last element: once it has loaded, the parser has passed
    # the script, the broken image and the remote ones.
    frame.locator("#visible").wait_for()
    width = frame.locator("#logo").evaluate("image => new Promise(done => image.complete ? done(image.naturalWidth) : image.onload = () => done(image.naturalWidth))")
    assert width == 2, width
    frame.locator("#visible").inner_text()  # still there: no refresh navigated the frame away
    # DevTools' network log lists the remote loads the page attempted; each must have been
    # stopped by the Content-Security-Policy before it left (net::ERR_BLOCKED_BY_CSP).
    remote_loads = [request for request in requests if request.url.startswith(remote_origin)]
    not_blocked = [(request.url, request.failure) for request in remote_loads
                   if (request.failure or "") not in ("csp", "net::ERR_BLOCKED_BY_CSP")]
    assert not not_blocked, f"requests left the page: {not_blocked}"
    assert not RemoteHandler.hits, f"the remote server was reached: {RemoteHandler.hits}"
    messages = page.evaluate("window.__messages")
    assert messages == [], f"mail script ran: {messages}"
    assert any("/html?ticket=" in request.url for request in requests)
    print(f"    blocked by CSP: {sorted({request.url.split('/')[-1] for request in remote_loads})}; remote hits: 0")
    context.close()
    remote.shutdown()


TALLY = Tally()


def main():
    chromium = find_chromium()
    page_server = serve(PageHandler, PAGE_PORT)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
        try:
            scenario(browser, f"http://localhost:{PAGE_PORT}/index.html", "other-origin")
            scenario(browser, f"{GATEWAY}/ui/", "ui")
            TALLY.check("[ui] mail HTML: no script, no onerror, no remote request (network log)", script_free, browser, f"{GATEWAY}/ui/")
            TALLY.check("[other-origin] mail HTML: no script, no onerror, no remote request (network log)", script_free, browser,
                        f"http://localhost:{PAGE_PORT}/index.html")
        finally:
            browser.close()
            page_server.shutdown()
    TALLY.finish()


if __name__ == "__main__":
    main()
