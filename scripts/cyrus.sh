#!/usr/bin/env bash
# A throwaway Cyrus IMAP 3.6 (Debian's cyrus-imapd, unpacked privately by scripts/install-deps.sh
# so that it does not replace dovecot-imapd: both packages provide imap-server) on a loopback
# port, with its whole state in DIR. Used by the interop tests (Tests/TestSupport/Interop).
#
#   scripts/cyrus.sh start DIR PORT --user NAME:PASS [--user ...] [--watch-pid PID]
#
# Runs the Cyrus master in the foreground (exec), so it is a child of the caller; SIGTERM stops
# it. Plain IMAP only (no TLS), PLAIN/LOGIN against a sasldb in DIR, '/' as hierarchy separator,
# INBOX and Trash (\Trash via SPECIAL-USE) created at first login, IDLE polled by imapd itself
# every `imapidlepoll` seconds (no idled), as on a default Debian install.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

root=${INTEROP_ROOT:-/opt/imap-gateway-interop}/cyrus
parse_server_args cyrus.sh "$@"
bin=$root/usr/lib/cyrus/bin
[[ -x $bin/master ]] || { echo "cyrus.sh: Cyrus is not unpacked in $root; run scripts/install-deps.sh" >&2; exit 3; }
command -v saslpasswd2 >/dev/null || { echo "cyrus.sh: saslpasswd2 missing (apt-get install sasl2-bin; scripts/install-deps.sh does)" >&2; exit 3; }

mkdir -p "$dir"/{config,spool}
for sub in db proc socket lock log msg user quota sieve; do mkdir -p "$dir/config/$sub"; done
# Cyrus refuses to run as root: it switches to `cyrus_user`. As root that is nobody, who must
# then own the state; as anyone else it is that user.
if [[ $(id -u) -eq 0 ]]; then run_user=nobody run_group=nogroup; else run_user=$(id -un) run_group=$(id -gn); fi

cat >"$dir/imapd.conf" <<CONF
configdirectory: $dir/config
partition-default: $dir/spool
defaultpartition: default
proc_path: $dir/config/proc
mboxname_lockpath: $dir/config/lock
lmtpsocket: $dir/config/socket/lmtp
idlesocket: $dir/config/socket/idle
notifysocket: $dir/config/socket/notify
servername: localhost
cyrus_user: $run_user
cyrus_group: $run_group
admins: cyrusadmin
altnamespace: yes
unixhierarchysep: yes
allowplaintext: yes
sasl_pwcheck_method: auxprop
sasl_auxprop_plugin: sasldb
sasl_sasldb_path: $dir/sasldb2
sasl_mech_list: PLAIN LOGIN
autocreate_users: anyone
autocreate_quota: 0
autocreate_inbox_folders: Trash | Archive
autocreate_subscribe_folder: Trash | Archive
specialuse_extra: \\Trash
xlist-trash: Trash
xlist-archive: Archive
imapidlepoll: ${CYRUS_IDLE_POLL:-60}
hashimapspool: false
syslog_prefix: cyrus-test
umask: 077
CONF

cat >"$dir/cyrus.conf" <<CONF
START {
    recover cmd="$bin/ctl_cyrusdb -C $dir/imapd.conf -r"
}
SERVICES {
    imap cmd="$bin/imapd -C $dir/imapd.conf" listen="127.0.0.1:$port" prefork=1 maxchild=20
}
EVENTS {
}
CONF

for user in "${users[@]}"; do
    name=${user%%:*} pass=${user#*:}
    printf '%s' "$pass" | saslpasswd2 -p -c -f "$dir/sasldb2" -u localhost "$name"
done
chown -R "$run_user:$run_group" "$dir"

follow_caller "$watch"
export LD_LIBRARY_PATH=$root/usr/lib/x86_64-linux-gnu:$root/usr/lib/$(uname -m)-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
exec "$bin/master" -C "$dir/imapd.conf" -M "$dir/cyrus.conf" -p "$dir/master.pid" -D
