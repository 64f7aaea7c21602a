package org.p2pchat.core.internal.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import org.p2pchat.api.ProtocolException;

/**
 * The message decoder on arbitrary bytes: {@link WireCodec#type} and {@link WireCodec#readHello}
 * may refuse a frame only with a {@link ProtocolException}, and what they accept has a frame
 * limit of at least 64 and encodes again to a HELLO that reads the same. The committed inputs
 * include valid version 5 HELLOs (and limits around 2^31) and ones with one bad field each, so
 * that a regression run gets past the version check into the rest of the decoder; the version
 * 1 to 3 ones exercise the version check.
 */
class WireCodecFuzzTest {

    @FuzzTest
    void helloDecoderOnlyThrowsProtocolException(byte[] frame) {
        ByteBuffer b = ByteBuffer.wrap(frame);
        WireCodec.Hello hello;
        try {
            WireCodec.type(b);
            hello = WireCodec.readHello(b);
        } catch (ProtocolException refused) {
            return;
        }
        assertTrue(hello.maxFrameBytes() >= WireCodec.MIN_FRAME_BYTES, hello.toString());
        ByteBuffer again = WireCodec.hello(hello.name(), hello.listenAddress(), hello.epoch(),
                hello.maxFrameBytes(), hello.signingKey());
        byte[] bytes = new byte[again.remaining()];
        again.get(bytes);
        assertEquals(hello, WireCodec.readHelloPayload(bytes));
    }
}
