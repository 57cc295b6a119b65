package io.github.sockleak.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.TcpState;
import io.github.sockleak.internal.Polling;
import io.github.sockleak.junit.NoSocketLeaks;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.async.MinimalHttpAsyncClient;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.AsyncClientEndpoint;
import org.apache.hc.core5.io.CloseMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A connection pool grants a waiting lease on the thread that gives a connection back, here another test's: the
 * lease's callback, which asks the reactor for the new connection, runs there. What a loaded machine does now and then
 * by lock contention (the pool hands a lease it could not lock for to the next thread that can), this fixture does
 * every time, with a pool of one connection.
 */
@DisplayName("Apache HttpClient 5, async: a lease granted on another test's thread is still the leasing test's")
class ApachePoolHandoffTest {

    private static KeepAliveServer server;
    private static PoolingAsyncClientConnectionManager pool;
    private static MinimalHttpAsyncClient shared;
    private static Handoff handoff;

    @BeforeAll
    static void start() throws Exception {
        server = KeepAliveServer.start();
        pool = PoolingAsyncClientConnectionManagerBuilder.create().setMaxConnTotal(1).setMaxConnPerRoute(1).build();
        shared = HttpAsyncClients.createMinimal(pool);
        shared.start();
    }

    @AfterAll
    static void stop() throws Exception {
        shared.close(CloseMode.GRACEFUL);
        server.close();
    }

    @Test
    @DisplayName("blames the test whose lease waited, not the one whose release granted it, in every run")
    void onlyTheLeakyClassFails() {
        ParallelRun.expectOnlyLeakyFails(Leaky.class, Releasing.class, Bystander.class, "ApachePoolHandoffTest.Leaky.leaks()",
                report -> assertThat(report)
                        .contains("submitted at (thread ")
                        .contains("at " + Releasing.class.getName() + ".givesItsConnectionBack(ApachePoolHandoffTest.java:")
                        .contains("submitted first at (thread ")
                        .contains("at " + Leaky.class.getName() + ".leaks(ApachePoolHandoffTest.java:"));
    }

    /** The order of one run: the releasing fixture holds the pool's only connection before the leaky one asks for it. */
    private static final class Handoff {
        final Rendezvous run = Rendezvous.current;
        final CountDownLatch held = new CountDownLatch(1);
    }

    private static synchronized Handoff handoff() {
        if (handoff == null || handoff.run != Rendezvous.current) {
            handoff = new Handoff();
        }
        return handoff;
    }

    private static HttpHost host() {
        return new HttpHost("127.0.0.1", server.port());
    }

    // ---- fixtures: run only through ParallelRun ----

    @NoSocketLeaks(failOn = {TcpState.CLOSE_WAIT, TcpState.ESTABLISHED})
    @Execution(ExecutionMode.CONCURRENT)
    static class Leaky {
        @Test
        void leaks() throws Exception {
            Rendezvous rendezvous = Rendezvous.current;
            rendezvous.awaitPartners();
            try {
                assertThat(handoff().held.await(Rendezvous.DEADLINE_SECONDS, TimeUnit.SECONDS))
                        .as("the releasing fixture holds the pool's connection").isTrue();
                // Waits in the pool until the releasing fixture gives its connection back, and is granted on its thread.
                AsyncClientEndpoint endpoint = shared.lease(host(), null).get(Rendezvous.DEADLINE_SECONDS, TimeUnit.SECONDS);
                ApacheAsyncTest.useAndKeep(endpoint, server, rendezvous);
            } finally {
                rendezvous.leakDone();
            }
        }
    }

    @NoSocketLeaks(failOn = {TcpState.CLOSE_WAIT, TcpState.ESTABLISHED})
    @Execution(ExecutionMode.CONCURRENT)
    static class Releasing {
        @Test
        void givesItsConnectionBack() throws Exception {
            Rendezvous.current.awaitPartners();
            AsyncClientEndpoint endpoint = shared.lease(host(), null).get(Rendezvous.DEADLINE_SECONDS, TimeUnit.SECONDS);
            handoff().held.countDown();
            Polling.Result<Integer> waiting = Polling.until(() -> pool.getTotalStats().getPending(), pending -> pending > 0,
                    Duration.ofSeconds(Rendezvous.DEADLINE_SECONDS));
            assertThat(waiting.satisfied()).as("the leaky fixture's lease waits in the pool").isTrue();
            // Closes this test's connection and, on this thread, grants the waiting lease a new one.
            endpoint.releaseAndDiscard();
            Rendezvous.current.awaitLeak();
        }
    }

    @NoSocketLeaks(failOn = {TcpState.CLOSE_WAIT, TcpState.ESTABLISHED})
    @Execution(ExecutionMode.CONCURRENT)
    static class Bystander {
        @Test
        void connectsAndCloses() throws Exception {
            Rendezvous.current.awaitPartners();
            // Not through the pool, whose one connection the leaky fixture keeps.
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                assertThat(socket.isConnected()).isTrue();
            }
            Rendezvous.current.awaitLeak();
        }
    }
}
