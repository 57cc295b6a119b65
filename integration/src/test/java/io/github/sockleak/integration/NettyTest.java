package io.github.sockleak.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.TcpState;
import io.github.sockleak.junit.NoSocketLeaks;
import io.github.sockleak.testing.Loopback;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A Netty client bootstrap on an NIO event loop group the three classes share. The group's threads start at the first
 * connect of a run's first class, and inherit that class's mark: only the task that connects knows whose it is. The
 * channels do not read, so a leaked one stays in CLOSE-WAIT after the server closed its end.
 */
@DisplayName("Netty: the class that leaked a channel fails, the two beside it pass")
class NettyTest {

    private static ClosingServer server;
    private static EventLoopGroup group;
    private static Bootstrap bootstrap;

    @BeforeAll
    static void start() {
        server = ClosingServer.tcp();
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        // no handlers: the fixtures only connect and close
                    }
                });
    }

    @AfterAll
    static void stop() throws Exception {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(Rendezvous.DEADLINE_SECONDS, TimeUnit.SECONDS);
        server.close();
    }

    @Test
    @DisplayName("blames the leaky class, and shows where its connect was handed to the event loop, in every run")
    void onlyTheLeakyClassFails() {
        ParallelRun.expectOnlyLeakyFails(Leaky.class, Clean.class, CleanToo.class, "NettyTest.Leaky.leaks()",
                report -> assertThat(report)
                        .contains("submitted at (thread ")
                        .contains("at " + Leaky.class.getName() + ".leaks(NettyTest.java:"));
    }

    private static Channel connect() throws InterruptedException {
        return bootstrap.connect(new InetSocketAddress(Loopback.IPV4, server.port())).sync().channel();
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
                Channel channel = connect();
                rendezvous.leaked((InetSocketAddress) channel.localAddress(), (InetSocketAddress) channel.remoteAddress(),
                        () -> channel.close().syncUninterruptibly());
                rendezvous.awaitLeakedIn(TcpState.CLOSE_WAIT);
            } finally {
                rendezvous.leakDone();
            }
        }
    }

    @NoSocketLeaks
    @Execution(ExecutionMode.CONCURRENT)
    static class Clean {
        @Test
        void closesItsChannel() throws Exception {
            Rendezvous.current.awaitPartners();
            connect().close().sync();
            Rendezvous.current.awaitLeak();
        }
    }

    @NoSocketLeaks
    @Execution(ExecutionMode.CONCURRENT)
    static class CleanToo {
        @Test
        void closesItsChannel() throws Exception {
            Rendezvous.current.awaitPartners();
            connect().close().sync();
            Rendezvous.current.awaitLeak();
        }
    }
}
