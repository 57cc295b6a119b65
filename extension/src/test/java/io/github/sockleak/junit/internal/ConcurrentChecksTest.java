package io.github.sockleak.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

@DisplayName("Overlapping checks")
class ConcurrentChecksTest {

    @Test
    @DisplayName("a check that began and ended inside another's window overlapped it, both ways")
    void nested() {
        ConcurrentChecks outer = ConcurrentChecks.begin("outer");
        ConcurrentChecks inner = ConcurrentChecks.begin("inner");

        assertThat(inner.end()).containsExactly("outer");
        assertThat(outer.end()).containsExactly("inner");
    }

    @Test
    @DisplayName("checks one after the other did not overlap")
    void sequential() {
        assertThat(ConcurrentChecks.begin("first").end()).isEmpty();
        assertThat(ConcurrentChecks.begin("second").end()).isEmpty();
    }

    @RepeatedTest(20)
    @DisplayName("three checks begun together, each ended after all began, each overlapped the two others")
    void threeAtOnce() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            CyclicBarrier begun = new CyclicBarrier(3);
            List<Future<List<String>>> overlaps = IntStream.range(0, 3).mapToObj(i -> threads.submit(() -> {
                ConcurrentChecks check = ConcurrentChecks.begin("check " + i);
                begun.await(10, TimeUnit.SECONDS);
                return check.end();
            })).collect(Collectors.toList());

            for (Future<List<String>> overlap : overlaps) {
                assertThat(overlap.get(10, TimeUnit.SECONDS)).hasSize(2);
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
