package io.github.sockleak.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.Sockets;
import io.github.sockleak.TcpCounters;
import io.github.sockleak.internal.Polling;
import io.github.sockleak.testing.Loopback;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;

@DisplayName("@NoSocketLeaks and a full accept queue")
class ListenOverflowTest {

    @AfterEach
    void closeFixtureSockets() {
        Fixtures.closeAll();
    }

    @Test
    @DisplayName("reports ListenOverflows during the test, and says the counters are per network namespace")
    void reportsOverflow() {
        EngineExecutionResults results = Fixtures.run(OverflowsItsBacklog.class);

        results.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));
        List<String> reports = results.allEvents().reportingEntryPublished().stream()
                .map(event -> event.getRequiredPayload(ReportEntry.class).getKeyValuePairs().get("sockleak"))
                .collect(Collectors.toList());
        assertThat(reports).singleElement().satisfies(report -> assertThat(report)
                .contains("saw a listener's accept queue overflow")
                .containsPattern("ListenOverflows \\+[1-9]")
                .contains("whole network namespace"));
    }

    @Test
    @DisplayName("fails on ListenOverflows when sockleak.listenOverflows=fail")
    void failsOnOverflowWhenConfigured() {
        EngineExecutionResults results = Fixtures.run(OverflowsItsBacklog.class, NoSocketLeaks.LISTEN_OVERFLOWS_PROPERTY_NAME, "fail");

        assertThat(results.testEvents().failed().stream()
                .map(event -> event.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow()))
                .singleElement()
                .isInstanceOf(SocketLeakError.class)
                .satisfies(error -> assertThat(error.getMessage()).containsPattern("ListenDrops \\+[1-9]"));
    }

    @NoSocketLeaks
    static class OverflowsItsBacklog {
        @Test
        void burst() throws IOException {
            TcpCounters before = Sockets.counters();
            // backlog 1: the kernel queues two connections, then drops further handshakes.
            ServerSocket server = Fixtures.NET.listen(Loopback.IPV4, 1);
            List<SocketChannel> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    SocketChannel client = SocketChannel.open();
                    clients.add(client);
                    client.configureBlocking(false);
                    client.connect(new InetSocketAddress(Loopback.IPV4, server.getLocalPort()));
                }
                Polling.Result<TcpCounters> moved = Polling.until(() -> Sockets.counters().since(before),
                        change -> change.listenOverflows() > 0, Duration.ofSeconds(10));
                assertThat(moved.satisfied()).as("ListenOverflows moved: %s", moved.value()).isTrue();
            } finally {
                for (SocketChannel client : clients) {
                    client.close();
                }
                server.close();
            }
        }
    }
}
