/**
 * JMH benchmarks of p2pchat. Each benchmark class covers one concept and measures p2pchat next to
 * a baseline in the same run, so that figures are read as ratios to what the machine can do
 * rather than as absolute numbers. {@link org.p2pchat.benchmarks.DirectMessageBenchmark} measures
 * messages on an open connection, {@link org.p2pchat.benchmarks.AcknowledgedBenchmark} the same
 * messages until the friend has acknowledged them (p2pchat only: the baselines have no
 * acknowledgements, so they are read beside DirectMessageBenchmark's baselines from the same run),
 * {@link org.p2pchat.benchmarks.HandshakeBenchmark} the cost of opening one (the Noise XX
 * handshake), {@link org.p2pchat.benchmarks.RoomFanoutBenchmark} a room of five members (read beside
 * DirectMessageBenchmark's figures and baselines from the same run, with the Ed25519 signing and
 * verifying that bound it), {@link org.p2pchat.benchmarks.CipherLimitBenchmark} the cipher's
 * ceiling for messages packed into 64 KiB frames. DirectMessageBenchmark also measures JeroMQ and
 * Netty (plaintext, unacknowledged) beside the baselines. The other classes are their helpers, one
 * job each. Run them with
 * {@code benchmarks/run.sh} and tabulate with {@code benchmarks/summarize.py}.
 *
 * <p>Everything here binds 127.0.0.1 only, and every benchmark closes its sockets, peers and
 * threads in its trial tear-down, so forks exit cleanly.
 */
package org.p2pchat.benchmarks;
