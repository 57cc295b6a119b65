package io.github.sockleak.junit;

import static io.github.sockleak.junit.Fixtures.onlyFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.TcpState;
import io.github.sockleak.testing.ExternalListener;
import io.github.sockleak.testing.Loopback;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The seed's leak seen by a check: a connection this JVM made to another process's server ({@code nc -l}, stopped
 * as with ^Z) waits in that server's accept queue. With the server's port watched, the report says as much as for
 * a listener of this process: the queue's line, the client's origin, and why such a connection stays.
 */
@DisplayName("A watched port of another process's listener: the report as for an own listener")
class OriginsOfWatchedListenerTest {

    private static final AgentLoading LOADING = AgentLoading.ofThisJvm();

    @Test
    @DisplayName("shows the accept queue, the client's origin and the explanation for a connection nc never accepted")
    void connectionQueuedOnAnotherProcess() {
        try (ExternalListener nc = ExternalListener.start()) {
            nc.stop();
            ConnectsToStoppedServer.server = nc.address();

            String report = onlyFailure(Fixtures.run(ConnectsToStoppedServer.class,
                    NoSocketLeaks.WATCH_PORTS_PROPERTY_NAME, Integer.toString(nc.port()),
                    NoSocketLeaks.SETTLE_PROPERTY_NAME, "200ms").testEvents()).getMessage();

            // nc's child: the whole 4-tuple, nc's end first.
            String child = "127\\.0\\.0\\.1:" + nc.port() + " +127\\.0\\.0\\.1:" + ConnectsToStoppedServer.client.getPort() + " ";
            assertThat(report).contains("leaked 1 socket in CLOSE-WAIT");
            assertThat(report.split("\\R")).as(report).anyMatch(line -> line.matches("CLOSE-WAIT .* " + child + "+OTHER_PROCESS .*"));
            assertThat(lineWith(report, "accept queue of 127.0.0.1:" + nc.port() + " "))
                    .as(report)
                    .startsWith("accept queue of 127.0.0.1:" + nc.port() + " (another process's): depth 1, backlog ")
                    .endsWith(", 1 queued (1 opened by this test, never accepted), 0 ghosts");
            assertThat(report).contains(System.lineSeparator()
                    + "Accept queue: the kernel completed the connection but the server never called accept().");
            if (!LOADING.recordsOrigins()) {
                assertThat(report).doesNotContain("opened at");
                return;
            }
            assertThat(report).doesNotContain("opened at: unknown");
            assertThat(firstFrameUnder(report, "never accepted; its client was opened at (connected in test "
                    + "OriginsOfWatchedListenerTest.ConnectsToStoppedServer.leaves()"))
                    .isEqualTo("at " + ConnectsToStoppedServer.class.getName() + ".leaves(OriginsOfWatchedListenerTest.java:"
                            + ConnectsToStoppedServer.connectLine + ")");
        }
    }

    private static String lineWith(String report, String part) {
        return Arrays.stream(report.split("\\R")).filter(line -> line.contains(part)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with '" + part + "' in:\n" + report));
    }

    /** The first "at ..." line after the first line that starts (after indentation) with {@code header}. */
    private static String firstFrameUnder(String report, String header) {
        List<String> lines = Arrays.asList(report.split("\\R"));
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).trim().startsWith(header)) {
                return lines.get(i + 1).trim();
            }
        }
        throw new AssertionError("no line starting with '" + header + "' followed by a frame in:\n" + report);
    }

    // ---- fixtures: run only through Fixtures.run ----

    /** Connects to the stopped server and closes: the server's child waits in its queue, in CLOSE-WAIT. */
    @NoSocketLeaks
    static class ConnectsToStoppedServer {
        static volatile InetSocketAddress server;
        static volatile InetSocketAddress client;
        static int connectLine;

        @Test
        void leaves() throws Exception {
            connectLine = OriginsTest.line(); Socket socket = new Socket(server.getAddress(), server.getPort());
            InetSocketAddress end = Loopback.localEnd(socket);
            client = end;
            socket.close();
            // The kernel's own pace: the child turns CLOSE-WAIT when the FIN arrives; wait for it on the whole 4-tuple.
            Loopback.awaitSnapshot("nc's child in CLOSE-WAIT", snapshot -> snapshot.all().stream()
                    .anyMatch(Loopback.fourTuple(server, end).and(row -> row.state() == TcpState.CLOSE_WAIT)));
        }
    }
}
