#!/bin/sh
# Builds the libFuzzer targets of Fuzz/ into .build-fuzz/ (see Fuzz/README.md).
# Each target is compiled together with the sources of the module it exercises (internal API,
# full coverage instrumentation); modules it imports are built alike as static libraries.
set -eu
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
OUT=${FUZZ_BUILD_DIR:-.build-fuzz}
mkdir -p "$OUT"
# Up to date when every target is newer than every source it is built from.
fresh=1
for name in http imap mime search; do
    if [ ! -x "$OUT/$name" ] || [ -n "$(find Sources/Codecs Sources/HTTPServer Sources/IMAP Sources/MIME Sources/Gateway/Search Fuzz \
            -name '*.swift' -newer "$OUT/$name" 2>/dev/null | head -1)" ]; then fresh=0; fi
done
if [ "$fresh" = 1 ]; then echo "fuzz targets in $OUT are up to date" >&2; exit 0; fi

FLAGS="-parse-as-library -sanitize=fuzzer,address -g -Onone -swift-version 6 -suppress-warnings"

library() {  # NAME SOURCES... : a static library and its module, instrumented like the targets
    name=$1; shift
    swiftc $FLAGS -module-name "$name" -I "$OUT" -emit-module -emit-module-path "$OUT/$name.swiftmodule" \
        -emit-library -static -o "$OUT/lib$name.a" "$@"
}

target() {  # NAME MODULE LIBS SOURCES... : one fuzzer executable
    name=$1; module=$2; libs=$3; shift 3
    echo "building fuzz target $name" >&2
    # shellcheck disable=SC2086
    swiftc $FLAGS -module-name "$module" -I "$OUT" "$@" $libs -o "$OUT/$name"
}

CODECS=""
if [ -d Sources/Codecs ]; then
    library Codecs $(find Sources/Codecs -name '*.swift' | sort)
    CODECS="$OUT/libCodecs.a"
fi

# HTTP: the parsing layer and the types it returns; files that need sockets or logging are left out.
HTTP_SOURCES=$(ls Sources/HTTPServer/Parsing/*.swift Sources/HTTPServer/Responses/*.swift \
    Sources/HTTPServer/Messages/HTTPHeaders.swift Sources/HTTPServer/Messages/HTTPMethod.swift \
    Sources/HTTPServer/Messages/HTTPVersion.swift | xargs grep -L -E '^import (Sockets|Logging)')
# Two at a time (the machine this grew on has 2 cores); `wait PID` keeps each one's exit status.
target http HTTPServer "$CODECS" $HTTP_SOURCES Fuzz/http/Entry.swift & first=$!
target imap IMAP "$CODECS" $(find Sources/IMAP -name '*.swift' | sort) Fuzz/imap/Entry.swift
wait $first
target mime MIME "$CODECS" $(find Sources/MIME -name '*.swift' | sort) Fuzz/mime/Entry.swift & first=$!
# The search language lives in Gateway; it needs only the IMAP module's model and encoder.
library IMAP $(find Sources/IMAP -name '*.swift' | sort)
target search GatewaySearch "$OUT/libIMAP.a $CODECS" $(find Sources/Gateway/Search -name '*.swift' | sort) Fuzz/search/Entry.swift
wait $first
echo "fuzz targets in $OUT: http imap mime search" >&2
