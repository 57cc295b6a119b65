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
 *
 * <p>It tells its clients' ports, so that a test can know each of its sockets by the whole 4-tuple: other
 * processes' sockets can have the same port numbers (the listener's port on another address, a client's
 * ephemeral port to another destination).
 */
public final class ForeignSockets implements AutoCloseable {

    private final Process child;
    private final int port;
    private final List<Integer> clientPorts;

    private ForeignSockets(Process child, int port, List<Integer> clientPorts) {
        this.child = child;
        this.port = port;
        this.clientPorts = List.copyOf(clientPorts);
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
            String[] words = line.split(" ");
            List<Integer> clientPorts = new ArrayList<>();
            for (int i = 2; i < words.length; i++) {
                clientPorts.add(Integer.parseInt(words[i]));
            }
            if (clientPorts.size() != accepted + queued) {
                throw new IllegalStateException("expected " + (accepted + queued) + " client ports: " + line);
            }
            return new ForeignSockets(child, Integer.parseInt(words[1]), clientPorts);
        } catch (IOException | RuntimeException e) {
            child.destroyForcibly();
            throw new IllegalStateException("the child JVM " + child.pid() + " failed to start its sockets", e);
        }
    }

    /** The child's listening port: every one of its sockets has it at one end. */
    public int port() {
        return port;
    }

    /** The listener's end, {@code 127.0.0.1:port}. */
    public InetSocketAddress address() {
        return new InetSocketAddress(Loopback.IPV4, port);
    }

    /** The clients' ends, {@code 127.0.0.1:port} each: the accepted ones first, then the queued ones. */
    public List<InetSocketAddress> clients() {
        List<InetSocketAddress> clients = new ArrayList<>();
        for (int clientPort : clientPorts) {
            clients.add(new InetSocketAddress(Loopback.IPV4, clientPort));
        }
        return clients;
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
        StringBuilder ready = new StringBuilder("ready ");
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(Loopback.IPV4, 0), 50);
            ready.append(server.getLocalPort());
            for (int i = 0; i < accepted + queued; i++) {
                Socket client = new Socket(Loopback.IPV4, server.getLocalPort());
                held.add(client);
                ready.append(' ').append(client.getLocalPort());
                if (i < accepted) {
                    held.add(server.accept());
                }
            }
            System.out.println(ready);
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
