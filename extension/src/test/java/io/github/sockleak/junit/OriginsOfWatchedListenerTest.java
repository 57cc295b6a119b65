package io.github.sockleak.junit;

import static io.github.sockleak.junit.Fixtures.onlyFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.TcpState;
import io.github.sockleak.testing.ExternalListener;
import io.github.sockleak.testing.Loopback;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
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

    @AfterEach
    void closeFixtureSockets() {
        Fixtures.closeTracked();
    }

    @Test
    @DisplayName("a closed client: the CLOSE-WAIT child's row, the accept queue, the client's origin, the explanation")
    void closedClientQueuedOnAnotherProcess() {
        try (ExternalListener nc = ExternalListener.start()) {
            String report = reportOf(ClosesClient.class, nc);

            // nc's child: the whole 4-tuple, nc's end first.
            String child = "127\\.0\\.0\\.1:" + nc.port() + " +127\\.0\\.0\\.1:" + client.getPort() + " ";
            assertThat(report).contains("leaked 1 socket in CLOSE-WAIT");
            assertThat(report.split("\\R")).as(report).anyMatch(line -> line.matches("CLOSE-WAIT .* " + child + "+OTHER_PROCESS .*"));
            assertQueueOriginAndExplanation(report, nc, "ClosesClient");
        }
    }

    @Test
    @DisplayName("nc on a port a checked test of this JVM listened on and closed: still nc's queue, not that test's listener")
    void portOnceListenedOnByAnotherTest() {
        try (ExternalListener nc = ncOnAPortJustListenedOn()) {
            String report = reportOf(ClosesClient.class, nc);

            assertThat(report).contains("leaked 1 socket in CLOSE-WAIT");
            assertQueueOriginAndExplanation(report, nc, "ClosesClient");
        }
    }

    @Test
    @DisplayName("a closed SocketChannel client: its origin too, though the channel reads as closed when its close is seen")
    void closedChannelClientQueuedOnAnotherProcess() {
        try (ExternalListener nc = ExternalListener.start()) {
            String report = reportOf(ClosesChannel.class, nc);

            assertThat(report).contains("leaked 1 socket in CLOSE-WAIT");
            assertQueueOriginAndExplanation(report, nc, "ClosesChannel");
        }
    }

    @Test
    @DisplayName("an open client: no failing row, but the accept queue with the client's origin under it, the explanation")
    void openClientQueuedOnAnotherProcess() {
        try (ExternalListener nc = ExternalListener.start()) {
            String report = reportOf(LeavesClientOpen.class, nc);

            assertThat(report).contains("left connections in an accept queue").doesNotContain("Local Address:Port");
            assertQueueOriginAndExplanation(report, nc, "LeavesClientOpen");
        }
    }

    @Test
    @DisplayName("on /proc: nc's backlog is unknown, and no agent is promised to know it: it sees this JVM's listen() only")
    void backlogOnProc() {
        try (ExternalListener nc = ExternalListener.start()) {
            String report = reportOf(LeavesClientOpen.class, nc, NoSocketLeaks.SOURCE_PROPERTY_NAME, "procfs");

            assertThat(report).contains("source PROCFS");
            assertThat(lineWith(report, "accept queue of 127.0.0.1:" + nc.port() + " ")).as(report)
                    .contains("(another process's): depth 1, backlog unknown (/proc cannot see it), 1 queued");
        }
    }

    /** nc on the port a checked fixture listened on and closed; again with another port if a socket took that one. */
    private static ExternalListener ncOnAPortJustListenedOn() {
        for (int attempt = 0; attempt < 5; attempt++) {
            Fixtures.run(ListensAndCloses.class).testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));
            Optional<ExternalListener> nc = ExternalListener.startOn(listenedPort);
            if (nc.isPresent()) {
                return nc.get();
            }
        }
        throw new IllegalStateException("no listener of another process on a port just closed here, in five attempts");
    }

    /** Runs {@code fixture} against the stopped {@code nc}, its port watched; its one failure's message. */
    private static String reportOf(Class<?> fixture, ExternalListener nc, String... configuration) {
        nc.stop();
        server = nc.address();
        List<String> parameters = new ArrayList<>(List.of(NoSocketLeaks.WATCH_PORTS_PROPERTY_NAME, Integer.toString(nc.port()),
                NoSocketLeaks.SETTLE_PROPERTY_NAME, "200ms"));
        parameters.addAll(List.of(configuration));
        String report = onlyFailure(Fixtures.run(fixture, parameters.toArray(String[]::new)).testEvents()).getMessage();
        System.out.println("== " + fixture.getSimpleName() + " against " + nc.command() + " ==" + System.lineSeparator() + report);
        return report;
    }

    private static void assertQueueOriginAndExplanation(String report, ExternalListener nc, String fixture) {
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
        assertThat(report).doesNotContain("opened at: unknown").doesNotContain("listener opened at");
        assertThat(occurrences(report, "its client was opened at")).as(report).isEqualTo(1);
        assertThat(firstFrameUnder(report, "never accepted; its client was opened at (connected in test "
                + "OriginsOfWatchedListenerTest." + fixture + ".connects()"))
                .isEqualTo("at " + OriginsOfWatchedListenerTest.class.getName() + "$" + fixture
                        + ".connects(OriginsOfWatchedListenerTest.java:" + connectLine + ")");
    }

    private static int occurrences(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
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

    /** nc's end, for the fixtures. */
    static volatile InetSocketAddress server;
    /** The client's end the fixture connected from. */
    static volatile InetSocketAddress client;
    static volatile int connectLine;

    static volatile int listenedPort;

    /** Listens on a free port of 127.0.0.1 and closes the listener: the agent remembers it, by its address, as closed lately. */
    @NoSocketLeaks
    static class ListensAndCloses {
        @Test
        void listens() throws Exception {
            try (ServerSocket listener = new ServerSocket(0, 1, Loopback.IPV4)) {
                listenedPort = listener.getLocalPort();
            }
        }
    }

    /** Connects to the stopped server and closes: the server's child waits in its queue, in CLOSE-WAIT. */
    @NoSocketLeaks
    static class ClosesClient {
        @Test
        void connects() throws Exception {
            connectLine = OriginsTest.line(); Socket socket = new Socket(server.getAddress(), server.getPort());
            client = Loopback.localEnd(socket);
            socket.close();
            awaitChildOfNc(TcpState.CLOSE_WAIT);
        }
    }

    /** As {@link ClosesClient}, through a {@code SocketChannel}, whose close the JDK begins by marking it closed. */
    @NoSocketLeaks
    static class ClosesChannel {
        @Test
        void connects() throws Exception {
            connectLine = OriginsTest.line(); SocketChannel channel = SocketChannel.open(server);
            client = (InetSocketAddress) channel.getLocalAddress();
            channel.close();
            awaitChildOfNc(TcpState.CLOSE_WAIT);
        }
    }

    /** Connects to the stopped server and keeps the client: the server's child waits in its queue, ESTABLISHED. */
    @NoSocketLeaks
    static class LeavesClientOpen {
        @Test
        void connects() throws Exception {
            connectLine = OriginsTest.line(); Socket socket = Fixtures.track(new Socket(server.getAddress(), server.getPort()));
            client = Loopback.localEnd(socket);
            awaitChildOfNc(TcpState.ESTABLISHED);
        }
    }

    /** The kernel's own pace: waits for nc's child, found by the whole 4-tuple, to reach {@code state}. */
    private static void awaitChildOfNc(TcpState state) {
        InetSocketAddress end = client;
        Loopback.awaitSnapshot("nc's child in " + state, snapshot -> snapshot.all().stream()
                .anyMatch(Loopback.fourTuple(server, end).and(row -> row.state() == state)));
    }
}
