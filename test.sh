#!/usr/bin/env bash
# The test command of the README: installs the system packages the tests use (when missing), builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")"
need=()
command -v redis-server >/dev/null || need+=(redis-server)
command -v chromium >/dev/null || need+=(chromium)
if [ ${#need[@]} -gt 0 ] && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
dotnet test ExperimentCluster.sln -c Release "$@"
