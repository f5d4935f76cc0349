#!/usr/bin/env bash
# A throwaway pymap (PyPI `pymap`, a Python IMAP server) with its in-memory `dict` backend on a
# loopback port. Used by the interop tests (Tests/TestSupport/Interop); installed by
# scripts/install-deps.sh with pip.
#
#   scripts/pymap.sh start DIR PORT --user NAME:PASS [--watch-pid PID]
#
# The dict backend knows exactly one account (its "demo user") and keeps mail in memory, so
# every start is empty but for INBOX. DIR only holds the log. Plain IMAP only (--no-tls).
set -euo pipefail

[[ ${1:-} == start ]] || { echo "usage: $0 start DIR PORT --user NAME:PASS [--watch-pid PID]" >&2; exit 2; }
dir=$2 port=$3
shift 3
user="" watch=""
while [[ $# -gt 0 ]]; do
    case $1 in
        --user) [[ -z $user ]] || { echo "pymap.sh: the dict backend has one account only" >&2; exit 2; }; user=$2; shift 2 ;;
        --watch-pid) watch=$2; shift 2 ;;
        *) echo "pymap.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[[ -n $user ]] || { echo "pymap.sh: --user NAME:PASS is required" >&2; exit 2; }
python3 -c 'import pymap' 2>/dev/null \
    || { echo "pymap.sh: pymap is not installed for python3 (pip install pymap; scripts/install-deps.sh does)" >&2; exit 3; }
mkdir -p "$dir"

if [[ -n $watch ]]; then
    # The caller may die without stopping us (a killed test run): follow it.
    ( while kill -0 "$watch" 2>/dev/null; do sleep 2; done; kill -TERM $$ 2>/dev/null ) &
fi
# The password goes through the environment's file descriptor, not argv: `ps` shows arguments.
exec python3 - "$port" "${user%%:*}" 3<<<"${user#*:}" <<'PY'
import sys
password = open(3).read().rstrip("\n")
sys.argv = ["pymap", "--host", "127.0.0.1", "--port", sys.argv[1], "--no-tls",
            "dict", "--demo-user", sys.argv[2], "--demo-password", password]
from pymap.main import main
sys.exit(main())
PY
