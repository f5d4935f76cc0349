#!/usr/bin/env bash
# Benchmark (not a test): memory of the gateway while it streams a large upload to IMAP.
# Uploads one SIZE_MIB message (POST /folders/Bench/messages, message/rfc822), reports the
# gateway's VmRSS before, VmHWM (peak resident set) after and the growth (target <= 16 MiB),
# then downloads /raw and compares sha256.
#
#   scripts/bench-upload.sh
#
# Environment: SIZE_MIB (50), GATEWAY_BINARY (prebuilt imap-gateway; default: release build),
#   KEEP_BENCH_DIR=1 keeps the Dovecot directory.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_NAME=bench-upload
# shellcheck source=scripts/bench-lib.sh
source scripts/bench-lib.sh

SIZE_MIB=${SIZE_MIB:-50}
bench_need curl curl
bench_need python3 python3
bench_need sha256sum coreutils
BENCH_DIR=$(mktemp -d /tmp/imap-gateway-bench-upload.XXXXXX)
trap bench_cleanup EXIT
# Dovecot creates mail/bench itself, owned by its mail user.
bench_start_dovecot
# Room for the message (the default limit is 25 MiB).
bench_start_gateway --max-upload-bytes "$(((SIZE_MIB + 1) * 1024 * 1024))"

message=$BENCH_DIR/large.eml
bench_say "writing a ${SIZE_MIB} MiB message"
python3 - "$message" "$SIZE_MIB" <<'PY'
import base64, os, sys
path, size = sys.argv[1], int(sys.argv[2]) * 1024 * 1024
head = (b"From: Bench <bench@example.com>\r\nTo: bench@example.com\r\nSubject: large upload\r\n"
        b"Date: Mon, 13 Jan 2025 10:00:00 +0000\r\nMessage-ID: <large@example.com>\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n")
with open(path, "wb") as f:
    f.write(head)
    written = len(head)
    while written < size:
        line = base64.b64encode(os.urandom(57)) + b"\r\n"   # 76 characters + CRLF
        line = line[: size - written] if size - written < len(line) else line
        f.write(line)
        written += len(line)
PY

status_kib() { awk -v key="$1:" '$1 == key { print $2 }' "/proc/$BENCH_GATEWAY_PID/status"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# Warm up: one small request with a session, so the baseline includes a logged-in pool.
curl -fsS -u bench:bench "http://127.0.0.1:$HTTP_PORT/folders" >/dev/null
rss_before=$(status_kib VmRSS)
hwm_before=$(status_kib VmHWM)

bench_say "uploading; $(bench_load)"
start=$(date +%s.%N)
response=$(curl -fsS -u bench:bench -H 'Content-Type: message/rfc822' --data-binary "@$message" \
    "http://127.0.0.1:$HTTP_PORT/folders/INBOX/messages")
upload_seconds=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
uid=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["uid"])' "$response")
rss_after=$(status_kib VmRSS)
hwm_after=$(status_kib VmHWM)

start=$(date +%s.%N)
downloaded=$(curl -fsS -u bench:bench "http://127.0.0.1:$HTTP_PORT/folders/INBOX/messages/$uid/raw" | sha256sum | cut -d' ' -f1)
download_seconds=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
hwm_download=$(status_kib VmHWM)
original=$(sha256sum "$message" | cut -d' ' -f1)

growth=$((hwm_after - rss_before))
verdict=$(awk -v g="$growth" 'BEGIN { print (g <= 16 * 1024) ? "meets" : "MISSES" }')
same=$([[ $downloaded == "$original" ]] && echo "sha256 equal" || echo "sha256 DIFFERS ($original uploaded, $downloaded downloaded)")
echo "upload ${SIZE_MIB} MiB in ${upload_seconds}s: VmRSS before $(mib "$rss_before") MiB (VmHWM before $(mib "$hwm_before") MiB), VmHWM after $(mib "$hwm_after") MiB, growth $(mib "$growth") MiB ($verdict the 16 MiB target); VmRSS after $(mib "$rss_after") MiB"
echo "download /raw in ${download_seconds}s: $same; VmHWM after download $(mib "$hwm_download") MiB; $(bench_load)"
[[ $downloaded == "$original" ]]
