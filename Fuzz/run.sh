#!/usr/bin/env bash
# Builds the fuzz targets with libFuzzer and AddressSanitizer and runs each for a time
# budget, printing the executions, coverage and corpus size of every target.
#
#   Fuzz/run.sh [seconds-per-target] [target...]     (default: 60 s, every target)
#   Fuzz/run.sh 300 FuzzScenario FuzzDemandCSV
#
# The working corpus grows in Fuzz/.corpus/<Target>/ (kept between runs, not in git),
# seeded from Fuzz/Seeds/<Target>/ (./seed.sh writes it), mutated with the tokens in
# Fuzz/Dictionaries/ (common.dict + <Target>.dict). Crashes, hangs (-timeout: one
# input taking over 10 s) and out-of-memory inputs go to Fuzz/.artifacts/ and make the
# exit status 1. Replay one with .build/release/<Target> <file>; minimize it with
# .build/release/<Target> -minimize_crash=1 -runs=10000 <file>. Logs: Fuzz/.logs/<Target>.log.
set -uo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
shift || true
all=(FuzzScenario FuzzDemandCSV FuzzCloudWatch FuzzUsage FuzzPriceCatalog FuzzSavingsPlanRates FuzzPriceList FuzzCron FuzzDuration FuzzImportJSON
  FuzzShardParts)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")

# -max_len per target: above its largest seed, small enough to keep executions fast.
max_len() {
  case $1 in
    FuzzScenario | FuzzPriceCatalog) echo 8192 ;;
    FuzzImportJSON) echo 16384 ;;
    FuzzShardParts) echo 81920 ;;
    FuzzPriceList) echo 20480 ;;
    FuzzDemandCSV | FuzzCloudWatch | FuzzUsage) echo 4096 ;;
    FuzzSavingsPlanRates) echo 1024 ;;
    FuzzCron) echo 128 ;;
    FuzzDuration) echo 64 ;;
    *) echo 4096 ;;
  esac
}

# Not `--sanitize fuzzer --sanitize address`: SwiftPM passes them to swiftc as two flags,
# `-sanitize=fuzzer -sanitize=address`, and swiftc keeps only the last, so no Swift module
# would be instrumented for coverage (only the C of libyaml). `--sanitize fuzzer` links
# libFuzzer and instruments C; the one combined -Xswiftc flag instruments every Swift module
# (capsim's, Yams', CSV.swift's) for both; -Xcc adds ASan to the C targets. Release (-O, which
# keeps Swift's overflow, bounds and unwrap traps): in debug, an input at a documented limit
# (a three-row CSV spanning 33 million intervals) takes 16 s under ASan and reads as a hang;
# the release build, like the shipped binary, takes 0.5 s, so -timeout flags only real hangs.
flags=(-c release --sanitize fuzzer -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=address)
# Targets named on the command line are built alone (only the modules they import); with
# none named, the whole package.
if [ $# -eq 0 ]; then
  swift build "${flags[@]}" 2>&1 | grep -v 'warning: Cannot export local symbol' | tail -3
else
  for target in "${targets[@]}"; do
    swift build "${flags[@]}" --product "$target" 2>&1 | grep -v 'warning: Cannot export local symbol' | tail -3
  done
fi
bin=$(swift build "${flags[@]}" --show-bin-path)
mkdir -p .corpus .artifacts .logs

# Swift's own crash backtracer would catch the trap first and, under ASan, can hang or
# report a false "unknown-crash" of its memory reader; let libFuzzer and ASan report.
export SWIFT_BACKTRACE=enable=no
status=0
summary=()
for target in "${targets[@]}"; do
  mkdir -p ".corpus/$target"
  # One -dict per run: the shared number and timestamp tokens plus the target's own words.
  cat Dictionaries/common.dict "Dictionaries/$target.dict" >".logs/$target.dict"
  echo "== $target: ${seconds}s, -max_len=$(max_len "$target")"
  # Leak checking is off: the Swift runtime's metadata caches read as leaks.
  "$bin/$target" ".corpus/$target" "Seeds/$target" \
    -max_total_time="$seconds" -max_len="$(max_len "$target")" -timeout=10 -rss_limit_mb=2048 \
    -dict=".logs/$target.dict" -detect_leaks=0 -print_final_stats=1 -artifact_prefix=".artifacts/$target-" >".logs/$target.log" 2>&1
  code=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' ".logs/$target.log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' ".logs/$target.log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' ".logs/$target.log" | tail -1 | cut -d' ' -f2)
  # libFuzzer's corpus: the inputs it keeps (the directory also holds ones it later reduced).
  corpus=$(grep -o 'corp: [0-9]*' ".logs/$target.log" | tail -1 | cut -d' ' -f2)
  if [ $code -eq 0 ]; then result=ok; else
    result="FOUND (exit $code): $(grep -m1 -E '^==[0-9]+==ERROR|Fatal error|SUMMARY|ALARM|out-of-memory' ".logs/$target.log" | cut -c1-120)"
    status=1
  fi
  line=$(printf '%-22s runs %-10s cov %-6s ft %-6s corpus %-6s %s' "$target" "${runs:-?}" "${cov:-?}" "${ft:-?}" "$corpus" "$result")
  echo "$line"
  summary+=("$line")
done
echo "== summary (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
exit $status
