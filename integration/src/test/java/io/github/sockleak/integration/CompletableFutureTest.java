package io.github.sockleak.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.junit.NoSocketLeaks;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A client that connects in {@code CompletableFuture.supplyAsync} with the default executor: the common pool, or a
 * new thread per task where the pool's parallelism is 1 (two cores or fewer), as each machine has it.
 */
@DisplayName("CompletableFuture.supplyAsync: the class whose async connect leaked fails, the two beside it pass")
class CompletableFutureTest {

    private static ClosingServer server;

    @BeforeAll
    static void start() {
        server = ClosingServer.tcp();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    @DisplayName("blames the leaky class in every run")
    void onlyTheLeakyClassFails() {
        boolean commonPool = ForkJoinPool.getCommonPoolParallelism() > 1;
        ParallelRun.expectOnlyLeakyFails(Leaky.class, Clean.class, CleanToo.class, "CompletableFutureTest.Leaky.leaks()",
                report -> {
                    if (commonPool) {
                        assertThat(report).contains("submitted at (thread ")
                                .contains("at " + Leaky.class.getName() + ".leaks(CompletableFutureTest.java:");
                    }
                });
    }

    private static Socket connectAsync() throws Exception {
        return CompletableFuture.supplyAsync(() -> RawClient.connect(server.port())).get(Rendezvous.DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    // ---- fixtures: run only through ParallelRun ----

    @NoSocketLeaks
    @Execution(ExecutionMode.CONCURRENT)
    static class Leaky {
        @Test
        void leaks() throws Exception {
            Rendezvous rendezvous = Rendezvous.current;
            rendezvous.awaitPartners();
            try {
                RawClient.leak(rendezvous, connectAsync());
            } finally {
                rendezvous.leakDone();
            }
        }
    }

    @NoSocketLeaks
    @Execution(ExecutionMode.CONCURRENT)
    static class Clean {
        @Test
        void closesItsSocket() throws Exception {
            Rendezvous.current.awaitPartners();
            connectAsync().close();
            Rendezvous.current.awaitLeak();
        }
    }

    @NoSocketLeaks
    @Execution(ExecutionMode.CONCURRENT)
    static class CleanToo {
        @Test
        void closesItsSocket() throws Exception {
            Rendezvous.current.awaitPartners();
            connectAsync().close();
            Rendezvous.current.awaitLeak();
        }
    }
}
