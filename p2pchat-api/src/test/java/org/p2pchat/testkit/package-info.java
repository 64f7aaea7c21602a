/**
 * Test helpers shared by every module's tests through this module's test-jar: the transport and
 * message-store contract tests, a hand-driven clock, frame recorders, deadline-bounded waits and
 * a fault-injecting TCP proxy.
 */
package org.p2pchat.testkit;
