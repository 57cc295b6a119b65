package io.github.sockleak.benchmarks.origins;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.sockleak.junit.internal.origins.OriginAgent;
import io.github.sockleak.junit.internal.origins.OriginsStatus;
import io.github.sockleak.junit.internal.origins.TestMarks;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * What the origin agent adds where tests live: a JDK {@code HttpClient} GET against a local {@code HttpServer}, a
 * new connection per request, from a caller as deep as a test under JUnit and Surefire. "none" never has the agent;
 * "installed" installs it without stacks and with no test's mark current, so only its advice in the JDK's sockets and
 * executors runs and finds nothing to do; "stacks" installs it with stack capture and keeps a test's mark current, so
 * the client's connection is recorded with its stack and every task the client hands to its executor carries the mark.
 *
 * <p>Each request asks for {@code Connection: close} (a header the client lets through only with
 * {@code jdk.httpclient.allowRestrictedHeaders}), so both ends close after the response. The server counts the
 * requests that arrived on the previous request's connection; the trial fails if there was one, since the figure
 * would then not be a connection's. The server sets {@code TCP_NODELAY} ({@code sun.net.httpserver.nodelay}):
 * without it a response can wait for the client's delayed acknowledgement, 40 ms here, which would bury the figure.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"-XX:+IgnoreUnrecognizedVMOptions", "-XX:+EnableDynamicAgentLoading",
        "-Djdk.httpclient.allowRestrictedHeaders=connection", "-Dsun.net.httpserver.nodelay=true"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class HttpGetBenchmark {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final byte[] BODY = "ok".getBytes(StandardCharsets.US_ASCII);
    /** About the frames between a test method and the bottom of its thread under JUnit and Surefire. */
    private static final int TEST_DEPTH = 80;

    @Param({"none", "installed", "stacks"})
    public String agent;

    private HttpServer server;
    private HttpClient client;
    private HttpRequest request;
    private TestMarks.Marking marking;
    private final AtomicInteger lastClientPort = new AtomicInteger();
    private final AtomicInteger reusedConnections = new AtomicInteger();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        if (!agent.equals("none")) {
            OriginsStatus status = OriginAgent.ensureInstalled();
            if (!status.isActive()) {
                throw new IllegalStateException("the origin agent is not active: " + status);
            }
            boolean stacks = agent.equals("stacks");
            OriginAgent.origins().orElseThrow().recordStacks(stacks);
            if (stacks) {
                marking = TestMarks.begin("HttpGetBenchmark.stacks()");
            }
        }
        // Created after the agent, so that their threads run the instrumented code.
        server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 50);
        server.createContext("/", this::respond);
        server.start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        request = HttpRequest.newBuilder(URI.create("http://" + LOOPBACK.getHostAddress() + ":"
                + server.getAddress().getPort() + "/")).header("Connection", "close").GET().build();
    }

    private void respond(HttpExchange exchange) throws IOException {
        int clientPort = exchange.getRemoteAddress().getPort();
        if (lastClientPort.getAndSet(clientPort) == clientPort) {
            reusedConnections.incrementAndGet();
        }
        exchange.sendResponseHeaders(200, BODY.length);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(BODY);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        server.stop(0);
        if (marking != null) {
            marking.end();
        }
        if (reusedConnections.get() > 0) {
            throw new IllegalStateException(reusedConnections.get() + " requests reused a connection: the figure is"
                    + " not a new connection's");
        }
    }

    @Benchmark
    public int get() throws IOException, InterruptedException {
        return atDepth(TEST_DEPTH);
    }

    private int atDepth(int frames) throws IOException, InterruptedException {
        if (frames > 0) {
            return atDepth(frames - 1);
        }
        return client.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
    }
}
