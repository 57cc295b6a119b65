package io.github.sockleak.junit;

import static io.github.sockleak.junit.Fixtures.PARTNER_DEADLINE_SECONDS;
import static io.github.sockleak.junit.Fixtures.onlyFailure;
import static io.github.sockleak.junit.Fixtures.track;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.sockleak.internal.Polling;
import io.github.sockleak.junit.internal.origins.OriginAgent;
import io.github.sockleak.junit.internal.origins.Origins;
import io.github.sockleak.junit.internal.origins.OriginsAccess;
import io.github.sockleak.testing.Loopback;
import java.lang.reflect.Method;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.opentest4j.TestAbortedException;

/**
 * A task carries the mark of the test that submitted it to the pool thread that runs it: of three classes checked
 * side by side, the one whose task leaked on a shared pool fails, and the two beside it pass.
 */
@DisplayName("Origins across executors: the test that submitted a task owns the sockets it opens")
class OriginPropagationTest {

    private static final AgentLoading LOADING = AgentLoading.ofThisJvm();

    @AfterEach
    void closeFixtureSockets() {
        Fixtures.closeTracked();
    }

    @Test
    @DisplayName("blames the test whose task leaked on a ThreadPoolExecutor, whose thread another test started")
    void threadPoolExecutor() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor(task -> new Thread(task, "shared-pool"));
        try {
            expectOnlyLeakyFails(Scenario.on(task -> pool.submit(task).get(PARTNER_DEADLINE_SECONDS, TimeUnit.SECONDS)), "shared-pool");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("blames the test whose CompletableFuture stage leaked on the common pool")
    void commonPool() throws Exception {
        // The pool through an Executor of its own: CompletableFuture replaces the common pool itself by a thread per
        // task when the pool's parallelism is 1, as on a 2-core machine.
        Executor commonPool = ForkJoinPool.commonPool()::execute;
        expectOnlyLeakyFails(Scenario.on(task -> CompletableFuture.supplyAsync(() -> call(task), commonPool)
                .thenApplyAsync(result -> result, commonPool)
                .get(PARTNER_DEADLINE_SECONDS, TimeUnit.SECONDS)), "ForkJoinPool.commonPool-worker-");
    }

    @Test
    @DisplayName("blames the test whose task leaked on a fork/join pool it forked into")
    void forkJoinPool() throws Exception {
        ForkJoinPool pool = new ForkJoinPool(1);
        try {
            expectOnlyLeakyFails(Scenario.on(task -> pool.submit(() -> ForkJoinTask.adapt(task).fork().join())
                    .get(PARTNER_DEADLINE_SECONDS, TimeUnit.SECONDS)), "ForkJoinPool-");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("blames the test whose scheduled task leaked on a shared ScheduledExecutorService")
    void scheduledExecutor() throws Exception {
        ScheduledExecutorService pool = Executors.newSingleThreadScheduledExecutor(task -> new Thread(task, "shared-scheduler"));
        try {
            expectOnlyLeakyFails(Scenario.on(task -> pool.schedule(task, 1, TimeUnit.MILLISECONDS)
                    .get(PARTNER_DEADLINE_SECONDS, TimeUnit.SECONDS)), "shared-scheduler");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("blames the test whose task leaked after a delay on a fork/join pool (JDK 25+)")
    void forkJoinPoolSchedule() throws Exception {
        Method schedule;
        try {
            schedule = ForkJoinPool.class.getMethod("schedule", Callable.class, long.class, TimeUnit.class);
        } catch (NoSuchMethodException e) {
            throw new TestAbortedException("ForkJoinPool schedules tasks from JDK 25 on");
        }
        ForkJoinPool pool = new ForkJoinPool(1);
        try {
            // Reflection: this module compiles for JDK 17.
            expectOnlyLeakyFails(Scenario.on(task -> ((Future<?>) schedule.invoke(pool, task, 1L, TimeUnit.MILLISECONDS))
                    .get(PARTNER_DEADLINE_SECONDS, TimeUnit.SECONDS)), "ForkJoinPool-");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("blames the test whose virtual thread leaked (JDK 21+)")
    void virtualThreads() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads came with JDK 21");
        // Reflection: this module compiles for JDK 17.
        ExecutorService perTask = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        try {
            expectOnlyLeakyFails(Scenario.on(task -> perTask.submit(task).get(PARTNER_DEADLINE_SECONDS, TimeUnit.SECONDS)), "");
        } finally {
            perTask.shutdownNow();
        }
    }

    @Test
    @DisplayName("blames no test for a task submitted outside any test, though a checked test started the pool's thread")
    void submittedOutsideAnyTest() throws Exception {
        assumeTrue(LOADING.recordsOrigins(), "without the agent, parallel blame is the kernel's guess, and says so");
        OriginAgent.ensureInstalled(); // as the first check would, before the submitter thread exists
        ExecutorService pool = Executors.newSingleThreadExecutor(task -> new Thread(task, "shared-pool"));
        Scenario scenario = Scenario.ofTwo(task -> pool.submit(task).get(PARTNER_DEADLINE_SECONDS, TimeUnit.SECONDS));
        Scenario.current = scenario;
        AtomicReference<Throwable> submitterFailed = new AtomicReference<>();
        Thread submitter = new Thread(() -> {
            try {
                assertThat(scenario.poolWarm.await(PARTNER_DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
                scenario.leak();
            } catch (Throwable e) {
                submitterFailed.set(e);
            } finally {
                scenario.leakDone.countDown();
            }
        }, "outside-submitter");
        submitter.start(); // before the run: it carries no test's mark
        Origins origins = OriginAgent.origins().orElseThrow();
        int carriedBefore = OriginsAccess.carriedTasks(origins);
        EngineExecutionResults results;
        try {
            results = Fixtures.run(List.of(WarmsPool.class, Beside.class), Fixtures.PARALLEL);
            submitter.join(TimeUnit.SECONDS.toMillis(PARTNER_DEADLINE_SECONDS));
        } finally {
            pool.shutdownNow();
        }

        assertThat(submitterFailed.get()).isNull();
        results.testEvents().assertStatistics(stats -> stats.succeeded(2).failed(0));
        assertThat(Fixtures.reportsBesideNamespaceCounters(results)).isNotEmpty().allSatisfy(note -> assertThat(note)
                .contains("opened for no checked test")
                .contains("127.0.0.1:" + scenario.leakedPort + " ")
                .contains("connected outside any checked test, thread \"shared-pool\""));
        // Polled through collections: a task that a pool thread started before the agent was attached takes up
        // keeps its entry until the task is collected (here, the JDK's process reaper, when a check loads JNA).
        Polling.Result<Integer> carried = Polling.until(() -> {
            System.gc();
            return OriginsAccess.carriedTasks(origins);
        }, count -> count <= carriedBefore, Duration.ofSeconds(10));
        assertThat(carried.satisfied()).as("no mark kept for the tasks that ran: %s now, %s before", carried.value(), carriedBefore)
                .isTrue();
    }

    @Test
    @DisplayName("blames neither test for a task object that both handed to a pool before it ran")
    void oneTaskHandedOverByTwoTests() throws Exception {
        assumeTrue(LOADING.recordsOrigins(), "without the agent, parallel blame is the kernel's guess, and says so");
        ExecutorService pool = Executors.newSingleThreadExecutor(task -> new Thread(task, "shared-pool"));
        SameTask.reset(pool);
        EngineExecutionResults results;
        try {
            pool.execute(SameTask::awaitBothHandedOver); // holds the pool's thread until the task is queued twice
            results = Fixtures.run(List.of(SameTask.HandsOver.class, SameTask.HandsOverToo.class), Fixtures.PARALLEL);
        } finally {
            pool.shutdownNow();
        }

        results.testEvents().assertStatistics(stats -> stats.succeeded(2).failed(0));
        assertThat(Fixtures.reportsBesideNamespaceCounters(results)).isNotEmpty().allSatisfy(note -> assertThat(note)
                .contains("opened for no checked test")
                .contains("127.0.0.1:" + SameTask.scenario.leakedPort + " ")
                .contains("connected outside any checked test, thread \"shared-pool\""));
    }

    /**
     * Runs {@link Leaky}, {@link WarmsPool} and {@link Beside} side by side: {@code WarmsPool} runs a task on the pool
     * first (a pool thread it starts inherits its mark), then {@code Leaky} leaks on it.
     */
    private static void expectOnlyLeakyFails(Scenario scenario, String poolThread) {
        assumeTrue(LOADING.recordsOrigins(), "without the agent, parallel blame is the kernel's guess, and says so");
        Scenario.current = scenario;
        EngineExecutionResults results = Fixtures.run(List.of(Leaky.class, WarmsPool.class, Beside.class), Fixtures.PARALLEL);

        results.testEvents().assertStatistics(stats -> stats.succeeded(2).failed(1));
        Throwable failure = onlyFailure(results.testEvents());
        assertThat(failure).isInstanceOf(SocketLeakError.class);
        assertThat(failure.getMessage())
                .startsWith("sockleak: OriginPropagationTest.Leaky.leaks() leaked 1 socket")
                .contains("127.0.0.1:" + scenario.leakedPort + " ")
                .contains("opened at (connected in test OriginPropagationTest.Leaky.leaks(), thread \"" + poolThread)
                .doesNotContain("may be blamed for theirs");
        assertThat(Fixtures.reportsBesideNamespaceCounters(results)).as("notes: nothing unattributed").isEmpty();
    }

    /** Every fixture of the run is inside its check: their windows overlap. */
    private static void awaitPartners(Scenario scenario) throws Exception {
        scenario.allRunning.await(PARTNER_DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    private static <T> T call(Callable<T> task) {
        try {
            return task.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }


    /** How a scenario runs a task on its shared executor and waits for it. */
    @FunctionalInterface
    interface SharedExecutor {
        Object runAndWait(Callable<?> task) throws Exception;
    }

    /** One run of the three fixtures: the executor they share and the latches that line them up. */
    static final class Scenario {
        static volatile Scenario current;

        final SharedExecutor executor;
        final CyclicBarrier allRunning;
        final CountDownLatch poolWarm = new CountDownLatch(1);
        final CountDownLatch leakDone = new CountDownLatch(1);
        volatile int leakedPort;

        private Scenario(SharedExecutor executor, int fixtures) {
            this.executor = executor;
            this.allRunning = new CyclicBarrier(fixtures);
        }

        /** For the three fixtures. */
        static Scenario on(SharedExecutor executor) {
            return new Scenario(executor, 3);
        }

        /** For two fixtures, while the leak comes from a task submitted for neither. */
        static Scenario ofTwo(SharedExecutor executor) {
            return new Scenario(executor, 2);
        }

        /**
         * On the executor: connects to a loopback server that closes its end, and never closes the client, which
         * stays in CLOSE-WAIT.
         */
        void leak() throws Exception {
            executor.runAndWait(() -> {
                ServerSocket server = track(new ServerSocket(0, 50, Loopback.IPV4));
                Socket client = track(new Socket(Loopback.IPV4, server.getLocalPort()));
                server.accept().close();
                server.close();
                leakedPort = client.getLocalPort();
                return client;
            });
        }
    }

    /**
     * One {@code Runnable} object that two tests hand to the same pool, as a library hands over its shared worker loop:
     * its first run leaks.
     */
    static final class SameTask {
        static volatile ExecutorService pool;
        static volatile Scenario scenario;
        static volatile CountDownLatch handedOver;
        static final Runnable SHARED = SameTask::leakOnce;
        private static final AtomicBoolean LEAKED = new AtomicBoolean();

        private SameTask() {
        }

        static void reset(ExecutorService shared) {
            pool = shared;
            // The leak runs right on the pool's thread, in the shared task.
            scenario = Scenario.ofTwo(Callable::call);
            handedOver = new CountDownLatch(2);
            LEAKED.set(false);
        }

        static void awaitBothHandedOver() {
            try {
                handedOver.await(PARTNER_DEADLINE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void leakOnce() {
            if (LEAKED.compareAndSet(false, true)) {
                try {
                    scenario.leak();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    scenario.leakDone.countDown();
                }
            }
        }

        @NoSocketLeaks
        @Execution(ExecutionMode.CONCURRENT)
        static class HandsOver {
            @Test
            void clean() throws Exception {
                handOverAndAwaitTheLeak();
            }
        }

        @NoSocketLeaks
        @Execution(ExecutionMode.CONCURRENT)
        static class HandsOverToo {
            @Test
            void clean() throws Exception {
                handOverAndAwaitTheLeak();
            }
        }

        private static void handOverAndAwaitTheLeak() throws Exception {
            awaitPartners(scenario);
            pool.execute(SHARED);
            handedOver.countDown();
            assertThat(scenario.leakDone.await(PARTNER_DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
    }

    // ---- fixtures: run only through Fixtures.run ----

    @NoSocketLeaks
    @Execution(ExecutionMode.CONCURRENT)
    static class Leaky {
        @Test
        void leaks() throws Exception {
            Scenario scenario = Scenario.current;
            awaitPartners(scenario);
            try {
                assertThat(scenario.poolWarm.await(PARTNER_DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
                scenario.leak();
            } finally {
                scenario.leakDone.countDown();
            }
        }
    }

    @NoSocketLeaks
    @Execution(ExecutionMode.CONCURRENT)
    static class WarmsPool {
        @Test
        void clean() throws Exception {
            Scenario scenario = Scenario.current;
            awaitPartners(scenario);
            scenario.executor.runAndWait(() -> null);
            scenario.poolWarm.countDown();
            // Ends only once the leak exists: its check sees the leaked socket appear after its baseline.
            assertThat(scenario.leakDone.await(PARTNER_DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
    }

    @NoSocketLeaks
    @Execution(ExecutionMode.CONCURRENT)
    static class Beside {
        @Test
        void clean() throws Exception {
            Scenario scenario = Scenario.current;
            awaitPartners(scenario);
            assertThat(scenario.leakDone.await(PARTNER_DEADLINE_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
    }
}
