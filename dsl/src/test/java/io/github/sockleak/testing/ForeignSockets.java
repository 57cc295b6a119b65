package io.github.sockleak.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sockets held by another process, for tests that must tell this process's sockets from the namespace's: a child
 * JVM runs {@link #main} and holds a loopback listener with {@code accepted} accepted connections and
 * {@code queued} never accepted, until its standard input closes. {@link #close()} ends it, by its own handle.
 */
public final class ForeignSockets implements AutoCloseable {

    private final Process child;
    private final int port;

    private ForeignSockets(Process child, int port) {
        this.child = child;
        this.port = port;
    }

    public static ForeignSockets start(int accepted, int queued) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process child;
        try {
            child = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                    ForeignSockets.class.getName(), String.valueOf(accepted), String.valueOf(queued))
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            String line = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            if (line == null || !line.startsWith("ready ")) {
                throw new IllegalStateException("the child JVM " + child.pid() + " did not get ready: " + line);
            }
            return new ForeignSockets(child, Integer.parseInt(line.substring("ready ".length())));
        } catch (IOException | RuntimeException e) {
            child.destroyForcibly();
            throw new IllegalStateException("the child JVM " + child.pid() + " failed to start its sockets", e);
        }
    }

    /** The child's listening port: every one of its sockets has it at one end. */
    public int port() {
        return port;
    }

    public long pid() {
        return child.pid();
    }

    @Override
    public void close() {
        try {
            child.getOutputStream().close();
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            child.destroyForcibly();
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws IOException {
        int accepted = Integer.parseInt(args[0]);
        int queued = Integer.parseInt(args[1]);
        List<Socket> held = new ArrayList<>();
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(Loopback.IPV4, 0), 50);
            for (int i = 0; i < accepted + queued; i++) {
                held.add(new Socket(Loopback.IPV4, server.getLocalPort()));
                if (i < accepted) {
                    held.add(server.accept());
                }
            }
            System.out.println("ready " + server.getLocalPort());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold until the test closes our stdin
            }
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }
}
