package io.github.sockleak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Parsing {@code /proc/net/netstat}: the first columns of real readings of this machine's file, with the {@code IpExt}
 * pair the kernel prints after {@code TcpExt}.
 */
@DisplayName("TcpCounters from /proc/net/netstat")
class TcpCountersTest {

    private static final String NAMES = "TcpExt: SyncookiesSent SyncookiesRecv TW DelayedACKs ListenOverflows ListenDrops TCPHPHits\n";
    private static final String IP_EXT = "IpExt: InNoRoutes InTruncatedPkts InOctets\nIpExt: 0 0 8340954687\n";

    private static TcpCounters parse(String numbers) {
        return TcpCounters.parse("/proc/net/netstat", NAMES + "TcpExt: " + numbers + "\n" + IP_EXT);
    }

    @Test
    @DisplayName("reads each counter by the name in the line above its number")
    void byName() {
        TcpCounters counters = parse("0 0 3593124 68101 4077 4077 1910306");

        assertThat(counters.listenOverflows()).isEqualTo(4077);
        assertThat(counters.listenDrops()).isEqualTo(4077);
        assertThat(counters.get("TW")).hasValue(3593124);
        assertThat(counters.get("InOctets")).as("an IpExt counter is not a TcpExt one").isEmpty();
    }

    @Test
    @DisplayName("gives the change between two readings, and names only the counters that moved")
    void since() {
        TcpCounters before = parse("0 0 3593124 68101 4077 4077 1910306");
        TcpCounters after = parse("0 0 3593130 68101 4079 4080 1910306");

        TcpCounters change = after.since(before);

        assertThat(change.listenOverflows()).isEqualTo(2);
        assertThat(change.listenDrops()).isEqualTo(3);
        assertThat(change).hasToString("TcpExt{TW=6, ListenOverflows=2, ListenDrops=3}");
    }

    @Test
    @DisplayName("a counter another kernel lacks counts as unchanged")
    void sinceAnotherKernel() {
        TcpCounters older = TcpCounters.parse("/proc/net/netstat", "TcpExt: ListenOverflows\nTcpExt: 4077\n");
        TcpCounters now = parse("0 0 3593124 68101 4080 4080 1910306");

        assertThat(now.since(older).listenOverflows()).isEqualTo(3);
        assertThat(now.since(older).listenDrops()).isZero();
    }

    @Test
    @DisplayName("a number that is not one fails, naming its counter and line")
    void notANumber() {
        assertThatThrownBy(() -> parse("0 0 3593124 68101 40x7 4077 1910306"))
                .isInstanceOf(SocketSnapshotException.class)
                .hasMessage("/proc/net/netstat line 2: TcpExt value of ListenOverflows is '40x7', not a number");
    }

    @Test
    @DisplayName("a line of numbers shorter than its names fails, with both counts")
    void missingValue() {
        assertThatThrownBy(() -> parse("0 0 3593124 68101 4077 4077"))
                .isInstanceOf(SocketSnapshotException.class)
                .hasMessage("/proc/net/netstat line 1: 7 TcpExt names but 6 values");
    }

    @Test
    @DisplayName("a file without the TcpExt pair fails")
    void noTcpExt() {
        assertThatThrownBy(() -> TcpCounters.parse("/proc/net/netstat", IP_EXT))
                .isInstanceOf(SocketSnapshotException.class)
                .hasMessage("/proc/net/netstat has no pair of 'TcpExt:' lines");
    }

    @Test
    @DisplayName("reads this machine's file")
    void real() {
        TcpCounters counters = TcpCounters.read();

        assertThat(counters.get(TcpCounters.LISTEN_OVERFLOWS)).isPresent();
        assertThat(counters.since(counters)).hasToString("TcpExt{}");
    }
}
