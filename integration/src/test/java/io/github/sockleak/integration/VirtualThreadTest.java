package io.github.sockleak.integration;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.sockleak.junit.NoSocketLeaks;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/** A client that connects on a virtual thread, one per task, from an executor the three classes share. */
@DisplayName("Virtual threads (JDK 25): the class whose virtual thread leaked fails, the two beside it pass")
class VirtualThreadTest {

    private static ClosingServer server;
    private static ExecutorService perTask;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Runtime.version().feature() >= 25, "the virtual-thread fixtures run on JDK 25");
        server = ClosingServer.tcp();
        // Reflection: this module compiles for JDK 17.
        perTask = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (perTask != null) {
            perTask.shutdownNow();
            server.close();
        }
    }

    @Test
    @DisplayName("blames the leaky class in every run")
    void onlyTheLeakyClassFails() {
        ParallelRun.expectOnlyLeakyFails(Leaky.class, Clean.class, CleanToo.class, "VirtualThreadTest.Leaky.leaks()", report -> { });
    }

    private static Socket connectOnVirtualThread() throws Exception {
        return perTask.submit(() -> RawClient.connect(server.port())).get(Rendezvous.DEADLINE_SECONDS, TimeUnit.SECONDS);
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
                RawClient.leak(rendezvous, connectOnVirtualThread());
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
            connectOnVirtualThread().close();
            Rendezvous.current.awaitLeak();
        }
    }

    @NoSocketLeaks
    @Execution(ExecutionMode.CONCURRENT)
    static class CleanToo {
        @Test
        void closesItsSocket() throws Exception {
            Rendezvous.current.awaitPartners();
            connectOnVirtualThread().close();
            Rendezvous.current.awaitLeak();
        }
    }
}
