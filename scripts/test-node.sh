#!/usr/bin/env bash
# Runs the whole suite on other Node majors: `bash scripts/test-node.sh 22 24`. Each Node comes from the npm
# registry (the node-<platform>-<arch> packages hold the official binaries), so nothing beyond npm is needed; the
# suite runs on a clean clone of HEAD, installed from the lockfile, as CI does.
set -euo pipefail

[[ $# -gt 0 ]] || { echo "usage: bash scripts/test-node.sh MAJOR [MAJOR …]   e.g. 22 24" >&2; exit 2; }
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PLATFORM="$(node -p 'process.platform.replace("win32", "win") + "-" + process.arch')"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/fleet-node-XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

status=0
for major in "$@"; do
  dir="$WORK/node-$major"
  mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "node-$PLATFORM@$major" >/dev/null && tar xzf ./*.tgz)
  bin="$dir/package/bin"
  git clone --quiet "$REPO" "$dir/fleet-orch"
  [[ -e "$REPO/../shared" ]] && ln -sfn "$(cd "$REPO/../shared" && pwd)" "$dir/shared"
  echo "== Node $("$bin/node" --version)"
  if (cd "$dir/fleet-orch" && export PATH="$bin:$PATH" && npm ci --no-audit --no-fund >/dev/null && npm run typecheck >/dev/null && npm test); then
    echo "== Node $major: passed"
  else
    echo "== Node $major: FAILED"
    status=1
  fi
done
exit "$status"
