package io.github.sockleak.integration;

import io.github.sockleak.internal.Polling;
import io.github.sockleak.testing.Loopback;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for the HikariCP fixtures: a fresh cluster in a temporary directory, listening on a free
 * loopback port and a private Unix socket directory, run as a child process and ended by its PID. PostgreSQL refuses
 * to run as root, as CI runs: then the cluster belongs to the {@code postgres} system user and both programs run as
 * that user through {@code setpriv}, which executes them in place, so the child's PID is the server's.
 */
final class Postgres implements AutoCloseable {

    private static final Duration START_DEADLINE = Duration.ofSeconds(60);
    private static final String READY = "database system is ready to accept connections";

    private final Path home;
    private final Process server;
    private final int port;

    private Postgres(Path home, Process server, int port) {
        this.home = home;
        this.server = server;
        this.port = port;
    }

    /** The directory of PostgreSQL's programs: the newest under /usr/lib/postgresql, else the PATH's. */
    static Optional<Path> binaries() {
        Path debian = Paths.get("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Optional<Path> newest = versions.map(version -> version.resolve("bin"))
                        .filter(bin -> Files.isExecutable(bin.resolve("postgres")) && Files.isExecutable(bin.resolve("initdb")))
                        .max(Comparator.comparing(bin -> versionOf(bin.getParent())));
                if (newest.isPresent()) {
                    return newest;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .filter(dir -> !dir.isEmpty())
                .map(Paths::get)
                .filter(dir -> Files.isExecutable(dir.resolve("postgres")) && Files.isExecutable(dir.resolve("initdb")))
                .findFirst();
    }

    /** Creates a cluster and starts its server; returns once it accepts connections. */
    static Postgres start(Path bin) throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("sockleak-postgres");
        Path data = home.resolve("data");
        Path sockets = Files.createDirectory(home.resolve("sockets"));
        Path log = home.resolve("server.log");
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            run(List.of("chown", "-R", "postgres:postgres", home.toString()), home.resolve("chown.log"));
        }
        run(asServerUser(root, bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust",
                "-E", "UTF8", "--no-sync"), home.resolve("initdb.log"));
        int port = freePort();
        Process server = new ProcessBuilder(asServerUser(root, bin.resolve("postgres").toString(), "-D", data.toString(),
                "-p", Integer.toString(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + sockets,
                "-c", "fsync=off", "-c", "max_connections=60"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Postgres postgres = new Postgres(home, server, port);
        Polling.Result<String> ready = Polling.until(() -> read(log), text -> text.contains(READY) || !server.isAlive(), START_DEADLINE);
        if (!ready.value().contains(READY)) {
            postgres.close();
            throw new IllegalStateException("PostgreSQL did not start within " + START_DEADLINE + ":\n" + ready.value());
        }
        return postgres;
    }

    int port() {
        return port;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** Ends the server by its PID (a fast shutdown, then a kill if it takes too long) and removes its directory. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (server.isAlive()) {
                // SIGINT: PostgreSQL's fast shutdown, which does not wait for clients to disconnect.
                run(List.of("kill", "-INT", Long.toString(server.pid())), null);
                if (!server.waitFor(30, TimeUnit.SECONDS)) {
                    server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static List<String> asServerUser(boolean root, String... command) {
        List<String> line = new ArrayList<>();
        if (root) {
            line.addAll(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"));
        }
        line.addAll(List.of(command));
        return line;
    }

    private static void run(List<String> command, Path log) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.redirectOutput(log == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(log.toFile()));
        Process process = builder.start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not end within 2 minutes");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(command + " exited with " + process.exitValue()
                    + (log == null ? "" : ":\n" + read(log)));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, Loopback.IPV4)) {
            return probe.getLocalPort();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int versionOf(Path directory) {
        try {
            return Integer.parseInt(directory.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
