package io.github.sockleak.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The process that holds background connections for {@link Background}: {@code n} established loopback connections,
 * so that another process can measure a crowded socket table. With a {@code rate} above 0 it keeps replacing them:
 * {@code rate} times a second it closes one connection picked at random (both ends) and opens a new one in its place.
 * The kernel's table then changes all the time while its size stays near {@code 2n} sockets, and the ephemeral ports
 * freed are handed out again, to these clients and to anyone else's: the conditions under which code that finds
 * "its" socket by a port alone picks another process's socket.
 *
 * <p>Usage: {@code ConnectionHolder <n> <rate per second> <listeners> <orderly percent>}. The connections are spread
 * over {@code listeners} listening sockets on {@code 127.0.0.1}: the kernel picks a client's ephemeral port per
 * destination, so several destinations make the same local port number appear on several connections at once. A
 * connection is reset when it closes ({@code SO_LINGER} 0), leaving no TIME-WAIT row to crowd the next measurement
 * and freeing its port at once, however the process ends; except for {@code orderly percent} of the replaced ones,
 * which the client closes with a FIN and which therefore leave a TIME-WAIT row for 60 s.
 *
 * <p>Prints {@code READY <n> <listener port>...} on stdout once all {@code n} are established, then holds (and
 * churns) them until the process is ended, or the process that started it ends, printing {@code CHURNED <replaced so far> <milliseconds
 * since READY> <failed attempts>} every 5 s while it churns. A connection that cannot be replaced (no ephemeral port
 * free, say) is counted as failed and its slot tried again later. Needs {@code 2n} descriptors plus the JVM's own.
 */
public final class ConnectionHolder {

    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final long REPORT_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Replacements are paced in slices this long: a few per slice, then a pause to the slice's end. */
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final ServerSocket[] listeners;
    private final InetSocketAddress[] destinations;
    /** Connection {@code i} is {@code clients[i]} connected to {@code destinations[i % listeners]}. */
    private final Socket[] clients;
    private final Socket[] accepted;
    private final int orderlyPercent;
    private final SplittableRandom random = new SplittableRandom();
    private final AtomicLong replaced = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    private ConnectionHolder(int connections, int listenerCount, int orderlyPercent) throws IOException {
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        this.listeners = new ServerSocket[listenerCount];
        this.destinations = new InetSocketAddress[listenerCount];
        for (int i = 0; i < listenerCount; i++) {
            listeners[i] = new ServerSocket(0, 128, loopback);
            destinations[i] = new InetSocketAddress(loopback, listeners[i].getLocalPort());
        }
        this.clients = new Socket[connections];
        this.accepted = new Socket[connections];
        this.orderlyPercent = orderlyPercent;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: ConnectionHolder <connections> <replacements per second> <listeners> <orderly percent>");
            System.exit(2);
        }
        int connections = Integer.parseInt(args[0]);
        double rate = Double.parseDouble(args[1]);
        int listenerCount = Integer.parseInt(args[2]);
        int orderlyPercent = Integer.parseInt(args[3]);
        if (connections < 1 || rate < 0 || listenerCount < 1 || orderlyPercent < 0 || orderlyPercent > 100) {
            System.err.println("ConnectionHolder: connections and listeners must be positive, the rate not negative,"
                    + " the orderly percent within 0..100");
            System.exit(2);
        }
        ConnectionHolder holder = new ConnectionHolder(connections, listenerCount, orderlyPercent);
        for (int i = 0; i < connections; i++) {
            holder.open(i);
        }
        PrintStream out = System.out;
        StringBuilder ready = new StringBuilder("READY ").append(connections);
        for (ServerSocket listener : holder.listeners) {
            ready.append(' ').append(listener.getLocalPort());
        }
        out.println(ready);
        out.flush();

        if (rate > 0) {
            Thread churn = new Thread(() -> holder.churn(rate, out), "churn");
            churn.setDaemon(true);
            churn.start();
        }
        // The JVM that started it ends it by its PID; should that JVM die first, the holder follows it.
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().join());
        // Exiting closes every socket; SO_LINGER 0 resets them, so no TIME-WAIT is left behind.
        System.exit(0);
    }

    /** Replaces {@code rate} connections a second, paced slice by slice, until the process ends. */
    private void churn(double rate, PrintStream out) {
        long start = System.nanoTime();
        long nextReport = start + REPORT_EVERY_NANOS;
        double perNano = rate / TimeUnit.SECONDS.toNanos(1);
        long done = 0;
        while (true) {
            long now = System.nanoTime();
            // As many as the rate allows by now: a slow moment is caught up on, not lost.
            long due = (long) ((now - start) * perNano);
            while (done < due && System.nanoTime() - now < SLICE_NANOS) {
                if (replace(random.nextInt(clients.length))) {
                    replaced.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                }
                done++;
            }
            now = System.nanoTime();
            if (now - nextReport >= 0) {
                out.println("CHURNED " + replaced.get() + " " + TimeUnit.NANOSECONDS.toMillis(now - start) + " " + failed.get());
                out.flush();
                nextReport += REPORT_EVERY_NANOS;
            }
            if (done >= due) {
                LockSupport.parkNanos(SLICE_NANOS);
            }
        }
    }

    /** Closes connection {@code i}, both ends, and opens a new one in its slot; false if the new one failed. */
    private boolean replace(int i) {
        close(i);
        try {
            open(i);
            return true;
        } catch (IOException e) {
            close(i);
            return false;
        }
    }

    private void open(int i) throws IOException {
        Socket client = new Socket();
        clients[i] = client;
        client.setSoLinger(true, 0);
        client.connect(destinations[i % destinations.length], CONNECT_TIMEOUT_MILLIS);
        Socket server = listeners[i % listeners.length].accept();
        accepted[i] = server;
        server.setSoLinger(true, 0);
    }

    private void close(int i) {
        Socket client = clients[i];
        Socket server = accepted[i];
        clients[i] = null;
        accepted[i] = null;
        if (random.nextInt(100) < orderlyPercent) {
            // A FIN from each end, the client's first: TIME-WAIT on the client's side. Were the accepted end
            // still to reset, its RST would end the client's FIN-WAIT and leave no TIME-WAIT at all.
            orderly(client);
            orderly(server);
        }
        closeQuietly(client);
        closeQuietly(server);
    }

    private static void orderly(Socket socket) {
        if (socket != null && !socket.isClosed()) {
            try {
                socket.setSoLinger(false, 0);
            } catch (IOException ignored) {
                // then it resets: one TIME-WAIT fewer
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // it is gone either way
            }
        }
    }
}
