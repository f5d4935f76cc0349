#!/usr/bin/env bash
# The long schemathesis run (issue 13): a throwaway Dovecot, the gateway binary in front of it, and
# schemathesis generating requests from openapi.yaml. The suite runs a short seeded one
# (Tests/GatewayTests/SchemathesisTests.swift); this one is for hunting.
#
#   scripts/schemathesis.sh [EXAMPLES] [SEED]      defaults: 100 examples per operation, seed 1
#   SCRATCH=.build-me scripts/schemathesis.sh      the gateway from another scratch path
#
# Fails (exit 1) on any 5xx the IMAP server did not cause, any answer the spec does not describe,
# and any body the spec forbids being accepted (scripts/schemathesis_hooks.py,
# scripts/schemathesis.toml). Prints schemathesis' summary; the full output is kept in a log.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:$HOME/.local/bin"
command -v swift >/dev/null || export PATH="/opt/swift/usr/bin:$PATH"
command -v schemathesis >/dev/null || {
    echo "schemathesis.sh: schemathesis is missing; install it with: python3 -m pip install schemathesis" >&2
    exit 1
}
examples=${1:-100}
seed=${2:-1}
scratch=()
[[ -n ${SCRATCH:-} ]] && scratch=(--scratch-path "$SCRATCH")
swift build "${scratch[@]}" -j "${JOBS:-2}" --product imap-gateway >/dev/null
gateway="$(swift build "${scratch[@]}" --show-bin-path)/imap-gateway"

work=$(mktemp -d /tmp/schemathesis.XXXXXX)
chmod 755 "$work"  # Dovecot's auth process (user dovecot) reads the users file below it
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
imap_port=$(free_port)
http_port=$(free_port)
password="fuzz-secret"
gateway_pid=
cleanup() {
    [[ -n $gateway_pid ]] && kill "$gateway_pid" 2>/dev/null && wait "$gateway_pid" 2>/dev/null
    scripts/dovecot.sh stop "$work/dovecot" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

scripts/dovecot.sh start "$work/dovecot" "$imap_port" 0 --no-tls --background --user "alice:$password" >/dev/null 2>&1 </dev/null
# The folder and UIDs scripts/schemathesis.toml names (INBOX and Fuzz, UIDs 1 to 3).
python3 - "$imap_port" "$password" <<'EOF'
import imaplib, sys, time
port, password = int(sys.argv[1]), sys.argv[2]
# Dovecot greets before its auth process is ready ("Temporary authentication failure"): retry.
for attempt in range(100):
    try:
        imap = imaplib.IMAP4("127.0.0.1", port)
        imap.login("alice", password)
        break
    except (OSError, imaplib.IMAP4.error):
        time.sleep(0.1)
else:
    sys.exit("schemathesis.sh: the throwaway Dovecot never accepted the login")
imap.create("Fuzz")
for folder in ("INBOX", "Fuzz"):
    for n in range(3):
        message = (f"From: Ann <ann@example.com>\r\nTo: Bob <bob@example.com>\r\nSubject: fuzz {n}\r\n"
                   f"Message-ID: <fuzz{n}@example.com>\r\nDate: Sun, 06 Dec 2026 10:00:00 +0000\r\n"
                   "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                   f"Content-Type: text/plain\r\n\r\nhello {n}\r\n--b\r\nContent-Type: text/html\r\n\r\n"
                   "<p>hi</p>\r\n--b--\r\n")
        imap.append(folder, None, None, message.encode())
imap.logout()
EOF

"$gateway" serve --listen "127.0.0.1:$http_port" --imap-host 127.0.0.1 --imap-port "$imap_port" --imap-tls none \
    --allow-insecure-passthrough --mirror on --openapi-path openapi.yaml --log-level error \
    >"$work/gateway.log" 2>&1 &
gateway_pid=$!
for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$http_port/health" >/dev/null && break
    sleep 0.1
done

log=/tmp/schemathesis-$seed-$examples.log
echo "== schemathesis: $examples examples per operation, seed $seed (log: $log); uptime: $(uptime)"
set +e
(cd "$work" && PYTHONPATH="$OLDPWD/scripts" SCHEMATHESIS_HOOKS=schemathesis_hooks NO_COLOR=1 \
    schemathesis --config-file "$OLDPWD/scripts/schemathesis.toml" run "$OLDPWD/openapi.yaml" \
    --url "http://127.0.0.1:$http_port" --auth "alice:$password" --seed "$seed" --max-examples "$examples" \
    --workers 1 --request-timeout 10) \
    >"$log" 2>&1
status=$?
set -e
sed -n '/^=* *FAILURES/,/^=* *WARNINGS/p' "$log" | head -200
grep -E "generated,|passed|failed|Seed:" "$log" | tail -n 12
exit "$status"
