package io.github.sockleak.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.Sockets;
import io.github.sockleak.TcpState;
import io.github.sockleak.internal.Polling;
import io.github.sockleak.junit.NoSocketLeaks;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.async.methods.SimpleResponseConsumer;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.async.MinimalHttpAsyncClient;
import org.apache.hc.client5.http.protocol.HttpClientContext;
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
 * Apache HttpClient 5's async client connects on its I/O reactor's thread, started before the run for no test: the
 * test that asked is known only through the connection request. Its reactor closes a connection as soon as the server
 * does, so the leak here is a leased connection never released, ESTABLISHED with a server in another process.
 */
@DisplayName("Apache HttpClient 5, async: the class that leaked a leased connection fails, the two beside it pass")
class ApacheAsyncTest {

    private static KeepAliveServer server;
    private static MinimalHttpAsyncClient shared;

    @BeforeAll
    static void start() throws Exception {
        server = KeepAliveServer.start();
        shared = HttpAsyncClients.createMinimal();
        shared.start();
        cleanCall();
    }

    @AfterAll
    static void stop() throws Exception {
        shared.close(CloseMode.GRACEFUL);
        server.close();
    }

    @Test
    @DisplayName("blames the leaky class, and shows where its lease handed the connect to the reactor, in every run")
    void onlyTheLeakyClassFails() {
        ParallelRun.expectOnlyLeakyFails(Leaky.class, Clean.class, CleanToo.class, "ApacheAsyncTest.Leaky.leaks()",
                report -> assertThat(report)
                        .contains("submitted at (thread ")
                        .contains("at " + Leaky.class.getName() + ".leaks(ApacheAsyncTest.java:"));
    }

    /**
     * A request that asks the server to close: the client closes its end too, on its reactor thread, after the call
     * returned. Waits for that close (the whole 4-tuple gone from the kernel's table), which a loaded machine can
     * delay past the check's settle time.
     */
    private static void cleanCall() throws Exception {
        HttpClientContext context = HttpClientContext.create();
        SimpleHttpResponse response = shared.execute(SimpleRequestProducer.create(SimpleRequestBuilder.get(server.url())
                        .addHeader("Connection", "close").build()), SimpleResponseConsumer.create(), context, null)
                .get(Rendezvous.DEADLINE_SECONDS, TimeUnit.SECONDS);
        assertThat(response.getBodyText()).isEqualTo("ok");
        assertThat(context.getEndpointDetails()).as("the connection the call used").isNotNull();
        {
            InetSocketAddress local = (InetSocketAddress) context.getEndpointDetails().getLocalAddress();
            InetSocketAddress remote = (InetSocketAddress) context.getEndpointDetails().getRemoteAddress();
            Polling.Result<Boolean> closed = Polling.until(() -> Sockets.snapshot().own().stream()
                            .noneMatch(socket -> socket.local().equals(local) && socket.remote().equals(remote)),
                    Boolean::booleanValue, Duration.ofSeconds(Rendezvous.DEADLINE_SECONDS));
            assertThat(closed.satisfied()).as("the client closed %s -> %s", local, remote).isTrue();
        }
    }

    /** One request on a leased connection, which is then kept, never released: the leak, until the run ends. */
    static void useAndKeep(AsyncClientEndpoint endpoint, KeepAliveServer server, Rendezvous rendezvous) throws Exception {
        HttpClientContext context = HttpClientContext.create();
        SimpleHttpResponse response = endpoint.execute(SimpleRequestProducer.create(SimpleRequestBuilder.get(server.url()).build()),
                SimpleResponseConsumer.create(), null, context, null).get(Rendezvous.DEADLINE_SECONDS, TimeUnit.SECONDS);
        assertThat(response.getBodyText()).isEqualTo("ok");
        rendezvous.leaked((InetSocketAddress) context.getEndpointDetails().getLocalAddress(),
                (InetSocketAddress) context.getEndpointDetails().getRemoteAddress(), endpoint::releaseAndDiscard);
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
                // Leased, used, and never released: the connection stays open.
                AsyncClientEndpoint endpoint = shared.lease(new HttpHost("127.0.0.1", server.port()), null)
                        .get(Rendezvous.DEADLINE_SECONDS, TimeUnit.SECONDS);
                useAndKeep(endpoint, server, rendezvous);
            } finally {
                rendezvous.leakDone();
            }
        }
    }

    @NoSocketLeaks(failOn = {TcpState.CLOSE_WAIT, TcpState.ESTABLISHED})
    @Execution(ExecutionMode.CONCURRENT)
    static class Clean {
        @Test
        void closesItsConnection() throws Exception {
            Rendezvous.current.awaitPartners();
            cleanCall();
            Rendezvous.current.awaitLeak();
        }
    }

    @NoSocketLeaks(failOn = {TcpState.CLOSE_WAIT, TcpState.ESTABLISHED})
    @Execution(ExecutionMode.CONCURRENT)
    static class CleanToo {
        @Test
        void closesItsConnection() throws Exception {
            Rendezvous.current.awaitPartners();
            cleanCall();
            Rendezvous.current.awaitLeak();
        }
    }
}
