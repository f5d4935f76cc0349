#!/usr/bin/env bash
# A throwaway Dovecot (Debian dovecot-imapd) for tests and the demo.
#
# The one place the test/demo Dovecot configuration lives: Tests/TestSupport calls this
# script, and scripts/demo.sh does too.
#
# Usage:
#   scripts/dovecot.sh start DIR PORT TLSPORT [--no-tls] [--background]
#                            [--user NAME:PASSWORD]... [--watch-pid PID] [--oauth2-introspection URL]
#       Writes DIR/dovecot.conf, DIR/users, DIR/tls/* and runs Dovecot.
#       Foreground by default: the script execs `dovecot -F`, so its pid becomes the master's.
#       --no-tls        ssl = no: no STARTTLS, no implicit-TLS listener (TLSPORT is ignored).
#       --background    let Dovecot daemonize; stop it with `scripts/dovecot.sh stop DIR`.
#       --user N:P      a login (repeatable); P is stored verbatim as {PLAIN} and may contain
#                       anything but a colon or a newline. Without --user an existing DIR/users stays.
#       --watch-pid P   when process P is gone, stop Dovecot and remove DIR (unless KEEP_DOVECOT
#                       is set): tests pass their own pid, so a killed test run leaves nothing.
#       --oauth2-introspection URL
#                       also accept OAuth 2.0 access tokens (AUTH=XOAUTH2 AUTH=OAUTHBEARER): a
#                       passdb oauth2 asks URL (RFC 7662 introspection, POST token=...) and expects
#                       {"active": true, "username": NAME}; passwords keep working beside it.
#       Certificates already in DIR/tls are kept, so a restart keeps the same CA.
#   scripts/dovecot.sh stop DIR
#       Stops a Dovecot started with DIR.
#
# Layout of DIR: dovecot.conf, users, tls/{ca.pem,server.pem,server.key}, mail/<user>/ (maildir,
# LAYOUT=fs, hierarchy delimiter "/"), home/<user>/, run/ (base_dir), state/, dovecot.log.
set -euo pipefail

die() { echo "dovecot.sh: $*" >&2; exit 1; }

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' >&2; exit 2; }

find_dovecot() {
    DOVECOT_BIN=${DOVECOT_BIN:-/usr/sbin/dovecot}
    [[ -x $DOVECOT_BIN ]] || die "$DOVECOT_BIN not found: install dovecot-imapd (apt-get install -y dovecot-imapd)"
    getent passwd dovecot >/dev/null || die "user 'dovecot' missing: install dovecot-imapd"
    getent passwd dovenull >/dev/null || die "user 'dovenull' missing: install dovecot-imapd"
}

# A CA and a server certificate for localhost/127.0.0.1 signed by it (EC P-256: fast to make).
make_certs() {
    local tls=$1
    [[ -s $tls/ca.pem && -s $tls/server.pem && -s $tls/server.key ]] && return 0
    command -v openssl >/dev/null || die "openssl not found: install openssl"
    mkdir -p "$tls"
    local ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
    openssl req -x509 "${ec[@]}" -days 365 -subj "/CN=imap-gateway throwaway test CA" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -keyout "$tls/ca.key" -out "$tls/ca.pem" 2>"$tls/openssl.log" \
        || die "openssl (CA) failed: $(cat "$tls/openssl.log")"
    openssl req "${ec[@]}" -subj "/CN=localhost" -keyout "$tls/server.key" -out "$tls/server.csr" \
        2>>"$tls/openssl.log" || die "openssl (server key) failed: $(cat "$tls/openssl.log")"
    printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1" "basicConstraints=CA:FALSE" \
        "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth" >"$tls/server.ext"
    openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -CAcreateserial \
        -days 365 -extfile "$tls/server.ext" -out "$tls/server.pem" 2>>"$tls/openssl.log" \
        || die "openssl (server cert) failed: $(cat "$tls/openssl.log")"
    chmod 600 "$tls/ca.key" "$tls/server.key"
    chmod 644 "$tls/ca.pem" "$tls/server.pem"
}

# The OAuth 2.0 additions (--oauth2-introspection): mechanisms, a second passdb and its settings.
# Without the option none of this is written and the configuration is the plain one.
oauth2_config() {
    local dir=$1 url=$2
    [[ $url =~ ^https?://[^[:space:]]+$ ]] || die "--oauth2-introspection wants an http(s) URL, got '$url'"
    printf '%s\n' "introspection_url = $url" "introspection_mode = post" "username_attribute = username" \
        "active_attribute = active" "active_value = true" >"$dir/dovecot-oauth2.conf.ext"
    chown root:dovecot "$dir/dovecot-oauth2.conf.ext"
    chmod 640 "$dir/dovecot-oauth2.conf.ext"
    OAUTH2_MECHANISMS=" xoauth2 oauthbearer"
    OAUTH2_PASSWORD_MECHANISMS="  mechanisms = plain login"
    OAUTH2_PASSDB="passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $dir/dovecot-oauth2.conf.ext
}"
}

write_config() {
    local dir=$1 port=$2 tlsport=$3 tls=$4
    local ssl_block
    if [[ $tls == yes ]]; then
        local dh=""
        [[ -s /usr/share/dovecot/dh.pem ]] && dh="ssl_dh = </usr/share/dovecot/dh.pem"
        ssl_block="ssl = yes
ssl_cert = <$dir/tls/server.pem
ssl_key = <$dir/tls/server.key
$dh"
    else
        ssl_block="ssl = no"
    fi
    local imaps_listener=""
    if [[ $tls == yes ]]; then
        imaps_listener="  inet_listener imaps {
    address = 127.0.0.1
    port = $tlsport
    ssl = yes
  }"
    fi
    cat >"$dir/dovecot.conf" <<EOF
# Generated by scripts/dovecot.sh: a throwaway Dovecot for tests and the demo. Do not edit.
base_dir = $dir/run
state_dir = $dir/state
log_path = $dir/dovecot.log
instance_name = imap-gateway-test-$port
protocols = imap
listen = 127.0.0.1
shutdown_clients = yes

# Dovecot refuses to run its login processes as root; use the users the Debian package creates.
default_login_user = dovenull
default_internal_user = dovecot
first_valid_uid = 1
first_valid_gid = 1

# Many sessions per user and IP: pool tests and benchmarks open lots of connections.
mail_max_userip_connections = 200
default_process_limit = 1000
default_client_limit = 4000
default_vsz_limit = 1G
# Idle processes get SIGINT after a minute, but the long-lived login processes keep auth busy, so
# the master logs "auth is ignoring idle SIGINT" errors. Tests live shorter than this anyway.
default_idle_kill = 1 days

auth_mechanisms = plain login${OAUTH2_MECHANISMS}
disable_plaintext_auth = no
auth_verbose = yes
auth_cache_size = 0

$ssl_block

passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $dir/users
${OAUTH2_PASSWORD_MECHANISMS}
}
${OAUTH2_PASSDB}
userdb {
  driver = static
  args = uid=dovecot gid=dovecot home=$dir/home/%u
}

mail_location = maildir:$dir/mail/%u:LAYOUT=fs
# Tests write maildir files behind Dovecot's back (TestSupport deliver()); fsync buys nothing here.
mail_fsync = never

namespace inbox {
  inbox = yes
  separator = /
  mailbox Drafts {
    special_use = \Drafts
    auto = subscribe
  }
  mailbox Sent {
    special_use = \Sent
    auto = subscribe
  }
  mailbox Trash {
    special_use = \Trash
    auto = subscribe
  }
  mailbox Junk {
    special_use = \Junk
    auto = subscribe
  }
  mailbox Archive {
    special_use = \Archive
    auto = subscribe
  }
}

service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $port
  }
$imaps_listener
  # High-performance mode: a few long-lived login processes instead of one per connection.
  service_count = 0
  process_min_avail = 1
}
EOF
}

cmd_start() {
    [[ $# -ge 3 ]] || usage
    local dir=$1 port=$2 tlsport=$3
    shift 3
    local tls=yes background=no watch_pid="" users=() oauth2_url=""
    while [[ $# -gt 0 ]]; do
        case $1 in
            --no-tls) tls=no ;;
            --background) background=yes ;;
            --user) [[ $# -ge 2 ]] || usage; users+=("$2"); shift ;;
            --watch-pid) [[ $# -ge 2 ]] || usage; watch_pid=$2; shift ;;
            --oauth2-introspection) [[ $# -ge 2 ]] || usage; oauth2_url=$2; shift ;;
            *) die "unknown option $1" ;;
        esac
        shift
    done
    [[ $port =~ ^[0-9]+$ ]] || die "PORT must be a number, got '$port'"
    [[ $tls == no || $tlsport =~ ^[0-9]+$ ]] || die "TLSPORT must be a number, got '$tlsport'"
    find_dovecot

    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    # Dovecot's unprivileged processes must reach the maildir through DIR.
    chmod 755 "$dir"
    mkdir -p "$dir/mail" "$dir/home" "$dir/state"
    chown dovecot:dovecot "$dir/mail" "$dir/home"

    if [[ ${#users[@]} -gt 0 ]]; then
        : >"$dir/users"
        local u
        for u in "${users[@]}"; do
            [[ $u == *:* ]] || die "--user wants NAME:PASSWORD, got '$u'"
            printf '%s:{PLAIN}%s::::::\n' "${u%%:*}" "${u#*:}" >>"$dir/users"
        done
    fi
    [[ -f $dir/users ]] || die "no users: pass --user NAME:PASSWORD"
    # The auth process runs as the dovecot user and reads this file.
    chown root:dovecot "$dir/users"
    chmod 640 "$dir/users"

    [[ $tls == yes ]] && make_certs "$dir/tls"
    OAUTH2_MECHANISMS="" OAUTH2_PASSWORD_MECHANISMS="" OAUTH2_PASSDB=""
    [[ -n $oauth2_url ]] && oauth2_config "$dir" "$oauth2_url"
    write_config "$dir" "$port" "$tlsport" "$tls"
    # Fail fast with Dovecot's own words when the configuration is wrong.
    "$DOVECOT_BIN" -c "$dir/dovecot.conf" -n >/dev/null 2>"$dir/config-check.log" \
        || die "configuration rejected: $(cat "$dir/config-check.log")"

    if [[ $background == yes ]]; then
        "$DOVECOT_BIN" -c "$dir/dovecot.conf"
        return
    fi
    if [[ -n $watch_pid ]]; then
        # After the exec below, $$ is Dovecot's master. The watcher runs in its own session
        # (setsid -f): signals to the caller's process group (timeout(1), Ctrl-C) must not take
        # it down while Dovecot, which is in a session of its own, lives on; and it is no child
        # of the master, which would log "unknown PID" errors about it.
        # shellcheck disable=SC2016 # the single-quoted text is the watcher's own script
        setsid -f bash -c '
            watch_pid=$1 master=$2 dir=$3
            # Drop every inherited descriptor: the caller (Foundation'"'"'s Process) may watch
            # one for EOF to learn that Dovecot exited, and this watcher outlives Dovecot.
            for fd in "/proc/$BASHPID/fd/"*; do
                fd=${fd##*/}
                [[ $fd -gt 2 ]] && eval "exec $fd>&-" 2>/dev/null
            done
            while kill -0 "$watch_pid" 2>/dev/null && kill -0 "$master" 2>/dev/null; do sleep 1; done
            kill -0 "$watch_pid" 2>/dev/null && exit 0
            # The caller died without stopping Dovecot (killed test run): stop it, remove DIR.
            kill -TERM "$master" 2>/dev/null || true
            for _ in $(seq 1 100); do kill -0 "$master" 2>/dev/null || break; sleep 0.1; done
            kill -KILL "$master" 2>/dev/null || true
            [[ -n ${KEEP_DOVECOT:-} ]] || rm -rf "$dir"
        ' dovecot-watcher "$watch_pid" "$$" "$dir" </dev/null >/dev/null 2>&1
    fi
    exec "$DOVECOT_BIN" -F -c "$dir/dovecot.conf"
}

cmd_stop() {
    [[ $# -eq 1 ]] || usage
    local dir=$1
    [[ -f $dir/dovecot.conf ]] || die "no $dir/dovecot.conf"
    doveadm -c "$dir/dovecot.conf" stop
}

[[ $# -ge 1 ]] || usage
cmd=$1
shift
case $cmd in
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    -h | --help | help) usage ;;
    *) die "unknown command '$cmd'" ;;
esac
