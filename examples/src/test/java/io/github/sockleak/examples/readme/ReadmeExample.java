package io.github.sockleak.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** The README's snippets, run: a front page whose examples do not work is worse than none. */
@DisplayName("The README's snippets")
class ReadmeExample {

    @Test
    @DisplayName("the first example passes under @NoSocketLeaks, backlog check included")
    void firstExample() {
        passes(ReadmeSnippets.OrderServiceIT.class, 1);
    }

    @Test
    @DisplayName("the per-class quick start passes")
    void perClass() {
        passes(ReadmeSnippets.OrderServiceSuiteIT.class, 2);
    }

    @Test
    @DisplayName("the builder quick start passes")
    void builder() {
        passes(ReadmeSnippets.OrderServiceBuilderIT.class, 1);
    }

    @Test
    @DisplayName("the model's calls run")
    void model() {
        ReadmeSnippets.model(io.github.sockleak.Sockets.snapshot());
    }

    @Test
    @DisplayName("the timelines snippet passes")
    void timelines() throws Exception {
        try (OrderService server = OrderService.start()) {
            ReadmeSnippets.timelines(server);
        }
    }

    @Test
    @DisplayName("the DSL tour passes")
    void dslTour() throws IOException {
        ReadmeSnippets.dslTour(OrderService.start());
    }

    private static void passes(Class<?> testClass, int tests) {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(DiscoverySelectors.selectClass(testClass))
                .execute();
        assertThat(results.allEvents().failed().stream()
                .map(event -> event.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow()))
                .as("failures of %s", testClass.getSimpleName())
                .isEmpty();
        assertThat(results.testEvents().succeeded().count()).isEqualTo(tests);
    }
}
