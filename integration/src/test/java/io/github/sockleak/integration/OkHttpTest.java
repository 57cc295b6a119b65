package io.github.sockleak.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.TcpState;
import io.github.sockleak.junit.NoSocketLeaks;
import java.net.InetSocketAddress;
import java.net.Socket;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * OkHttp 5 connects on its task runner's shared threads. The client was used before the run, so those threads exist
 * already and were started for no test: the test that asked for the connection is known only through the task.
 */
@DisplayName("OkHttp 5: the class that leaked a response fails, the two beside it pass")
class OkHttpTest {

    private static ClosingServer server;
    private static OkHttpClient shared;

    @BeforeAll
    static void useOkHttpOnce() throws Exception {
        server = ClosingServer.http();
        shared = new OkHttpClient();
        try (Response response = shared.newCall(request()).execute()) {
            assertThat(response.body().string()).isEqualTo("ok");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        shared.dispatcher().executorService().shutdown();
        shared.connectionPool().evictAll();
        server.close();
    }

    @Test
    @DisplayName("blames the leaky class, shows where its call handed the connect over, in every run")
    void onlyTheLeakyClassFails() {
        ParallelRun.expectOnlyLeakyFails(Leaky.class, Clean.class, CleanToo.class, "OkHttpTest.Leaky.leaks()",
                report -> assertThat(report)
                        .contains("submitted at (thread ")
                        .contains("at " + Leaky.class.getName() + ".leaks(OkHttpTest.java:"));
    }

    private static Request request() {
        return new Request.Builder().url(server.url()).build();
    }

    private static void cleanCall() throws Exception {
        try (Response response = shared.newCall(request()).execute()) {
            assertThat(response.body().string()).isEqualTo("ok");
        }
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
                Socket[] used = new Socket[1];
                OkHttpClient client = shared.newBuilder().addNetworkInterceptor(chain -> {
                    used[0] = chain.connection().socket();
                    return chain.proceed(chain.request());
                }).build();
                // The response is never closed: its connection stays open after the server closed its end.
                Response response = client.newCall(request()).execute();
                rendezvous.leaked((InetSocketAddress) used[0].getLocalSocketAddress(),
                        (InetSocketAddress) used[0].getRemoteSocketAddress(), response);
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
        void closesItsResponse() throws Exception {
            Rendezvous.current.awaitPartners();
            cleanCall();
            Rendezvous.current.awaitLeak();
        }
    }

    @NoSocketLeaks
    @Execution(ExecutionMode.CONCURRENT)
    static class CleanToo {
        @Test
        void closesItsResponse() throws Exception {
            Rendezvous.current.awaitPartners();
            cleanCall();
            Rendezvous.current.awaitLeak();
        }
    }
}
