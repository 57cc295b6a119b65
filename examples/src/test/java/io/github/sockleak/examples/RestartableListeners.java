package io.github.sockleak.examples;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback listeners for servers a test stops and starts again on the same port, and the stop that lets it.
 *
 * <p>{@code new ServerSocket(0)} takes its port from {@code ip_local_port_range}, where every process's
 * {@code connect()} takes its source ports too. Once the server closes, any client on the machine can take the port
 * before the restart, and a client socket without {@code SO_REUSEADDR} then blocks the new listener with "Address
 * already in use", though nothing of the test holds the port. A port outside that range is taken only by an explicit
 * {@code bind}, so a restart gets it back.
 *
 * <p>{@code ServerSocket.close()} while another thread waits in {@code accept()} takes the socket off its descriptor
 * at once, but the kernel keeps it listening until that thread has left {@code accept()}: a snapshot then shows no
 * socket of this process on the port, yet a new listener cannot bind it. Measured on a 2-core machine, a bind right
 * after {@code close()} failed 62 to 85 times in 200 on JDK 17 and 76 to 78 in 200 on JDK 25; once the accepting
 * thread had been joined, 0 in 200 on both. {@link #close} waits for it.
 */
public final class RestartableListeners {

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int FIRST_UNPRIVILEGED = 1024;
    private static final int LAST = 65535;
    private static final int ATTEMPTS = 200;
    private static final long STOP_TIMEOUT_MILLIS = 10_000;

    private RestartableListeners() {
    }

    /**
     * Listens on loopback on a free port outside the ephemeral range, or on any free port where the range cannot be
     * read or leaves no room.
     */
    public static ServerSocket listen(int backlog) throws IOException {
        int[] gap = widestGapOutsideEphemeralRange();
        if (gap == null) {
            return new ServerSocket(0, backlog, InetAddress.getLoopbackAddress());
        }
        int size = gap[1] - gap[0] + 1;
        int start = ThreadLocalRandom.current().nextInt(size);
        int attempts = Math.min(ATTEMPTS, size);
        for (int i = 0; i < attempts; i++) {
            int port = gap[0] + (start + i) % size;
            try {
                return new ServerSocket(port, backlog, InetAddress.getLoopbackAddress());
            } catch (BindException taken) {
                // another server's port: try the next one
            }
        }
        throw new BindException("no free loopback port among " + ATTEMPTS + " tried from " + gap[0] + " to " + gap[1]);
    }

    /**
     * Closes {@code listener} and waits until {@code acceptor}, the thread that accepts on it, has ended: only then
     * has the kernel let go of the port.
     *
     * @throws IOException when the listener cannot be closed, or the thread does not end within 10 s
     */
    public static void close(ServerSocket listener, Thread acceptor) throws IOException {
        listener.close();
        try {
            acceptor.join(STOP_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while " + acceptor.getName() + " left accept()");
        }
        if (acceptor.isAlive()) {
            throw new IOException(acceptor.getName() + " did not end within " + STOP_TIMEOUT_MILLIS
                    + " ms of its listener's close(): the kernel keeps port " + listener.getLocalPort() + " listening");
        }
    }

    /** The first and last port of the widest stretch of unprivileged ports outside the range; null when none. */
    private static int[] widestGapOutsideEphemeralRange() throws IOException {
        if (!Files.isReadable(EPHEMERAL_RANGE)) {
            return null;
        }
        // One line, "32768<TAB>60999". Not Files.readString: on a sysctl file it returned "3", the first byte only.
        String[] bounds = Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+");
        int low = Integer.parseInt(bounds[0]);
        int high = Integer.parseInt(bounds[1]);
        int below = low - FIRST_UNPRIVILEGED;
        int above = LAST - high;
        if (Math.max(below, above) <= 0) {
            return null;
        }
        return below >= above ? new int[] {FIRST_UNPRIVILEGED, low - 1} : new int[] {high + 1, LAST};
    }
}
