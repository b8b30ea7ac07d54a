#!/usr/bin/env bash
# The prepared check for a GPU node (docs/GPU.md): can TorchSharp 0.107's libLibTorchSharp.so load against the
# node's libtorch, and does a cell train on cuda:0? Writes its findings to $OUT (default ./gpu-check-out).
#
#   scripts/gpu-check.sh [LIBTORCHSHARP_SO]
#
# 1. Finds the node's libtorch: $GRADGUESS_LIBTORCH, else the lib/ of the python3 torch package.
# 2. Counts the undefined symbols of libLibTorchSharp.so against it (ldd -r). TorchSharp 0.107 is built against
#    libtorch 2.10 (2.11 resolved every symbol on an H200 node, docs/GPU.md); Debian's 1.13 leaves hundreds undefined.
#    With any undefined the check stops there (exit 3).
# 3. Only with none undefined and a dotnet on the node: builds the client with -p:TorchBackend=cuda (unless it is
#    already such a build, or GRADGUESS_BIN names one), then trains one synthetic cell for 2 epochs on cuda:0 and on
#    the CPU (--json) through the node's libtorch, so the two curves can be compared (they differ: GPU guesses come
#    from CUDA generators); then `doctor`, whose GPU backprop losses must match the CPU's ($OUT/doctor.txt).
# 4. Then the packing question of issue 2 on the GPU: `bench --device cuda:0 --phases` for backprop and directional
#    at batch 128, packs of 1, 4, 16 and 64 or $GPU_CHECK_PACKS (Fashion-MNIST where the node has it, else the
#    synthetic set; scripts/random-idx.py writes random files of its shape), into $OUT/BENCHMARKS-gpu.md.
#    A failure here is logged, not fatal: the smoke test above already passed.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${OUT:-$root/gpu-check-out}"
mkdir -p "$out"
log() { echo "gpu-check: $*" | tee -a "$out/summary.txt"; }
# The library to check: the one given, else a build's ($GRADGUESS_BIN, src/Client), else the TorchSharp package's in the
# NuGet cache (a fresh checkout has no build yet; `dotnet restore src/Client` puts the package there).
so="${1:-}"
if [[ -z "$so" ]]; then
  for candidate in "${GRADGUESS_BIN:+$GRADGUESS_BIN/libLibTorchSharp.so}" "$root/src/Client/bin/Release/net10.0/linux-x64/libLibTorchSharp.so" \
                   "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/torchsharp/*/runtimes/linux-x64/native/libLibTorchSharp.so; do
    [[ -n "$candidate" && -f "$candidate" ]] && { so="$candidate"; break; }
  done
fi
[[ -n "$so" && -f "$so" ]] || { log "no libLibTorchSharp.so ${so:+at $so }(pass its path, set GRADGUESS_BIN to a build, or run dotnet restore src/Client)"; exit 2; }
log "checking $so"
lib="${GRADGUESS_LIBTORCH:-}"
if [[ -z "$lib" ]]; then
  lib="$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))' 2>/dev/null || true)"
fi
[[ -n "$lib" && -f "$lib/libtorch.so" ]] || { log "no libtorch found (set GRADGUESS_LIBTORCH to a torch lib/ directory)"; exit 2; }
version="$(sed -n "s/^__version__ = '\(.*\)'$/\1/p" "$lib/../version.py" 2>/dev/null)"
log "libtorch: $lib (${version:-version unknown})"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee -a "$out/summary.txt"

LD_LIBRARY_PATH="$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" ldd -r "$so" > "$out/ldd.txt" 2>&1
undefined=$(grep -c "undefined symbol" "$out/ldd.txt")
missing_libs=$(grep -c "=> not found" "$out/ldd.txt")   # a weak GLIBCXX version note is expected (build/TorchSharp.targets)
log "ldd -r: $undefined undefined symbol(s), $missing_libs missing librar(ies); details in ldd.txt"
if (( undefined > 0 || missing_libs > 0 )); then
  grep -m 5 -E "undefined symbol|=> not found" "$out/ldd.txt" | sed 's/^/  /' | tee -a "$out/summary.txt"
  log "stop: this libtorch does not fit TorchSharp 0.107 (built against libtorch 2.10)"
  exit 3
fi

command -v dotnet >/dev/null || { log "stop: symbols resolve, but no dotnet on this node to run the smoke test"; exit 0; }
bin="${GRADGUESS_BIN:-$root/src/Client/bin/Release/net10.0/linux-x64}"   # a CUDA build made elsewhere, if set
if [[ -f "$bin/libtorch_cpu.so" ]]; then
  # A CPU build carries its own libtorch, which must not load beside the node's.
  log "stop: src/Client holds a CPU build; remove src/Client/bin and src/Client/obj to let this script build the CUDA one"
  exit 2
fi
if [[ ! -f "$bin/gradguess.dll" ]]; then
  log "building the client with -p:TorchBackend=cuda"
  dotnet build "$root/src/Client/Client.csproj" -c Release -p:TorchBackend=cuda -p:PublishAfterBuild=false > "$out/build.log" 2>&1 \
    || { log "cuda build failed: $(tail -n 5 "$out/build.log" | tr '\n' ' ')"; exit 4; }
fi
export GRADGUESS_LIBTORCH="$lib"
for device in cuda:0 cpu; do
  if dotnet "$bin/gradguess.dll" train --data synthetic --method directional --optimizer adamw --lr 1e-3 --epochs 2 \
       --device "$device" --json > "$out/train-${device/:/}.jsonl" 2> "$out/train-${device/:/}.err"; then
    log "train on $device: $(tail -n 1 "$out/train-${device/:/}.jsonl")"
  else
    log "train on $device failed: $(tail -n 3 "$out/train-${device/:/}.err" | tr '\n' ' ')"
    exit 4
  fi
done
# doctor trains tiny backprop packs on every visible GPU and holds their losses to the CPU's (exit 1 when they differ).
if dotnet "$bin/gradguess.dll" doctor > "$out/doctor.txt" 2>&1; then
  log "doctor: $(grep -E '^\S+ +device' "$out/doctor.txt" | tr '\n' ' ')"
else
  log "doctor found a problem: $(grep -E '^FAIL' "$out/doctor.txt" | tr '\n' ' ')"
fi

data=(--data synthetic)
compgen -G "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte*" > /dev/null || compgen -G "$HOME/.cache/gradguess/fashion-mnist/train-images-idx3-ubyte*" > /dev/null \
  && data=(--data fashion-mnist)
if dotnet "$bin/gradguess.dll" bench --device cuda:0 "${data[@]}" --methods backprop,directional --batch-sizes 128 \
     --packs "${GPU_CHECK_PACKS:-1,4,16,64}" --timed 3 --phases --out "$out/BENCHMARKS-gpu.md" > "$out/bench-gpu.txt" 2>&1; then
  log "bench on cuda:0 (${data[*]}): $(grep -E '^\| (backprop|directional) \| 128 \| (4|64) \|' "$out/BENCHMARKS-gpu.md" | grep '×' | tr '\n' ' ')"
else
  log "bench on cuda:0 failed: $(tail -n 3 "$out/bench-gpu.txt" | tr '\n' ' ')"
fi
