#!/usr/bin/env bash
# Builds the docker compose CLI plugin from the Go module proxy into the cache, so that
# `docker compose config` can validate docker-compose.yml on a machine with only the docker
# client. (`go install` refuses compose's go.mod, which has exclude directives, so this
# builds inside the downloaded module.)
set -euo pipefail
CACHE="${LINLI_CACHE_DIR:-$HOME/.cache/linli}"
VERSION="${COMPOSE_VERSION:-v5.5.1}"
out="$CACHE/compose/docker-compose"
if [ ! -x "$out" ]; then
  dir=$(go mod download -json "github.com/docker/compose/v5@$VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
  mkdir -p "$CACHE/compose"
  (cd "$dir" && GOFLAGS=-mod=mod go build -o "$out" ./cmd)
fi
mkdir -p "$HOME/.docker/cli-plugins"
ln -sf "$out" "$HOME/.docker/cli-plugins/docker-compose"
docker compose version
