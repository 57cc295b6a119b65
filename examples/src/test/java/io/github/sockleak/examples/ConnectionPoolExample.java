package io.github.sockleak.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.junit.NoSocketLeaks;
import io.github.sockleak.junit.SocketLeakError;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A client connection pool that keeps connections the server has closed: CLOSE-WAIT on the client side. The pool
 * lives as long as the application, like most pools, so nothing in the test would ever notice.
 */
@DisplayName("A connection pool keeping closed connections: client-side CLOSE-WAIT")
class ConnectionPoolExample {

    static OneShotServer server;

    @BeforeAll
    static void startServer() throws IOException {
        server = new OneShotServer();
    }

    @AfterAll
    static void stopServer() throws IOException {
        NaivePoolTest.POOL.close(); // the cleanup after the demonstration
        WatchingPoolTest.POOL.close();
        server.close();
    }

    @Test
    @DisplayName("the naive pool is caught holding CLOSE-WAIT connections")
    void naivePoolLeaks() {
        assertThat(Demonstrations.failuresOf(NaivePoolTest.class)).singleElement()
                .isInstanceOf(SocketLeakError.class)
                .satisfies(leak -> assertThat(leak.getMessage())
                        .contains("leaked 1 socket in CLOSE-WAIT")
                        .contains(":" + server.address().getPort() + " "));
    }

    @Test
    @DisplayName("the pool that watches its idle connections passes")
    void watchingPoolPasses() {
        assertThat(Demonstrations.failuresOf(WatchingPoolTest.class)).isEmpty();
    }

    @NoSocketLeaks
    static class NaivePoolTest {
        // Application-wide, as pools are: never closed by the test.
        static final ConnectionPool POOL = open(false);

        @Test
        void oneRequest() throws IOException, InterruptedException {
            int closed = server.closedConnections();
            assertThat(POOL.exchange((byte) 1)).isEqualTo((byte) 1);
            // The server hangs up a moment after answering; a check quicker than that would see an ESTABLISHED
            // connection. Waiting for the hang-up shows what the pool then keeps, as any next request would.
            server.awaitClosedConnections(closed + 1);
        }
    }

    @NoSocketLeaks
    static class WatchingPoolTest {
        static final ConnectionPool POOL = open(true);

        @Test
        void oneRequest() throws IOException, InterruptedException {
            int closed = server.closedConnections();
            assertThat(POOL.exchange((byte) 1)).isEqualTo((byte) 1);
            server.awaitClosedConnections(closed + 1);
        }
    }

    private static ConnectionPool open(boolean watchIdle) {
        try {
            return watchIdle ? ConnectionPool.watchingIdleConnections(server.address()) : ConnectionPool.naive(server.address());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
