package org.p2pchat.core.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine's packages form layers with one-way dependencies: each uses only the packages below
 * it, so no two packages use each other. Read from the sources under {@code src/main/java}: every
 * {@code import org.p2pchat.core.internal.X...} and every fully qualified
 * {@code org.p2pchat.core.internal.X.} in the code (comments and string literals aside), and every
 * use of the public {@code org.p2pchat.core} package, which builds peers on top of all of them.
 */
class PackageLayersTest {
    /** The public entry points, {@code org.p2pchat.core} itself. */
    private static final String FACADE = "(org.p2pchat.core)";

    /**
     * What each package may use, top to bottom. {@code runtime} (threads, logs) is for every
     * layer; {@code local}, the in-JVM transport, needs nothing of the engine but the api and spi.
     * {@code room} may have no files yet.
     */
    private static final Map<String, Set<String>> MAY_USE = layers();

    private static Map<String, Set<String>> layers() {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        m.put(FACADE, Set.of("node", "link", "room", "files", "delivery", "store", "session",
                "noise", "runtime", "local", "observe"));
        m.put("node", Set.of("link", "room", "files", "delivery", "store", "session", "noise",
                "runtime", "observe"));
        m.put("link", Set.of("delivery", "session", "noise", "runtime", "observe"));
        m.put("room", Set.of("delivery", "store", "session", "runtime"));
        // Files ride on the links' messages and sessions; nothing below knows of them.
        m.put("files", Set.of("delivery", "session", "noise", "runtime"));
        m.put("delivery", Set.of("store", "session", "noise", "runtime", "observe"));
        m.put("store", Set.of("runtime"));
        m.put("session", Set.of("noise", "runtime"));
        m.put("noise", Set.of("runtime"));
        m.put("local", Set.of("runtime"));
        // Counters and Flight Recorder events: told by the layers above, it tells none of them.
        m.put("observe", Set.of());
        m.put("runtime", Set.of());
        return m;
    }

    private static final Pattern INTERNAL = Pattern.compile(
            "\\borg\\.p2pchat\\.core\\.internal\\.([a-z]\\w*)\\s*\\.");
    /** A class of {@code org.p2pchat.core} itself, not one of its sub-packages. */
    private static final Pattern FACADE_USE = Pattern.compile(
            "\\borg\\.p2pchat\\.core\\.([A-Z]\\w*)");
    private static final Pattern COMMENT_OR_LITERAL = Pattern.compile(
            "/\\*.*?\\*/|//[^\\n]*|\"\"\".*?\"\"\"|\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\\\n])*'",
            Pattern.DOTALL);

    /** One use of another package: which file, which line, what it says. */
    private record Use(String from, String to, Path file, int line, String text) {
        @Override
        public String toString() {
            return from + " -> " + to + " at " + file + ":" + line + ": " + text;
        }
    }

    @Test
    void everyPackageUsesOnlyTheLayersBelowIt() {
        List<String> violations = new ArrayList<>();
        for (Use use : uses()) {
            Set<String> allowed = MAY_USE.get(use.from());
            if (allowed != null && !allowed.contains(use.to())) {
                violations.add(use + "  (" + use.from() + " may use only " + new TreeSet<>(allowed)
                        + ")");
            }
        }
        assertTrue(violations.isEmpty(), "uses against the layers:\n"
                + String.join("\n", violations));
    }

    @Test
    void everyPackageOfTheEngineHasAPlaceInTheLayers() {
        Set<String> unknown = new TreeSet<>();
        for (Path file : sources()) {
            String pkg = packageOf(file);
            if (!MAY_USE.containsKey(pkg)) {
                unknown.add(pkg + " (" + file + ")");
            }
        }
        for (Use use : uses()) {
            if (!MAY_USE.containsKey(use.to())) {
                unknown.add(use.to() + " (used at " + use.file() + ":" + use.line() + ")");
            }
        }
        assertTrue(unknown.isEmpty(), "packages missing from PackageLayersTest's table: " + unknown);
    }

    @Test
    void noTwoPackagesDependOnEachOtherEvenThroughOthers() {
        Map<String, Set<String>> actual = new TreeMap<>();
        for (Use use : uses()) {
            actual.computeIfAbsent(use.from(), k -> new TreeSet<>()).add(use.to());
        }
        assertAcyclic(actual, "the packages' dependencies");
        assertAcyclic(MAY_USE, "the table of layers");
    }

    private static void assertAcyclic(Map<String, Set<String>> graph, String what) {
        Map<String, Integer> state = new TreeMap<>();
        for (String start : graph.keySet()) {
            List<String> cycle = cycleFrom(start, graph, state, new ArrayList<>());
            if (cycle != null) {
                fail("a cycle in " + what + ": " + String.join(" -> ", cycle));
            }
        }
    }

    /** Depth first; state 1 is on the current path, 2 done. Returns a cycle, or null. */
    private static List<String> cycleFrom(String node, Map<String, Set<String>> graph,
            Map<String, Integer> state, List<String> path) {
        Integer s = state.get(node);
        if (s != null && s == 2) {
            return null;
        }
        path.add(node);
        if (s != null && s == 1) {
            return new ArrayList<>(path.subList(path.indexOf(node), path.size()));
        }
        state.put(node, 1);
        for (String next : graph.getOrDefault(node, Set.of())) {
            List<String> cycle = cycleFrom(next, graph, state, path);
            if (cycle != null) {
                return cycle;
            }
        }
        state.put(node, 2);
        path.remove(path.size() - 1);
        return null;
    }

    /** Every use of another package, in every source file. */
    private static List<Use> uses() {
        List<Use> uses = new ArrayList<>();
        for (Path file : sources()) {
            String from = packageOf(file);
            String code = codeOnly(read(file));
            collect(INTERNAL, code, from, file, uses, false);
            if (!from.equals(FACADE)) {
                collect(FACADE_USE, code, from, file, uses, true);
            }
        }
        return uses;
    }

    private static void collect(Pattern p, String code, String from, Path file, List<Use> uses,
            boolean facade) {
        Matcher m = p.matcher(code);
        while (m.find()) {
            String to = facade ? FACADE : m.group(1);
            if (!to.equals(from)) {
                int line = lineOf(code, m.start());
                uses.add(new Use(from, to, file, line, lineText(code, m.start()).strip()));
            }
        }
    }

    /** The code with comments and literals blanked out, keeping its line breaks. */
    private static String codeOnly(String source) {
        Matcher m = COMMENT_OR_LITERAL.matcher(source);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String gone = m.group().replaceAll("[^\\n]", " ");
            m.appendReplacement(out, Matcher.quoteReplacement(gone));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static String lineText(String text, int offset) {
        int start = text.lastIndexOf('\n', offset) + 1;
        int end = text.indexOf('\n', offset);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    /** {@code node} for {@code internal/node/ChatNode.java}; the facade for the root package. */
    private static String packageOf(Path file) {
        Path rel = root().relativize(file.getParent());
        if (rel.toString().isEmpty()) {
            return FACADE;
        }
        if (!rel.getName(0).toString().equals("internal") || rel.getNameCount() < 2) {
            return "(org.p2pchat.core." + rel.toString().replace(java.io.File.separatorChar, '.')
                    + ")";
        }
        return rel.getName(1).toString();
    }

    private static List<Path> sources() {
        try (Stream<Path> files = Files.walk(root())) {
            List<Path> found = files.filter(f -> f.toString().endsWith(".java")).sorted()
                    .collect(Collectors.toList());
            assertTrue(found.size() > 20, "only " + found.size() + " sources under " + root());
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code src/main/java/org/p2pchat/core} of this module: surefire runs in the module's
     * directory (and says so in {@code basedir}); an IDE may run in the repository's.
     */
    private static Path root() {
        Path rel = Path.of("src", "main", "java", "org", "p2pchat", "core");
        List<Path> tried = new ArrayList<>();
        for (String dir : new String[] {System.getProperty("basedir"),
                System.getProperty("user.dir")}) {
            if (dir == null) {
                continue;
            }
            for (Path candidate : List.of(Path.of(dir).resolve(rel),
                    Path.of(dir).resolve("p2pchat-core").resolve(rel))) {
                if (Files.isDirectory(candidate)) {
                    return candidate.toAbsolutePath().normalize();
                }
                tried.add(candidate);
            }
        }
        throw new IllegalStateException("cannot find the sources of p2pchat-core; tried " + tried);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
