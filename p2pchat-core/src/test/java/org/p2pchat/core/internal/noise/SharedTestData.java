package org.p2pchat.core.internal.noise;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds files in {@code ../shared/testdata}, which CI places beside the checkout. */
final class SharedTestData {
    private SharedTestData() {
    }

    static Path file(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolveSibling("shared").resolve("testdata").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("cannot find shared/testdata/" + name + " beside the checkout");
    }
}
