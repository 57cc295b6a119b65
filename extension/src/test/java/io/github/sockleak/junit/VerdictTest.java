package io.github.sockleak.junit;

import static io.github.sockleak.junit.Fixtures.PARTNER_DEADLINE_SECONDS;
import static io.github.sockleak.junit.Fixtures.NET;
import static io.github.sockleak.junit.Fixtures.PARALLEL;
import static io.github.sockleak.junit.Fixtures.failures;
import static io.github.sockleak.junit.Fixtures.onlyFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.sockleak.Sockets;
import io.github.sockleak.internal.Polling;
import io.github.sockleak.testing.Loopback;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Events;
import org.opentest4j.TestAbortedException;

/** The verdict of a check: the leak it must not miss, the test it must not blame, the report it must not drop. */
@DisplayName("The verdict")
class VerdictTest {

    private static final AgentLoading LOADING = AgentLoading.ofThisJvm();
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @AfterEach
    void closeFixtureSockets() {
        Fixtures.closeAll();
    }

    @Test
    @DisplayName("fails a test whose server socket the garbage collector closed, never the application, with its origin")
    void collectedLeak() {
        assumeTrue(LOADING.recordsOrigins(), "only the agent sees that the application never called close()");

        Throwable failure = onlyFailure(Fixtures.run(CollectedLeak.class).testEvents());

        assertThat(failure).isInstanceOf(SocketLeakError.class);
        assertThat(failure.getMessage())
                .contains("VerdictTest.CollectedLeak.handlerForgetsToClose() leaked 1 socket, closed by the garbage collector,"
                        + " never by the application")
                .contains("closed by the garbage collector, never by the application: accepted ")
                .contains("opened at (accepted in test VerdictTest.CollectedLeak.handlerForgetsToClose(), thread \"handler\"")
                .contains("at " + CollectedLeak.class.getName() + ".handle(VerdictTest.java:");
        assertThat(((SocketLeakError) failure).collectedUnclosed()).isEqualTo(1);
    }

    @Test
    @DisplayName("of two parallel tests, blames an accept-queue leak whose client closed on the test that opened the listener")
    void parallelAcceptQueueBlame() {
        ParallelQueue.reset();
        Events tests = Fixtures.run(ParallelQueue.class, PARALLEL).testEvents();

        List<String> failed = failedMethods(tests);
        if (LOADING.recordsOrigins()) {
            assertThat(failed).containsExactly("leaky");
            assertThat(onlyFailure(tests).getMessage()).contains("ACCEPT_QUEUE")
                    .contains("accept queue of 127.0.0.1:" + ParallelQueue.port + ": depth 1")
                    .contains("listening in test VerdictTest.ParallelQueue.leaky()")
                    .doesNotContain("may be blamed for theirs");
        } else {
            assertThat(failed).containsExactlyInAnyOrder("leaky", "clean");
            assertThat(failures(tests)).allSatisfy(f -> assertThat(f.getMessage()).contains("may be blamed for theirs"));
        }
    }

    @Test
    @DisplayName("says other tests ran when one ran only while the check settled, naming it")
    void overlapDuringTheSettle() {
        SettleOverlap.reset();
        Events tests = Fixtures.run(SettleOverlap.class, withParallel("sockleak.origins", "off")).testEvents();

        assertThat(failedMethods(tests)).containsExactly("leaky");
        assertThat(onlyFailure(tests).getMessage())
                .contains("Other tests ran at the same time (1 checked: VerdictTest.SettleOverlap.late())")
                .contains("may be blamed for theirs");
    }

    @Test
    @DisplayName("keeps the user's failure when it refuses suppressed exceptions, and still publishes and prints the leak")
    void failureWithoutSuppression() {
        EngineExecutionResults results = Fixtures.run(LeakyAndUnsuppressible.class);

        Throwable failure = onlyFailure(results.testEvents());
        assertThat(failure).isInstanceOf(Unsuppressible.class).hasMessage("the user's own failure");
        assertThat(Fixtures.reportsBesideNamespaceCounters(results)).singleElement().asString()
                .startsWith("sockleak: VerdictTest.LeakyAndUnsuppressible.leaks() leaked 1 socket in CLOSE-WAIT");
    }

    @Test
    @DisplayName("fails a test that leaked and then aborted on an assumption, with the abort attached")
    void abortedLeak() {
        Events tests = Fixtures.run(LeakyAndAborted.class).testEvents();

        tests.assertStatistics(stats -> stats.failed(1).aborted(0));
        Throwable failure = onlyFailure(tests);
        assertThat(failure).isInstanceOf(SocketLeakError.class)
                .hasMessageStartingWith("sockleak: VerdictTest.LeakyAndAborted.leaks() leaked 1 socket in CLOSE-WAIT");
        assertThat(failure.getSuppressed()).singleElement().isInstanceOf(TestAbortedException.class)
                .extracting(Throwable::getMessage).asString().contains("not on this machine");
    }

    @Test
    @DisplayName("settles a late close even when the test leaves its thread interrupted")
    void interruptedTestStillSettles() {
        Fixtures.run(InterruptedLateClose.class).testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));
    }

    private static String[] withParallel(String... more) {
        String[] all = new String[PARALLEL.length + more.length];
        System.arraycopy(PARALLEL, 0, all, 0, PARALLEL.length);
        System.arraycopy(more, 0, all, PARALLEL.length, more.length);
        return all;
    }

    private static List<String> failedMethods(Events tests) {
        return tests.failed().stream()
                .map(event -> event.getTestDescriptor().getDisplayName().replace("()", ""))
                .collect(Collectors.toList());
    }

    /** A client in this JVM, closed by the test, whose server end is left in CLOSE-WAIT: the common leak. */
    private static Socket leakCloseWait() throws IOException {
        ServerSocket server = NET.listen();
        NET.connect(server.getLocalPort()).close();
        return NET.accept(server);
    }

    private static boolean goneFromTheKernel(InetSocketAddress local, InetSocketAddress remote) {
        return Sockets.snapshot().all().stream()
                .noneMatch(socket -> socket.local().equals(local) && socket.remote().equals(remote));
    }

    // ---- fixtures: run only through Fixtures.run ----

    @NoSocketLeaks
    static class CollectedLeak {

        @Test
        void handlerForgetsToClose() throws Exception {
            ServerSocket server = NET.listen();
            AtomicReference<InetSocketAddress[]> accepted = new AtomicReference<>();
            Thread handler = new Thread(() -> handle(server, accepted), "handler");
            handler.start();
            try (Socket client = new Socket(Loopback.IPV4, server.getLocalPort())) {
                assertThat(client.getInputStream().read()).isEqualTo(1);
            }
            handler.join(PATIENCE.toMillis());
            InetSocketAddress[] ends = accepted.get();
            // What a collection during the settle does, made certain: the socket is unreachable, the JDK's cleaner
            // closes it, and the kernel forgets it.
            Polling.Result<Boolean> gone = Polling.until(() -> {
                System.gc();
                return goneFromTheKernel(ends[0], ends[1]);
            }, Boolean::booleanValue, PATIENCE);
            assertThat(gone.satisfied()).as("the cleaner closed the dropped socket").isTrue();
        }

        /** Accepts, answers and returns without closing: the socket is dropped, still open. */
        private static void handle(ServerSocket server, AtomicReference<InetSocketAddress[]> accepted) {
            try {
                Socket socket = server.accept();
                socket.getOutputStream().write(1);
                accepted.set(new InetSocketAddress[] {
                        (InetSocketAddress) socket.getLocalSocketAddress(), (InetSocketAddress) socket.getRemoteSocketAddress()});
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * {@code leaky} leaves a closed client's connection in the queue of a listener it opened and never accepts;
     * {@code clean}, checked at the same time, sees that connection appear after its baseline.
     */
    @NoSocketLeaks
    @Execution(ExecutionMode.CONCURRENT)
    static class ParallelQueue {
        static CyclicBarrier bothRunning;
        static CyclicBarrier leakDone;
        static volatile int port;

        static void reset() {
            bothRunning = new CyclicBarrier(2);
            leakDone = new CyclicBarrier(2);
        }

        @Test
        void leaky() throws Exception {
            bothRunning.await(PARTNER_DEADLINE_SECONDS, TimeUnit.SECONDS);
            ServerSocket server = NET.listen();
            port = server.getLocalPort();
            new Socket(Loopback.IPV4, server.getLocalPort()).close();
            Loopback.awaitSnapshot("the closed client's connection in CLOSE-WAIT in the queue", snapshot -> snapshot
                    .listener(server.getLocalPort()).map(listener -> !listener.queued().isEmpty()).orElse(false));
            leakDone.await(PARTNER_DEADLINE_SECONDS, TimeUnit.SECONDS);
        }

        @Test
        void clean() throws Exception {
            bothRunning.await(PARTNER_DEADLINE_SECONDS, TimeUnit.SECONDS);
            leakDone.await(PARTNER_DEADLINE_SECONDS, TimeUnit.SECONDS);
        }
    }

    /**
     * {@code late}'s check begins and ends while {@code leaky}'s waits out its settle time: the class's extension,
     * registered before the methods' own, holds {@code late} back until the leak exists.
     */
    @ExtendWith(SettleOverlap.LateStartsAfterTheLeak.class)
    @Execution(ExecutionMode.CONCURRENT)
    static class SettleOverlap {
        static CountDownLatch leaked;

        static void reset() {
            leaked = new CountDownLatch(1);
        }

        @Test
        @NoSocketLeaks(settle = "2s")
        void leaky() throws Exception {
            leakCloseWait();
            leaked.countDown();
        }

        @Test
        @NoSocketLeaks
        void late() {
        }

        static final class LateStartsAfterTheLeak implements BeforeEachCallback {
            @Override
            public void beforeEach(ExtensionContext context) throws InterruptedException {
                if (context.getRequiredTestMethod().getName().equals("late")) {
                    assertThat(leaked.await(PARTNER_DEADLINE_SECONDS, TimeUnit.SECONDS)).as("leaky leaked").isTrue();
                }
            }
        }
    }

    /** An exception built with suppression disabled: {@code addSuppressed} does nothing, as some libraries' do. */
    static final class Unsuppressible extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unsuppressible(String message) {
            super(message, null, false, true);
        }
    }

    @NoSocketLeaks(settle = "100ms")
    static class LeakyAndUnsuppressible {
        @Test
        void leaks() throws Exception {
            leakCloseWait();
            throw new Unsuppressible("the user's own failure");
        }
    }

    @NoSocketLeaks(settle = "100ms")
    static class LeakyAndAborted {
        @Test
        void leaks() throws Exception {
            leakCloseWait();
            Assumptions.abort("not on this machine");
        }
    }

    @NoSocketLeaks
    static class InterruptedLateClose {
        @Test
        void closesLate() throws Exception {
            Socket accepted = leakCloseWait();
            Fixtures.LATER.schedule(() -> Loopback.close(accepted), 50, TimeUnit.MILLISECONDS);
            Thread.currentThread().interrupt();
        }
    }
}
