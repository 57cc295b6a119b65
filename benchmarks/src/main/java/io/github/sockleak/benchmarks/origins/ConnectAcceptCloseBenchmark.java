package io.github.sockleak.benchmarks.origins;

import io.github.sockleak.junit.internal.origins.OriginAgent;
import io.github.sockleak.junit.internal.origins.Origins;
import io.github.sockleak.junit.internal.origins.OriginsStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
 * What the origin agent adds to one loopback connection: connect, accept, close both ends. Each fork is a fresh
 * JVM, so "none" never has the agent; "stacks" and "nostacks" install it by self-attach (the fork allows dynamic
 * agent loading, so JDK 21+ does not refuse) with and without stack capture ({@code sockleak.originStacks}).
 *
 * <p>{@code callerDepth} adds frames above the socket calls: a stack capture costs more the deeper the caller,
 * and a test running under JUnit and Surefire is about 80 frames deep.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-XX:+IgnoreUnrecognizedVMOptions", "-XX:+EnableDynamicAgentLoading"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ConnectAcceptCloseBenchmark {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Param({"none", "stacks", "nostacks"})
    public String agent;

    @Param({"0", "80"})
    public int callerDepth;

    private ServerSocket server;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        if (!agent.equals("none")) {
            OriginsStatus status = OriginAgent.ensureInstalled();
            if (!status.isActive()) {
                throw new IllegalStateException("the origin agent is not active: " + status);
            }
            Origins origins = OriginAgent.origins().orElseThrow();
            origins.recordStacks(agent.equals("stacks"));
        }
        server = new ServerSocket(0, 50, LOOPBACK);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        server.close();
    }

    @Benchmark
    public boolean connectAcceptClose() throws IOException {
        return deeper(callerDepth);
    }

    private boolean deeper(int frames) throws IOException {
        if (frames > 0) {
            return deeper(frames - 1);
        }
        try (Socket client = new Socket(LOOPBACK, server.getLocalPort()); Socket accepted = server.accept()) {
            return client.isConnected() && accepted.isConnected();
        }
    }
}
