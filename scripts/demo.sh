#!/usr/bin/env bash
# THE demo command. On a fresh Debian: installs what is missing, starts a local Dovecot with a
# seeded demo mailbox (user demo, password demo), builds the gateway in release mode and runs it
# on http://127.0.0.1:8080. Ctrl-C stops both.
#
# Environment (all optional):
#   DEMO_DIR=/tmp/imap-gateway-demo   Dovecot config, certificates, maildir, logs
#   DEMO_IMAP_PORT=10143 DEMO_IMAPS_PORT=10993 DEMO_HTTP_PORT=8080
#   DEMO_KEEP_MAIL=1                  keep the mailbox from the last run instead of reseeding
#   DEMO_BINARY=path/to/imap-gateway  run this binary instead of building one
set -euo pipefail
cd "$(dirname "$0")/.."

dir=${DEMO_DIR:-/tmp/imap-gateway-demo}
imap_port=${DEMO_IMAP_PORT:-10143}
imaps_port=${DEMO_IMAPS_PORT:-10993}
http_port=${DEMO_HTTP_PORT:-8080}

say() { printf '\033[1mdemo:\033[0m %s\n' "$*"; }
die() { echo "demo: $*" >&2; exit 1; }

export PATH="$PATH:$HOME/.local/bin"
command -v swift >/dev/null || export PATH="/opt/swift/usr/bin:$PATH"
command -v swift >/dev/null || die "swift not found (expected in /opt/swift/usr/bin)"

scripts/install-deps.sh
# The examples below use curl; the demo itself does not need it.
if ! command -v curl >/dev/null; then
    say "installing curl for the examples"
    if [[ $(id -u) -eq 0 ]]; then sudo=(); else sudo=(sudo); fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends curl \
        || say "could not install curl; the examples below need it"
fi

# Polls until a TCP port accepts connections (and, with a prefix, its first line starts with it).
wait_for_port() {
    local port=$1 expect=${2:-} what=$3 deadline=$((SECONDS + 30)) line
    while ((SECONDS < deadline)); do
        if exec 3<>"/dev/tcp/127.0.0.1/$port" 2>/dev/null; then
            if [[ -z $expect ]]; then exec 3<&- 3>&-; return 0; fi
            if IFS= read -r -t 2 line <&3 && [[ $line == "$expect"* ]]; then exec 3<&- 3>&-; return 0; fi
            exec 3<&- 3>&-
        fi
        sleep 0.1
    done
    die "$what did not come up on port $port within 30s"
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A Dovecot left over from an earlier demo run in the same directory.
if [[ -f $dir/run/master.pid ]] && kill -0 "$(cat "$dir/run/master.pid")" 2>/dev/null; then
    say "stopping the Dovecot of an earlier demo run"
    scripts/dovecot.sh stop "$dir" || true
    for _ in $(seq 1 100); do port_busy "$imap_port" || break; sleep 0.1; done
fi
for port in "$imap_port" "$imaps_port" "$http_port"; do
    port_busy "$port" && die "port $port is in use; free it or set DEMO_IMAP_PORT/DEMO_IMAPS_PORT/DEMO_HTTP_PORT"
done

mkdir -p "$dir/mail"
if [[ -z ${DEMO_KEEP_MAIL:-} || ! -d $dir/mail/demo ]]; then
    say "seeding the demo mailbox in $dir/mail/demo"
    rm -rf "$dir/mail/demo"
    python3 scripts/seed_demo.py "$dir/mail/demo"
fi

say "starting Dovecot on 127.0.0.1:$imap_port (STARTTLS) and :$imaps_port (TLS)"
scripts/dovecot.sh start "$dir" "$imap_port" "$imaps_port" --background --user demo:demo
gateway_pid=""
# shellcheck disable=SC2329 # invoked by the EXIT trap
cleanup() {
    trap - INT TERM EXIT
    if [[ -n $gateway_pid ]] && kill -0 "$gateway_pid" 2>/dev/null; then
        say "stopping the gateway"
        kill -TERM "$gateway_pid" 2>/dev/null || true
        wait "$gateway_pid" 2>/dev/null || true
    fi
    say "stopping Dovecot"
    scripts/dovecot.sh stop "$dir" >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
wait_for_port "$imap_port" "* OK" "Dovecot"

if [[ -n ${DEMO_BINARY:-} ]]; then
    binary=$DEMO_BINARY
else
    say "building the gateway (swift build -c release)"
    swift build -c release -j 2 --product imap-gateway
    binary=$(swift build -c release --show-bin-path)/imap-gateway
fi

say "starting the gateway on http://127.0.0.1:$http_port"
IMAP_HOST=127.0.0.1 IMAP_PORT=$imap_port IMAP_TLS=starttls IMAP_CA_FILE=$dir/tls/ca.pem \
    "$binary" serve --listen "127.0.0.1:$http_port" --imap-host 127.0.0.1 --imap-port "$imap_port" \
    --imap-tls starttls --imap-ca-file "$dir/tls/ca.pem" --ui --ui-dir "$(pwd)/ui" &
gateway_pid=$!
wait_for_port "$http_port" "" "the gateway"

base="http://127.0.0.1:$http_port"
cat <<EOF

  The gateway is up: $base   (IMAP: demo/demo on 127.0.0.1:$imap_port, CA $dir/tls/ca.pem)

  The inbox page: $base/ui/   (log in as demo / demo)

  Try:
    curl -s $base/health
    curl -s -u demo:demo '$base/folders?status=true'
    curl -s -u demo:demo '$base/folders/INBOX/messages?limit=5'
    curl -s -u demo:demo '$base/folders/INBOX/messages?search=from:juergen%20is:unread'
    curl -s -u demo:demo '$base/folders/INBOX/messages/9'              # PDF, PNG, text attachments
    curl -s -u demo:demo -OJ '$base/folders/INBOX/messages/9/parts/2'  # the PDF, named by the server
    curl -s -u demo:demo '$base/folders/INBOX/messages/10/raw'          # attached message/rfc822
    curl -s -u demo:demo '$base/folders/Reports%2F2024/messages'
    curl -s -u demo:demo '$base/folders/Caf%C3%A9%20%26%20Bar/messages'
    curl -s -u demo:demo -X PATCH -H 'Content-Type: application/json' \\
         -d '{"flags":{"add":["\\\\Flagged"]}}' '$base/folders/INBOX/messages/3'
    curl -s $base/openapi.yaml | head

  The exact routes are in README.md ("API") and $base/openapi.yaml.
  Dovecot's log: $dir/dovecot.log.   Ctrl-C stops the gateway and Dovecot.

EOF
set +e
wait "$gateway_pid"
status=$?
gateway_pid=""
[[ $status -eq 0 || $status -eq 130 || $status -eq 143 ]] || say "the gateway exited with status $status"
exit "$status"
