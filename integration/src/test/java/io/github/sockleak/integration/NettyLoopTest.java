package io.github.sockleak.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.Sockets;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.TcpState;
import io.github.sockleak.internal.Polling;
import io.github.sockleak.junit.NoSocketLeaks;
import io.github.sockleak.testing.Loopback;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * A Netty server that opens a backend connection from a handler, as a proxy does: the handler runs on the event loop
 * between tasks, on a thread that inherited the mark of the test that started the loop. The connection is not that
 * test's: it follows from a client another test connected. With both tests running, nothing tells whose it is, so it
 * is reported as nobody's, and the test that started the loop must not fail for it.
 */
@DisplayName("Netty: an event loop's own I/O works for no test, whichever test started its thread")
class NettyLoopTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private static ClosingServer backend;
    private static EventLoopGroup group;
    private static Channel proxy;
    private static final AtomicReference<Socket> backendConnection = new AtomicReference<>();
    private static final CountDownLatch BOUND = new CountDownLatch(1);
    private static final CountDownLatch LEAKED = new CountDownLatch(1);

    @Test
    @DisplayName("a connection a handler opens is not blamed on the test that started the loop, but reported as nobody's")
    void handlerConnectionNotBlamedOnTheStarter() throws Exception {
        backend = ClosingServer.tcp();
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                    .selectors(DiscoverySelectors.selectClass(StartsTheLoop.class),
                            DiscoverySelectors.selectClass(ConnectsThroughTheProxy.class))
                    .configurationParameters(Map.of(
                            "junit.jupiter.execution.parallel.enabled", "true",
                            "junit.jupiter.execution.parallel.mode.default", "concurrent",
                            "junit.jupiter.execution.parallel.config.strategy", "fixed",
                            "junit.jupiter.execution.parallel.config.fixed.parallelism", "2"))
                    .execute();

            List<String> failures = results.testEvents().failed().stream()
                    .map(event -> event.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow().getMessage())
                    .collect(Collectors.toList());
            assertThat(failures).as("tests failed for the handler's connection").isEmpty();
            results.testEvents().assertStatistics(stats -> stats.succeeded(2));
            Socket leaked = backendConnection.get();
            List<String> notes = results.allEvents().reportingEntryPublished().stream()
                    .map(event -> event.getRequiredPayload(ReportEntry.class).getKeyValuePairs().get("sockleak"))
                    .filter(note -> note != null)
                    .collect(Collectors.toList());
            assertThat(notes).as("what sockleak noted").anySatisfy(note -> assertThat(note)
                    .contains("not blamed on any test")
                    .contains(leaked.getLocalAddress().getHostAddress() + ":" + leaked.getLocalPort()));
        } finally {
            Socket leaked = backendConnection.getAndSet(null);
            if (leaked != null) {
                leaked.close();
            }
            if (proxy != null) {
                proxy.close().await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            backend.close();
        }
    }

    /** Opens the backend connection as the child becomes active (no task: the loop's own I/O), then hangs up. */
    private static final class OpensBackend extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext context) throws IOException {
            backendConnection.set(new Socket(Loopback.IPV4, backend.port()));
            context.close();
        }
    }

    // ---- fixtures: run only through the test above, side by side ----

    @NoSocketLeaks
    @Execution(ExecutionMode.CONCURRENT)
    static class StartsTheLoop {
        @Test
        void bindsTheProxy() throws InterruptedException {
            // The bind is the loop's first task: its thread starts now, with this test's mark.
            proxy = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new OpensBackend())
                    .bind(new InetSocketAddress(Loopback.IPV4, 0)).sync().channel();
            BOUND.countDown();
            // Still running while the other test's client makes the handler open its connection.
            assertThat(LEAKED.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the other test's leak").isTrue();
        }
    }

    @NoSocketLeaks
    @Execution(ExecutionMode.CONCURRENT)
    static class ConnectsThroughTheProxy {
        @Test
        void connects() throws Exception {
            assertThat(BOUND.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the proxy bound").isTrue();
            try (Socket client = new Socket(Loopback.IPV4, ((InetSocketAddress) proxy.localAddress()).getPort());
                 InputStream in = client.getInputStream()) {
                assertThat(in.read()).as("the proxy hangs up after opening its backend connection").isEqualTo(-1);
            }
            // The backend hangs up too: the connection the handler never closes waits in CLOSE-WAIT.
            Socket opened = backendConnection.get();
            assertThat(Polling.until(() -> Sockets.snapshot().own().stream().anyMatch(socket -> isThe(socket, opened)),
                    found -> found, PATIENCE).satisfied()).as("the backend connection in CLOSE-WAIT").isTrue();
            LEAKED.countDown();
        }

        private static boolean isThe(TcpSocket socket, Socket opened) {
            return socket.state() == TcpState.CLOSE_WAIT
                    && socket.local().equals(opened.getLocalSocketAddress())
                    && socket.remote().equals(opened.getRemoteSocketAddress());
        }
    }
}
