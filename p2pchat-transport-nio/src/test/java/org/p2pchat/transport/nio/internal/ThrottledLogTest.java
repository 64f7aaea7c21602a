package org.p2pchat.transport.nio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class ThrottledLogTest {

    /** A logger that keeps the format and arguments of each warn call. */
    private static Logger recording(List<String> lines) {
        return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(),
                new Class<?>[] {Logger.class}, (proxy, method, args) -> {
                    if (method.getName().equals("warn")) {
                        Object[] values = (Object[]) args[1];
                        String line = (String) args[0];
                        for (Object v : values) {
                            line = line.replaceFirst("\\{}", String.valueOf(v));
                        }
                        lines.add(line);
                    }
                    return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
                });
    }

    @Test
    void aFloodOfWarningsBecomesOneLineASecond() {
        List<String> lines = new ArrayList<>();
        ThrottledLog log = new ThrottledLog(recording(lines));
        for (int i = 0; i < 10_000; i++) {
            log.warn("refusing {} from {}", "connection " + i, "10.0.0.1");
        }
        assertEquals(List.of("refusing connection 0 from 10.0.0.1"), lines);
    }
}
