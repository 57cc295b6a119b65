package io.github.sockleak.junit;

import static io.github.sockleak.junit.Fixtures.onlyFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.sockleak.junit.legacy.LegacyClient;
import io.github.sockleak.testing.Loopback;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** {@code ignoreOpenedBy}: a leak opened through code a team cannot fix is reported in one line and fails nothing. */
class IgnoreOpenedByTest {

    private static final AgentLoading LOADING = AgentLoading.ofThisJvm();
    private static final String LEGACY = "io.github.sockleak.junit.legacy";

    @AfterEach
    void closeFixtureSockets() {
        Fixtures.closeTracked();
    }

    @Test
    @DisplayName("lets a leak opened through a named package pass, in one line that names it; the same leak unnamed fails")
    void ignoredAndNot() {
        assumeTrue(LOADING.recordsOrigins(), "origins are not recorded in this JVM");

        EngineExecutionResults ignored = Fixtures.run(LeaksThroughLegacy.class, NoSocketLeaks.IGNORE_OPENED_BY_PROPERTY_NAME, LEGACY);
        ignored.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));
        assertThat(Fixtures.reports(ignored)).singleElement().asString()
                .startsWith("sockleak: IgnoreOpenedByTest.LeaksThroughLegacy.leaks() left 1 leak that ignoreOpenedBy lets pass")
                .contains("CLOSE-WAIT").contains("(opened through " + LEGACY + ")");

        String report = onlyFailure(Fixtures.run(LeaksThroughLegacy.class).testEvents()).getMessage();
        assertThat(report).contains("leaked 1 socket in CLOSE-WAIT").contains("at " + LegacyClient.class.getName() + ".connect(");
    }

    @Test
    @DisplayName("takes the names from the annotation too, and matches a class and its nested classes, not a longer name")
    void annotationAndClassNames() {
        assumeTrue(LOADING.recordsOrigins(), "origins are not recorded in this JVM");

        Fixtures.run(AnnotatedWithTheClass.class).testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));
        assertThat(onlyFailure(Fixtures.run(AnnotatedWithALongerName.class).testEvents()).getMessage())
                .contains("leaked 1 socket in CLOSE-WAIT");
    }

    @Test
    @DisplayName("without the agent's stacks lets nothing pass, and says so once")
    void withoutStacks() {
        String[] noOrigins = {NoSocketLeaks.IGNORE_OPENED_BY_PROPERTY_NAME, LEGACY, NoSocketLeaks.ORIGINS_PROPERTY_NAME, "off"};

        EngineExecutionResults first = Fixtures.run(LeaksThroughLegacy.class, noOrigins);
        EngineExecutionResults second = Fixtures.run(LeaksThroughLegacy.class, noOrigins);

        assertThat(onlyFailure(first.testEvents()).getMessage()).contains("leaked 1 socket in CLOSE-WAIT");
        assertThat(onlyFailure(second.testEvents()).getMessage()).contains("leaked 1 socket in CLOSE-WAIT");
        List<String> told = new ArrayList<>(Fixtures.reports(first));
        told.addAll(Fixtures.reports(second));
        assertThat(told).filteredOn(report -> report.contains("ignoreOpenedBy")).singleElement().asString()
                .isEqualTo("sockleak: ignoreOpenedBy (" + LEGACY + ") cannot let any leak pass: it needs the stacks the"
                        + " origin agent records to see which code opened a socket, and the agent is not recording in this"
                        + " JVM. Every leak fails as usual.");
    }

    /** A client socket opened through {@link LegacyClient} and never closed; the server closes its end. */
    static void leakThroughLegacy() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, Loopback.IPV4)) {
            Fixtures.track(LegacyClient.connect(Loopback.IPV4, server.getLocalPort()));
            server.accept().close();
        }
    }

    @NoSocketLeaks
    static class LeaksThroughLegacy {
        @Test
        void leaks() throws IOException {
            leakThroughLegacy();
        }
    }

    @NoSocketLeaks(ignoreOpenedBy = "io.github.sockleak.junit.legacy.LegacyClient")
    static class AnnotatedWithTheClass {
        @Test
        void leaks() throws IOException {
            leakThroughLegacy();
        }
    }

    @NoSocketLeaks(ignoreOpenedBy = "io.github.sockleak.junit.legacy.Legacy")
    static class AnnotatedWithALongerName {
        @Test
        void leaks() throws IOException {
            leakThroughLegacy();
        }
    }
}
