package io.github.sockleak.benchmarks;

import io.github.sockleak.Sockets;
import io.github.sockleak.internal.Polling;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one holder of background connections for every benchmark: loopback connections on 127.0.0.1 held by
 * {@link ConnectionHolder} processes, child JVMs of this one, so that the socket table is crowded by other processes
 * as on a build machine. It grows on demand ({@link #growTo}), a holder at a time, each under its share of
 * connections so that its descriptors stay below the file limit.
 *
 * <p>This JVM holds no descriptor of theirs: a holder writes to a file, reads nothing, and ends when this JVM does,
 * or when {@link #close} ends it by its PID. A pipe per holder would be a descriptor that every listing of this
 * process's sockets pays for, and the per-test check would seem to grow with the background.
 */
public final class Background implements AutoCloseable {

    private static final Duration SOCKETS_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final int perProcess;
    private final int listenersPerProcess;
    private final double churnPerSecond;
    private final int orderlyPercent;
    private final boolean bothStacks;
    private final List<Holder> holders = new ArrayList<>();
    private final Set<Integer> ports = new HashSet<>();
    private int held;

    /** One child process and the file it writes {@code READY} and {@code CHURNED} lines to. */
    private record Holder(Process process, Path out) {

        /** The last line of its output that starts with {@code prefix}, if any yet. */
        Optional<String> last(String prefix) {
            try {
                List<String> lines = Files.readAllLines(out, StandardCharsets.US_ASCII);
                for (int i = lines.size() - 1; i >= 0; i--) {
                    if (lines.get(i).startsWith(prefix)) {
                        return Optional.of(lines.get(i));
                    }
                }
                return Optional.empty();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Static connections, 4,500 a process (9,000 descriptors, far from the 20,000 a process may open here). Java's
     * sockets are dual-stack, so their rows are all in {@code /proc/net/tcp6}, IPv4-mapped.
     */
    public static Background quiet() {
        return new Background(4_500, 1, 0, 0, false);
    }

    /**
     * Static connections, every other holder on the IPv4 stack ({@code java.net.preferIPv4Stack}), so that both
     * {@code /proc/net/tcp} and {@code /proc/net/tcp6} are crowded.
     */
    public static Background bothStacks() {
        return new Background(4_500, 1, 0, 0, true);
    }

    /**
     * @param churnPerSecond connections replaced per second by all holders together
     * @param orderlyPercent replaced connections closed with FINs, which leave TIME-WAIT rows
     */
    public static Background churning(int perProcess, int listenersPerProcess, double churnPerSecond, int orderlyPercent) {
        return new Background(perProcess, listenersPerProcess, churnPerSecond, orderlyPercent, false);
    }

    private Background(int perProcess, int listenersPerProcess, double churnPerSecond, int orderlyPercent, boolean bothStacks) {
        this.perProcess = perProcess;
        this.listenersPerProcess = listenersPerProcess;
        this.churnPerSecond = churnPerSecond;
        this.orderlyPercent = orderlyPercent;
        this.bothStacks = bothStacks;
    }

    /**
     * Starts holders until {@code connections} are held, and, for static ones, returns once the table shows every
     * socket they hold: counted by the holders' ports, so that other processes opening and closing sockets meanwhile
     * neither stall nor skew the count. Churning holders spread the rate by their share of {@code connections}.
     */
    public void growTo(int connections) {
        try {
            while (held < connections) {
                int count = Math.min(perProcess, connections - held);
                start(count, churnPerSecond * count / connections);
                held += count;
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        }
        if (churnPerSecond == 0) {
            long expected = expectedSockets();
            Polling.Result<Long> filled = Polling.until(this::socketsOfHolders, count -> count == expected, SOCKETS_TIMEOUT);
            if (!filled.satisfied()) {
                throw new IllegalStateException("expected " + expected + " sockets of the holders, the table has " + filled.value());
            }
        }
    }

    public int connections() {
        return held;
    }

    /** Both ends of each connection, and the holders' listeners. */
    public long expectedSockets() {
        return 2L * held + ports.size();
    }

    /** The holders' last {@code CHURNED} figures, summed: replaced, the longest time churned in ms, failed. */
    public long[] churned() {
        long[] sum = new long[3];
        for (Holder holder : holders) {
            Optional<String> churned = holder.last("CHURNED ");
            if (churned.isPresent()) {
                String[] words = churned.get().split(" ");
                sum[0] += Long.parseLong(words[1]);
                sum[1] = Math.max(sum[1], Long.parseLong(words[2]));
                sum[2] += Long.parseLong(words[3]);
            }
        }
        return sum;
    }

    /**
     * Stops every holder ({@code SIGSTOP}, by its PID) until {@link #resume()}: their connections stay in the kernel's
     * table, while their JVMs' threads no longer take the CPU from what is measured beside them.
     */
    public void pause() {
        signal("-STOP");
    }

    /** Lets every holder run again ({@code SIGCONT}); before {@link #close()}, which a stopped holder would not see. */
    public void resume() {
        signal("-CONT");
    }

    private void signal(String signal) {
        if (holders.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", signal));
        holders.forEach(holder -> command.add(String.valueOf(holder.process().pid())));
        try {
            Process kill = new ProcessBuilder(command).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + kill.exitValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", command) + " interrupted", e);
        }
    }

    /** Completes when the first holder ends: one that dies takes its connections with it. */
    public CompletableFuture<?> anyEnded() {
        return CompletableFuture.anyOf(holders.stream().map(holder -> holder.process().onExit()).toArray(CompletableFuture[]::new));
    }

    private void start(int connections, double rate) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaCommand(), "-Xmx96m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Xss512k"));
        if (bothStacks && holders.size() % 2 == 1) {
            command.add("-Djava.net.preferIPv4Stack=true");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ConnectionHolder.class.getName(),
                String.valueOf(connections), String.valueOf(rate), String.valueOf(listenersPerProcess),
                String.valueOf(orderlyPercent)));
        Path out = Files.createTempFile("sockleak-holder-", ".out");
        out.toFile().deleteOnExit();
        Process process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Holder holder = new Holder(process, out);
        holders.add(holder);
        // A holder that ends first has said why on this JVM's stderr.
        Polling.Result<Optional<String>> ready = Polling.until(() -> holder.last("READY "),
                line -> line.isPresent() || !process.isAlive(), READY_TIMEOUT);
        if (ready.value().isEmpty()) {
            throw new IllegalStateException("connection holder " + process.pid() + " did not get ready within "
                    + READY_TIMEOUT + (process.isAlive() ? "" : ": it ended"));
        }
        String[] words = ready.value().get().split(" ");
        for (int i = 2; i < words.length; i++) {
            ports.add(Integer.parseInt(words[i]));
        }
    }

    /**
     * Ends each holder by its PID and waits for it; then, for static holders, waits until the kernel has dropped
     * their sockets, so that the next table starts without them. Their connections reset as they close
     * ({@code SO_LINGER} 0), so no TIME-WAIT is left behind.
     */
    @Override
    public void close() {
        for (Holder holder : holders) {
            holder.process().destroy();
        }
        for (Holder holder : holders) {
            Process process = holder.process();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            try {
                Files.deleteIfExists(holder.out());
            } catch (IOException ignored) {
                // a temporary file: deleted on exit anyway
            }
        }
        if (churnPerSecond == 0 && !ports.isEmpty()) {
            Polling.until(this::socketsOfHolders, count -> count == 0, SOCKETS_TIMEOUT);
        }
        holders.clear();
        ports.clear();
        held = 0;
    }

    private long socketsOfHolders() {
        return Sockets.snapshot().all().stream()
                .filter(socket -> ports.contains(socket.local().getPort()) || ports.contains(socket.remote().getPort()))
                .count();
    }

    static String javaCommand() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
