package io.github.sockleak.examples;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Runs a deliberately leaky test class through the JUnit Platform, as a build would, prints the failures a user
 * would see, and returns them, so the examples can show a red test while their own build stays green.
 */
final class Demonstrations {

    private Demonstrations() {
    }

    static List<Throwable> failuresOf(Class<?> leakyTestClass) {
        List<Throwable> failures = EngineTestKit.engine("junit-jupiter")
                .selectors(DiscoverySelectors.selectClass(leakyTestClass))
                .execute()
                .allEvents()
                .failed()
                .stream()
                .map(event -> event.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
                .collect(Collectors.toList());
        System.out.println("== what a user sees when " + leakyTestClass.getSimpleName() + " runs ==");
        if (failures.isEmpty()) {
            System.out.println("(passed)");
        }
        failures.forEach(failure -> System.out.println(failure.getClass().getSimpleName() + ": " + failure.getMessage()));
        System.out.println();
        return failures;
    }
}
