package io.github.sockleak.benchmarks;

import io.github.sockleak.Sockets;
import io.github.sockleak.internal.Polling;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code connections} loopback connections held by {@link BackgroundConnections} processes, each under
 * {@link #PER_PROCESS} connections so that its descriptors stay well below the file limit. Each holder's PID is
 * appended to {@code pidFile}, so the calling script can end them by PID even if this JVM dies first.
 */
public final class Background implements AutoCloseable {

    /** 4,500 connections are 9,000 descriptors, far from the 20,000 a process may open here. */
    static final int PER_PROCESS = 4_500;

    private final List<Process> holders = new ArrayList<>();
    private final Set<Integer> ports = new HashSet<>();

    /** Starts the holders and returns once the table shows every socket they hold. */
    public Background(int connections, Path pidFile) {
        try {
            for (int left = connections; left > 0; left -= PER_PROCESS) {
                Process holder = new ProcessBuilder(javaCommand(), "-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                        "-cp", System.getProperty("java.class.path"), BackgroundConnections.class.getName(),
                        String.valueOf(Math.min(left, PER_PROCESS)))
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
                holders.add(holder);
                Files.writeString(pidFile, holder.pid() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            for (Process holder : holders) {
                String line = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                if (line == null || !line.startsWith("READY ")) {
                    throw new IllegalStateException("connection holder " + holder.pid() + " did not get ready: " + line);
                }
                ports.add(Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1)));
            }
            int expected = 2 * connections + holders.size(); // both ends of each connection, and a listener each
            // Counted by the holders' ports, so other processes opening or closing sockets meanwhile do not matter.
            Polling.Result<Long> filled = Polling.until(this::socketsInTable, count -> count == expected, Duration.ofSeconds(60));
            if (!filled.satisfied()) {
                throw new IllegalStateException("expected " + expected + " sockets of the holders, the table has " + filled.value());
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Closes each holder's stdin so it exits by itself (one that does not within 30 s is ended by its handle), then
     * waits until the kernel has dropped their sockets, so the next population starts from an empty table.
     */
    @Override
    public void close() {
        for (Process holder : holders) {
            try {
                holder.getOutputStream().close();
            } catch (IOException ignored) {
                // it is ended below anyway
            }
        }
        for (Process holder : holders) {
            try {
                if (!holder.waitFor(30, TimeUnit.SECONDS)) {
                    holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                holder.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        holders.clear();
        Polling.until(this::socketsInTable, count -> count == 0, Duration.ofSeconds(60));
    }

    private long socketsInTable() {
        return Sockets.snapshot().all().stream()
                .filter(t -> ports.contains(t.local().getPort()) || ports.contains(t.remote().getPort()))
                .count();
    }

    static String javaCommand() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
