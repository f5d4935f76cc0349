#!/usr/bin/env bash
# A throwaway Courier IMAP 5 (Debian's courier-imap + courier-authlib-userdb, unpacked privately
# by scripts/install-deps.sh so that dovecot-imapd stays: both provide imap-server) on a loopback
# port, with its state in DIR. Used by the interop tests (Tests/TestSupport/Interop).
#
#   scripts/courier.sh start DIR PORT --user NAME:PASS [--user ...] [--watch-pid PID]
#
# Courier's programs have their paths compiled in (/etc/courier, /usr/lib/courier,
# /usr/lib/courier-authlib, /run/courier/authdaemon/socket). A private mount namespace
# (`unshare --mount`) lays the unpacked packages over /usr and /etc and binds DIR's copy of the
# configuration onto /etc/courier and a tmpfs onto /run, so nothing outside DIR changes. Needs root.
#
# couriertcpd runs in the foreground (exec), authdaemond (userdb logins) beside it; both end
# with the namespace's bash. Plain IMAP only; folders are `INBOX.` names with '.' as separator;
# INBOX.Trash exists but carries no \Trash attribute (Courier has no SPECIAL-USE); IDLE polls.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

root=${INTEROP_ROOT:-/opt/imap-gateway-interop}/courier
parse_server_args courier.sh "$@"
[[ -x $root/usr/bin/imapd && -x $root/usr/sbin/couriertcpd ]] \
    || { echo "courier.sh: Courier is not unpacked in $root; run scripts/install-deps.sh" >&2; exit 3; }
[[ $(id -u) -eq 0 ]] || { echo "courier.sh: needs root (a private mount namespace for Courier's compiled-in paths)" >&2; exit 3; }

# Everything Courier reads from /etc/courier: the package's files, then ours.
mkdir -p "$dir/etc" "$dir/home"
cp -r "$root/etc/courier/." "$dir/etc/"
sed -i -e 's/^authmodulelist=.*/authmodulelist="authuserdb"/' "$dir/etc/authdaemonrc"
: >"$dir/etc/userdb"
chmod 600 "$dir/etc/userdb"
for user in "${users[@]}"; do
    name=${user%%:*} pass=${user#*:}
    home=$dir/home/$name
    # The users' mail belongs to nobody: imapd drops to the uid userdb names.
    for folder in "" .Trash; do mkdir -p "$home/Maildir/$folder"/{cur,new,tmp}; done
    printf 'INBOX.Trash\n' >"$home/Maildir/courierimapsubscribed"
    hash=$(openssl passwd -6 "$pass")
    printf '%s\tuid=65534|gid=65534|home=%s|mail=%s/Maildir|systempw=%s\n' "$name" "$home" "$home" "$hash" >>"$dir/etc/userdb"
done
chown -R 65534:65534 "$dir/home"

follow_caller "$watch"

export COURIER_ROOT=$root COURIER_DIR=$dir COURIER_PORT=$port
exec unshare --mount --propagation private /bin/bash -c '
    set -euo pipefail
    mount -t overlay overlay -o "lowerdir=$COURIER_ROOT/etc:/etc" /etc
    mount --bind "$COURIER_DIR/etc" /etc/courier
    mount -t overlay overlay -o "lowerdir=$COURIER_ROOT/usr:/usr" /usr
    mount -t tmpfs tmpfs /run
    mkdir -p /run/courier/authdaemon
    export LD_LIBRARY_PATH=/usr/lib
    /usr/sbin/makeuserdb
    ( set -a; . /etc/courier/authdaemonrc; exec /usr/lib/courier/courier-authlib/authdaemond ) &
    authdaemon=$!
    for _ in $(seq 100); do [[ -S /run/courier/authdaemon/socket ]] && break; sleep 0.05; done
    set -a
    . /etc/courier/imapd
    IMAP_CAPABILITY="$IMAP_CAPABILITY AUTH=PLAIN"
    set +a
    /usr/sbin/couriertcpd -address=127.0.0.1 -maxprocs=40 -maxperip=40 -nodnslookup -noidentlookup -stderr=syslog \
        "$COURIER_PORT" /usr/lib/courier/courier/imaplogin /usr/bin/imapd Maildir &
    tcpd=$!
    # SIGTERM ends both servers; `wait` lets bash act on the signal at once.
    trap "kill $tcpd $authdaemon 2>/dev/null; wait" TERM INT
    wait $tcpd
    kill $authdaemon 2>/dev/null || true
'
