#!/usr/bin/env bash
# Runs a command on a GPU node with the runtime and CUDA client that scripts/gpu-carry.sh packed into DIR: unpacks
# them under /tmp, puts `dotnet` and a `gradguess` function on the path, and points GRADGUESS_LIBTORCH at python3's
# torch unless it is set. With no command, prints what it set up.
#
#   scripts/gpu-node.sh DIR [COMMAND...]
set -uo pipefail
dir="${1:?usage: gpu-node.sh DIR [COMMAND...]}"; shift
mkdir -p /tmp/gg-dotnet /tmp/gg-client
tar -C /tmp/gg-dotnet -xJf "$dir/dotnet.tar.xz" && tar -C /tmp/gg-client -xJf "$dir/app.tar.xz" || { echo "gpu-node: cannot unpack $dir" >&2; exit 9; }
export DOTNET_ROOT=/tmp/gg-dotnet PATH=/tmp/gg-dotnet:$PATH DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export GRADGUESS_BIN=/tmp/gg-client/app
if [[ -z "${GRADGUESS_LIBTORCH:-}" ]]; then
  GRADGUESS_LIBTORCH="$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))' 2>/dev/null)"
  export GRADGUESS_LIBTORCH
fi
gradguess() { dotnet "$GRADGUESS_BIN/gradguess.dll" "$@"; }
export -f gradguess
if (( $# == 0 )); then
  dotnet --list-runtimes; echo "GRADGUESS_BIN=$GRADGUESS_BIN GRADGUESS_LIBTORCH=$GRADGUESS_LIBTORCH"
  exit 0
fi
"$@"
