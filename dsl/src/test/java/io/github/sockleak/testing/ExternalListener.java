package io.github.sockleak.testing;

import io.github.sockleak.Sockets;
import io.github.sockleak.internal.Polling;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The seed's server: {@code nc -l 127.0.0.1 PORT} run as a separate process, which listens with a backlog of 1 and
 * accepts nothing while it is stopped with SIGSTOP (the seed's ^Z). Where {@code nc} is missing, a Python one-liner
 * that listens the same way (backlog 1, never accepts) stands in, and says so; without either, the test is aborted
 * with the reason, not passed.
 *
 * <p>Every signal goes to the process by its PID, never by name. {@link #close()} continues it (SIGCONT), then ends
 * it (SIGTERM, then SIGKILL if it lingers).
 */
public final class ExternalListener implements AutoCloseable {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final Process process;
    private final int port;
    private final String command;

    private ExternalListener(Process process, int port, String command) {
        this.process = process;
        this.port = port;
        this.command = command;
    }

    /** Starts the listener on a free port of {@code 127.0.0.1}; it is listening when this returns. */
    public static ExternalListener start() {
        Optional<Path> nc = executable("nc");
        if (nc.isPresent()) {
            return startNc(nc.get());
        }
        return startPython(python(), 0).orElseThrow(() -> new IllegalStateException("python3 ended before it listened"));
    }

    /**
     * Starts the listener on {@code 127.0.0.1:port}, for a test about a port this JVM held before; listening when this
     * returns. Empty when it could not listen there: another socket may have taken the port meanwhile.
     */
    public static Optional<ExternalListener> startOn(int port) {
        Optional<Path> nc = executable("nc");
        if (nc.isPresent()) {
            return tryNc(nc.get(), port);
        }
        return startPython(python(), port);
    }

    /** python3, standing in where nc is missing; the test is aborted, not passed, without either. */
    private static Path python() {
        Optional<Path> python = executable("python3");
        Assumptions.assumeTrue(python.isPresent(), "neither nc (netcat-openbsd) nor python3 is installed: this test needs"
                + " a listener run by another process; .ci/run installs netcat-openbsd");
        System.out.println("nc is not installed: a python3 listener (backlog 1, never accepts) stands in for nc -l");
        return python.get();
    }

    /** nc takes the port to listen on: a port free a moment ago, tried again if another socket took it meanwhile. */
    private static ExternalListener startNc(Path nc) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<ExternalListener> listener = tryNc(nc, freePort());
            if (listener.isPresent()) {
                return listener.get();
            }
        }
        throw new IllegalStateException("nc -l did not listen on a free port of 127.0.0.1 in five attempts");
    }

    private static Optional<ExternalListener> tryNc(Path nc, int port) {
        Process process = start(nc.toString(), "-l", "127.0.0.1", Integer.toString(port));
        ExternalListener listener = new ExternalListener(process, port, nc + " -l 127.0.0.1 " + port);
        if (listener.awaitListening()) {
            return Optional.of(listener);
        }
        listener.close();
        return Optional.empty();
    }

    /** Empty when python3 ended before it listened: the port was taken. */
    private static Optional<ExternalListener> startPython(Path python, int port) {
        String script = "import socket,sys\n"
                + "s=socket.socket()\n"
                + "s.bind(('127.0.0.1'," + port + "))\n"
                + "s.listen(1)\n"
                + "print(s.getsockname()[1],flush=True)\n"
                + "sys.stdin.read()\n";
        Process process = start(python.toString(), "-c", script);
        try {
            String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            if (line == null) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return Optional.of(new ExternalListener(process, Integer.parseInt(line.trim()), python + " -c <listen(1), never accept>"));
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            throw new IllegalStateException("the python3 listener " + process.pid() + " did not tell its port", e);
        }
    }

    private static Process start(String... command) {
        try {
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the process's LISTEN socket shows in the kernel's table before it ends or the deadline passes. */
    private boolean awaitListening() {
        InetSocketAddress end = address();
        return Polling.until(Sockets::snapshot, s -> !process.isAlive() || s.allListeners().stream()
                        .anyMatch(l -> l.local().equals(end) && !l.socket().isOwn()), PATIENCE).satisfied()
                && process.isAlive();
    }

    private static int freePort() {
        try (ServerSocket probe = new ServerSocket(0, 1, Loopback.IPV4)) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Optional<Path> executable(String name) {
        Stream<String> path = Arrays.stream(Objects.requireNonNullElse(System.getenv("PATH"), "").split(File.pathSeparator));
        return Stream.concat(path, Stream.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst();
    }

    public int port() {
        return port;
    }

    /** The listener's end, {@code 127.0.0.1:port}. */
    public InetSocketAddress address() {
        return new InetSocketAddress(Loopback.IPV4, port);
    }

    public long pid() {
        return process.pid();
    }

    /** The command line it runs, for messages. */
    public String command() {
        return command;
    }

    /**
     * SIGSTOP, as ^Z in the seed's shell: the process accepts nothing until continued. Returns once the kernel shows
     * it stopped: a connection arriving while the signal is still pending could be accepted by it.
     */
    public void stop() {
        signal("STOP");
        Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
        if (!Polling.until(() -> state(stat), state -> state == 'T', PATIENCE).satisfied()) {
            throw new IllegalStateException(command + " (" + process.pid() + ") did not stop within " + PATIENCE
                    + "; its state is " + state(stat));
        }
    }

    /** The state letter of {@code /proc/PID/stat}, after the command name in parentheses; '?' when unreadable. */
    private static char state(Path stat) {
        try {
            String line = Files.readString(stat);
            int afterName = line.lastIndexOf(')');
            return afterName < 0 || afterName + 2 >= line.length() ? '?' : line.charAt(afterName + 2);
        } catch (IOException e) {
            return '?';
        }
    }

    /** SIGCONT. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kill.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + process.pid(), e);
        }
    }

    /** Continues the process if stopped, then ends it by its PID; waits until it is gone. */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                resume();
            } catch (RuntimeException e) {
                // ended meanwhile: nothing to continue
            }
            process.destroy();
        }
        try {
            if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
