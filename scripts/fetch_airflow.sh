#!/usr/bin/env bash
# Build the Airflow virtualenv of deploy/airflow/ (Apache Airflow and the Apache Beam
# provider, pinned in deploy/airflow/requirements.txt) once, into .cache/airflow-venv/,
# and print its python's absolute path on stdout.
#
# It needs only a python >= 3.10 with venv and the package registry. The project's own
# virtualenv is not touched: Airflow's dependencies stay out of it. A venv already built
# from the same requirements (their hash is stamped in it) is reused; a changed
# requirements file rebuilds it. About 2-3 minutes and 2 GB the first time.
#
#   scripts/fetch_airflow.sh                     # with python3
#   PYTHON=python3.11 scripts/fetch_airflow.sh   # or name the interpreter
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
REQUIREMENTS="$ROOT/deploy/airflow/requirements.txt"
VENV="$ROOT/.cache/airflow-venv"
STAMP="$VENV/.requirements.sha256"
WANTED="$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)"

if [ -x "$VENV/bin/python" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$WANTED" ]; then
  echo "$VENV/bin/python"
  exit 0
fi

echo "fetch_airflow: building $VENV from $REQUIREMENTS; takes a few minutes once" >&2
rm -rf "$VENV"
mkdir -p "$ROOT/.cache"
if ! { "$PYTHON" -m venv "$VENV" \
       && "$VENV/bin/python" -m pip install --quiet --upgrade pip \
       && "$VENV/bin/python" -m pip install --quiet -r "$REQUIREMENTS"; } >&2; then
  echo "fetch_airflow: FAILED: 'pip install -r $REQUIREMENTS' into $VENV did not complete" >&2
  rm -rf "$VENV"
  exit 1
fi
echo "$WANTED" > "$STAMP"
echo "$VENV/bin/python"
