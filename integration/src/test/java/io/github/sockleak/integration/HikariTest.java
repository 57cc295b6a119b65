package io.github.sockleak.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.sockleak.TcpState;
import io.github.sockleak.internal.Polling;
import io.github.sockleak.junit.NoSocketLeaks;
import io.github.sockleak.testing.Loopback;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * HikariCP pools against a real PostgreSQL: each class opens a pool of two connections, the second added on the pool's
 * connection-adder thread, and its housekeeping on the pool's own scheduler. The leaky class never closes its pool,
 * whose connections stay ESTABLISHED; the clean ones close theirs.
 *
 * <p>Not a scheduler the pools share: it outlives a closed pool, and a housekeeping run already under way when the pool
 * closes can still hand a new connection to the adder, which then opens it after {@code close()} has returned (seen once
 * in six CI runs: a clean class's connection left in CLOSE-WAIT, reported by the next check).
 */
@DisplayName("HikariCP with PostgreSQL: the class that never closed its pool fails, the two beside it pass")
class HikariTest {

    private static final int POOL_SIZE = 2;
    private static final AtomicInteger POOLS = new AtomicInteger();

    private static Postgres postgres;

    @BeforeAll
    static void start() throws Exception {
        Optional<Path> binaries = Postgres.binaries();
        if (Boolean.getBoolean("sockleak.integration.requirePostgres")) {
            assertThat(binaries).as("PostgreSQL's programs (initdb, postgres) in /usr/lib/postgresql/*/bin or on the PATH").isPresent();
        }
        assumeTrue(binaries.isPresent(), "PostgreSQL is not installed (initdb, postgres): the HikariCP fixtures need a real server");
        postgres = Postgres.start(binaries.get());
    }

    @AfterAll
    static void stop() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    @DisplayName("blames the leaky class for its pool's connections in every run")
    void onlyTheLeakyClassFails() {
        ParallelRun.expectOnlyLeakyFails(Leaky.class, Clean.class, CleanToo.class, "HikariTest.Leaky.leaks()",
                report -> assertThat(report).contains("leaked " + POOL_SIZE + " sockets"));
    }

    /** A pool that has opened all its connections; the local port of the one it lent, by the server's account. */
    private static HikariDataSource filledPool(int[] lentPort) throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.jdbcUrl());
        config.setUsername("postgres");
        config.setMinimumIdle(POOL_SIZE);
        config.setMaximumPoolSize(POOL_SIZE);
        config.setPoolName("fixture-pool-" + POOLS.incrementAndGet());
        HikariDataSource pool = new HikariDataSource(config);
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
             ResultSet port = statement.executeQuery("select inet_client_port()")) {
            assertThat(port.next()).isTrue();
            lentPort[0] = port.getInt(1);
        }
        Polling.Result<Integer> filled = Polling.until(() -> pool.getHikariPoolMXBean().getTotalConnections(),
                total -> total == POOL_SIZE, Duration.ofSeconds(Rendezvous.DEADLINE_SECONDS));
        assertThat(filled.value()).as("the pool's connections").isEqualTo(POOL_SIZE);
        return pool;
    }

    private static void useAndClose() throws Exception {
        filledPool(new int[1]).close();
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
                int[] lentPort = new int[1];
                HikariDataSource pool = filledPool(lentPort);
                rendezvous.leaked(new InetSocketAddress(Loopback.IPV4, lentPort[0]), new InetSocketAddress(Loopback.IPV4, postgres.port()), pool);
            } finally {
                rendezvous.leakDone();
            }
        }
    }

    @NoSocketLeaks(failOn = {TcpState.CLOSE_WAIT, TcpState.ESTABLISHED})
    @Execution(ExecutionMode.CONCURRENT)
    static class Clean {
        @Test
        void closesItsPool() throws Exception {
            Rendezvous.current.awaitPartners();
            useAndClose();
            Rendezvous.current.awaitLeak();
        }
    }

    @NoSocketLeaks(failOn = {TcpState.CLOSE_WAIT, TcpState.ESTABLISHED})
    @Execution(ExecutionMode.CONCURRENT)
    static class CleanToo {
        @Test
        void closesItsPool() throws Exception {
            Rendezvous.current.awaitPartners();
            useAndClose();
            Rendezvous.current.awaitLeak();
        }
    }
}
