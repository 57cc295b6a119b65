package io.github.sockleak.benchmarks.origins;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The ways a recorder can capture its caller's stack, without sockets or the agent: a {@link Throwable}, which
 * the recorder uses (the JVM fills in its frames; they are turned into {@link StackTraceElement}s only for a
 * report), a {@link StackWalker} that stops after as many frames as a report keeps, and one that walks them
 * all. {@code callerDepth} frames sit above the capture, as a test's do under JUnit and Surefire (about 80).
 * Two captures per connection (its connect and its accept) set the floor of the origin agent's cost with stacks.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class StackCaptureBenchmark {

    /** What a report keeps of a stack ({@code CallerStack.MAX_FRAMES}), plus the frames of the socket call. */
    private static final int BOUNDED_FRAMES = 24;
    private static final StackWalker WALKER = StackWalker.getInstance();

    @Param({"throwable", "boundedWalk", "fullWalk"})
    public String capture;

    @Param({"0", "80"})
    public int callerDepth;

    @Benchmark
    public Object capture() {
        return deeper(callerDepth);
    }

    private Object deeper(int frames) {
        if (frames > 0) {
            return deeper(frames - 1);
        }
        switch (capture) {
            case "throwable":
                return new Throwable("socket opened");
            case "boundedWalk":
                return WALKER.walk(stack -> stack.limit(BOUNDED_FRAMES).toList());
            default:
                return WALKER.walk(stack -> stack.toList());
        }
    }
}
