#!/usr/bin/env bash
# Runs the p2pchat JMH benchmarks with the settings of benchmarks/README.md: one fresh fork per
# benchmark, 5 x 1 s warm-up, 10 x 1 s measurement. Results go to benchmarks/target/jmh-result.json;
# tabulate them with: python3 benchmarks/summarize.py
#
# Usage: benchmarks/run.sh [quick] [gc] [stack] [pin] [JMH arguments...]
#   quick   short sanity run (1 x 1 s warm-up, 2 x 1 s measurement); results still written
#   gc      adds -prof gc (allocation per operation: per message for oneWay and oneWayAcked,
#           per round trip for roundTrip and ackRoundTrip); or GC=1
#   stack   adds -prof stack (hottest thread stacks); or STACK=1
#   pin     runs the JVM and its forks on CPU 0 only (taskset -c 0); or PIN=1.
#           Writes to target/jmh-result-pinned.json unless RESULT is set.
#   anything else goes to JMH, e.g.: benchmarks/run.sh gc 'DirectMessageBenchmark.oneWay' -p transport=nio
#
# The acknowledged figures (AcknowledgedBenchmark: p2pchat only, Peer.send's stage completes on
# the friend's acknowledgement) are read against DirectMessageBenchmark's raw baselines, so run the
# two together when selecting: benchmarks/run.sh quick 'DirectMessageBenchmark|AcknowledgedBenchmark'.
# A quick run of those two takes about 2 minutes; the full suite (all classes) about 10.
# Environment: RESULT=path (JSON output), JAVA=path to java, JAVA_OPTS for the host JVM.
#
# Keep the machine quiet while it runs (2 cores here), and never run it inside mvn verify.
# JMH refuses to start while another run holds /tmp/jmh.lock.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
jar="$here/target/benchmarks.jar"
java="${JAVA:-java}"

timing=(-f 1 -wi 5 -w 1s -i 10 -r 1s)
profilers=()
prefix=()
pin="${PIN:-0}"
[[ "${GC:-0}" == 1 ]] && profilers+=(-prof gc)
[[ "${STACK:-0}" == 1 ]] && profilers+=(-prof stack)
jmh_args=()
for arg in "$@"; do
    case "$arg" in
        quick) timing=(-f 1 -wi 1 -w 1s -i 2 -r 1s) ;;
        gc) profilers+=(-prof gc) ;;
        stack) profilers+=(-prof stack) ;;
        pin) pin=1 ;;
        *) jmh_args+=("$arg") ;;
    esac
done

if [[ "$pin" == 1 ]]; then
    command -v taskset >/dev/null || { echo "run.sh: pin needs taskset (util-linux)" >&2; exit 1; }
    prefix=(taskset -c 0)
    result="${RESULT:-$here/target/jmh-result-pinned.json}"
else
    result="${RESULT:-$here/target/jmh-result.json}"
fi

if [[ ! -f "$jar" ]]; then
    echo "run.sh: $jar is missing; building it" >&2
    (cd "$root" && mvn -q install -DskipTests -pl benchmarks -am)
fi
mkdir -p "$(dirname "$result")"

# shellcheck disable=SC2086
set -x
exec "${prefix[@]}" "$java" ${JAVA_OPTS:-} -jar "$jar" "${timing[@]}" "${profilers[@]}" \
    -rf json -rff "$result" "${jmh_args[@]}"
