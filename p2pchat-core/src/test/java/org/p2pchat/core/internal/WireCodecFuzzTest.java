package org.p2pchat.core.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import org.p2pchat.api.ProtocolException;

/**
 * The message decoder on arbitrary bytes: {@link WireCodec#type} and {@link WireCodec#readHello}
 * may refuse a frame only with a {@link ProtocolException}.
 */
class WireCodecFuzzTest {

    @FuzzTest
    void helloDecoderOnlyThrowsProtocolException(byte[] frame) {
        ByteBuffer b = ByteBuffer.wrap(frame);
        try {
            WireCodec.type(b);
            WireCodec.readHello(b);
        } catch (ProtocolException refused) {
            // fine
        }
    }
}
