#!/usr/bin/env python3
"""Prints JMH results of the p2pchat benchmarks as Markdown tables.

Usage: python3 benchmarks/summarize.py [result.json ...]
(default: benchmarks/target/jmh-result.json, written by benchmarks/run.sh)

Every p2pchat figure is shown next to its ratio to the `raw` baseline of the same benchmark,
mode and payload from the same file: throughput as p2pchat / raw (1 is the machine's limit,
higher is better), latency as p2pchat / raw (lower is better); and next to its ratio to
`rawSealed`, the same raw sockets with every frame sealed by javax.crypto's ChaCha20-Poly1305 (the
machine's limit for encrypted framing; p2pchat encrypts every frame). The allocation column is
JMH's gc.alloc.rate.norm (present when run with -prof gc): per message for oneWay, per round
trip (two messages) for roundTrip. It sums every thread of the fork, so it covers sender and
receiver (both peers, their event loops and callback threads).

HandshakeBenchmark gets a table of its own: the in-memory Noise XX handshake beside one JDK
X25519 agreement (XX needs about eight: two key generations, six agreements), and a new
connection with its first message beside a raw TCP connect and frame. Standard library only.
"""
import json
import os
import sys

BASELINE = "raw"
SEALED_BASELINE = "rawSealed"
TRANSPORT_ORDER = {"raw": 0, "rawSealed": 1, "nio": 2, "local": 3}
HANDSHAKE = "HandshakeBenchmark"


def si(value):
    if not isinstance(value, (int, float)) or value != value:
        return "–"
    for factor, suffix in ((1e9, " G"), (1e6, " M"), (1e3, " k")):
        if abs(value) >= factor:
            return f"{value / factor:.3g}{suffix}"
    return f"{value:.3g}"


def ratio(value, base):
    if base is None or not base:
        return "–"
    r = value / base
    return f"{r:.3g}"


def alloc(result):
    norm = result.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
    if not norm:
        return "–"
    return f"{norm['score']:.0f} B"


def fmt(value):
    return "–" if value is None else f"{value:.1f}"


def short_name(benchmark):
    return benchmark.rsplit(".", 1)[-1]


def key(result):
    params = result.get("params", {})
    payload = params.get("payload", "")
    return (result["benchmark"], int(payload) if payload.isdigit() else payload,
            TRANSPORT_ORDER.get(params.get("transport"), 9), params.get("transport", ""))


def percentile(result, p):
    return result["primaryMetric"].get("scorePercentiles", {}).get(p)


def throughput_table(results, baselines):
    rows = ["| benchmark | payload | transport | msgs/s | ± | ratio to raw | ratio to rawSealed"
            " | payload MB/s | alloc per msg |",
            "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        m = r["primaryMetric"]
        params = r["params"]
        base = baselines.get((BASELINE, r["benchmark"], r["mode"], params["payload"]))
        sealed = baselines.get((SEALED_BASELINE, r["benchmark"], r["mode"], params["payload"]))
        payload_bytes = int(params["payload"]) if params["payload"].isdigit() else 0
        rows.append(f"| {short_name(r['benchmark'])} | {params['payload']} B | {params['transport']}"
                    f" | {si(m['score'])} | {si(m['scoreError'])} | {ratio(m['score'], base)}"
                    f" | {ratio(m['score'], sealed)}"
                    f" | {m['score'] * payload_bytes / 1e6:,.0f} | {alloc(r)} |")
    return rows


def samples_of(metric):
    return sum(n for fork in metric.get("rawDataHistogram", []) for iteration in fork
               for _, n in iteration) or ""


def latency_table(results, baselines):
    rows = ["| benchmark | payload | transport | median µs | ratio to raw | ratio to rawSealed"
            " | p90 µs | p99 µs | mean µs | samples | alloc per round trip |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        m = r["primaryMetric"]
        params = r["params"]
        median = percentile(r, "50.0") if r["mode"] == "sample" else m["score"]
        base = baselines.get((BASELINE, r["benchmark"], r["mode"], params["payload"]))
        sealed = baselines.get((SEALED_BASELINE, r["benchmark"], r["mode"], params["payload"]))
        rows.append(f"| {short_name(r['benchmark'])} | {params['payload']} B | {params['transport']}"
                    f" | {median:.1f} | {ratio(median, base)} | {ratio(median, sealed)}"
                    f" | {fmt(percentile(r, '90.0'))} | {fmt(percentile(r, '99.0'))}"
                    f" | {m['score']:.1f} | {samples_of(m)} | {alloc(r)} |")
    return rows


def handshake_table(results):
    """One row per HandshakeBenchmark result; the ratio is to its benchmark's baseline."""
    unit = next((r["primaryMetric"]["score"] for r in results
                 if short_name(r["benchmark"]) == "jdkX25519"), None)
    raw = next((percentile(r, "50.0") for r in results
                if short_name(r["benchmark"]) == "connectAndFirstMessage"
                and r.get("params", {}).get("transport") == BASELINE), None)
    rows = ["| benchmark | transport | median (or mean) µs | baseline | ratio to baseline"
            " | p90 µs | p99 µs | mean µs | samples | alloc per op |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    order = {"jdkX25519": 0, "handshakeCrypto": 1, "connectAndFirstMessage": 2}
    for r in sorted(results, key=lambda r: (order.get(short_name(r["benchmark"]), 9),
                                            TRANSPORT_ORDER.get(r.get("params", {}).get("transport"), 9))):
        m = r["primaryMetric"]
        name = short_name(r["benchmark"])
        transport = r.get("params", {}).get("transport", "–")
        value = percentile(r, "50.0") if r["mode"] == "sample" else m["score"]
        if name == "connectAndFirstMessage":
            baseline, base = "raw connect + frame", raw
        elif name == "handshakeCrypto":
            baseline, base = "jdkX25519 (≈8 per XX)", unit
        else:
            baseline, base = "–", None
        rows.append(f"| {name} | {transport} | {value:.1f} | {baseline} | {ratio(value, base)}"
                    f" | {fmt(percentile(r, '90.0'))} | {fmt(percentile(r, '99.0'))}"
                    f" | {m['score']:.1f} | {samples_of(m)} | {alloc(r)} |")
    return rows


def summarize(path):
    with open(path, encoding="utf-8") as f:
        everything = sorted(json.load(f), key=key)
    handshakes = [r for r in everything if HANDSHAKE in r["benchmark"]]
    results = [r for r in everything if HANDSHAKE not in r["benchmark"]]
    throughput = [r for r in results if r["mode"] == "thrpt"]
    latency = [r for r in results if r["mode"] in ("sample", "avgt", "ss")]
    baselines = {}
    for r in results:
        params = r.get("params", {})
        if params.get("transport") in (BASELINE, SEALED_BASELINE):
            m = r["primaryMetric"]
            value = percentile(r, "50.0") if r["mode"] == "sample" else m["score"]
            baselines[(params["transport"], r["benchmark"], r["mode"], params.get("payload"))] = value
    print(f"### {path}\n")
    if throughput:
        print("One way (messages/s, higher is better)\n")
        print("\n".join(throughput_table(throughput, baselines)) + "\n")
    if latency:
        print("Round trip (µs, lower is better; ratio of medians)\n")
        print("\n".join(latency_table(latency, baselines)) + "\n")
    if handshakes:
        print("Opening a secure session (µs, lower is better)\n")
        print("\n".join(handshake_table(handshakes)) + "\n")


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    paths = argv[1:] or [os.path.join(here, "target", "jmh-result.json")]
    for path in paths:
        if not os.path.exists(path):
            sys.exit(f"summarize.py: {path} not found; run benchmarks/run.sh first")
        summarize(path)


if __name__ == "__main__":
    main(sys.argv)
