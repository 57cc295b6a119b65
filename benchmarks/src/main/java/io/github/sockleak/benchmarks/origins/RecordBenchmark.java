package io.github.sockleak.benchmarks.origins;

import io.github.sockleak.junit.internal.bootstrap.SocketEvents;
import io.github.sockleak.junit.internal.origins.OriginAgent;
import io.github.sockleak.junit.internal.origins.OriginsStatus;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The agent's own work for one connection, without the sockets: the events that {@link ConnectAcceptCloseBenchmark}
 * causes (a connect, an accept, two closes) sent straight to the recorder. Without the system calls, which take
 * most of a loopback connection's time and slow down whenever the machine is busy, its scores vary far less: it
 * tells which of two recorders is cheaper, and the loopback benchmark what share of a connection that is.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 3, jvmArgsAppend = {"-XX:+IgnoreUnrecognizedVMOptions", "-XX:+EnableDynamicAgentLoading"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RecordBenchmark {

    @Param({"true", "false"})
    public boolean stacks;

    @Param({"0", "80"})
    public int callerDepth;

    @Setup(Level.Trial)
    public void setUp() {
        OriginsStatus status = OriginAgent.ensureInstalled();
        if (!status.isActive()) {
            throw new IllegalStateException("the origin agent is not active: " + status);
        }
        // Resolved only now, after installation: the copy the recorder listens on is the bootstrap loader's.
        if (SocketEvents.class.getClassLoader() != null || !SocketEvents.isListening()) {
            throw new IllegalStateException("this benchmark would call a copy of SocketEvents that no recorder listens on");
        }
        OriginAgent.origins().orElseThrow().recordStacks(stacks);
    }

    @Benchmark
    public Object connectAcceptCloseEvents() {
        return deeper(callerDepth);
    }

    private Object deeper(int frames) {
        if (frames > 0) {
            return deeper(frames - 1);
        }
        Object client = new Object();
        Object accepted = new Object();
        SocketEvents.opened(client, SocketEvents.CONNECTED, null, 0);
        SocketEvents.opened(accepted, SocketEvents.ACCEPTED, null, 0);
        SocketEvents.closed(client);
        SocketEvents.closed(accepted);
        return accepted;
    }
}
