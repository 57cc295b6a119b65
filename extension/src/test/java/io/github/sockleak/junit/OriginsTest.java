package io.github.sockleak.junit;

import static io.github.sockleak.junit.Fixtures.PARTNER_DEADLINE_SECONDS;
import static io.github.sockleak.junit.Fixtures.onlyFailure;
import static io.github.sockleak.junit.Fixtures.failures;
import static io.github.sockleak.junit.Fixtures.track;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.sockleak.Listener;
import io.github.sockleak.SnapshotSource;
import io.github.sockleak.Sockets;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.internal.Polling;
import io.github.sockleak.junit.internal.OriginsHintAccess;
import io.github.sockleak.junit.internal.origins.OriginAgent;
import io.github.sockleak.junit.internal.origins.Origins;
import io.github.sockleak.junit.internal.origins.OriginsAccess;
import io.github.sockleak.junit.internal.origins.OriginsStatus;
import io.github.sockleak.testing.Loopback;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

@DisplayName("Origins: where and in which test a leaked socket was opened")
class OriginsTest {

    private static final AgentLoading LOADING = AgentLoading.ofThisJvm();

    @AfterEach
    void closeFixtureSockets() {
        Fixtures.closeTracked();
    }

    @Test
    @DisplayName("gets the agent in as the build started the JVM, or says in one line how to add it")
    void agentGetsIn() {
        Fixtures.run(CleanServer.class).testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));
        Fixtures.run(CleanServer.class).testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));

        OriginsStatus status = OriginAgent.status();
        switch (LOADING) {
            case JAVAAGENT:
                assertThat(status.isActive()).as(status.toString()).isTrue();
                assertThat(status.how()).isEqualTo("-javaagent");
                break;
            case SELF_ATTACH:
                assertThat(status.isActive()).as(status.toString()).isTrue();
                assertThat(status.how()).isEqualTo("self-attach");
                break;
            default:
                assertThat(status.state()).isEqualTo(OriginsStatus.State.REFUSED);
                assertThat(OriginsHintAccess.printed()).as("the hint is printed once per JVM").isEqualTo(1);
                assertThat(status.message())
                        .startsWith("sockleak: leak reports will not say where sockets were opened")
                        .contains("-XX:+EnableDynamicAgentLoading")
                        .contains("<argLine>-javaagent:${settings.localRepository}/io/github/sockleak/sockleak-junit/")
                        .doesNotContain("VERSION")
                        .doesNotContain(System.lineSeparator());
        }
    }

    @Test
    @DisplayName("points a leaky server's report at the line that accepted the connection")
    void serverLeak() {
        String report = onlyFailure(Fixtures.run(ServerLeaks.class).testEvents()).getMessage();

        assertThat(report).contains("leaked 1 socket in CLOSE-WAIT");
        if (!LOADING.recordsOrigins()) {
            assertThat(report).doesNotContain("opened at");
            return;
        }
        assertThat(report).contains("opened at (accepted in test OriginsTest.ServerLeaks.leaks(), thread \"");
        assertThat(firstFrameUnder(report, "opened at (accepted"))
                .isEqualTo("at " + ServerLeaks.class.getName() + ".leaks(OriginsTest.java:" + ServerLeaks.acceptLine + ")");
    }

    @Test
    @DisplayName("points a leaky client's report at the line that connected")
    void clientLeak() {
        String report = onlyFailure(Fixtures.run(ClientLeaks.class).testEvents()).getMessage();

        assertThat(report).contains("leaked 1 socket in CLOSE-WAIT");
        if (!LOADING.recordsOrigins()) {
            assertThat(report).doesNotContain("opened at");
            return;
        }
        assertThat(firstFrameUnder(report, "opened at (connected in test OriginsTest.ClientLeaks.leaks()"))
                .isEqualTo("at " + ClientLeaks.class.getName() + ".leaks(OriginsTest.java:" + ClientLeaks.connectLine + ")");
    }

    @Test
    @DisplayName("sees connects and accepts through SocketChannel and ServerSocketChannel")
    void channels() {
        assumeTrue(LOADING.recordsOrigins(), "origins are not recorded in this JVM");
        String report = onlyFailure(Fixtures.run(ChannelsLeak.class).testEvents()).getMessage();

        assertThat(report).contains("leaked 2 sockets in CLOSE-WAIT");
        assertThat(firstFrameUnder(report, "opened at (accepted in test OriginsTest.ChannelsLeak.leaks()"))
                .isEqualTo("at " + ChannelsLeak.class.getName() + ".leaks(OriginsTest.java:" + ChannelsLeak.acceptLine + ")");
        assertThat(firstFrameUnder(report, "opened at (connected in test OriginsTest.ChannelsLeak.leaks()"))
                .isEqualTo("at " + ChannelsLeak.class.getName() + ".leaks(OriginsTest.java:" + ChannelsLeak.connectLine + ")");
    }

    @Test
    @DisplayName("points a non-blocking connect at the connect() call, not where it completed")
    void nonBlockingConnect() {
        assumeTrue(LOADING.recordsOrigins(), "origins are not recorded in this JVM");
        String report = onlyFailure(Fixtures.run(NonBlockingClientLeaks.class).testEvents()).getMessage();

        assertThat(report).contains("leaked 1 socket in CLOSE-WAIT");
        assertThat(firstFrameUnder(report, "opened at (connected in test OriginsTest.NonBlockingClientLeaks.leaks()"))
                .isEqualTo("at " + NonBlockingClientLeaks.class.getName() + ".leaks(OriginsTest.java:" + NonBlockingClientLeaks.connectLine + ")");
    }

    @Test
    @DisplayName("sees connects and accepts through the asynchronous channels")
    void asynchronousChannels() {
        assumeTrue(LOADING.recordsOrigins(), "origins are not recorded in this JVM");
        String report = onlyFailure(Fixtures.run(AsynchronousLeak.class).testEvents()).getMessage();

        assertThat(report).contains("leaked 2 sockets in CLOSE-WAIT");
        assertThat(firstFrameUnder(report, "opened at (accepted in test OriginsTest.AsynchronousLeak.leaks()"))
                .isEqualTo("at " + AsynchronousLeak.class.getName() + ".leaks(OriginsTest.java:" + AsynchronousLeak.acceptLine + ")");
        assertThat(firstFrameUnder(report, "opened at (connected in test OriginsTest.AsynchronousLeak.leaks()"))
                .isEqualTo("at " + AsynchronousLeak.class.getName() + ".leaks(OriginsTest.java:" + AsynchronousLeak.connectLine + ")");
    }

    @Test
    @DisplayName("prints a stack that opened several leaked sockets once, with how many it opened")
    void sharedStack() {
        assumeTrue(LOADING.recordsOrigins(), "origins are not recorded in this JVM");
        String report = onlyFailure(Fixtures.run(LeaksThreeTimes.class).testEvents()).getMessage();

        assertThat(report).contains("leaked 3 sockets in CLOSE-WAIT")
                .contains("opened at [stack 1, which opened 3 of these sockets] (accepted in test OriginsTest.LeaksThreeTimes.leaks()");
        assertThat(occurrences(report, "opened at stack [1] above (accepted in test OriginsTest.LeaksThreeTimes.leaks()")).isEqualTo(2);
        assertThat(occurrences(report, "(OriginsTest.java:" + LeaksThreeTimes.acceptLine + ")")).isEqualTo(1);
    }

    @Test
    @DisplayName("names the test for sockets opened by a thread the test started")
    void threadsInheritTheTest() {
        assumeTrue(LOADING.recordsOrigins(), "origins are not recorded in this JVM");
        String report = onlyFailure(Fixtures.run(ServerThreadLeaks.class).testEvents()).getMessage();

        assertThat(report).contains("opened at (accepted in test OriginsTest.ServerThreadLeaks.leaks(), thread \"fixture-server\"");
        assertThat(firstFrameUnder(report, "opened at (accepted"))
                .isEqualTo("at " + ServerThreadLeaks.class.getName() + ".lambda$leaks$0(OriginsTest.java:" + ServerThreadLeaks.acceptLine + ")");
    }

    @Test
    @DisplayName("of two tests running in parallel, fails only the one that leaked")
    void parallelBlame() {
        ParallelPair.reset();
        EngineExecutionResults results = Fixtures.run(ParallelPair.class, Fixtures.PARALLEL);

        Events tests = results.testEvents();
        assertThat(ParallelPair.overlapped).as("both tests were inside their bodies at the same time").isTrue();
        List<String> failed = tests.failed().stream().map(OriginsTest::methodName).collect(Collectors.toList());
        if (LOADING.recordsOrigins()) {
            assertThat(failed).containsExactly("leaky");
            assertThat(onlyFailure(tests).getMessage())
                    .contains("opened at (accepted in test OriginsTest.ParallelPair.leaky()")
                    .doesNotContain("may be blamed for theirs");
        } else {
            // Kernel-only: the clean test saw the leak appear during its check too, and its report says why.
            assertThat(failed).containsExactlyInAnyOrder("leaky", "clean");
            assertThat(failures(tests)).allSatisfy(failure -> assertThat(failure.getMessage()).contains("may be blamed for theirs"));
        }
    }

    @Test
    @DisplayName("writes down, without failing anyone, a parallel test's leak found after that test's check ended")
    void leakFoundAfterItsTestEnded() {
        assumeTrue(LOADING.recordsOrigins(), "origins are not recorded in this JVM");
        LateLeak.reset();
        EngineExecutionResults results = Fixtures.run(LateLeak.class, Fixtures.PARALLEL);

        results.testEvents().assertStatistics(stats -> stats.succeeded(2).failed(0));
        List<String> notes = Fixtures.reportsBesideNamespaceCounters(results);
        assertThat(notes).singleElement().satisfies(note -> assertThat(note)
                .startsWith("sockleak: while checking OriginsTest.LateLeak.clean(), found 1 socket leaked by other tests"
                        + " whose checks had already ended; not blamed on OriginsTest.LateLeak.clean()")
                .contains(":" + LateLeak.acceptedPort + " ")
                .contains("opened at (accepted in test OriginsTest.LateLeak.leaky()"));
    }

    @Test
    @DisplayName("fills a listener's backlog from the listen call, clamped to net.core.somaxconn")
    void backlogFromTheAgent() throws IOException {
        int somaxconn;
        try (BufferedReader reader = Files.newBufferedReader(Path.of("/proc/sys/net/core/somaxconn"))) {
            somaxconn = Integer.parseInt(reader.readLine().trim());
        }
        ServerSocket small = track(new ServerSocket(0, 7, Loopback.IPV4));
        ServerSocket huge = track(new ServerSocket(0, somaxconn + 1000, Loopback.IPV4));
        ServerSocket unset = track(new ServerSocket(0, 0, Loopback.IPV4));

        // On /proc whatever the JDK: where netlink is used, the kernel's backlog wins over the agent's.
        Listener smallListener = Sockets.snapshot(SnapshotSource.PROCFS).listener(small.getLocalPort()).orElseThrow();
        if (!LOADING.recordsOrigins()) {
            assertThat(smallListener.backlog()).as("/proc has no backlog and no agent saw the listen").isEmpty();
            return;
        }
        assertThat(smallListener.backlog()).hasValue(Math.min(7, somaxconn));
        assertThat(Sockets.snapshot(SnapshotSource.PROCFS).listener(huge.getLocalPort()).orElseThrow().backlog()).hasValue(somaxconn);
        assertThat(Sockets.snapshot(SnapshotSource.PROCFS).listener(unset.getLocalPort()).orElseThrow().backlog())
                .as("the JDK's default backlog").hasValue(Math.min(50, somaxconn));
    }

    @Test
    @DisplayName("forgets a socket when it is closed, so memory does not grow with the sockets a suite opens")
    void recordsAreDroppedOnClose() throws Exception {
        assumeTrue(LOADING.recordsOrigins(), "origins are not recorded in this JVM");
        int before = OriginsAccess.recorded(OriginAgent.origins().orElseThrow());
        for (int i = 0; i < 100; i++) {
            try (ServerSocket server = new ServerSocket(0, 50, Loopback.IPV4);
                 Socket client = new Socket(Loopback.IPV4, server.getLocalPort());
                 Socket accepted = server.accept();
                 ServerSocketChannel channelServer = ServerSocketChannel.open().bind(new InetSocketAddress(Loopback.IPV4, 0));
                 SocketChannel channelClient = SocketChannel.open(channelServer.getLocalAddress());
                 SocketChannel channelAccepted = channelServer.accept();
                 AsynchronousServerSocketChannel asyncServer = AsynchronousServerSocketChannel.open().bind(new InetSocketAddress(Loopback.IPV4, 0));
                 AsynchronousSocketChannel asyncClient = AsynchronousSocketChannel.open()) {
                asyncClient.connect(asyncServer.getLocalAddress()).get(10, TimeUnit.SECONDS);
                asyncServer.accept().get(10, TimeUnit.SECONDS).close();
                assertThat(accepted.isConnected() && channelAccepted.isConnected() && channelClient.isConnected()).isTrue();
                assertThat(client.isConnected()).isTrue();
            }
        }
        assertThat(OriginsAccess.recorded(OriginAgent.origins().orElseThrow())).isEqualTo(before);
    }

    @Test
    @DisplayName("with sockleak.originStacks=false, still names the test and the thread")
    void withoutStacks() {
        assumeTrue(LOADING.recordsOrigins(), "origins are not recorded in this JVM");
        String report = onlyFailure(Fixtures.run(ServerLeaks.class, NoSocketLeaks.ORIGIN_STACKS_PROPERTY_NAME, "false").testEvents()).getMessage();

        assertThat(report).contains("opened at (accepted in test OriginsTest.ServerLeaks.leaks(), thread \"")
                .contains("no stack: sockleak.originStacks=false")
                .doesNotContain("OriginsTest.java:");
    }

    @Test
    @DisplayName("with sockleak.origins=off, reports what the kernel sees, as without an agent")
    void originsOff() {
        String report = onlyFailure(Fixtures.run(ServerLeaks.class, NoSocketLeaks.ORIGINS_PROPERTY_NAME, "off").testEvents()).getMessage();

        assertThat(report).contains("leaked 1 socket in CLOSE-WAIT").doesNotContain("opened at");
    }

    @Test
    @DisplayName("with sockleak.origins=on, fails with the diagnosis where the agent cannot be had")
    void originsRequired() {
        EngineExecutionResults results = Fixtures.run(CleanServer.class, NoSocketLeaks.ORIGINS_PROPERTY_NAME, "on");
        if (LOADING.recordsOrigins()) {
            results.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));
            return;
        }
        Throwable failure = onlyFailure(results.allEvents());
        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("sockleak.origins=on")
                .hasMessageContaining("-XX:+EnableDynamicAgentLoading")
                .hasMessageContaining("-javaagent:");
    }

    @Test
    @DisplayName("rejects a value of sockleak.origins it does not know")
    void badOriginsValue() {
        Throwable failure = onlyFailure(Fixtures.run(CleanServer.class, NoSocketLeaks.ORIGINS_PROPERTY_NAME, "sometimes").containerEvents());

        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("sockleak.origins").hasMessageContaining("auto, on, off");
    }

    // ---- helpers ----

    /** The line number of the caller: put on the same line as the socket call it names. */
    static int line() {
        return StackWalker.getInstance().walk(frames -> frames.skip(1).findFirst()).orElseThrow().getLineNumber();
    }


    /** The first "at ..." line after the first line that starts (after indentation) with {@code header}. */
    private static String firstFrameUnder(String report, String header) {
        List<String> lines = Arrays.asList(report.split("\\R"));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().startsWith(header)) {
                assertThat(i + 1).as("a frame under '%s' in:%n%s", header, report).isLessThan(lines.size());
                return lines.get(i + 1).trim();
            }
        }
        throw new AssertionError("no line starting with '" + header + "' in:\n" + report);
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    private static String methodName(Event event) {
        return event.getTestDescriptor().getLegacyReportingName().replace("()", "");
    }

    // ---- fixtures: run only through Fixtures.run ----

    @NoSocketLeaks
    static class CleanServer {
        @Test
        void clean() throws Exception {
            Loopback.cleanRoundTrip();
        }
    }

    @NoSocketLeaks
    static class ServerLeaks {
        static int acceptLine;

        @Test
        void leaks() throws Exception {
            ServerSocket server = track(new ServerSocket(0, 50, Loopback.IPV4));
            Socket client = track(new Socket(Loopback.IPV4, server.getLocalPort()));
            acceptLine = line(); track(server.accept()); // the server's end is never closed
            client.close();
            server.close();
        }
    }

    @NoSocketLeaks
    static class ClientLeaks {
        static int connectLine;

        @Test
        void leaks() throws Exception {
            ServerSocket server = track(new ServerSocket(0, 50, Loopback.IPV4));
            connectLine = line(); track(new Socket(Loopback.IPV4, server.getLocalPort())); // never closed
            server.accept().close();
            server.close();
        }
    }

    /** Two connections: the server end of the first leaks, and the client end of the second. */
    @NoSocketLeaks
    static class ChannelsLeak {
        static int connectLine;
        static int acceptLine;

        @Test
        void leaks() throws Exception {
            ServerSocketChannel server = track(ServerSocketChannel.open().bind(new InetSocketAddress(Loopback.IPV4, 0)));
            SocketChannel firstClient = track(SocketChannel.open(server.getLocalAddress()));
            acceptLine = line(); track(server.accept());
            firstClient.close();
            connectLine = line(); track(SocketChannel.open(server.getLocalAddress()));
            server.accept().close();
            server.close();
        }
    }

    @NoSocketLeaks
    static class NonBlockingClientLeaks {
        static int connectLine;

        @Test
        void leaks() throws Exception {
            ServerSocketChannel server = track(ServerSocketChannel.open().bind(new InetSocketAddress(Loopback.IPV4, 0)));
            SocketChannel client = track(SocketChannel.open());
            client.configureBlocking(false);
            try (Selector selector = Selector.open()) {
                client.register(selector, SelectionKey.OP_CONNECT);
                connectLine = line(); client.connect(server.getLocalAddress());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!client.finishConnect()) {
                    assertThat(System.nanoTime()).as("connected within 10 s").isLessThan(deadline);
                    selector.select(100);
                }
            }
            server.accept().close();
            server.close();
        }
    }

    /** As {@link ChannelsLeak}, with the asynchronous channels. */
    @NoSocketLeaks
    static class AsynchronousLeak {
        static int connectLine;
        static int acceptLine;

        @Test
        void leaks() throws Exception {
            AsynchronousServerSocketChannel server = track(AsynchronousServerSocketChannel.open()
                    .bind(new InetSocketAddress(Loopback.IPV4, 0)));
            AsynchronousSocketChannel firstClient = track(AsynchronousSocketChannel.open());
            firstClient.connect(server.getLocalAddress()).get(10, TimeUnit.SECONDS);
            // Once the connection waits in the queue, accept() completes at once, on this thread; an accept that
            // has to wait completes on a thread of the JDK's, where no caller's frame is left to record.
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            Loopback.awaitSnapshot("the connection in the accept queue",
                    snapshot -> snapshot.listener(port).map(listener -> listener.acceptQueueDepth() == 1).orElse(false));
            acceptLine = line(); track(server.accept().get(10, TimeUnit.SECONDS));
            firstClient.close();
            AsynchronousSocketChannel secondClient = track(AsynchronousSocketChannel.open());
            connectLine = line(); secondClient.connect(server.getLocalAddress()).get(10, TimeUnit.SECONDS);
            server.accept().get(10, TimeUnit.SECONDS).close();
            server.close();
        }
    }

    @NoSocketLeaks
    static class LeaksThreeTimes {
        static int acceptLine;

        @Test
        void leaks() throws Exception {
            ServerSocket server = track(new ServerSocket(0, 50, Loopback.IPV4));
            for (int i = 0; i < 3; i++) {
                Socket client = track(new Socket(Loopback.IPV4, server.getLocalPort()));
                acceptLine = line(); track(server.accept());
                client.close();
            }
            server.close();
        }
    }

    @NoSocketLeaks
    static class ServerThreadLeaks {
        static int acceptLine;

        @Test
        void leaks() throws Exception {
            ServerSocket server = track(new ServerSocket(0, 50, Loopback.IPV4));
            Thread thread = new Thread(() -> {
                acceptLine = line(); try { track(server.accept()); } catch (IOException e) { throw new UncheckedIOException(e); }
            }, "fixture-server");
            thread.start();
            track(new Socket(Loopback.IPV4, server.getLocalPort())).close();
            thread.join(TimeUnit.SECONDS.toMillis(10));
            server.close();
        }
    }

    /**
     * {@code leaky} leaves a connection open (ESTABLISHED is no failing state, so its check passes) and ends; then
     * {@code clean}, still running, makes the client close, so that the leaked end turns CLOSE-WAIT during its check.
     */
    @NoSocketLeaks
    @Execution(ExecutionMode.CONCURRENT)
    static class LateLeak {
        static CyclicBarrier bothRunning;
        static CountDownLatch leftOpen;
        static volatile Socket client;
        /** The leaked end's row, by its whole 4-tuple: another process's socket can have the client's port at its far end. */
        static volatile Predicate<TcpSocket> leakedEnd;
        static volatile int acceptedPort;

        static void reset() {
            bothRunning = new CyclicBarrier(2);
            leftOpen = new CountDownLatch(1);
        }

        @Test
        void leaky() throws Exception {
            bothRunning.await(PARTNER_DEADLINE_SECONDS, TimeUnit.SECONDS);
            ServerSocket server = track(new ServerSocket(0, 50, Loopback.IPV4));
            client = track(new Socket(Loopback.IPV4, server.getLocalPort()));
            Socket accepted = track(server.accept());
            leakedEnd = Loopback.endOf(accepted);
            acceptedPort = accepted.getPort();
            server.close();
            leftOpen.countDown();
        }

        @Test
        void clean() throws Exception {
            bothRunning.await(PARTNER_DEADLINE_SECONDS, TimeUnit.SECONDS);
            assertThat(leftOpen.await(PARTNER_DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
            Origins origins = OriginAgent.origins().orElseThrow();
            Polling.Result<Boolean> ended = Polling.until(() -> Sockets.snapshot().all().stream()
                            .filter(leakedEnd)
                            .map(origins::of).flatMap(Optional::stream)
                            .anyMatch(origin -> origin.test() != null && !origin.test().isRunning()),
                    Boolean::booleanValue, Duration.ofSeconds(10));
            assertThat(ended.satisfied()).as("the leaky test's check ended").isTrue();
            client.close();
        }
    }

    /** Two tests in parallel: {@code leaky} leaks while {@code clean} is inside its body and checked. */
    @NoSocketLeaks
    @Execution(ExecutionMode.CONCURRENT)
    static class ParallelPair {
        static CyclicBarrier bothRunning;
        static CyclicBarrier leakDone;
        static volatile boolean overlapped;

        static void reset() {
            bothRunning = new CyclicBarrier(2);
            leakDone = new CyclicBarrier(2);
            overlapped = false;
        }

        @Test
        void leaky() throws Exception {
            bothRunning.await(PARTNER_DEADLINE_SECONDS, TimeUnit.SECONDS);
            overlapped = true;
            ServerSocket server = track(new ServerSocket(0, 50, Loopback.IPV4));
            Socket client = new Socket(Loopback.IPV4, server.getLocalPort());
            track(server.accept());
            client.close();
            server.close();
            leakDone.await(PARTNER_DEADLINE_SECONDS, TimeUnit.SECONDS);
        }

        @Test
        void clean() throws Exception {
            bothRunning.await(PARTNER_DEADLINE_SECONDS, TimeUnit.SECONDS);
            // Returns only once the leak exists: the clean test's check sees it appear after its baseline.
            leakDone.await(PARTNER_DEADLINE_SECONDS, TimeUnit.SECONDS);
        }
    }
}
