#!/usr/bin/env bash
# Build Beam's Prism runner binary (Go) at the version of the installed apache-beam, once,
# into .cache/prism/<version>/prism, and print its absolute path on stdout.
#
# It needs only a Go toolchain and the Go module proxy (GOPROXY, default
# proxy.golang.org); the Go module and build caches live under .cache/go, so it works in
# a fresh clone, as any user, without touching ~/go. A binary already in the cache is
# reused. Never lets the Beam SDK download Prism from GitHub.
#
#   PY=.venv/bin/python scripts/fetch_prism.sh      # python that has apache-beam
#   BEAM_VERSION=2.77.0 scripts/fetch_prism.sh      # or name the version
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="${PY:-python3}"
GO="${GO:-go}"
MODULE="github.com/apache/beam/sdks/v2/go/cmd/prism"

if [ -z "${BEAM_VERSION:-}" ]; then
  if ! BEAM_VERSION="$("$PY" -c 'import apache_beam; print(apache_beam.__version__)' 2>/dev/null)" \
      || [ -z "$BEAM_VERSION" ]; then
    echo "fetch_prism: cannot read the apache-beam version with '$PY' (set PY to the" \
         "project's python, or BEAM_VERSION)" >&2
    exit 1
  fi
fi
# Beam tags its Go module v<version>; a release candidate 2.66.0rc2 is v2.66.0-RC2.
TAG="v${BEAM_VERSION/rc/-RC}"
DEST="$ROOT/.cache/prism/$BEAM_VERSION"
BIN="$DEST/prism"
INSTALL="go install $MODULE@$TAG"

if [ -x "$BIN" ]; then
  echo "$BIN"
  exit 0
fi

if ! command -v "$GO" >/dev/null 2>&1; then
  echo "fetch_prism: FAILED: the Go toolchain ('$GO') is not on PATH; Prism $TAG is" \
       "built with: GOBIN=$DEST $INSTALL (module $MODULE, version $TAG)" >&2
  exit 1
fi

export GOPATH="$ROOT/.cache/go"
export GOMODCACHE="$ROOT/.cache/go/pkg/mod"
export GOCACHE="$ROOT/.cache/go/build"
# Module cache files stay writable, so `rm -rf .cache` works.
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-modcacherw"

mkdir -p "$DEST"
STAGING="$(mktemp -d "$DEST/.build.XXXXXX")"
trap 'rm -rf "$STAGING"; rmdir "$DEST" 2>/dev/null || true' EXIT

echo "fetch_prism: building Prism $TAG ($("$GO" version)); takes a few minutes once" >&2
if ! GOBIN="$STAGING" "$GO" install "$MODULE@$TAG" >&2; then
  echo "fetch_prism: FAILED: 'GOBIN=$DEST $INSTALL' (module $MODULE, version $TAG," \
       "GOPROXY=$("$GO" env GOPROXY), GOMODCACHE=$GOMODCACHE) did not build." >&2
  exit 1
fi
mv -f "$STAGING/prism" "$BIN"
echo "$BIN"
