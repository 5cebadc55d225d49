#!/usr/bin/env bash
# Builds the libFuzzer targets and runs each for N seconds (default 30).
#   Fuzz/run.sh [seconds] [target...]        e.g.  Fuzz/run.sh 60 fuzz_text_row
# New inputs go to Fuzz/.build/fuzz-corpus/<target> (the committed seeds in Fuzz/corpus/ are
# only read); crashes are written to Fuzz/crashes/<target>/. Exits non-zero if any target crashed.
# Env: JOBS=n runs n targets in parallel (default 1); CONFIG=release builds with -O.
set -u
cd "$(dirname "$0")"
SECONDS_PER_TARGET=${1:-30}
shift || true
ALL="fuzz_greeting fuzz_ok_packet fuzz_err_packet fuzz_column_definition fuzz_text_row fuzz_auth_switch fuzz_packet_decoder fuzz_state_machine fuzz_values fuzz_binary_row fuzz_prepare_response fuzz_execute_response"
TARGETS=${*:-$ALL}
CONFIG=${CONFIG:-debug}
JOBS=${JOBS:-1}

[ -d corpus ] || python3 make_corpus.py
# One product at a time, so a target that does not compile fails alone (instead of a stale
# binary of it being run, or the others not being linked).
mkdir -p .build
BUILT=""
status=0
for t in $TARGETS; do
    if swift build -c "$CONFIG" --scratch-path .build --product "$t" \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library >".build/build-$t.log" 2>&1; then
        BUILT="$BUILT $t"
    else
        echo "$t: BUILD FAILED, see Fuzz/.build/build-$t.log"
        grep -m5 -A3 'error:' ".build/build-$t.log"
        status=1
    fi
done
BIN=$(swift build -c "$CONFIG" --scratch-path .build --show-bin-path)

run_one() {
    local t=$1
    mkdir -p ".build/fuzz-corpus/$t" "crashes/$t" corpus/"$t"
    # SWIFT_BACKTRACE=enable=no: the Swift runtime's backtracer, run on a trap, reads the stack
    # in a way ASan reports as a stack-buffer-overflow in CrashHandlerLinux.cpp, which hid the
    # real "Precondition failed" message; libFuzzer's own handler still saves the input.
    SWIFT_BACKTRACE=enable=no "$BIN/$t" ".build/fuzz-corpus/$t" "corpus/$t" \
        -max_len=4096 -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="crashes/$t/" >".build/fuzz-$t.log" 2>&1
    local rc=$?
    local execs
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' ".build/fuzz-$t.log" | grep -o '[0-9]*$')
    if [ $rc -eq 0 ]; then
        echo "$t: ok, ${execs:-?} executions in ${SECONDS_PER_TARGET}s"
    else
        echo "$t: FAILED (exit $rc), see Fuzz/.build/fuzz-$t.log and Fuzz/crashes/$t/"
        grep -m1 -A25 'ERROR:\|Fatal error\|Precondition failed\|deadly signal' ".build/fuzz-$t.log" | head -40
    fi
    return $rc
}

running=0
for t in $BUILT; do
    run_one "$t" &
    running=$((running + 1))
    if [ "$running" -ge "$JOBS" ]; then
        wait -n || status=1
        running=$((running - 1))
    fi
done
while [ "$running" -gt 0 ]; do
    wait -n || status=1
    running=$((running - 1))
done
exit $status
