/**
 * Test helpers shared by every module's tests through this module's test-jar: the transport
 * contract test, a hand-driven clock, frame recorders and deadline-bounded waits.
 */
package org.p2pchat.testkit;
