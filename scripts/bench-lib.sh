# shellcheck shell=bash
# Shared by scripts/bench-flags.sh and scripts/bench-upload.sh (sourced, not run):
# a throwaway Dovecot (scripts/dovecot.sh) and the release gateway in front of it.
#
#   GATEWAY_BINARY   run this imap-gateway instead of building one
#                    (default: swift build -c release, scratch path $BENCH_SCRATCH or .build)

bench_say() { printf '\033[1m%s:\033[0m %s\n' "$BENCH_NAME" "$*" >&2; }
bench_die() { echo "$BENCH_NAME: $*" >&2; exit 1; }

export PATH="$PATH:$HOME/.local/bin"
command -v swift >/dev/null || export PATH="/opt/swift/usr/bin:$PATH"

# Installs an apt package when its command is missing.
bench_need() {
    command -v "$1" >/dev/null 2>&1 && return 0
    bench_say "installing $2"
    if [[ $(id -u) -eq 0 ]]; then sudo=(); else sudo=(sudo); fi
    "${sudo[@]}" apt-get update -qq >/dev/null
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" >/dev/null
}

# A free loopback TCP port.
bench_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Polls until the port accepts connections (and its first line starts with $2 when given).
bench_wait_for_port() {
    local port=$1 expect=${2:-} deadline=$((SECONDS + 60)) line
    while ((SECONDS < deadline)); do
        # The braces keep 2>/dev/null to the connect: on a bare `exec` it would stay for the script.
        if { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
            if [[ -z $expect ]]; then exec 3<&- 3>&-; return 0; fi
            if IFS= read -r -t 2 line <&3 && [[ $line == "$expect"* ]]; then exec 3<&- 3>&-; return 0; fi
            exec 3<&- 3>&-
        fi
        sleep 0.1
    done
    bench_die "nothing answered on port $port within 60s"
}

BENCH_DIR=""
BENCH_GATEWAY_PID=""

# Makes BENCH_DIR, a fresh directory for Dovecot and its maildir, on tmpfs when there is one
# (seeding tens of thousands of small files is then a matter of seconds); bench_cleanup removes it.
bench_make_dir() {
    local shm=/dev/shm
    [[ -d $shm && -w $shm ]] || shm=/tmp
    BENCH_DIR=$(mktemp -d "$shm/imap-gateway-$BENCH_NAME.XXXXXX")
}

bench_cleanup() {
    if [[ -n $BENCH_GATEWAY_PID ]] && kill -0 "$BENCH_GATEWAY_PID" 2>/dev/null; then
        kill -TERM "$BENCH_GATEWAY_PID" 2>/dev/null || true
        wait "$BENCH_GATEWAY_PID" 2>/dev/null || true
    fi
    if [[ -n $BENCH_DIR && -f $BENCH_DIR/dovecot.conf ]]; then
        scripts/dovecot.sh stop "$BENCH_DIR" >/dev/null 2>&1 || true
        [[ -n ${KEEP_BENCH_DIR:-} ]] || { sleep 0.5; rm -rf "$BENCH_DIR"; }
    fi
}

# Starts Dovecot without TLS for user bench/bench in a fresh directory; sets BENCH_DIR, IMAP_PORT.
# Seed the maildir ($BENCH_DIR/mail/bench/<folder>/cur) before calling, with bench_maildir.
bench_start_dovecot() {
    IMAP_PORT=$(bench_free_port)
    scripts/dovecot.sh start "$BENCH_DIR" "$IMAP_PORT" 0 --no-tls --background --user bench:bench >/dev/null
    bench_wait_for_port "$IMAP_PORT" "* OK"
}

# The release gateway binary: $GATEWAY_BINARY or a fresh release build.
bench_binary() {
    if [[ -n ${GATEWAY_BINARY:-} ]]; then
        [[ -x $GATEWAY_BINARY ]] || bench_die "GATEWAY_BINARY=$GATEWAY_BINARY is not executable"
        echo "$GATEWAY_BINARY"
        return
    fi
    local scratch=${BENCH_SCRATCH:-.build}
    bench_say "building the gateway (swift build -c release, scratch path $scratch)"
    swift build --scratch-path "$scratch" -c release -j 2 --product imap-gateway >&2
    echo "$(swift build --scratch-path "$scratch" -c release --show-bin-path)/imap-gateway"
}

# Starts the gateway in front of the bench Dovecot; extra arguments go to `serve`.
# Sets HTTP_PORT and BENCH_GATEWAY_PID.
bench_start_gateway() {
    local binary
    binary=$(bench_binary)
    HTTP_PORT=$(bench_free_port)
    "$binary" serve --listen "127.0.0.1:$HTTP_PORT" --imap-host 127.0.0.1 --imap-port "$IMAP_PORT" \
        --imap-tls none --log-level warning "$@" >"$BENCH_DIR/gateway.log" 2>&1 &
    BENCH_GATEWAY_PID=$!
    bench_wait_for_port "$HTTP_PORT"
}

# Load average and cores, to print next to every figure.
bench_load() {
    echo "load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
}
