#!/usr/bin/env bash
# Runs the p2pchat JMH benchmarks with the settings of benchmarks/README.md: one fresh fork per
# benchmark, 5 x 1 s warm-up, 10 x 1 s measurement. Results go to benchmarks/target/jmh-result.json;
# tabulate them with: python3 benchmarks/summarize.py [result files...]
#
# Usage: benchmarks/run.sh [quick] [gc] [stack] [pin] [jdk25] [jdk2-only] [JMH arguments...]
#   quick   short sanity run (1 x 1 s warm-up, 2 x 1 s measurement); results still written
#   gc      adds -prof gc (allocation per operation: per message for oneWay, oneWayAcked and
#           CipherLimitBenchmark, per round trip for roundTrip and ackRoundTrip); or GC=1
#   stack   adds -prof stack (hottest thread stacks); or STACK=1
#   pin     runs the JVM and its forks on CPU 0 only (taskset -c 0); or PIN=1.
#           Writes to target/jmh-result-pinned.json unless RESULT is set.
#   jdk25   after the run on $JAVA (default: java, JDK 17), runs the same selection again on
#           Temurin 25 (/usr/lib/jvm/temurin-25-jdk-amd64); same as JDK2=that directory.
#           The second run writes <result>-jdk<major>.json beside the first, e.g.
#           target/jmh-result-jdk25.json. If that JDK is absent, run.sh says so and goes on.
#   jdk2-only  runs only on the second JDK (JDK2 or jdk25), e.g. to add a JDK 25 result later.
#   anything else goes to JMH, e.g.: benchmarks/run.sh gc 'DirectMessageBenchmark.oneWay' -p transport=nio
#
# The comparisons: DirectMessageBenchmark's transport parameter includes jeromq and netty (JeroMQ
# 0.6.0 and Netty 4.1 over 127.0.0.1, plaintext, unacknowledged) beside raw, and
# CipherLimitBenchmark is the packed cipher limit; for the table of benchmarks/README.md:
#   benchmarks/run.sh quick gc jdk25 'DirectMessageBenchmark|AcknowledgedBenchmark|CipherLimitBenchmark'
#   python3 benchmarks/summarize.py benchmarks/target/jmh-result.json benchmarks/target/jmh-result-jdk25.json
# (-p transport=... replaces the values in every selected class that has the parameter, so use it
# with DirectMessageBenchmark alone: AcknowledgedBenchmark has only nio and local.)
#
# The acknowledged figures (AcknowledgedBenchmark: p2pchat only, Peer.send's stage completes on
# the friend's acknowledgement) are read against DirectMessageBenchmark's raw baselines, so run the
# two together when selecting: benchmarks/run.sh quick 'DirectMessageBenchmark|AcknowledgedBenchmark'.
# A quick run of those two takes about 3 minutes; the full suite (all classes) about 12.
# Environment: TIMING="JMH timing options" (replaces the default timing), RESULT=path (JSON output), JAVA=path to java, JAVA_OPTS for the host JVM,
# JDK2=path to a second JDK's home (its bin/java runs the same selection after the first run).
#
# Keep the machine quiet while it runs (2 cores here), and never run it inside mvn verify.
# JMH refuses to start while another run holds /tmp/jmh.lock.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
jar="$here/target/benchmarks.jar"
java="${JAVA:-java}"

timing=(-f 1 -wi 5 -w 1s -i 10 -r 1s)
# TIMING="-f 1 -wi 3 -w 1s -i 5 -r 1s" replaces the timing (JMH refuses an option given twice).
[[ -n "${TIMING:-}" ]] && read -r -a timing <<< "$TIMING"
profilers=()
prefix=()
pin="${PIN:-0}"
jdk2="${JDK2:-}"
jdk2_only=0
[[ "${GC:-0}" == 1 ]] && profilers+=(-prof gc)
[[ "${STACK:-0}" == 1 ]] && profilers+=(-prof stack)
jmh_args=()
for arg in "$@"; do
    case "$arg" in
        quick) timing=(-f 1 -wi 1 -w 1s -i 2 -r 1s) ;;
        gc) profilers+=(-prof gc) ;;
        stack) profilers+=(-prof stack) ;;
        pin) pin=1 ;;
        jdk25) jdk2=/usr/lib/jvm/temurin-25-jdk-amd64 ;;
        jdk2-only) jdk2_only=1 ;;
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
    (cd "$root" && mvn -q package -DskipTests -pl benchmarks -am)
fi
mkdir -p "$(dirname "$result")"

# Runs the selection on one java, writing JSON to the given file.
run_on() {
    local java_bin="$1" out="$2"
    # shellcheck disable=SC2086
    (set -x; "${prefix[@]}" "$java_bin" ${JAVA_OPTS:-} -jar "$jar" "${timing[@]}" \
        "${profilers[@]}" -rf json -rff "$out" "${jmh_args[@]}")
}

if [[ "$jdk2_only" == 1 && -z "$jdk2" ]]; then
    echo "run.sh: jdk2-only needs JDK2=<JDK home> or jdk25" >&2
    exit 1
fi
if [[ "$jdk2_only" == 0 ]]; then
    run_on "$java" "$result"
fi
if [[ -n "$jdk2" ]]; then
    if [[ ! -x "$jdk2/bin/java" ]]; then
        echo "run.sh: second JDK $jdk2 not found (no $jdk2/bin/java); skipping its run" >&2
        exit "$jdk2_only" # nothing ran at all with jdk2-only
    fi
    # The major version names the result: 25 from 'openjdk version "25.0.1" ...'.
    major="$("$jdk2/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)"
    run_on "$jdk2/bin/java" "${result%.json}-jdk${major:-2}.json"
fi
