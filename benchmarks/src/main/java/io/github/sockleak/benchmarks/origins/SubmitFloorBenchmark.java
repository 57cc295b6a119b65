package io.github.sockleak.benchmarks.origins;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * The least that carrying a mark with each task can cost while the task stays the object the application handed
 * over, without any agent: {@link SubmitBenchmark}'s batch on a {@code ThreadPoolExecutor} whose own hooks do the
 * carrying, with nothing but a thread-local and a map. "plain" is the same pool without the hooks' work. Whatever an
 * agent adds comes on top of this.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SubmitFloorBenchmark {

    private static final ThreadLocal<Object> CURRENT = new ThreadLocal<>();

    @Param({"plain", "carried"})
    public String carrying;

    private ThreadPoolExecutor executor;

    @Setup(Level.Trial)
    public void setUp() {
        CURRENT.set(new Object()); // a test's mark, current on the submitting thread
        executor = carrying.equals("carried") ? new CarryingPool() : new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        executor.shutdown();
        if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the pool did not end");
        }
        CURRENT.remove();
        if (executor instanceof CarryingPool && !((CarryingPool) executor).carriedAny) {
            throw new IllegalStateException("no task carried a mark: the figure is not carrying's");
        }
    }

    @Benchmark
    public long submitBatch() throws InterruptedException {
        return SubmitBenchmark.batch(executor);
    }

    /** Remembers the submitter's mark beside the task, makes it current around the task's run, and clears it after. */
    private static final class CarryingPool extends ThreadPoolExecutor {
        private final Map<Runnable, Object> carried = new ConcurrentHashMap<>();
        /** Read after the pool ended, which makes the workers' writes visible. */
        boolean carriedAny;

        CarryingPool() {
            super(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        }

        @Override
        public void execute(Runnable task) {
            Object mark = CURRENT.get();
            if (mark != null) {
                carried.put(task, mark);
            }
            super.execute(task);
        }

        @Override
        protected void beforeExecute(Thread worker, Runnable task) {
            Object mark = carried.remove(task);
            if (mark != null) {
                CURRENT.set(mark);
                carriedAny = true;
            }
        }

        @Override
        protected void afterExecute(Runnable task, Throwable failure) {
            CURRENT.set(null);
        }
    }
}
