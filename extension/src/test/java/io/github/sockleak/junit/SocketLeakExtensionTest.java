package io.github.sockleak.junit;

import static io.github.sockleak.junit.Fixtures.onlyFailure;
import static io.github.sockleak.junit.Fixtures.failures;
import static io.github.sockleak.junit.Fixtures.reports;
import static io.github.sockleak.junit.Fixtures.NET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.sockleak.SnapshotSource;
import io.github.sockleak.Sockets;
import io.github.sockleak.TcpState;
import io.github.sockleak.testing.Loopback;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

@DisplayName("@NoSocketLeaks")
class SocketLeakExtensionTest {

    @AfterEach
    void closeFixtureSockets() {
        Fixtures.closeAll();
    }

    @Test
    @DisplayName("fails a server test that never closes a connection the client closed, naming CLOSE-WAIT and the port")
    void serverLeaksCloseWait() {
        Throwable failure = onlyFailure(Fixtures.run(ServerForgetsToClose.class).testEvents());

        assertThat(failure).isInstanceOf(SocketLeakError.class).isInstanceOf(AssertionError.class);
        assertThat(failure.getMessage())
                .contains("ServerForgetsToClose.leaks()")
                .contains("leaked 1 socket in CLOSE-WAIT")
                .contains(":" + ServerForgetsToClose.lastPort + " ")
                .contains("THIS_PROCESS")
                .contains("State", "Recv-Q", "Send-Q", "Local Address:Port", "Peer Address:Port")
                .contains("waited")
                .contains("source " + Sockets.snapshot().source());
        assertThat(((SocketLeakError) failure).leakedSockets()).as("the leak as values").singleElement()
                .satisfies(socket -> assertThat(socket.state()).isEqualTo(TcpState.CLOSE_WAIT))
                .satisfies(socket -> assertThat(socket.local().getPort()).isEqualTo(ServerForgetsToClose.lastPort));
    }

    @Test
    @DisplayName("fails a test whose listener never accepts a client that closed, with owner ACCEPT_QUEUE")
    void acceptQueueLeak() {
        Throwable failure = onlyFailure(Fixtures.run(ListenerNeverAccepts.class).testEvents());

        assertThat(failure).isInstanceOf(SocketLeakError.class);
        assertThat(failure.getMessage())
                .contains("CLOSE-WAIT")
                .contains("ACCEPT_QUEUE")
                .contains("accept queue of 127.0.0.1:" + ListenerNeverAccepts.port + ": depth 1, backlog "
                        + (Sockets.snapshot().source() == SnapshotSource.NETLINK || AgentLoading.ofThisJvm().recordsOrigins()
                                ? "50" : "unknown"))
                .contains("never called accept()");
        assertThat(((SocketLeakError) failure).leakingListeners()).as("the leak as values").singleElement()
                .satisfies(listener -> assertThat(listener.port()).isEqualTo(ListenerNeverAccepts.port));
    }

    @Test
    @DisplayName("passes a clean server and client without waiting for the settle deadline")
    void cleanTestPassesAtOnce() {
        // The fixture allows 60 s to settle: only a check that does not wait when nothing leaks finishes in time.
        EngineExecutionResults results = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> Fixtures.run(CleanServerAndClient.class));

        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1).failed(0));
    }

    @Test
    @DisplayName("passes a test whose server closes the connection 200 ms after the test body ends")
    void lateCloseSettles() {
        Fixtures.run(ClosesAfterTheTest.class).testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));
    }

    @Test
    @DisplayName("passes a test that leaves TIME-WAIT behind after an active close")
    void timeWaitIsNotALeak() {
        Fixtures.run(LeavesTimeWait.class).testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));
    }

    @Test
    @DisplayName("keeps a failing test's own failure first and adds the leak to it as suppressed")
    void ownFailureFirst() {
        Throwable failure = onlyFailure(Fixtures.run(FailsAndLeaks.class).testEvents());

        assertThat(failure).isNotInstanceOf(SocketLeakError.class).hasMessage("the test's own failure");
        assertThat(failure.getSuppressed()).singleElement()
                .isInstanceOf(SocketLeakError.class)
                .satisfies(leak -> assertThat(leak.getMessage()).contains("CLOSE-WAIT"));
    }

    @Test
    @DisplayName("with scope CLASS, blames the class for what its tests left, once, after all of them")
    void classScope() {
        EngineExecutionResults results = Fixtures.run(ClassScoped.class);

        results.testEvents().assertStatistics(stats -> stats.succeeded(2).failed(0));
        List<Throwable> containerFailures = failures(results.containerEvents());
        assertThat(containerFailures).singleElement().isInstanceOf(SocketLeakError.class)
                .satisfies(leak -> assertThat(leak.getMessage()).contains("ClassScoped leaked 1 socket in CLOSE-WAIT"));
    }

    @Test
    @DisplayName("in warn mode, passes and reports the leak")
    void warnMode() {
        EngineExecutionResults results = Fixtures.run(ServerForgetsToClose.class, NoSocketLeaks.MODE_PROPERTY_NAME, "warn");

        results.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));
        assertThat(reports(results)).singleElement().satisfies(report -> assertThat(report).contains("leaked 1 socket in CLOSE-WAIT"));
    }

    @Test
    @DisplayName("in off mode, does not check")
    void offMode() {
        EngineExecutionResults results = Fixtures.run(ServerForgetsToClose.class, NoSocketLeaks.MODE_PROPERTY_NAME, "off");

        results.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));
        assertThat(reports(results)).isEmpty();
    }

    @Test
    @DisplayName("lets the annotation win over the configuration parameter")
    void annotationWins() {
        EngineExecutionResults results = Fixtures.run(WarnsByAnnotation.class, NoSocketLeaks.MODE_PROPERTY_NAME, "fail");

        results.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));
        assertThat(reports(results)).hasSize(1);
    }

    @Test
    @DisplayName("fails on the states configured in sockleak.failOn, and only those")
    void failOnStates() {
        Fixtures.run(ServerForgetsToClose.class, NoSocketLeaks.FAIL_ON_PROPERTY_NAME, "ESTABLISHED")
                .testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));
        Throwable failure = onlyFailure(Fixtures.run(ClientLeftOpen.class, NoSocketLeaks.FAIL_ON_PROPERTY_NAME, "ESTABLISHED,CLOSE_WAIT").testEvents());
        assertThat(failure.getMessage()).contains("leaked 2 sockets in ESTAB");
    }

    @Test
    @DisplayName("ignores the ports it is told to ignore")
    void ignoredPorts() {
        int port = freePort();
        ServerForgetsToClose.port = port;
        Fixtures.run(ServerForgetsToClose.class, NoSocketLeaks.IGNORE_PORTS_PROPERTY_NAME, String.valueOf(port + 1))
                .testEvents().assertStatistics(stats -> stats.failed(1));
        Fixtures.closeAll();
        ServerForgetsToClose.port = port;
        Fixtures.run(ServerForgetsToClose.class, NoSocketLeaks.IGNORE_PORTS_PROPERTY_NAME, String.valueOf(port))
                .testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));
    }

    @Test
    @DisplayName("rejects a bad configuration value, naming the key and what is allowed")
    void badConfiguration() {
        // Read before all tests of the class, so the class fails, and with it every test.
        Throwable failure = onlyFailure(Fixtures.run(CleanServerAndClient.class, NoSocketLeaks.MODE_PROPERTY_NAME, "sometimes").containerEvents());

        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("sockleak.mode")
                .hasMessageContaining("'sometimes'")
                .hasMessageContaining("fail, warn, off");
    }

    @Test
    @DisplayName("rejects a settle value that is not a duration")
    void badSettle() {
        Throwable failure = onlyFailure(Fixtures.run(CleanServerAndClient.class, NoSocketLeaks.SETTLE_PROPERTY_NAME, "soon").containerEvents());

        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("sockleak.settle").hasMessageContaining("500ms");
    }

    @Test
    @DisplayName("gives a test its SocketProbe with the baseline taken before it")
    void probe() {
        Fixtures.run(UsesProbe.class).testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));
    }

    @Test
    @DisplayName("works through @RegisterExtension with a builder")
    void registeredWithBuilder() {
        Throwable failure = onlyFailure(Fixtures.run(RegisteredExtension.class).testEvents());

        assertThat(failure).isInstanceOf(SocketLeakError.class).hasMessageContaining("ESTAB");
    }

    @Test
    @DisplayName("checks @Nested classes and honours meta-annotations")
    void nestedAndMeta() {
        Events tests = Fixtures.run(MetaAnnotated.class).testEvents();

        tests.assertStatistics(stats -> stats.started(2).failed(2));
        assertThat(failures(tests)).allSatisfy(failure -> assertThat(failure).isInstanceOf(SocketLeakError.class));
    }

    @Test
    @DisplayName("says once that it cannot see sockets where there is no /proc, and fails only when told to")
    void unsupportedPlatform() {
        Fixtures.run(UnsupportedPlatform.class).testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));
        Throwable failure = onlyFailure(Fixtures.run(UnsupportedPlatform.class, NoSocketLeaks.UNSUPPORTED_PROPERTY_NAME, "fail").testEvents());
        assertThat(failure).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("cannot be seen here").hasMessageContaining("sockleak.unsupported=fail");
    }

    @Test
    @DisplayName("runs 200 clean leak-checked tests without a false failure")
    void manyCleanTests() {
        Fixtures.run(ManyCleanTests.class).testEvents().assertStatistics(stats -> stats.started(200).succeeded(200));
    }

    // ---- helpers ----

    private static int freePort() {
        ServerSocket probe = NET.listen();
        int port = probe.getLocalPort();
        Loopback.close(probe);
        return port;
    }

    // ---- fixtures: run only through Fixtures.run ----

    @NoSocketLeaks
    static class ServerForgetsToClose {
        /** The port to listen on, any when 0. */
        static int port;
        static int lastPort;

        @Test
        void leaks() {
            leaksQuietly();
        }

        void leaksQuietly() {
            ServerSocket server = NET.listen(Loopback.IPV4, port, 50);
            port = 0;
            lastPort = server.getLocalPort();
            Socket client = NET.connect(lastPort);
            NET.accept(server); // the server's end is never closed
            Loopback.close(client);
            Loopback.close(server);
        }
    }

    @NoSocketLeaks
    static class ListenerNeverAccepts {
        static int port;

        @Test
        void leaks() throws Exception {
            ServerSocket server = NET.listen();
            port = server.getLocalPort();
            NET.connect(port).close();
        }
    }

    @NoSocketLeaks(settle = "60s")
    static class CleanServerAndClient {
        @Test
        void clean() throws Exception {
            Loopback.cleanRoundTrip();
        }
    }

    @NoSocketLeaks
    static class ClosesAfterTheTest {
        @Test
        void closesLate() throws Exception {
            ServerSocket server = NET.listen();
            Socket client = NET.connect(server.getLocalPort());
            Socket accepted = NET.accept(server);
            client.close();
            server.close();
            Fixtures.LATER.schedule(() -> Loopback.close(accepted), 200, TimeUnit.MILLISECONDS);
        }
    }

    @NoSocketLeaks(failOn = {TcpState.CLOSE_WAIT, TcpState.TIME_WAIT, TcpState.FIN_WAIT2})
    static class LeavesTimeWait {
        @Test
        void activeClose() throws Exception {
            try (ServerSocket server = new ServerSocket(0, 50, Loopback.IPV4)) {
                Socket client = new Socket(Loopback.IPV4, server.getLocalPort());
                Socket accepted = server.accept();
                client.close();               // the client closes first: it will sit in TIME-WAIT
                assertThat(accepted.getInputStream().read()).isEqualTo(-1);
                accepted.close();
            }
        }
    }

    @NoSocketLeaks
    static class FailsAndLeaks {
        @Test
        void fails() {
            ServerSocket server = NET.listen();
            Socket client = NET.connect(server.getLocalPort());
            NET.accept(server);
            Loopback.close(client);
            throw new AssertionError("the test's own failure");
        }
    }

    @NoSocketLeaks(scope = NoSocketLeaks.Scope.CLASS)
    static class ClassScoped {
        static ServerSocket server;

        @BeforeAll
        static void startServer() {
            server = NET.listen();
        }

        @Test
        void leaks() {
            Socket client = NET.connect(server.getLocalPort());
            NET.accept(server);
            Loopback.close(client);
        }

        @Test
        void clean() throws Exception {
            try (Socket client = NET.connect(server.getLocalPort()); Socket accepted = NET.accept(server)) {
                assertThat(accepted.isConnected()).isTrue();
            }
        }
    }

    @NoSocketLeaks(mode = NoSocketLeaks.Mode.WARN)
    static class WarnsByAnnotation extends ServerForgetsToClose {
    }

    @NoSocketLeaks
    static class ClientLeftOpen {
        @Test
        void leaves() {
            ServerSocket server = NET.listen();
            NET.connect(server.getLocalPort());
            NET.accept(server);
        }
    }

    @NoSocketLeaks
    static class UsesProbe {
        @Test
        void probes(SocketProbe sockets) {
            ServerSocket server = NET.listen();
            assertThat(sockets.baseline().listener(server.getLocalPort())).isEmpty();
            assertThat(sockets.snapshot().listener(server.getLocalPort())).isPresent();
            assertThat(sockets.diff().opened()).anySatisfy(t -> assertThat(t.local()).isEqualTo(server.getLocalSocketAddress()));
            assertThat(sockets.counterChanges().listenOverflows()).isGreaterThanOrEqualTo(0);
            Loopback.close(server);
        }
    }

    static class RegisteredExtension {
        @RegisterExtension
        static SocketLeakExtension sockets = SocketLeakExtension.builder()
                .failOn(TcpState.ESTABLISHED)
                .settle(Duration.ofMillis(100))
                .build();

        @Test
        void leavesAConnectionOpen() {
            ServerSocket server = NET.listen();
            NET.connect(server.getLocalPort());
            NET.accept(server);
        }
    }

    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @NoSocketLeaks(settle = "100ms")
    @interface IntegrationTest {
    }

    @IntegrationTest
    static class MetaAnnotated {
        @Test
        void leaks() {
            new ServerForgetsToClose().leaksQuietly();
        }

        @Nested
        class Inner {
            @Test
            void leaksToo() {
                new ServerForgetsToClose().leaksQuietly();
            }
        }
    }

    static class UnsupportedPlatform {
        @RegisterExtension
        static SocketLeakExtension sockets = new SocketLeakExtension(
                io.github.sockleak.junit.internal.SettingsOverride.NONE, () -> false);

        @Test
        void runs() {
            assertThat(sockets).isNotNull();
        }
    }

    @NoSocketLeaks
    static class ManyCleanTests {
        @org.junit.jupiter.api.RepeatedTest(200)
        void clean() throws Exception {
            try (ServerSocket server = new ServerSocket(0, 50, Loopback.IPV4);
                 Socket client = new Socket(Loopback.IPV4, server.getLocalPort());
                 Socket accepted = server.accept()) {
                accepted.getOutputStream().write(7);
                assertThat(client.getInputStream().read()).isEqualTo(7);
            }
        }
    }
}
