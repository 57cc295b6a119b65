package io.github.sockleak.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A churning load to run anything beside (the test suite, the verdict harness): connections held by
 * {@link Background} holders that keep replacing them, and {@link BusyCore} processes. Prints {@code READY} once every
 * connection is up, then runs until it is ended (SIGTERM or SIGINT), or until one of its processes dies; it then ends
 * every process it started, by PID, and prints on stderr the replacements achieved against those asked.
 *
 * <p>Usage: {@code BackgroundLoad <connections> <replacements per second> <busy cores> <listeners per holder>
 * <orderly percent> <connections per holder>}; run by {@code bench/tables.sh load}.
 */
public final class BackgroundLoad {

    private BackgroundLoad() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 6) {
            System.err.println("usage: BackgroundLoad <connections> <churn per second> <busy cores> <listeners>"
                    + " <orderly percent> <per holder>");
            System.exit(2);
        }
        int connections = Integer.parseInt(args[0]);
        double churn = Double.parseDouble(args[1]);
        int busyCores = Integer.parseInt(args[2]);
        Background background = Background.churning(Integer.parseInt(args[5]), Integer.parseInt(args[3]), churn,
                Integer.parseInt(args[4]));
        List<Process> busy = new ArrayList<>();
        long[] readyAt = {0};
        AtomicBoolean ending = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ending.set(true);
            if (readyAt[0] != 0) {
                summary(connections, churn, background, readyAt[0]);
            }
            background.close();
            busy.forEach(BackgroundLoad::end);
        }, "end-load"));

        System.err.printf("background-load: starting %,d churning connections, %s replacements/s in all%n", connections, churn);
        background.growTo(connections);
        for (int i = 0; i < busyCores; i++) {
            busy.add(startBusyCore());
        }
        readyAt[0] = System.nanoTime();
        System.out.println("READY");
        System.out.flush();

        List<CompletableFuture<?>> ended = new ArrayList<>();
        ended.add(background.anyEnded());
        busy.forEach(process -> ended.add(process.onExit()));
        CompletableFuture.anyOf(ended.toArray(CompletableFuture[]::new)).join();
        // Unless the shutdown hook, ending them, was first: then this JVM is exiting already.
        if (!ending.get()) {
            System.err.println("background-load: a process of the load ended: ending the rest");
            System.exit(1);
        }
    }

    private static Process startBusyCore() throws IOException {
        Process process = new ProcessBuilder(Background.javaCommand(), "-Xmx16m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), BusyCore.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String ready = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        if (!"READY".equals(ready)) {
            throw new IllegalStateException("busy loop " + process.pid() + " did not get ready: " + ready);
        }
        return process;
    }

    /** Closes its stdin, on which it ends by itself; by PID after 10 s. */
    private static void end(Process process) {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
    }

    private static void summary(int connections, double churn, Background background, long readyAt) {
        long[] churned = background.churned();
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - readyAt);
        if (churned[1] > 0) {
            System.err.printf("background-load: held %,d connections for %d s; replaced %,d in %d s (%d/s, %s/s asked),"
                            + " %d replacements failed%n", connections, seconds, churned[0], churned[1] / 1000,
                    churned[0] * 1000 / churned[1], churn, churned[2]);
        }
    }
}
