package io.github.sockleak.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.TcpState;
import io.github.sockleak.junit.NoSocketLeaks;
import java.net.InetSocketAddress;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.EndpointDetails;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Apache HttpClient 5's classic client connects on the calling thread, deep inside its own code: the report must
 * still show the test's line, with the library's frames folded.
 */
@DisplayName("Apache HttpClient 5, classic: the class that leaked a response fails, the two beside it pass")
class ApacheClassicTest {

    private static ClosingServer server;
    private static CloseableHttpClient shared;

    @BeforeAll
    static void start() throws Exception {
        server = ClosingServer.http();
        shared = HttpClients.createDefault();
        assertThat(cleanCall()).isEqualTo("ok");
    }

    @AfterAll
    static void stop() throws Exception {
        shared.close();
        server.close();
    }

    @Test
    @DisplayName("blames the leaky class, with the test method's line under the library's folded frames, in every run")
    void onlyTheLeakyClassFails() {
        ParallelRun.expectOnlyLeakyFails(Leaky.class, Clean.class, CleanToo.class, "ApacheClassicTest.Leaky.leaks()",
                report -> assertThat(report)
                        .containsPattern("\\.\\.\\. \\d+ org\\.apache\\.hc\\.\\S* frames")
                        .contains("at " + Leaky.class.getName() + ".leaks(ApacheClassicTest.java:"));
    }

    private static String cleanCall() throws Exception {
        return shared.execute(new HttpGet(server.url()), response -> EntityUtils.toString(response.getEntity()));
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
                HttpClientContext context = HttpClientContext.create();
                // The response is never closed: its connection stays leased, open after the server closed its end.
                ClassicHttpResponse response = shared.executeOpen(null, new HttpGet(server.url()), context);
                EndpointDetails endpoint = context.getEndpointDetails();
                rendezvous.leaked((InetSocketAddress) endpoint.getLocalAddress(), (InetSocketAddress) endpoint.getRemoteAddress(), response);
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
        void consumesItsResponse() throws Exception {
            Rendezvous.current.awaitPartners();
            assertThat(cleanCall()).isEqualTo("ok");
            Rendezvous.current.awaitLeak();
        }
    }

    @NoSocketLeaks
    @Execution(ExecutionMode.CONCURRENT)
    static class CleanToo {
        @Test
        void consumesItsResponse() throws Exception {
            Rendezvous.current.awaitPartners();
            assertThat(cleanCall()).isEqualTo("ok");
            Rendezvous.current.awaitLeak();
        }
    }
}
