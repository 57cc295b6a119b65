package io.github.sockleak.integration;

import io.github.sockleak.Sockets;
import io.github.sockleak.TcpState;
import io.github.sockleak.internal.Polling;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

/**
 * One run of a library's three fixture classes: all three inside their checks before any uses the library, the clean
 * ones still inside theirs when the leak exists, and what the leaky one left open closed after the run.
 */
final class Rendezvous {

    /** A deadline, reached only when something is wrong; generous for a loaded 2-core machine. */
    static final long DEADLINE_SECONDS = 30;

    /** The run in progress: set before the fixtures run, read by them. */
    static volatile Rendezvous current;

    private final CyclicBarrier allRunning = new CyclicBarrier(3);
    private final CountDownLatch leakDone = new CountDownLatch(1);
    private final List<Closeable> leaked = new ArrayList<>();
    private volatile InetSocketAddress leakedLocal;
    private volatile InetSocketAddress leakedRemote;

    static Rendezvous begin() {
        current = new Rendezvous();
        return current;
    }

    /** Waits until the three fixtures run side by side. */
    void awaitPartners() throws Exception {
        allRunning.await(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    /** The leaky fixture's last step: its socket's two ends, and what to close after the run. */
    synchronized void leaked(InetSocketAddress local, InetSocketAddress remote, Closeable leak) {
        leakedLocal = local;
        leakedRemote = remote;
        leaked.add(leak);
    }

    /**
     * Waits until the kernel shows the leaked socket, by its whole 4-tuple, in {@code state}: the server closes its end
     * on a thread of its own, and a check that looked while the socket was still ESTABLISHED would find no leak.
     */
    void awaitLeakedIn(TcpState state) {
        Polling.Result<Boolean> seen = Polling.until(() -> Sockets.snapshot().own().stream().anyMatch(socket ->
                        socket.state() == state && socket.local().equals(leakedLocal) && socket.remote().equals(leakedRemote)),
                Boolean::booleanValue, Duration.ofSeconds(DEADLINE_SECONDS));
        if (!seen.satisfied()) {
            throw new AssertionError("the leaked socket " + leakedLocal + " -> " + leakedRemote + " never reached " + state);
        }
    }

    /** Marks the leak done, also when it failed, so that no clean fixture waits for it in vain. */
    void leakDone() {
        leakDone.countDown();
    }

    /** A clean fixture's last step: its check's window then holds the leak. */
    void awaitLeak() throws InterruptedException {
        if (!leakDone.await(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("the leaky fixture did not leak within " + DEADLINE_SECONDS + " s");
        }
    }

    InetSocketAddress leakedLocal() {
        return leakedLocal;
    }

    InetSocketAddress leakedRemote() {
        return leakedRemote;
    }

    /** Closes what the leaky fixture left open, so that the next run starts clean. */
    synchronized void closeLeaked() {
        for (Closeable leak : leaked) {
            try {
                leak.close();
            } catch (IOException ignored) {
                // best effort: the next run's checks see what is left, and say so
            }
        }
        leaked.clear();
    }
}
