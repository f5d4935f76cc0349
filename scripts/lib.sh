# Shared by the install and server scripts (source it; it runs nothing by itself):
#   log, as_root                        messages and root commands
#   apt_install_missing PKG...          apt-get install what dpkg does not have (one update at most)
#   apt_update_once                     apt-get update, once per script run
#   pip_install_missing PKG...          pip install what pip does not have (PEP 668 aware)
#   parse_server_args NAME "$@"         `start DIR PORT --user NAME:PASS ... [--watch-pid PID]`
#                                       into $dir, $port, $users (array), $watch
#   follow_caller PID                   SIGTERM this shell when PID (the test process) is gone
# The caller sets LOG_NAME (the prefix of its messages) before sourcing.

log() { echo "${LOG_NAME:-$(basename "$0")}: $*" >&2; }

as_root() {
    if [[ $(id -u) -eq 0 ]]; then "$@"
    elif command -v sudo >/dev/null; then sudo "$@"
    else log "need root to run: $*"; exit 1
    fi
}

apt_updated=false
apt_update_once() {
    [[ $apt_updated == true ]] && return 0
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    apt_updated=true
}

apt_install_missing() {
    local missing=() package
    for package in "$@"; do
        dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    [[ ${#missing[@]} -gt 0 ]] || return 0
    log "apt-get install ${missing[*]}"
    apt_update_once
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

pip_install_missing() {
    local missing=() package
    for package in "$@"; do
        python3 -m pip show -q "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    [[ ${#missing[@]} -gt 0 ]] || return 0
    log "pip install ${missing[*]}"
    # Debian's own python3 refuses pip installs (PEP 668) unless told otherwise.
    python3 -m pip install -q --disable-pip-version-check "${missing[@]}" 2>/dev/null \
        || python3 -m pip install -q --disable-pip-version-check --break-system-packages "${missing[@]}"
}

# The interop servers' command line; exits 2 with the usage on anything else.
parse_server_args() {
    local name=$1
    shift
    local usage="usage: $name start DIR PORT --user NAME:PASS ... [--watch-pid PID]"
    [[ ${1:-} == start && $# -ge 3 ]] || { echo "$usage" >&2; exit 2; }
    dir=$2 port=$3
    shift 3
    users=() watch=""
    while [[ $# -gt 0 ]]; do
        case $1 in
            --user) [[ $# -ge 2 ]] || { echo "$usage" >&2; exit 2; }; users+=("$2"); shift 2 ;;
            --watch-pid) [[ $# -ge 2 ]] || { echo "$usage" >&2; exit 2; }; watch=$2; shift 2 ;;
            *) echo "$name: unknown option $1" >&2; exit 2 ;;
        esac
    done
}

# The caller may die without stopping us (a killed test run): follow it.
follow_caller() {
    local pid=$1
    [[ -n $pid ]] || return 0
    ( while kill -0 "$pid" 2>/dev/null; do sleep 2; done; kill -TERM $$ 2>/dev/null ) &
}
