#!/usr/bin/env python3
"""Prints JMH results of the p2pchat benchmarks as Markdown tables.

Usage: python3 benchmarks/summarize.py [result.json ...]
(default: benchmarks/target/jmh-result.json, written by benchmarks/run.sh)

Every p2pchat figure is shown next to its ratio to the `raw` baseline of the same benchmark,
mode and payload from the same file: throughput as p2pchat / raw (1 is the machine's limit,
higher is better), latency as p2pchat / raw (lower is better); and next to its ratio to
`rawSealed`, the same raw sockets with every frame sealed by javax.crypto's ChaCha20-Poly1305 (the
machine's limit for encrypted framing one message per frame; p2pchat encrypts every frame, but
packs queued messages several to a frame, so for small messages it can beat rawSealed).

The acknowledged figures of AcknowledgedBenchmark (p2pchat only; `Peer.send`'s stage completes
when the friend has acknowledged the message) sit beside the unacknowledged ones of
DirectMessageBenchmark, one row per payload and transport: oneWayAcked beside oneWay, ackRoundTrip
beside roundTrip. The raw baselines have no acknowledgements, so the acknowledged figures are
ratios to the raw baselines of their unacknowledged counterpart from the same file (raw oneWay,
raw roundTrip), and "acked / unacked" divides one by the other. Round trips compare medians; the
mean (JMH's score) is shown too.

The allocation columns are JMH's gc.alloc.rate.norm (shown when run with -prof gc): per message
for the one-way benchmarks, per round trip for the round trips. It sums every thread of the fork,
so it covers sender and receiver (both peers, their event loops and callback threads).

FileTransferBenchmark gets a table of its own: MiB/s of one file sent with Peer.sendFile beside a
raw socket copy of the same file and a copy in sealed 64 KiB frames, from the same run.

HandshakeBenchmark gets a table of its own: the in-memory Noise XX handshake beside one JDK
X25519 agreement (XX needs about eight: two key generations, six agreements), and a new
connection with its first message beside a raw TCP connect and frame.

Each file starts with the comparison table of benchmarks/README.md, labelled with the JVM the
JMH JSON records (jdkVersion, vmName, vmVersion), so a JDK 17 and a JDK 25 run (run.sh jdk25)
give one table each: rows raw, the cipher limit (CipherLimitBenchmark: ChaCha20-Poly1305 sealing
messages packed into 64 KiB frames), JeroMQ and Netty (DirectMessageBenchmark's `jeromq` and
`netty` transports, plaintext and unacknowledged), p2pchat acknowledged over nio
(AcknowledgedBenchmark.oneWayAcked, with DirectMessageBenchmark.roundTrip's echo) and p2pchat
unacknowledged over nio (DirectMessageBenchmark.oneWay); columns msgs/s at 64 B and 1 KiB and the
64 B echo round trip's median, each beside its ratio to raw, and with -prof gc the bytes
allocated per message and per round trip. A row or cell without results is left out or shown
as –. Standard library only.
"""
import json
import os
import re
import sys

BASELINE = "raw"
SEALED_BASELINE = "rawSealed"
TRANSPORT_ORDER = {"raw": 0, "rawSealed": 1, "jeromq": 2, "netty": 3, "nio": 4, "nioInline": 5,
                   "local": 6}
# Transports that have no acknowledgements: n/a in the acknowledged columns.
UNACKNOWLEDGED = {"raw", "rawSealed", "jeromq", "netty"}
HANDSHAKE = "HandshakeBenchmark"
FILES = "FileTransferBenchmark"
CIPHER = "CipherLimitBenchmark"
IDLE = "IdleMemoryBenchmark"
# CipherLimitBenchmark's methods, by payload (the message count per operation is a constant).
CIPHER_METHODS = {"64": "packed64", "1024": "packed1024"}
DIRECT = "DirectMessageBenchmark"
ACKED = "AcknowledgedBenchmark"
# (unacknowledged, acknowledged) benchmark pairs, by method name: each pair is one table, the
# acknowledged figures beside the unacknowledged ones, both as ratios to the unacknowledged raw.
PAIRS = (("oneWay", "oneWayAcked"), ("roundTrip", "ackRoundTrip"))
# Column labels of each pair's two groups.
LABELS = {"oneWay": ("unacked", "acked"), "roundTrip": ("echo", "ack")}
PAIRED = {name for pair in PAIRS for name in pair}


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
        # DurableSendBenchmark varies the store, not the transport (always nio).
        variant = params.get("transport") or "nio, " + params.get("store", "?") + " store"
        rows.append(f"| {short_name(r['benchmark'])} | {params['payload']} B | {variant}"
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


def has_alloc(results):
    return any(r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm") for r in results)


def headline(result):
    """The figure ratios are taken of: the median for sampled latency, else JMH's score."""
    if result["mode"] == "sample":
        return percentile(result, "50.0")
    return result["primaryMetric"]["score"]


def throughput_cells(r, base, sealed, with_alloc):
    m = r["primaryMetric"]
    cells = [si(m["score"]), si(m["scoreError"]), ratio(m["score"], base), ratio(m["score"], sealed)]
    return cells + ([alloc(r)] if with_alloc else [])


def latency_cells(r, base, sealed, with_alloc):
    median = headline(r)
    cells = [fmt(median), ratio(median, base), ratio(median, sealed),
             fmt(percentile(r, "90.0")), fmt(percentile(r, "99.0")),
             f"{r['primaryMetric']['score']:.1f}"]
    return cells + ([alloc(r)] if with_alloc else [])


def find(results, payload, transport):
    return next((r for r in results if r["params"].get("payload") == payload
                 and r["params"].get("transport") == transport), None)


def paired_table(pair, labels, by_name, baselines):
    """One row per payload and transport: the unacknowledged figures, then the acknowledged.

    Only the groups with results get columns; a baseline row shows n/a in the acknowledged group.
    """
    groups = [(name, label) for name, label in zip(pair, labels) if by_name.get(name)]
    results = [r for name, _ in groups for r in by_name[name]]
    with_alloc = has_alloc(results)
    if all(r["mode"] == "thrpt" for r in results):
        columns = ["msgs/s", "±", "/ raw", "/ rawSealed"]
        cells, per = throughput_cells, "alloc per msg"
    else:
        columns = ["median µs", "/ raw", "/ rawSealed", "p90 µs", "p99 µs", "mean µs"]
        cells, per = latency_cells, "alloc per round trip"
    columns = columns + ([per] if with_alloc else [])
    header = ["payload", "transport"] + [f"{label} {c}" for _, label in groups for c in columns]
    if len(groups) == 2:
        header.append(f"{labels[1]} / {labels[0]}")
    rows = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    keys = sorted({(r["params"].get("payload", ""), r["params"].get("transport", ""))
                   for r in results},
                  key=lambda k: (int(k[0]) if k[0].isdigit() else 0, k[0],
                                 TRANSPORT_ORDER.get(k[1], 9), k[1]))
    for payload, transport in keys:
        # The acknowledged figures are read against the unacknowledged benchmark's baselines.
        base = baselines.get((BASELINE, pair[0], payload))
        sealed = baselines.get((SEALED_BASELINE, pair[0], payload))
        row = [f"{payload} B", transport]
        found = []
        for name, _ in groups:
            r = find(by_name[name], payload, transport)
            found.append(r)
            if r is not None:
                row += cells(r, base, sealed, with_alloc)
            else:
                missing = "n/a" if transport in UNACKNOWLEDGED else "–"
                row += [missing] * len(columns)
        if len(groups) == 2:
            u, a = found
            row.append(ratio(headline(a), headline(u)) if a and u else "–")
        rows.append("| " + " | ".join(row) + " |")
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


def files_table(results):
    """FileTransferBenchmark: MiB/s of one file, p2pchat beside the raw and sealed socket copies."""
    score = {r["params"]["transport"]: r["primaryMetric"]["score"] for r in results}
    rows = ["| transport | MiB/s | ± | ratio to raw | ratio to rawSealed |",
            "|---|---|---|---|---|"]
    for r in sorted(results, key=lambda r: TRANSPORT_ORDER.get(r["params"]["transport"], 9)):
        m = r["primaryMetric"]
        rows.append(f"| {r['params']['transport']} | {m['score']:.1f} | {m['scoreError']:.1f}"
                    f" | {ratio(m['score'], score.get(BASELINE))}"
                    f" | {ratio(m['score'], score.get(SEALED_BASELINE))} |")
    return rows


def class_name(benchmark):
    parts = benchmark.rsplit(".", 2)
    return parts[-2] if len(parts) > 1 else ""


def library_versions():
    """JeroMQ's and Netty's versions, as benchmarks/pom.xml pins them (None if unreadable)."""
    pom = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pom.xml")
    try:
        with open(pom, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return {}
    versions = {}
    for name in ("jeromq", "netty"):
        m = re.search(rf"<{name}\.version>([^<]+)</{name}\.version>", text)
        if m:
            versions[name] = m.group(1).removesuffix(".Final")
    return versions


def jvm_label(results):
    """The JVM(s) a result file was measured on, from JMH's jdkVersion, vmName and vmVersion."""
    seen = []
    for r in results:
        label = " ".join(x for x in (f"JDK {r['jdkVersion']}" if r.get("jdkVersion") else "",
                                      f"({r.get('vmName', '')} {r.get('vmVersion', '')})".strip()
                                      if r.get("vmVersion") else "") if x)
        if label and label not in seen:
            seen.append(label)
    return ", ".join(seen) or "JVM not recorded"


def alloc_norm(result):
    norm = (result or {}).get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
    return norm["score"] if norm else None


def comparison_table(everything):
    """The table of benchmarks/README.md: each library's msgs/s and echo p50 as ratios to raw."""
    index = {}
    for r in everything:
        params = r.get("params", {})
        index[(class_name(r["benchmark"]), short_name(r["benchmark"]), params.get("transport"),
               params.get("payload"))] = r
    for payload, method in CIPHER_METHODS.items():
        r = index.get((CIPHER, method, None, None))
        if r is not None:
            index[(CIPHER, "packed", None, payload)] = r

    def get(spec, payload):
        return None if spec is None else index.get(spec + (payload,))

    versions = library_versions()
    jeromq = f"JeroMQ {versions.get('jeromq', '')} PUSH/PULL, REQ/REP".replace("  ", " ")
    netty = (f"Netty {versions.get('netty', '')}, length + payload in one pooled buffer,"
             " flush per 64 KiB").replace("  ", " ")
    rows_spec = [
        ("raw NIO, frames packed into 64 KiB writes",
         (DIRECT, "oneWay", BASELINE), (DIRECT, "roundTrip", BASELINE)),
        ("cipher limit, packed 64 KiB frames", (CIPHER, "packed", None), None),
        (jeromq, (DIRECT, "oneWay", "jeromq"), (DIRECT, "roundTrip", "jeromq")),
        (netty, (DIRECT, "oneWay", "netty"), (DIRECT, "roundTrip", "netty")),
        ("p2pchat nio, acknowledged (echo: roundTrip)",
         (ACKED, "oneWayAcked", "nio"), (DIRECT, "roundTrip", "nio")),
        ("p2pchat nio, unacknowledged oneWay", (DIRECT, "oneWay", "nio"), None),
        ("p2pchat nio, listeners on the network thread, acknowledged (echo: roundTrip)",
         (ACKED, "oneWayAcked", "nioInline"), (DIRECT, "roundTrip", "nioInline")),
    ]
    raw = {p: get((DIRECT, "oneWay", BASELINE), p) for p in ("64", "1024")}
    raw_rtt = get((DIRECT, "roundTrip", BASELINE), "64")
    with_alloc = has_alloc(everything)
    header = ["", "64 B msgs/s", "× raw", "1 KiB msgs/s", "× raw", "echo RTT p50 (64 B)", "× raw"]
    if with_alloc:
        header += ["B/msg 64 B / 1 KiB", "B/round trip"]
    rows = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]

    def number(value):
        return "–" if value is None else f"{value:,.0f}"

    for label, one_way, rtt in rows_spec:
        found = {p: get(one_way, p) for p in ("64", "1024")}
        echo = get(rtt, "64")
        if not any(found.values()) and echo is None:
            continue
        row = [label]
        for p in ("64", "1024"):
            r = found[p]
            if r is None:
                row += ["–", "–"]
            else:
                base = raw[p]["primaryMetric"]["score"] if raw[p] else None
                row += [si(r["primaryMetric"]["score"]), ratio(r["primaryMetric"]["score"], base)]
        if echo is None:
            row += ["–", "–"]
        else:
            row += [f"{headline(echo):.1f} µs", ratio(headline(echo), headline(raw_rtt))
                    if raw_rtt else "–"]
        if with_alloc:
            row += [f"{number(alloc_norm(found['64']))} / {number(alloc_norm(found['1024']))}",
                    number(alloc_norm(echo)) if echo else "–"]
        rows.append("| " + " | ".join(row) + " |")
    return rows if len(rows) > 2 else []


def cipher_table(results, raw):
    """CipherLimitBenchmark: msgs/s, the plaintext MB/s it seals, and the ratio to raw one way."""
    rows = ["| benchmark | payload | msgs/s | ± | sealed MB/s (with length prefixes) | ratio to raw"
            " | alloc per msg |",
            "|---|---|---|---|---|---|---|"]
    by_method = {m: p for p, m in CIPHER_METHODS.items()}
    for r in sorted(results, key=lambda r: int(by_method.get(short_name(r["benchmark"]), "0"))):
        m = r["primaryMetric"]
        payload = by_method.get(short_name(r["benchmark"]))
        size = int(payload) + 4 if payload else 0
        rows.append(f"| {short_name(r['benchmark'])} | {payload or '?'} B | {si(m['score'])}"
                    f" | {si(m['scoreError'])} | {m['score'] * size / 1e6:,.0f}"
                    f" | {ratio(m['score'], raw.get(payload))} | {alloc(r)} |")
    return rows


def idle_table(results):
    """IdleMemoryBenchmark reports its figures as secondary metrics, in bytes."""
    rows = ["| what | bytes |", "|---|---|"]
    names = {"heapPerIdlePeer": "a started peer with no link",
             "heapPerIdleLink": "one idle link with its connection open, both ends together"}
    for r in results:
        for metric, label in names.items():
            m = r.get("secondaryMetrics", {}).get(metric)
            if m:
                # Single-shot iterations: JMH's score sums them; the median is one iteration's.
                median = m.get("scorePercentiles", {}).get("50.0", m["score"])
                rows.append(f"| {label} | {median / 1000:,.1f} KB |")
    return rows


def summarize(path):
    with open(path, encoding="utf-8") as f:
        everything = json.load(f)
    for r in everything:
        # A benchmark without @Param (IdleMemoryBenchmark) has none in the JSON.
        r.setdefault("params", {})
    everything.sort(key=key)
    handshakes = [r for r in everything if HANDSHAKE in r["benchmark"]]
    files = [r for r in everything if FILES in r["benchmark"]]
    ciphers = [r for r in everything if CIPHER in r["benchmark"]]
    idle = [r for r in everything if IDLE in r["benchmark"]]
    results = [r for r in everything
               if not any(own in r["benchmark"] for own in (HANDSHAKE, FILES, CIPHER, IDLE))]
    by_name = {}
    for r in results:
        if short_name(r["benchmark"]) in PAIRED:
            by_name.setdefault(short_name(r["benchmark"]), []).append(r)
    others = [r for r in results if short_name(r["benchmark"]) not in PAIRED]
    throughput = [r for r in others if r["mode"] == "thrpt"]
    latency = [r for r in others if r["mode"] in ("sample", "avgt", "ss")]
    baselines = {}
    for r in results:
        params = r.get("params", {})
        if params.get("transport") in (BASELINE, SEALED_BASELINE):
            baselines[(params["transport"], r["benchmark"], r["mode"], params.get("payload"))] = \
                headline(r)
            baselines[(params["transport"], short_name(r["benchmark"]), params.get("payload"))] = \
                headline(r)
    print(f"### {path}: {jvm_label(everything)}\n")
    comparison = comparison_table(everything)
    if comparison:
        print("Beside other libraries (msgs/s higher is better, µs lower; ratios to raw from this"
              " file; JeroMQ, Netty and raw plaintext and unacknowledged, p2pchat encrypted)\n")
        print("\n".join(comparison) + "\n")
    titles = {"oneWay": "One way (messages/s, higher is better): unacked = oneWay (B's listener"
                        " has them all), acked = oneWayAcked (every send stage completed)",
              "roundTrip": "Round trip (µs, lower is better; ratios of medians): echo = roundTrip"
                           " (B's listener echoes, A waits for the echo), ack = ackRoundTrip (A"
                           " waits for its send stage to complete)"}
    for unacked, acked in PAIRS:
        if by_name.get(unacked) or by_name.get(acked):
            print(titles.get(unacked, f"{unacked} and {acked}") + "\n")
            labels = LABELS.get(unacked, (unacked, acked))
            print("\n".join(paired_table((unacked, acked), labels, by_name, baselines)) + "\n")
    if throughput:
        print("Other throughput (operations/s, higher is better)\n")
        print("\n".join(throughput_table(throughput, baselines)) + "\n")
    if latency:
        print("Other latency (µs, lower is better; ratio of medians)\n")
        print("\n".join(latency_table(latency, baselines)) + "\n")
    if ciphers:
        raw = {r["params"]["payload"]: r["primaryMetric"]["score"] for r in results
               if short_name(r["benchmark"]) == "oneWay" and class_name(r["benchmark"]) == DIRECT
               and r.get("params", {}).get("transport") == BASELINE}
        print("Cipher limit: ChaCha20-Poly1305 sealing messages packed into 64 KiB frames, a fresh"
              " Cipher.init and nonce per frame (msgs/s, higher is better)\n")
        print("\n".join(cipher_table(ciphers, raw)) + "\n")
    if files:
        print("One file (MiB/s, higher is better)\n")
        print("\n".join(files_table(files)) + "\n")
    if handshakes:
        print("Opening a secure session (µs, lower is better)\n")
        print("\n".join(handshake_table(handshakes)) + "\n")
    if idle:
        print("Idle memory (heap kept after full collections, lower is better)\n")
        print("\n".join(idle_table(idle)) + "\n")


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    paths = argv[1:] or [os.path.join(here, "target", "jmh-result.json")]
    for path in paths:
        if not os.path.exists(path):
            sys.exit(f"summarize.py: {path} not found; run benchmarks/run.sh first")
        summarize(path)


if __name__ == "__main__":
    main(sys.argv)
