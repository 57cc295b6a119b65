package io.github.sockleak.testing;

import io.github.sockleak.internal.Polling;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The {@code watch} command run as a user runs it, in a JVM of its own: from the built jar
 * ({@code java -jar sockleak-dsl.jar ...}) when the class path has it, otherwise its main class from the class
 * path. Collects what it prints, line by line, as it prints it. Every signal goes to it by its PID.
 */
public final class WatchProcess implements AutoCloseable {

    private static final Duration PATIENCE = Duration.ofSeconds(15);

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<String> command;
    private final Thread reader;

    private WatchProcess(List<String> command) {
        this.command = List.copyOf(command);
        try {
            this.process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.reader = new Thread(this::read, "watch-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /** The jar's main class, from this JVM's class path (JNA included when the build has it). */
    public static WatchProcess fromClassPath(String... args) {
        List<String> command = java();
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.github.sockleak.Watch"));
        command.addAll(Arrays.asList(args));
        return new WatchProcess(command);
    }

    /**
     * {@code java -jar sockleak-dsl-VERSION.jar ARGS}, the built artifact, when this JVM's class path has it (a
     * Maven build of the examples); the class path's main class otherwise (an IDE), which says so.
     */
    public static WatchProcess fromJar(String... args) {
        Optional<String> jar = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> {
                    String name = Path.of(entry).getFileName().toString();
                    return name.startsWith("sockleak-dsl-") && name.endsWith(".jar") && !name.endsWith("-tests.jar");
                })
                .findFirst();
        if (jar.isEmpty()) {
            System.out.println("(no sockleak-dsl jar on the class path: running io.github.sockleak.Watch from it)");
            return fromClassPath(args);
        }
        List<String> command = java();
        command.addAll(List.of("-jar", jar.get()));
        command.addAll(Arrays.asList(args));
        return new WatchProcess(command);
    }

    private static List<String> java() {
        List<String> command = new ArrayList<>();
        if (ignoresInterrupts()) {
            // A build started in the background (a CI script run with &) passes SIGINT on ignored, and a JVM leaves an
            // ignored SIGINT ignored: Ctrl-C could not be tested. GNU env (coreutils 8.31+) gives the child the default.
            command.addAll(List.of("env", "--default-signal=INT"));
        }
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("-Xmx64m");
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED"); // what a JDK 22+ user passes for netlink (the jar's manifest does too)
        }
        return command;
    }

    /** Whether this process ignores SIGINT, as its children then do: bit 1 (SIGINT is 2) of SigIgn. */
    private static boolean ignoresInterrupts() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("SigIgn:"))
                    .anyMatch(line -> (Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16) & 0x2) != 0);
        } catch (IOException | NumberFormatException e) {
            return false; // then the signal's fate is the test's to find out
        }
    }

    private void read() {
        try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = output.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("(reading the watch's output failed: " + e + ")");
        }
    }

    /** The command line, for messages. */
    public String command() {
        return String.join(" ", command);
    }

    public long pid() {
        return process.pid();
    }

    /** What it printed so far. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    /**
     * The first line printed that satisfies {@code wanted}, waiting for it up to a deadline.
     *
     * @throws AssertionError at the deadline, with everything it printed
     */
    public String awaitLine(String description, Predicate<String> wanted) {
        Polling.Result<Optional<String>> result = Polling.until(() -> lines.stream().filter(wanted).findFirst(),
                Optional::isPresent, PATIENCE);
        if (!result.satisfied()) {
            throw new AssertionError("the watch (" + command() + ") printed no line with " + description + " within " + PATIENCE
                    + (process.isAlive() ? "" : "; it ended with " + process.exitValue()) + "; it printed:\n"
                    + String.join("\n", lines));
        }
        return result.value().orElseThrow();
    }

    /** SIGINT, as Ctrl-C; returns the exit code once it ended and its output was read. */
    public int interrupt() {
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start();
            kill.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return awaitExit();
    }

    /** The exit code once it ended and its output was read. */
    public int awaitExit() {
        try {
            if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("the watch (" + command() + ") did not end within " + PATIENCE + "; it printed:\n"
                        + String.join("\n", lines));
            }
            reader.join(PATIENCE.toMillis()); // its output ends with it: the last lines are read
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the watch", e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
