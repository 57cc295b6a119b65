package io.github.sockleak.junit.internal.origins;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code net.core.somaxconn}: the kernel's cap on a listener's backlog. {@code listen(2)} silently lowers a larger
 * backlog to it, so the backlog a listener really has is the smaller of the two. Read at each listen, as the
 * kernel does, since the setting can change while the JVM runs.
 */
final class Somaxconn {

    private static final Path SETTING = Path.of("/proc/sys/net/core/somaxconn");

    private Somaxconn() {
    }

    /** {@code requested} as the kernel applies it; unchanged where the setting cannot be read. */
    static int clamp(int requested) {
        // Read as a line: /proc reports a size of 0, and Files.readString trusts the size (it returns "4" for "4096").
        try (BufferedReader reader = Files.newBufferedReader(SETTING)) {
            String line = reader.readLine();
            int cap = line == null ? 0 : Integer.parseInt(line.trim());
            return cap > 0 ? Math.min(requested, cap) : requested;
        } catch (IOException | NumberFormatException | SecurityException e) {
            return requested;
        }
    }
}
