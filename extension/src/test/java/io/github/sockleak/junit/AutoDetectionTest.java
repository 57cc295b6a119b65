package io.github.sockleak.junit;

import static io.github.sockleak.junit.Fixtures.NET;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.testing.Loopback;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.Events;

@DisplayName("SocketLeakExtension through JUnit's extension auto-detection")
class AutoDetectionTest {

    private static final String AUTODETECTION = "junit.jupiter.extensions.autodetection.enabled";

    @AfterEach
    void closeFixtureSockets() {
        Fixtures.closeAll();
    }

    @Test
    @DisplayName("checks a test class that carries no annotation once auto-detection is on")
    void checksUnannotatedTests() {
        Events tests = Fixtures.run(Unannotated.class, AUTODETECTION, "true").testEvents();

        tests.assertStatistics(stats -> stats.failed(1));
        assertThat(tests.failed().stream()
                .map(event -> event.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow()))
                .singleElement()
                .isInstanceOf(SocketLeakError.class)
                .satisfies(leak -> assertThat(leak.getMessage()).contains("Unannotated.leaks()").contains("CLOSE-WAIT"));
    }

    @Test
    @DisplayName("leaves the same class alone without auto-detection")
    void silentWithoutAutodetection() {
        Fixtures.run(Unannotated.class).testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));
    }

    @Test
    @DisplayName("registers once when auto-detection meets @NoSocketLeaks")
    void annotationAndAutodetection() {
        Events tests = Fixtures.run(Annotated.class, AUTODETECTION, "true").testEvents();

        assertThat(tests.failed().stream()
                .map(event -> event.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow()))
                .singleElement()
                .satisfies(leak -> assertThat(leak.getSuppressed()).as("one check, not two").isEmpty());
    }

    static class Unannotated {
        @Test
        void leaks() {
            ServerSocket server = NET.listen();
            Socket client = NET.connect(server.getLocalPort());
            NET.accept(server);
            Loopback.close(client);
        }
    }

    @NoSocketLeaks(settle = "100ms")
    static class Annotated extends Unannotated {
    }
}
