package io.github.sockleak.benchmarks;

import io.github.sockleak.junit.NoSocketLeaks;
import org.junit.jupiter.api.RepeatedTest;

/** Empty tests, timed by {@link PerTestCheck}: with the leak check, and without it for JUnit's own cost. */
public final class CheckedTests {

    private CheckedTests() {
    }

    @NoSocketLeaks
    public static class WithCheck {
        @RepeatedTest(PerTestCheck.REPETITIONS)
        void nothing() {
        }
    }

    public static class WithoutCheck {
        @RepeatedTest(PerTestCheck.REPETITIONS)
        void nothing() {
        }
    }
}
