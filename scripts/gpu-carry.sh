#!/usr/bin/env bash
# Packs what a GPU node without .NET needs to run the CUDA build (docs/GPU.md, "A node without .NET"):
# the .NET runtime of this machine (host + NETCore + AspNetCore, no SDK) and the client built with -p:TorchBackend=cuda,
# each as an xz tarball, into DIR (default gpu-pkg/, ignored by git; name it in a device call's carry).
# About 46 MB in all.
#
#   scripts/gpu-carry.sh [DIR]
#
# On the node, from a checkout with DIR beside it:
#   scripts/gpu-node.sh DIR COMMAND...     e.g. scripts/gpu-node.sh gpu-pkg gradguess train --device cuda:0 ...
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$(mkdir -p "${1:-$root/gpu-pkg}" && cd "${1:-$root/gpu-pkg}" && pwd)"
dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
build="$(mktemp -d)"
trap 'rm -rf "$build"' EXIT

echo "gpu-carry: building the CUDA client" >&2
# A separate output folder; the obj/ folders are shared, so the next CPU build restores again (a few seconds).
dotnet build "$root/src/Client/Client.csproj" -c Release -p:TorchBackend=cuda -p:PublishAfterBuild=false -o "$build/app" -nologo -v q > "$build/build.log" 2>&1 \
  || { tail -n 20 "$build/build.log" >&2; exit 1; }
[[ ! -e "$build/app/libtorch_cpu.so" ]] || { echo "gpu-carry: the build holds a CPU libtorch; is TorchBackend=cuda honoured?" >&2; exit 1; }
tar -C "$build" -cf - app | xz -T0 -6 > "$dir/app.tar.xz"
runtimes=(shared/Microsoft.NETCore.App shared/Microsoft.AspNetCore.App)
for r in "${runtimes[@]}"; do [[ -d "$dotnet_root/$r" ]] || { echo "gpu-carry: no $r under $dotnet_root" >&2; exit 1; }; done
tar -C "$dotnet_root" -cf - dotnet host "${runtimes[@]}" | xz -T0 -6 > "$dir/dotnet.tar.xz"
du -ch "$dir"/*.tar.xz >&2
