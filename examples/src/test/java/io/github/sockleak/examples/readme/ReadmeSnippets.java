package io.github.sockleak.examples.readme;

import static io.github.sockleak.assertj.SocketAssertions.assertThat;
import static io.github.sockleak.assertj.SocketAssertions.eventually;

import io.github.sockleak.SocketHistory;
import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.SocketTimeline;
import io.github.sockleak.Sockets;
import io.github.sockleak.TcpState;
import io.github.sockleak.assertj.SocketSoftAssertions;
import io.github.sockleak.junit.NoSocketLeaks;
import io.github.sockleak.junit.SocketLeakExtension;
import io.github.sockleak.junit.SocketProbe;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every Java snippet of the README, compiled and run by {@code ReadmeExample}; {@code ReadmeSnippetsTest} checks
 * that the README shows them as they are here.
 */
final class ReadmeSnippets {

    private ReadmeSnippets() {
    }

    // README: the first example
    @NoSocketLeaks
    static class OrderServiceIT {
        @Test
        void placesAnOrder(SocketProbe sockets) throws IOException {
            orderService.placeOrder("42");

            assertThat(sockets.diff()).hasNoNewSocketsIn(TcpState.CLOSE_WAIT);
            assertThat(sockets.snapshot()).listener(orderService.port())
                    .hasAcceptQueueDepth(0).hasNoGhosts().hasBacklogAtLeast(128);
        }

        OrderService orderService;

        @BeforeEach
        void start() throws IOException {
            orderService = OrderService.start();
        }

        @AfterEach
        void stop() throws IOException {
            orderService.close();
        }
    }

    // README: quick start, per class
    @NoSocketLeaks(scope = NoSocketLeaks.Scope.CLASS, failOn = {TcpState.CLOSE_WAIT, TcpState.ESTABLISHED})
    static class OrderServiceSuiteIT {
        static OrderService orderService;

        @BeforeAll
        static void start() throws IOException {
            orderService = OrderService.start();
        }

        @AfterAll
        static void stop() throws IOException {
            orderService.close();
        }

        @Test
        void placesOneOrder() throws IOException {
            orderService.placeOrder("1");
        }

        @Test
        void placesAnotherOrder() throws IOException {
            orderService.placeOrder("2");
        }
    }

    // README: quick start, registered with a builder
    static class OrderServiceBuilderIT {
        @RegisterExtension
        static SocketLeakExtension sockets = SocketLeakExtension.builder()
                .failOn(TcpState.CLOSE_WAIT, TcpState.ESTABLISHED)
                .settle(Duration.ofMillis(500))
                .ignorePorts(5432)
                .build();

        @Test
        void placesAnOrder() throws IOException {
            try (OrderService orderService = OrderService.start()) {
                orderService.placeOrder("7");
            }
        }
    }

    // README: timelines
    static void timelines(OrderService server) throws Exception {
        SocketTimeline timeline = Sockets.record(Duration.ofMillis(5), () -> server.placeOrder("42"));

        assertThat(timeline).listener(server.port()).neverHadGhosts().neverHadAcceptQueueDepthAbove(5);
        for (SocketHistory socket : timeline.sockets()) {
            System.out.println(socket.first() + "  " + socket.summary());
            if (!socket.timeIn(TcpState.CLOSE_WAIT).isZero()) {
                assertThat(timeline).socket(socket.first()).wasIn(TcpState.CLOSE_WAIT).forAtMost(Duration.ofMillis(200));
            }
        }
    }

    // README: the model
    static void model(SocketSnapshot before) {
        SocketSnapshot s = Sockets.snapshot();
        s.source();
        s.all();
        s.own();
        s.listeners();
        s.listener(8080);
        s.since(before);
        SocketSnapshot mine = Sockets.ownSnapshot(Set.of(5432));
        mine.coverage();
    }

    // README: other processes' listeners
    static void otherProcessesListener() {
        // nc -l 127.0.0.1 12345, stopped with ^Z: a client connected and closed, another reused its port
        assertThat(Sockets.snapshot()).includingOtherProcesses().listener(12345)
                .hasAcceptQueueDepth(2).hasQueued(1).hasGhosts(1);
    }

    // README: the DSL tour
    static void dslTour(OrderService server) throws IOException {
        SocketSnapshot before = Sockets.snapshot();
        server.placeOrder("42");
        SocketSnapshot after = eventually(Duration.ofSeconds(2),
                snapshot -> assertThat(snapshot).hasNoSocketsIn(TcpState.CLOSE_WAIT));

        assertThat(after).listener(server.port())
                .hasAcceptQueueDepthAtMost(5)
                .hasNoQueuedConnections()
                .hasNoGhosts();
        assertThat(after.since(before)).hasNoNewSocketsIn(TcpState.CLOSE_WAIT).hasNoPortReuse();
        assertThat(after).socketsIn(TcpState.CLOSE_WAIT).isEmpty();

        SocketSoftAssertions.assertSoftly(softly -> {
            softly.assertThat(after).hasNoSocketsIn(TcpState.CLOSE_WAIT, TcpState.LAST_ACK);
            softly.assertThat(after).listener(server.port()).hasAcceptQueueDepth(0);
        });

        server.close();
        eventually(Duration.ofSeconds(2), snapshot -> assertThat(snapshot).port(server.port()).isFree());
        assertThat(Sockets.snapshot()).port(server.port()).isBindable();
    }
}
