#!/bin/sh
# Builds the parser benchmark in release mode and runs it.
#   scripts/bench-parser.sh [--iterations N] [--messages N] [recorded-response-file]
# Without a file it generates a deterministic FETCH response of 10,000 messages (ENVELOPE,
# BODYSTRUCTURE, FLAGS). MB/s is reported per CPU-second of the parsing thread (one core) and
# per wall-clock second (lower on a busy machine).
set -eu
cd "$(dirname "$0")/.."
scratch="${SCRATCH_PATH:-.build-parser}"
swift build -c release --scratch-path "$scratch" --product imap-parse-bench
exec "$scratch/release/imap-parse-bench" "$@"
