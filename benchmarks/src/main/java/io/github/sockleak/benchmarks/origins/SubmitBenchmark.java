package io.github.sockleak.benchmarks.origins;

import io.github.sockleak.junit.internal.origins.OriginAgent;
import io.github.sockleak.junit.internal.origins.OriginsStatus;
import io.github.sockleak.junit.internal.origins.TestMarks;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What carrying a test's mark with each task costs a submit-heavy executor: a batch of empty tasks handed to a pool,
 * waited for together. "none" never has the agent; "agent" installs it by self-attach and submits outside any test
 * (nothing to carry); "marked" submits while a test's mark is current, so every task carries it to its worker.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-XX:+IgnoreUnrecognizedVMOptions", "-XX:+EnableDynamicAgentLoading"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SubmitBenchmark {

    private static final int BATCH = 1_000;

    @Param({"none", "agent", "marked"})
    public String propagation;

    @Param({"threadPool", "forkJoin"})
    public String pool;

    private ExecutorService executor;
    private TestMarks.Marking marking;

    @Setup(Level.Trial)
    public void setUp() {
        if (!propagation.equals("none")) {
            OriginsStatus status = OriginAgent.ensureInstalled();
            if (!status.isActive()) {
                throw new IllegalStateException("the origin agent is not active: " + status);
            }
        }
        if (propagation.equals("marked")) {
            marking = TestMarks.begin("SubmitBenchmark.marked()");
        }
        // Created after the agent, so that its workers run the instrumented loop.
        executor = pool.equals("threadPool")
                ? new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>())
                : new ForkJoinPool(2);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        executor.shutdownNow();
        if (marking != null) {
            marking.end();
        }
    }

    @Benchmark
    public long submitBatch() throws InterruptedException {
        return batch(executor);
    }

    /** Hands {@code executor} a batch of empty tasks and waits for them all: the work both submit benchmarks time. */
    static long batch(Executor executor) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(BATCH);
        for (int i = 0; i < BATCH; i++) {
            executor.execute(done::countDown);
        }
        done.await();
        return done.getCount();
    }
}
