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
source "$(dirname "$0")/lib.sh"

parse_server_args pymap.sh "$@"
[[ ${#users[@]} -eq 1 ]] || { echo "pymap.sh: exactly one --user NAME:PASS (the dict backend has one account)" >&2; exit 2; }
user=${users[0]}
python3 -c 'import pymap' 2>/dev/null \
    || { echo "pymap.sh: pymap is not installed for python3 (pip install pymap; scripts/install-deps.sh does)" >&2; exit 3; }
mkdir -p "$dir"

follow_caller "$watch"
# The password goes through the environment's file descriptor, not argv: `ps` shows arguments.
exec python3 - "$port" "${user%%:*}" 3<<<"${user#*:}" <<'PY'
import sys
password = open(3).read().rstrip("\n")
sys.argv = ["pymap", "--host", "127.0.0.1", "--port", sys.argv[1], "--no-tls",
            "dict", "--demo-user", sys.argv[2], "--demo-password", password]
from pymap.main import main
sys.exit(main())
PY
