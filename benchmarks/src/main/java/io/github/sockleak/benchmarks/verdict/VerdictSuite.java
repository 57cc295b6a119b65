package io.github.sockleak.benchmarks.verdict;

import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.Sockets;
import io.github.sockleak.TcpState;
import io.github.sockleak.benchmarks.verdict.Expect.Kind;
import io.github.sockleak.internal.Polling;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The mixed suite the harness runs: each leaky kind sockleak must catch, and clean tests it must pass, all on
 * 127.0.0.1. A leaky test returns only once its leak exists in the kernel (a check looks when the test is over:
 * a leak that only appears later is no check's to see). Every socket goes through the test's {@link Net}, which
 * writes down its 4-tuple under the test's name; the harness closes what is left once the class has run.
 */
public final class VerdictSuite {

    private static final Duration PATIENCE = Duration.ofMillis(Net.PATIENCE_MS);

    /** The fixture classes, in the order given to the launcher (which may shuffle them). */
    static final List<Class<?>> CLASSES = List.of(CloseWaitLeak.class, AcceptQueueClientOpen.class,
            AcceptQueueClientClosed.class, ThreadLeak.class, CollectedLeak.class, Clean.class, LateCloses.class,
            SharedPoolLeak.class, SharedPoolClean.class);

    private VerdictSuite() {
    }

    /** The server end is never closed after the client closed: CLOSE-WAIT, held by the test's own thread. */
    @Windows.Fixture
    static class CloseWaitLeak {
        @Test
        @Expect(Kind.LEAK)
        void serverNeverCloses() throws IOException {
            Net net = Net.get();
            ServerSocket server = net.listen();
            Socket client = net.connect(server.getLocalPort());
            Socket accepted = net.accept(server);
            server.close();
            client.close();
            awaitEndOfStream(accepted); // the FIN has arrived: the accepted end is in CLOSE-WAIT
        }
    }

    /** A listener that never accepts; its client is still open when the test ends. */
    @Windows.Fixture
    static class AcceptQueueClientOpen {
        @Test
        @Expect(Kind.LEAK)
        void neverAccepts() {
            Net net = Net.get();
            ServerSocket server = net.listen();
            net.connect(server.getLocalPort());
            awaitQueued(server.getLocalPort(), queued -> true);
        }
    }

    /** A listener that never accepts; its client has closed, so the queued connection is in CLOSE-WAIT. */
    @Windows.Fixture
    static class AcceptQueueClientClosed {
        @Test
        @Expect(Kind.LEAK)
        void neverAcceptsClosedClient() throws IOException {
            Net net = Net.get();
            ServerSocket server = net.listen();
            net.connect(server.getLocalPort()).close();
            awaitQueued(server.getLocalPort(), queued -> queued.state() == TcpState.CLOSE_WAIT);
        }
    }

    /** A thread the test starts accepts and keeps the connection after the client closed. */
    @Windows.Fixture
    static class ThreadLeak {
        @Test
        @Expect(Kind.LEAK)
        void serverThreadKeepsIt() throws Exception {
            Net net = Net.get();
            ServerSocket server = net.listen();
            CountDownLatch kept = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread thread = new Thread(() -> {
                try {
                    Socket accepted = net.accept(server);
                    awaitEndOfStream(accepted);
                    kept.countDown(); // keeps the socket, in CLOSE-WAIT, and ends
                } catch (Throwable t) {
                    failure.set(t);
                    kept.countDown();
                }
            }, "fixture-server");
            thread.start();
            net.connect(server.getLocalPort()).close();
            if (!kept.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS) || failure.get() != null) {
                throw new AssertionError("the server thread did not get its end of stream", failure.get());
            }
        }
    }

    /**
     * A handler accepts, answers and returns without closing: the socket is dropped while open. The test collects
     * garbage until the JDK's cleaner has closed it and the kernel no longer shows its 4-tuple. Only the origin
     * agent can tell that the application never closed it.
     */
    @Windows.Fixture
    static class CollectedLeak {
        @Test
        @Expect(Kind.LEAK_ONLY_THE_AGENT_SEES)
        void handlerDropsIt() throws Exception {
            Net net = Net.get();
            ServerSocket server = net.listen();
            AtomicReference<InetSocketAddress[]> ends = new AtomicReference<>();
            Thread handler = new Thread(() -> {
                try {
                    server.setSoTimeout(Net.PATIENCE_MS);
                    Socket socket = server.accept();
                    InetSocketAddress local = (InetSocketAddress) socket.getLocalSocketAddress();
                    InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
                    net.remember(local, remote);
                    ends.set(new InetSocketAddress[] {local, remote});
                    socket.getOutputStream().write(1);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, "handler");
            handler.start();
            try (Socket client = net.connect(server.getLocalPort())) {
                if (client.getInputStream().read() != 1) {
                    throw new AssertionError("the handler's byte did not arrive");
                }
            }
            handler.join(PATIENCE.toMillis());
            server.close();
            InetSocketAddress[] dropped = ends.get();
            Polling.Result<Boolean> gone = Polling.until(() -> {
                System.gc();
                return Sockets.snapshot().all().stream()
                        .noneMatch(s -> s.local().equals(dropped[0]) && s.remote().equals(dropped[1]));
            }, Boolean::booleanValue, PATIENCE);
            if (!gone.satisfied()) {
                throw new AssertionError("the dropped socket " + dropped[0] + " <-> " + dropped[1] + " was not collected");
            }
        }
    }

    /** Clean tests that close everything before they return, or leave only what is no failing state. */
    @Windows.Fixture
    static class Clean {
        @Test
        @Expect(Kind.CLEAN)
        void roundTrip() throws IOException {
            Net net = Net.get();
            try (ServerSocket server = net.listen();
                 Socket client = net.connect(server.getLocalPort());
                 Socket accepted = net.accept(server)) {
                client.getOutputStream().write(1);
                if (accepted.getInputStream().read() != 1) {
                    throw new AssertionError("the byte did not arrive");
                }
            }
        }

        /** A server thread the test starts and joins, which closes its end before the test returns. */
        @Test
        @Expect(Kind.CLEAN)
        void serverThreadJoined() throws Exception {
            Net net = Net.get();
            ServerSocket server = net.listen();
            Thread thread = new Thread(() -> {
                try (Socket accepted = net.accept(server)) {
                    awaitEndOfStream(accepted);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, "fixture-server");
            thread.start();
            net.connect(server.getLocalPort()).close();
            thread.join(PATIENCE.toMillis());
            server.close();
        }

        /** A connection left ESTABLISHED (no failing state by default), closed by the harness after the class. */
        @Test
        @Expect(Kind.CLEAN)
        void keepsConnectionOpen() {
            Net net = Net.get();
            ServerSocket server = net.listen();
            net.connect(server.getLocalPort());
            net.accept(server);
        }
    }

    /** Clean tests whose server thread closes 20 to 200 ms after the test returned: within the default settle. */
    @Windows.Fixture
    static class LateCloses {
        @Test
        @Expect(Kind.CLEAN)
        void closesLateA() throws Exception {
            closesLate();
        }

        @Test
        @Expect(Kind.CLEAN)
        void closesLateB() throws Exception {
            closesLate();
        }

        @Test
        @Expect(Kind.CLEAN)
        void closesLateC() throws Exception {
            closesLate();
        }

        private static void closesLate() throws Exception {
            Net net = Net.get();
            ServerSocket server = net.listen();
            long delayMs = ThreadLocalRandom.current().nextLong(20, 201);
            CountDownLatch returned = new CountDownLatch(1);
            Thread thread = new Thread(() -> {
                try (Socket accepted = net.accept(server)) {
                    accepted.getOutputStream().write(1);
                    awaitEndOfStream(accepted); // the client closed: CLOSE-WAIT until this thread closes
                    returned.await();
                    Thread.sleep(delayMs);
                    server.close();
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, "late-closer");
            thread.setDaemon(true);
            thread.start();
            try (Socket client = net.connect(server.getLocalPort())) {
                if (client.getInputStream().read() != 1) {
                    throw new AssertionError("the server's byte did not arrive");
                }
            }
            returned.countDown();
        }
    }

    /**
     * A pool shared by the tests of a round, as a suite shares a lazily started server or client: created by the
     * first test that needs it, its one thread started by the first test that submits to it. The
     * harness shuts it down after each round, so that each round's threads are born in other tests.
     */
    static final class SharedPool {
        private static ExecutorService pool;

        private SharedPool() {
        }

        static synchronized ExecutorService get() {
            if (pool == null) {
                pool = Executors.newFixedThreadPool(1, task -> {
                    Thread thread = new Thread(task, "shared-pool");
                    thread.setDaemon(true);
                    return thread;
                });
            }
            return pool;
        }

        static synchronized void shutDown() {
            if (pool != null) {
                pool.shutdownNow();
                pool = null;
            }
        }
    }

    /** Accepts on a thread of the shared pool and keeps the connection after the client closed: CLOSE-WAIT. */
    @Windows.Fixture
    static class SharedPoolLeak {
        @Test
        @Expect(Kind.LEAK_ON_SHARED_THREAD)
        void leaksThroughThePool() throws Exception {
            Net net = Net.get();
            ServerSocket server = net.listen();
            Future<Socket> kept = SharedPool.get().submit(() -> {
                Socket accepted = net.accept(server);
                awaitEndOfStream(accepted); // keeps the socket, in CLOSE-WAIT
                return accepted;
            });
            net.connect(server.getLocalPort()).close();
            net.diagnoseOrigin(kept.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    /** Uses the shared pool cleanly, then works on a while: its check runs while the pool serves other tests. */
    @Windows.Fixture
    static class SharedPoolClean {
        @Test
        @Expect(Kind.CLEAN)
        void usesThePoolCleanlyA() throws Exception {
            usesThePoolCleanly();
        }

        @Test
        @Expect(Kind.CLEAN)
        void usesThePoolCleanlyB() throws Exception {
            usesThePoolCleanly();
        }

        private static void usesThePoolCleanly() throws Exception {
            Net net = Net.get();
            ServerSocket server = net.listen();
            Future<?> served = SharedPool.get().submit(() -> {
                try (Socket accepted = net.accept(server)) {
                    awaitEndOfStream(accepted);
                }
                return null;
            });
            net.connect(server.getLocalPort()).close();
            served.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            server.close();
            Thread.sleep(ThreadLocalRandom.current().nextLong(200, 601));
        }
    }

    /** Reads until the peer's FIN: from then on this end is in CLOSE-WAIT until it is closed. */
    static void awaitEndOfStream(Socket socket) throws IOException {
        socket.setSoTimeout(Net.PATIENCE_MS);
        InputStream in = socket.getInputStream();
        while (in.read() != -1) {
            // drain
        }
    }

    /** Waits until the listener's accept queue holds a connection that {@code queued} accepts. */
    static void awaitQueued(int port, Predicate<io.github.sockleak.TcpSocket> queued) {
        Polling.Result<SocketSnapshot> result = Polling.until(() -> Sockets.ownSnapshot(Set.of()),
                snapshot -> snapshot.listener(port).map(l -> l.queued().stream().anyMatch(queued)).orElse(false), PATIENCE);
        if (!result.satisfied()) {
            throw new AssertionError("the accept queue of port " + port + " did not reach the state wanted:\n" + result.value());
        }
    }
}
