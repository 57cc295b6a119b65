package io.github.sockleak.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.SnapshotSource;
import io.github.sockleak.Sockets;
import io.github.sockleak.TcpCounters;
import io.github.sockleak.internal.Polling;
import io.github.sockleak.testing.Loopback;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;

@DisplayName("@NoSocketLeaks and a full accept queue")
class ListenOverflowTest {

    @AfterEach
    void closeFixtureSockets() throws IOException {
        for (SocketChannel client : OverflowsItsBacklog.CLIENTS) {
            client.close();
        }
        OverflowsItsBacklog.CLIENTS.clear();
        Fixtures.closeAll();
    }

    @Test
    @DisplayName("reports the test's listener dropping handshakes: per listener on netlink, from the namespace's counters on /proc")
    void reportsOverflow() {
        EngineExecutionResults results = Fixtures.run(OverflowsItsBacklog.class);

        results.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));
        assertThat(Fixtures.reports(results)).singleElement().satisfies(report -> {
            assertThat(report).contains("saw a listener's accept queue overflow");
            if (Sockets.snapshot().source() == SnapshotSource.NETLINK) {
                assertThat(report).containsPattern("Listener drops during the test: 127\\.0\\.0\\.1:"
                        + OverflowsItsBacklog.port + " \\+[1-9][0-9]* \\(backlog 1\\)");
            } else {
                assertThat(report).containsPattern("ListenOverflows \\+[1-9]").contains("whole network namespace");
            }
        });
    }

    @Test
    @DisplayName("without the origin agent too: /proc's counters are then read at the start of every check")
    void reportsOverflowWithoutAgent() {
        EngineExecutionResults results = Fixtures.run(OverflowsItsBacklog.class, NoSocketLeaks.ORIGINS_PROPERTY_NAME, "off");

        results.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));
        assertThat(Fixtures.reports(results)).singleElement().satisfies(report -> assertThat(report)
                .contains("saw a listener's accept queue overflow")
                .containsPattern(Sockets.snapshot().source() == SnapshotSource.NETLINK
                        ? "Listener drops during the test: 127\\.0\\.0\\.1:" + OverflowsItsBacklog.port + " \\+[1-9]"
                        : "ListenOverflows \\+[1-9]"));
    }

    @Test
    @DisplayName("says nothing of another process's listener overflowing during a clean test that holds no listener")
    void otherProcessOverflows() {
        EngineExecutionResults results = Fixtures.run(AnotherProcessOverflows.class);

        results.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));
        // Netlink asks this process's listeners only; /proc's namespace counters are not read at the end of a check
        // whose process opened no socket, since none of its listeners can have overflowed.
        assertThat(Fixtures.reports(results)).isEmpty();
    }

    @Test
    @DisplayName("fails on ListenOverflows when sockleak.listenOverflows=fail")
    void failsOnOverflowWhenConfigured() {
        EngineExecutionResults results = Fixtures.run(OverflowsItsBacklog.class, NoSocketLeaks.LISTEN_OVERFLOWS_PROPERTY_NAME, "fail");

        assertThat(results.testEvents().failed().stream()
                .map(event -> event.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow()))
                .singleElement()
                .isInstanceOf(SocketLeakError.class)
                .satisfies(error -> assertThat(error.getMessage()).containsPattern(
                        Sockets.snapshot().source() == SnapshotSource.NETLINK ? "Listener drops during the test: .* \\+[1-9]" : "ListenDrops \\+[1-9]"));
    }

    /** A listener of the test, still open when the check runs, overflowed by the test's own clients. */
    @NoSocketLeaks
    static class OverflowsItsBacklog {
        static final List<SocketChannel> CLIENTS = new ArrayList<>();
        static int port;

        @Test
        void burst() throws IOException {
            TcpCounters before = Sockets.counters();
            // backlog 1: the kernel queues two connections, then drops further handshakes.
            ServerSocket server = Fixtures.NET.listen(Loopback.IPV4, 1);
            port = server.getLocalPort();
            for (int i = 0; i < 4; i++) {
                SocketChannel client = SocketChannel.open();
                CLIENTS.add(client);
                client.configureBlocking(false);
                client.connect(new InetSocketAddress(Loopback.IPV4, port));
            }
            Polling.Result<TcpCounters> moved = Polling.until(() -> Sockets.counters().since(before),
                    change -> change.listenOverflows() > 0, Duration.ofSeconds(10));
            assertThat(moved.satisfied()).as("ListenOverflows moved: %s", moved.value()).isTrue();
            // Clean up all but the listener, which the check must still see: no client retries, nothing left queued.
            for (SocketChannel client : CLIENTS) {
                client.close();
            }
            int queued = Sockets.snapshot().listener(port).orElseThrow().acceptQueueDepth();
            for (int i = 0; i < queued; i++) {
                Loopback.close(Fixtures.NET.accept(server));
            }
        }
    }

    /** A clean test during which another process's listener overflows. */
    @NoSocketLeaks
    static class AnotherProcessOverflows {
        @Test
        void clean() throws Exception {
            TcpCounters before = Sockets.counters();
            Process server = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                    "-cp", System.getProperty("java.class.path"), OverflowingServer.class.getName())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                String ready = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                assertThat(ready).as("the other process's first line").startsWith("OVERFLOWING ");
                Polling.Result<TcpCounters> moved = Polling.until(() -> Sockets.counters().since(before),
                        change -> change.listenOverflows() > 0, Duration.ofSeconds(10));
                assertThat(moved.satisfied()).as("ListenOverflows moved: %s", moved.value()).isTrue();
            } finally {
                server.destroy(); // by its handle, that is by its PID
                assertThat(server.waitFor(10, TimeUnit.SECONDS)).as("the other process ended").isTrue();
            }
        }
    }
}
