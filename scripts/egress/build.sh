#!/usr/bin/env bash
# Obtains LiveKit Egress (the recorder, issue 10) the way livekit-server is obtained: built
# once with Go into LINLI_CACHE_DIR (default ~/.cache/linli), then reused. Prints the binary.
#
# Only v1.8.0 is served by the Go module proxy, and `go install` refuses it (sum.golang.org
# has no entry, and the module zip lacks cmd/server/templates, which //go:embed needs), so
# the zip is fetched from the proxy, checked against the hash below, patched for Debian's
# GStreamer (no faac element: debian-aac.patch) and built as the main module with CGO.
# Its dependencies are still verified against its go.sum and sum.golang.org.
# Track composite only: the room-composite web templates are a placeholder page.
# Needs: go, curl, unzip, patch, pkg-config and the GStreamer -dev packages (.ci/run).
set -euo pipefail

VERSION=v1.8.0
ZIP_SHA256=696b1aee8613d7dab340ddb0b024be7f20fe4eb6bc8316725f5ac10c8a4c3c7b
here="$(cd "$(dirname "$0")" && pwd)"
cache="${LINLI_CACHE_DIR:-$HOME/.cache/linli}"
dest="$cache/egress-$VERSION-linli"
if [ -x "$dest/egress" ]; then echo "$dest/egress"; exit 0; fi

export PATH="$PATH:/usr/local/go/bin"
# The first proxy of GOPROXY (comma or pipe separated), skipping direct/off.
proxy=https://proxy.golang.org
for p in $(printf '%s' "${GOPROXY:-$(go env GOPROXY 2>/dev/null || true)}" | tr ',|' '  '); do
  case "$p" in direct | off | '') ;; *) proxy="${p%/}"; break ;; esac
done

work="$(mktemp -d)"
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
echo "Fetching github.com/livekit/egress@$VERSION from $proxy" >&2
curl -fsSL --retry 3 "$proxy/github.com/livekit/egress/@v/$VERSION.zip" -o "$work/egress.zip"
echo "$ZIP_SHA256  $work/egress.zip" | sha256sum -c --quiet - >&2
unzip -q "$work/egress.zip" -d "$work/src"
src="$work/src/github.com/livekit/egress@$VERSION"
chmod -R u+w "$src"
patch -s -d "$src" -p1 < "$here/debian-aac.patch"
# Some of its pinned dependencies declare go 1.21; today's Go refuses the module's go 1.20.
(cd "$src" && go mod edit -go=1.21)
mkdir -p "$src/cmd/server/templates"
echo '<!doctype html><title>linli: room composite is not built</title>' > "$src/cmd/server/templates/index.html"

mkdir -p "$dest"
echo "Building egress $VERSION with CGO into $dest (once; several minutes)…" >&2
(cd "$src" && CGO_ENABLED=1 go build -o "$dest/egress.partial" ./cmd/server)
mv "$dest/egress.partial" "$dest/egress"
echo "$dest/egress"
