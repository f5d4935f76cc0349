#!/usr/bin/env bash
# Installs the IMAP servers the interop tests run the gateway against (issue 14), next to the
# Dovecot the rest of the suite uses. Called by scripts/install-deps.sh; idempotent and quick
# when everything is there.
#
# - Cyrus 3.6 and Courier 5 from Debian. `apt-get install cyrus-imapd` or `courier-imap` would
#   REMOVE dovecot-imapd (all three provide imap-server and conflict), so their packages are
#   fetched with `apt-get download` and unpacked with `dpkg-deb -x` into $INTEROP_ROOT/{cyrus,courier}
#   (default /opt/imap-gateway-interop); no maintainer script runs, no service starts. Only
#   their shared libraries (which conflict with nothing) and sasl2-bin (saslpasswd2, for
#   Cyrus's password file) are installed with apt-get.
# - pymap from PyPI with pip.
#
# scripts/cyrus.sh, scripts/courier.sh and scripts/pymap.sh start them.
set -euo pipefail
LOG_NAME=install-interop-servers
source "$(dirname "$0")/lib.sh"

root=${INTEROP_ROOT:-/opt/imap-gateway-interop}
CYRUS_DEBS=(cyrus-common cyrus-imapd)
COURIER_DEBS=(courier-imap courier-base courier-authlib courier-authdaemon courier-authlib-userdb)
# What the unpacked binaries link (ldd of imapd, master, ctl_cyrusdb, couriertcpd, imaplogin,
# authdaemond and libauthuserdb), plus sasl2-bin.
APT_PACKAGES=(sasl2-bin libsasl2-2 libsasl2-modules libsasl2-modules-db libcourier-unicode4 libgamin0 libgdbm6
              libgnutls30 libical3 libicu72 libidn12 libjansson4 libkrb5-3 libldap-2.5-0 libltdl7 libpcre3 libpq5
              libsqlite3-0 libwrap0 libxapian30 libxml2 libssl3 openssl perl)
PIP_PACKAGES=(pymap)

apt_install_missing "${APT_PACKAGES[@]}"

# Unpacks packages into $root/NAME unless the marker file is there already.
unpack() {
    local name=$1 marker=$2
    shift 2
    [[ -e $root/$name/$marker ]] && return 0
    log "apt-get download $* (unpacked into $root/$name, not installed)"
    apt_update_once
    local downloads
    downloads=$(mktemp -d /tmp/interop-debs.XXXXXX)
    # apt-get download drops privileges to _apt, which must be able to write there.
    chmod 777 "$downloads"
    (cd "$downloads" && as_root apt-get download -q "$@")
    as_root rm -rf "$root/$name.new"
    as_root mkdir -p "$root/$name.new"
    for deb in "$downloads"/*.deb; do as_root dpkg-deb -x "$deb" "$root/$name.new"; done
    as_root rm -rf "$root/$name"
    as_root mv "$root/$name.new" "$root/$name"
    rm -rf "$downloads"
}
unpack cyrus usr/lib/cyrus/bin/master "${CYRUS_DEBS[@]}"
unpack courier usr/bin/imapd "${COURIER_DEBS[@]}"

pip_install_missing "${PIP_PACKAGES[@]}"
