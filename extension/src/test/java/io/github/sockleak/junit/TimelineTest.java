package io.github.sockleak.junit;

import static io.github.sockleak.junit.Fixtures.NET;
import static io.github.sockleak.junit.Fixtures.failures;
import static io.github.sockleak.junit.Fixtures.onlyFailure;
import static io.github.sockleak.junit.Fixtures.reports;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.internal.netlink.NetlinkSupport;
import io.github.sockleak.testing.Loopback;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

@DisplayName("Timelines: a line of history under each leak, and a page for a recorded test")
class TimelineTest {

    /** {@code ESTAB 0-12 ms -> CLOSE-WAIT 12 ms-end (test ended at 15 ms, settled 1,000 ms)}, the ESTAB span optional. */
    private static final String CLOSE_WAIT_HISTORY = "    history: (ESTAB [\\d,]+-[\\d,]+ ms -> )?CLOSE-WAIT [\\d,]+ ms-end"
            + " \\(test ended at [\\d,]+ ms, settled [\\d,]+ ms\\)";
    private static final Pattern PAGE_LINE = Pattern.compile("^timeline: (.+\\.html)$", Pattern.MULTILINE);

    @TempDir
    Path pages;

    @AfterEach
    void closeFixtureSockets() {
        Fixtures.closeAll();
    }

    @Test
    @DisplayName("a CLOSE-WAIT leak: the socket's history under its row, then the page's path, and the page exists")
    void closeWaitLeak() {
        Throwable failure = onlyFailure(run(LeaksCloseWait.class).testEvents());

        assertThat(failure).isInstanceOf(SocketLeakError.class);
        String[] lines = failure.getMessage().split("\\R");
        int row = indexOf(lines, line -> line.startsWith("CLOSE-WAIT") && line.contains(":" + LeaksCloseWait.serverPort + " "));
        assertThat(lines[row + 1]).as("the line under the leaked row").matches(CLOSE_WAIT_HISTORY);
        assertThat(((SocketLeakError) failure).leakedSockets()).as("the values are kept").hasSize(1);
        Path page = pageOf(failure);
        assertThat(page).startsWith(pages).exists();
        assertThat(page.toString()).contains(fileSafe(LeaksCloseWait.class.getName())).contains("leaks");
    }

    @Test
    @DisplayName("an accept-queue leak: the queue's depth over time under the queue's line")
    void acceptQueueLeak() {
        Throwable failure = onlyFailure(run(LeavesAcceptQueue.class).testEvents());

        String[] lines = failure.getMessage().split("\\R");
        int queue = indexOf(lines, line -> line.startsWith("accept queue of 127.0.0.1:" + LeavesAcceptQueue.port + ":"));
        // The client may connect before the recorder's next sample: the listener is then first seen with its queue.
        assertThat(lines[queue + 1]).matches("    history: depth \\d( \\([\\d,]+ ms\\))?( -> \\d \\([\\d,]+ ms\\))*"
                + " \\(test ended at [\\d,]+ ms, settled [\\d,]+ ms\\)");
        assertThat(pageOf(failure)).exists();
    }

    @Test
    @DisplayName("onFailure: a clean test passes, writes no page and reports nothing")
    void cleanTestWritesNothing() throws IOException {
        EngineExecutionResults results = run(Clean.class);

        results.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));
        assertThat(reports(results)).isEmpty();
        assertThat(filesUnder(pages)).isEmpty();
    }

    @Test
    @DisplayName("always: a clean test gets a page too, and still passes quietly")
    void alwaysKeepsCleanTests() throws IOException {
        EngineExecutionResults results = run(Clean.class, NoSocketLeaks.TIMELINE_PROPERTY_NAME, "always");

        results.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));
        assertThat(reports(results)).isEmpty();
        assertThat(filesUnder(pages)).anyMatch(file -> file.toString().contains(fileSafe(Clean.class.getName()))
                && file.getFileName().toString().startsWith("clean_"));
    }

    @Test
    @DisplayName("@NoSocketLeaks(timeline = \"always\", timelineInterval = \"20ms\") wins over the configuration")
    void annotationAttributes() throws IOException {
        run(AlwaysByAnnotation.class, NoSocketLeaks.TIMELINE_PROPERTY_NAME, "off").testEvents()
                .assertStatistics(stats -> stats.succeeded(1).failed(0));

        assertThat(filesUnder(pages)).anyMatch(file -> file.toString().contains(fileSafe(AlwaysByAnnotation.class.getName())));
    }

    /** A name as the pages' file names keep it: letters, digits, dots, dashes and underscores. */
    private static String fileSafe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    @Test
    @DisplayName("by default: recorded where checks read netlink, not on /proc, whose every sample reads the whole table")
    void defaultFollowsTheSource() throws IOException {
        Throwable failure = onlyFailure(Fixtures.run(List.of(LeaksCloseWait.class),
                NoSocketLeaks.TIMELINE_DIRECTORY_PROPERTY_NAME, pages.toString()).testEvents());

        if (NetlinkSupport.availability().isAvailable()) {
            assertThat(failure.getMessage()).contains("    history: ").contains("timeline: ");
        } else {
            assertThat(failure.getMessage()).doesNotContain("history:").doesNotContain("timeline:");
            assertThat(filesUnder(pages)).isEmpty();
        }
    }

    @Test
    @DisplayName("off: no history line, no page")
    void off() throws IOException {
        Throwable failure = onlyFailure(run(LeaksCloseWait.class, NoSocketLeaks.TIMELINE_PROPERTY_NAME, "off").testEvents());

        assertThat(failure.getMessage()).doesNotContain("history:").doesNotContain("timeline:");
        assertThat(filesUnder(pages)).isEmpty();
    }

    @Test
    @DisplayName("a test that failed by itself, without a leak: its page is named in a report entry")
    void ownFailureKeepsItsTimeline() {
        EngineExecutionResults results = run(FailsCleanly.class);

        assertThat(onlyFailure(results.testEvents())).hasMessage("the test's own failure");
        assertThat(reports(results)).singleElement().asString()
                .startsWith("sockleak: the timeline of TimelineTest.FailsCleanly.fails(): " + pages);
    }

    @Test
    @DisplayName("a page that cannot be written becomes a note; the leak report is whole")
    void pageFailureIsANote() throws IOException {
        Path notAFolder = Files.writeString(pages.resolve("a-file"), "not a folder");
        EngineExecutionResults results = Fixtures.run(LeaksCloseWait.class, NoSocketLeaks.TIMELINE_PROPERTY_NAME, "onFailure",
                NoSocketLeaks.TIMELINE_DIRECTORY_PROPERTY_NAME, notAFolder.toString());

        Throwable failure = onlyFailure(results.testEvents());
        assertThat(failure).isInstanceOf(SocketLeakError.class);
        assertThat(failure.getMessage()).contains("leaked 1 socket in CLOSE-WAIT").containsPattern(CLOSE_WAIT_HISTORY)
                .doesNotContain("timeline:");
        assertThat(reports(results)).singleElement().asString()
                .startsWith("sockleak: could not write the timeline page of TimelineTest.LeaksCloseWait.leaks()");
    }

    @Test
    @DisplayName("in parallel, each test records its own timeline: each leak has its history and its own page")
    void parallelLeaks() {
        List<Throwable> failures = failures(run(List.of(LeaksCloseWait.class, LeavesAcceptQueue.class), Fixtures.PARALLEL).testEvents());

        // Without the agent each test may also be blamed for the other's leak; each still has its own page.
        assertThat(failures).hasSize(2).allSatisfy(failure -> {
            assertThat(failure.getMessage()).contains("    history: ");
            assertThat(pageOf(failure)).exists();
        });
        assertThat(failures.stream().map(TimelineTest::pageOf).distinct()).hasSize(2);
    }

    @Test
    @DisplayName("in parallel, onFailure: clean tests pass and write no page")
    void parallelClean() throws IOException {
        EngineExecutionResults results = run(List.of(Clean.class, AlsoClean.class), Fixtures.PARALLEL);

        results.testEvents().assertStatistics(stats -> stats.succeeded(2).failed(0));
        assertThat(filesUnder(pages)).isEmpty();
    }

    @Test
    @DisplayName("a bad value names the key and what is allowed")
    void badValues() {
        assertThat(onlyFailure(run(Clean.class, NoSocketLeaks.TIMELINE_PROPERTY_NAME, "sometimes").containerEvents()))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("sockleak.timeline").hasMessageContaining("off, onFailure, always");
        assertThat(onlyFailure(run(Clean.class, NoSocketLeaks.TIMELINE_INTERVAL_PROPERTY_NAME, "0ms").containerEvents()))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("sockleak.timelineInterval").hasMessageContaining("at least 1ms");
    }

    private EngineExecutionResults run(Class<?> fixture, String... configuration) {
        return run(List.of(fixture), configuration);
    }

    /**
     * The fixtures run with their pages written to this test's folder, and recorded {@code onFailure} unless the
     * configuration says otherwise: on {@code /proc} the default is off.
     */
    private EngineExecutionResults run(List<Class<?>> fixtures, String... configuration) {
        List<String> all = new ArrayList<>(List.of(configuration));
        if (!all.contains(NoSocketLeaks.TIMELINE_PROPERTY_NAME)) {
            all.addAll(List.of(NoSocketLeaks.TIMELINE_PROPERTY_NAME, "onFailure"));
        }
        all.addAll(List.of(NoSocketLeaks.TIMELINE_DIRECTORY_PROPERTY_NAME, pages.toString()));
        return Fixtures.run(fixtures, all.toArray(String[]::new));
    }

    private static Path pageOf(Throwable failure) {
        Matcher matcher = PAGE_LINE.matcher(failure.getMessage());
        assertThat(matcher.find()).as("a timeline line in:%n%s", failure.getMessage()).isTrue();
        return Path.of(matcher.group(1));
    }

    private static int indexOf(String[] lines, Predicate<String> wanted) {
        for (int i = 0; i < lines.length; i++) {
            if (wanted.test(lines[i])) {
                return i;
            }
        }
        throw new AssertionError("no such line in:\n" + String.join("\n", lines));
    }

    private static List<Path> filesUnder(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).collect(Collectors.toList());
        }
    }

    @NoSocketLeaks(settle = "200ms")
    static class LeaksCloseWait {
        static int serverPort;

        @Test
        void leaks() {
            ServerSocket server = NET.listen();
            serverPort = server.getLocalPort();
            Socket client = NET.connect(serverPort);
            NET.accept(server); // never closed: CLOSE-WAIT once the client closes
            Loopback.close(client);
        }
    }

    @NoSocketLeaks(settle = "200ms")
    static class LeavesAcceptQueue {
        static int port;

        @Test
        void leaks() {
            ServerSocket server = NET.listen();
            port = server.getLocalPort();
            NET.connect(port); // never accepted
        }
    }

    @NoSocketLeaks
    static class Clean {
        @Test
        void clean() throws IOException {
            Loopback.cleanRoundTrip();
        }
    }

    @NoSocketLeaks(timeline = "always", timelineInterval = "20ms")
    static class AlwaysByAnnotation {
        @Test
        void clean() throws IOException {
            Loopback.cleanRoundTrip();
        }
    }

    @NoSocketLeaks
    static class AlsoClean {
        @Test
        void clean() throws IOException {
            Loopback.cleanRoundTrip();
        }
    }

    @NoSocketLeaks
    static class FailsCleanly {
        @Test
        void fails() {
            throw new AssertionError("the test's own failure");
        }
    }
}
