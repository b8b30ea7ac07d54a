#!/usr/bin/env bash
# The test suite: builds the solution and runs every test project (one thread per libtorch, see README).
set -euo pipefail
cd "$(dirname "$0")"
dotnet build GradGuessCluster.sln -c Release -nologo -v q
# Every test process, and each gradguess process a test starts, JIT-compiles what ReadyToRun could not hold (about 2,000
# methods in an offline read): with W^X off the runtime writes that code without mapping each page twice, and without
# tiered PGO it does not instrument it first. Neither changes what any code does; together they take 6-11 % off the CPU
# of a gradguess process that lives a second or two, and the suite is bound by CPU (docs/BENCHMARKS.md, Test suite).
export DOTNET_EnableWriteXorExecute=0 DOTNET_TieredPGO=0
# Tests tagged Category=Large (a minute or more, gigabytes of memory or disk) run only when asked for, as any filter asks:
# ./test.sh --filter Category=Large
filter=(--filter "Category!=Large")
for arg in "$@"; do [[ $arg == --filter || $arg == --filter[=:]* ]] && filter=(); done
# The log is long and CI keeps only its tail, so a failed run ends by repeating each failed test with its message.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
rc=0
dotnet test GradGuessCluster.sln -c Release --no-build -nologo --logger "console;verbosity=normal" "${filter[@]}" "$@" \
    | tee "$log" || rc=$?
if ((rc != 0)); then
    echo "=== failed tests (repeated from above) ==="
    grep -a -m 20 -A 15 -E '^\s+Failed [A-Za-z_]' "$log" | cut -c 1-400 || echo "(none named: see the log above)"
fi
exit "$rc"
