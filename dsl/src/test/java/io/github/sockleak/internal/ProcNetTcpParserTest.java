package io.github.sockleak.internal;

import static java.net.StandardProtocolFamily.INET;
import static java.net.StandardProtocolFamily.INET6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.sockleak.SocketSnapshotException;
import io.github.sockleak.TcpState;
import io.github.sockleak.testing.FakeProc;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The parser on rows a real kernel printed ({@code src/test/resources/proc/captured}, see its README), and on
 * everything a file can be instead: garbage, truncated, empty. The expected values were read off {@code ss -tane}
 * taken at the capture, which asks the kernel over netlink, not through this parser.
 */
@DisplayName("ProcNetTcpParser")
class ProcNetTcpParserTest {

    private static final String TCP = "/proc/net/tcp";
    private static final int UID = 7;
    private static final int INODE = 9;

    @BeforeAll
    static void capturedOnLittleEndian() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN,
                "the rows were captured on x86-64: the kernel prints addresses in host byte order, little-endian there");
    }

    @Nested
    @DisplayName("on rows captured from a real /proc/net/tcp")
    class CapturedTcp {

        private final Parsed parsed = parse(TCP, INET, resource("tcp"));

        @Test
        @DisplayName("reads every row, field by field, as ss saw the same sockets")
        void everyRow() {
            assertThat(parsed.skipped).isEmpty();
            assertThat(parsed.rows).containsExactly(
                    row(INET, TcpState.LISTEN, "127.0.0.1:53137", "0.0.0.0:0", 0, 2, 0, 55920),
                    row(INET, TcpState.LISTEN, "127.0.0.1:52677", "0.0.0.0:0", 0, 0, 0, 55933),
                    row(INET, TcpState.LISTEN, "127.0.0.1:32857", "0.0.0.0:0", 0, 1, 0, 55930),
                    row(INET, TcpState.LISTEN, "0.0.0.0:46663", "0.0.0.0:0", 0, 0, 0, 55925),
                    row(INET, TcpState.LISTEN, "127.0.0.1:37225", "0.0.0.0:0", 0, 1, 65534, 46073),
                    row(INET, TcpState.ESTABLISHED, "127.0.0.1:37140", "127.0.0.1:46663", 0, 12288, 0, 55926),
                    row(INET, TcpState.SYN_RECV, "127.0.0.1:52677", "127.0.0.1:59312", 0, 0, 0, 0),
                    row(INET, TcpState.FIN_WAIT2, "127.1.2.3:44809", "127.0.0.1:53137", 0, 0, 0, 0),
                    row(INET, TcpState.ESTABLISHED, "127.0.0.1:46976", "127.0.0.1:32857", 0, 0, 0, 55931),
                    row(INET, TcpState.SYN_SENT, "127.0.0.1:46980", "127.0.0.1:32857", 1, 0, 0, 55932),
                    row(INET, TcpState.ESTABLISHED, "127.0.0.1:46663", "127.0.0.1:37140", 24576, 100, 0, 55927),
                    row(INET, TcpState.ESTABLISHED, "127.0.0.1:53137", "127.0.0.1:43728", 0, 5, 0, 0),
                    row(INET, TcpState.ESTABLISHED, "127.0.0.1:37225", "127.0.0.1:34312", 0, 0, 65534, 0),
                    row(INET, TcpState.ESTABLISHED, "127.0.0.1:32857", "127.0.0.1:46976", 0, 0, 0, 0),
                    row(INET, TcpState.ESTABLISHED, "127.0.0.1:33394", "127.0.0.1:60501", 0, 0, 0, 55942),
                    row(INET, TcpState.ESTABLISHED, "127.1.2.3:54737", "127.0.0.1:60501", 0, 0, 0, 55940),
                    row(INET, TcpState.ESTABLISHED, "127.0.0.1:59312", "127.0.0.1:52677", 0, 0, 0, 55934),
                    row(INET, TcpState.ESTABLISHED, "127.0.0.1:43728", "127.0.0.1:53137", 0, 0, 0, 55922),
                    row(INET, TcpState.CLOSE_WAIT, "127.0.0.1:53137", "127.1.2.3:44809", 0, 1, 0, 0),
                    row(INET, TcpState.TIME_WAIT, "127.0.0.1:46663", "127.0.0.1:37146", 0, 0, 0, 0),
                    row(INET, TcpState.ESTABLISHED, "127.0.0.1:34312", "127.0.0.1:37225", 0, 0, 0, 55948));
        }

        @Test
        @DisplayName("undoes the host byte order of each address: 0302017F is 127.1.2.3")
        void hostOrder() {
            RawSocketRow orphan = parsed.rows.get(7);
            assertThat(orphan.local().getAddress()).containsExactly(127, 1, 2, 3);
            assertThat(orphan.localPort()).as("0xAF09").isEqualTo(44809);
            assertThat(orphan.remote().getAddress()).containsExactly(127, 0, 0, 1);
        }

        @Test
        @DisplayName("builds each distinct address once, shared by every row that has it")
        void sharedAddresses() {
            assertThat(distinctInstances(parsed.rows)).as("127.0.0.1, 127.1.2.3 and 0.0.0.0").hasSize(3);
        }

        @Test
        @DisplayName("reads the short rows of an orphaned FIN-WAIT-2, a TIME-WAIT and a SYN-RECV (12 columns, timer 3 or 1)")
        void shortRows() {
            assertThat(columnsOf(lineOf("tcp", "0302017F:AF09"))).hasSize(12).contains("05", "03:00001768");
            assertThat(columnsOf(lineOf("tcp", "0100007F:911A"))).hasSize(12).contains("06");
            assertThat(columnsOf(lineOf("tcp", "0100007F:E7B0 03"))).hasSize(12);
            assertThat(parsed.rows).filteredOn(r -> r.state() == TcpState.FIN_WAIT2 || r.state() == TcpState.TIME_WAIT
                            || r.state() == TcpState.SYN_RECV)
                    .hasSize(3)
                    .allSatisfy(r -> assertThat(r.inode()).isZero());
        }

        @Test
        @DisplayName("gives a listener's accept-queue depth as its recvQ and keeps uids above 32767")
        void listenerDepthAndUid() {
            assertThat(parsed.rows.get(0).recvQ()).isEqualTo(2);
            assertThat(parsed.rows.get(4).uid()).isEqualTo(65534);
            assertThat(parsed.rows).allSatisfy(r -> {
                assertThat(r.cookie()).as("/proc has no cookie").isEmpty();
                assertThat(r.backlog()).as("/proc has no backlog").isEmpty();
            });
        }
    }

    @Nested
    @DisplayName("on rows captured from a real /proc/net/tcp6")
    class CapturedTcp6 {

        private final Parsed parsed = parse("/proc/net/tcp6", INET6, resource("tcp6"));

        @Test
        @DisplayName("reads ::1, [::] and IPv4-mapped rows, field by field, as ss saw them")
        void everyRow() {
            assertThat(parsed.skipped).isEmpty();
            assertThat(parsed.rows).containsExactly(
                    row(INET6, TcpState.LISTEN, "[::]:60501", "[::]:0", 0, 1, 0, 55939),
                    row(INET6, TcpState.LISTEN, "[::1]:42105", "[::]:0", 0, 1, 0, 55935),
                    row(INET6, TcpState.LISTEN, "[::ffff:127.0.0.1]:37989", "[::]:0", 0, 1, 0, 55943),
                    row(INET6, TcpState.ESTABLISHED, "[::ffff:127.0.0.1]:37989", "[::ffff:127.0.0.1]:47734", 0, 0, 0, 0),
                    row(INET6, TcpState.ESTABLISHED, "[::1]:42105", "[::1]:45482", 0, 0, 0, 55938),
                    row(INET6, TcpState.ESTABLISHED, "[::1]:45482", "[::1]:42105", 0, 0, 0, 55936),
                    row(INET6, TcpState.ESTABLISHED, "[::1]:45490", "[::1]:42105", 0, 0, 0, 55937),
                    row(INET6, TcpState.ESTABLISHED, "[::ffff:127.0.0.1]:47734", "[::ffff:127.0.0.1]:37989", 0, 0, 0, 55944),
                    row(INET6, TcpState.ESTABLISHED, "[::ffff:127.0.0.1]:60501", "[::ffff:127.1.2.3]:54737", 0, 0, 0, 55941),
                    row(INET6, TcpState.ESTABLISHED, "[::ffff:127.0.0.1]:60501", "[::ffff:127.0.0.1]:33394", 0, 0, 0, 0),
                    row(INET6, TcpState.ESTABLISHED, "[::1]:42105", "[::1]:45490", 0, 0, 0, 0));
        }

        @Test
        @DisplayName("undoes the host byte order of each of the four words: ::1 and ::ffff:127.1.2.3")
        void hostOrder() {
            RawSocketRow ipv6 = parsed.rows.get(1);
            byte[] loopback = new byte[16];
            loopback[15] = 1;
            assertThat(ipv6.local().getAddress()).as("00000000000000000000000001000000").containsExactly(loopback);
            RawSocketRow mapped = parsed.rows.get(8);
            assertThat(Addresses.normalise(mapped.remote()).getAddress())
                    .as("0000000000000000FFFF00000302017F").containsExactly(127, 1, 2, 3);
            assertThat(mapped.family()).as("the table it came from").isEqualTo(INET6);
            assertThat(parsed.rows.get(0).local().isAnyLocalAddress()).isTrue();
        }

        @Test
        @DisplayName("builds each distinct address once, a mapped one too, shared by every row that has it")
        void sharedAddresses() {
            assertThat(distinctInstances(parsed.rows)).as("::, ::1, ::ffff:127.0.0.1 and ::ffff:127.1.2.3").hasSize(4);
        }
    }

    @Nested
    @DisplayName("on damaged input")
    class Damaged {

        private final String header = lines("tcp").get(0);
        private final String listener = lines("tcp").get(1);
        private final String established = lines("tcp").get(21);
        private final RawSocketRow listenerRow = row(INET, TcpState.LISTEN, "127.0.0.1:53137", "0.0.0.0:0", 0, 2, 0, 55920);
        private final RawSocketRow establishedRow =
                row(INET, TcpState.ESTABLISHED, "127.0.0.1:34312", "127.0.0.1:37225", 0, 0, 0, 55948);

        @Test
        @DisplayName("skips a row with a non-hex address, names file, line and reason, and keeps the others")
        void nonHexAddress() {
            Parsed parsed = parseLines(listener, established.replace("0100007F:8608", "0100007G:8608"), listener);

            assertThat(parsed.rows).containsExactly(listenerRow, listenerRow);
            assertThat(parsed.skipped).singleElement().asString()
                    .startsWith(TCP + " line 3: ")
                    .contains("address '0100007G' is not hexadecimal")
                    .contains("0100007G:8608 0100007F:9169");
        }

        @Test
        @DisplayName("skips an address of the wrong length")
        void addressLength() {
            Parsed parsed = parseLines(established.replace("0100007F:8608", "100007F:8608"));

            assertThat(parsed.rows).isEmpty();
            assertThat(parsed.skipped).singleElement().asString()
                    .startsWith(TCP + " line 2: ").contains("'100007F' has 7 hex digits, expected 8");
        }

        @Test
        @DisplayName("skips a bad port: not hex, or more than four digits")
        void badPort() {
            Parsed parsed = parseLines(
                    established.replace("0100007F:8608", "0100007F:86X8"),
                    established.replace("0100007F:8608", "0100007F:18608"),
                    established.replace("0100007F:8608", "0100007F:"));

            assertThat(parsed.rows).isEmpty();
            assertThat(parsed.skipped).satisfiesExactly(
                    s -> assertThat(s).startsWith(TCP + " line 2: port '86X8' is not hexadecimal"),
                    s -> assertThat(s).startsWith(TCP + " line 3: port '18608' is not 4 hex digits"),
                    s -> assertThat(s).startsWith(TCP + " line 4: local address '0100007F:' is not two fields joined by ':'"));
        }

        @Test
        @DisplayName("skips a row with too few columns")
        void tooFewColumns() {
            String nineColumns = String.join(" ", List.of(columnsOf(established)).subList(0, 9));

            Parsed parsed = parseLines(nineColumns, established);

            assertThat(parsed.rows).containsExactly(establishedRow);
            assertThat(parsed.skipped).singleElement().asString()
                    .startsWith(TCP + " line 2: 9 columns, expected 17 (a full socket) or 12 (a request or timewait socket)");
        }

        @Test
        @DisplayName("skips a short row with a column missing in the middle instead of reading a wrong inode")
        void columnMissingInTheMiddle() {
            // The TIME-WAIT row with its uid column gone: read by position, the refcount (3) would become the inode.
            String timeWait = lineOf("tcp", "0100007F:911A");
            String withoutUid = timeWait.replaceFirst(" 00000000 {5}0 {8}0 0 3 ", " 00000000        0 0 3 ");
            assertThat(columnsOf(withoutUid)).hasSize(11);

            Parsed parsed = parseLines(withoutUid);

            assertThat(parsed.rows).isEmpty();
            assertThat(parsed.skipped).singleElement().asString().startsWith(TCP + " line 2: 11 columns, expected 17");
        }

        @Test
        @DisplayName("skips a state the kernel does not have (0x1F, 0x00, 0x0D)")
        void unknownState() {
            Parsed parsed = parseLines(
                    established.replace(" 01 00000000:", " 1F 00000000:"),
                    established.replace(" 01 00000000:", " 00 00000000:"),
                    established.replace(" 01 00000000:", " 0D 00000000:"),
                    established.replace(" 01 00000000:", " 001 00000000:"));

            assertThat(parsed.rows).isEmpty();
            assertThat(parsed.skipped).satisfiesExactly(
                    s -> assertThat(s).startsWith(TCP + " line 2: unknown state 0x1F"),
                    s -> assertThat(s).startsWith(TCP + " line 3: unknown state 0x00"),
                    s -> assertThat(s).startsWith(TCP + " line 4: unknown state 0x0D"),
                    s -> assertThat(s).startsWith(TCP + " line 5: state '001' is not 2 hex digits"));
        }

        @Test
        @DisplayName("skips a non-decimal uid or inode, and a row number without its colon")
        void badNumbers() {
            Parsed parsed = parseLines(
                    established.replace(" 55948 ", " 5594B "),
                    established.replace("     0        0 55948", "    -1        0 55948"),
                    established.replaceFirst("26:", "26"));

            assertThat(parsed.rows).isEmpty();
            assertThat(parsed.skipped).satisfiesExactly(
                    s -> assertThat(s).startsWith(TCP + " line 2: inode '5594B' is not a decimal number"),
                    s -> assertThat(s).startsWith(TCP + " line 3: uid '-1' is not a decimal number"),
                    s -> assertThat(s).startsWith(TCP + " line 4: row number '26' does not end with ':'"));
        }

        @Test
        @DisplayName("skips a last row cut short without a newline, even where it would still parse, never reading a cut inode")
        void truncatedLastRow() {
            String full = header + "\n" + listener + "\n" + established + "\n";
            int inodeEnd = full.lastIndexOf(" 55948 ") + " 55948".length();
            for (int cut : new int[] {full.length() - 1, inodeEnd, inodeEnd - 2, full.lastIndexOf("0100007F:8608") + 5}) {
                Parsed parsed = parse(TCP, INET, full.substring(0, cut).getBytes(StandardCharsets.US_ASCII));

                assertThat(parsed.rows).as("cut at %d", cut).containsExactly(listenerRow);
                assertThat(parsed.skipped).as("cut at %d", cut).singleElement().asString()
                        .startsWith(TCP + " line 3: truncated (no newline at the end): '" + established.substring(0, 10));
            }
        }

        @Test
        @DisplayName("ignores blank lines, still counting them in line numbers")
        void blankLines() {
            Parsed parsed = parseLines("", listener, "   ", "\t", established.replace(" 01 ", " 1F "), established, "");

            assertThat(parsed.rows).containsExactly(listenerRow, establishedRow);
            assertThat(parsed.skipped).singleElement().asString().startsWith(TCP + " line 6: unknown state 0x1F");
        }

        @Test
        @DisplayName("skips a row with a control character in a field")
        void controlCharacter() {
            Parsed parsed = parseLines(established.replace(" 55948 ", " 559\u000048 "));

            assertThat(parsed.rows).isEmpty();
            assertThat(parsed.skipped).singleElement().asString().contains("inode", "is not a decimal number");
        }

        @Test
        @DisplayName("reads a header alone as no sockets")
        void headerOnly() {
            Parsed parsed = parseLines();

            assertThat(parsed.rows).isEmpty();
            assertThat(parsed.skipped).isEmpty();
        }

        @Test
        @DisplayName("rejects an empty file, naming it")
        void emptyFile() {
            assertThatThrownBy(() -> parse(TCP, INET, new byte[0]))
                    .isInstanceOf(SocketSnapshotException.class)
                    .hasMessageStartingWith(TCP + " is empty; expected the kernel's header line");
        }

        @Test
        @DisplayName("rejects a header cut short, naming the file")
        void unterminatedHeader() {
            assertThatThrownBy(() -> parse(TCP, INET, header.substring(0, 30).getBytes(StandardCharsets.US_ASCII)))
                    .isInstanceOf(SocketSnapshotException.class)
                    .hasMessageStartingWith(TCP + " is one unterminated line; expected the kernel's header line");
        }

        @Test
        @DisplayName("rejects a file with a wrong header, naming the file and quoting what it found")
        void wrongHeader() {
            byte[] html = ("<html><body>not a kernel table</body></html>\n" + established + "\n").getBytes(StandardCharsets.US_ASCII);
            byte[] rowFirst = (established + "\n" + established + "\n").getBytes(StandardCharsets.US_ASCII);

            assertThatThrownBy(() -> parse(TCP, INET, html))
                    .isInstanceOf(SocketSnapshotException.class)
                    .hasMessageStartingWith(TCP + " does not start with the kernel's header line")
                    .hasMessageEndingWith("found '<html><body>not a kernel table</body></html>'");
            assertThatThrownBy(() -> parse(TCP, INET, rowFirst))
                    .isInstanceOf(SocketSnapshotException.class)
                    .hasMessageContaining(TCP + " does not start with the kernel's header line");
        }

        @Test
        @DisplayName("skips IPv6 rows fed to the IPv4 parser, and the other way round")
        void wrongFamily() {
            String ipv6Row = lines("tcp6").get(2);
            Parsed ipv4 = parseLines(ipv6Row);
            Parsed ipv6 = parse("/proc/net/tcp6", INET6, (lines("tcp6").get(0) + "\n" + established + "\n").getBytes(StandardCharsets.US_ASCII));

            assertThat(ipv4.rows).isEmpty();
            assertThat(ipv4.skipped).singleElement().asString().contains("has 32 hex digits, expected 8");
            assertThat(ipv6.rows).isEmpty();
            assertThat(ipv6.skipped).singleElement().asString()
                    .startsWith("/proc/net/tcp6 line 2: ").contains("has 8 hex digits, expected 32");
        }
    }

    /** Captured rows with a column removed, added, cut or changed: what a misaligned or damaged table looks like. */
    @Nested
    @DisplayName("on rows of a shape the kernel does not print")
    class Shape {

        private final String listener = lines("tcp").get(1);
        private final String foreignListener = lineOf("tcp", "   4: ");
        private final String established = lines("tcp").get(21);
        private final String timeWait = lineOf("tcp", "0100007F:911A");
        private final String synRecv = lineOf("tcp", "0100007F:E7B0 03");
        private final RawSocketRow listenerRow = row(INET, TcpState.LISTEN, "127.0.0.1:53137", "0.0.0.0:0", 0, 2, 0, 55920);
        private final RawSocketRow establishedRow =
                row(INET, TcpState.ESTABLISHED, "127.0.0.1:34312", "127.0.0.1:37225", 0, 0, 0, 55948);
        private final RawSocketRow timeWaitRow = row(INET, TcpState.TIME_WAIT, "127.0.0.1:46663", "127.0.0.1:37146", 0, 0, 0, 0);
        private final RawSocketRow synRecvRow = row(INET, TcpState.SYN_RECV, "127.0.0.1:52677", "127.0.0.1:59312", 0, 0, 0, 0);

        @Test
        @DisplayName("skips a row missing its uid column instead of reading its refcount as the inode")
        void missingUid() {
            // Read by position, uid 65534 would become 0 (the timeout) and inode 46073 would become 2 (the refcount).
            String withoutUid = withoutColumn(foreignListener, UID);

            Parsed parsed = parseLines(listener, withoutUid, established);

            assertThat(parsed.rows).containsExactly(listenerRow, establishedRow);
            assertThat(parsed.skipped).singleElement().asString()
                    .startsWith(TCP + " line 3: 16 columns, expected 17 (a full socket) or 12 (a request or timewait socket): '")
                    .contains("00000000 0 46073 2 00000000201cac90");
        }

        @Test
        @DisplayName("skips a row with an extra column, a full socket's or a timewait socket's")
        void extraColumn() {
            Parsed parsed = parseLines(withColumn(established, INODE, "55948"), listener, timeWait.stripTrailing() + " 0", established);

            assertThat(parsed.rows).containsExactly(listenerRow, establishedRow);
            assertThat(parsed.skipped).satisfiesExactly(
                    s -> assertThat(s).startsWith(TCP + " line 2: 18 columns, expected 17 (a full socket) or 12"),
                    s -> assertThat(s).startsWith(TCP + " line 4: 13 columns, expected 17 (a full socket) or 12"));
        }

        @Test
        @DisplayName("skips two rows run together on one line, saying so, instead of reading the first and losing the second")
        void rowsRunTogether() {
            Parsed parsed = parseLines(listener, timeWait + established, established.stripTrailing() + listener, synRecv);

            assertThat(parsed.rows).containsExactly(listenerRow, synRecvRow);
            assertThat(parsed.skipped).satisfiesExactly(
                    s -> assertThat(s).startsWith(TCP + " line 3: 2 rows run together on one line (29 columns): '25: "),
                    s -> assertThat(s).startsWith(TCP + " line 4: 2 rows run together on one line (34 columns): '26: "));
        }

        @Test
        @DisplayName("skips a row ending after the pointer unless it is a request (03) or a timewait socket (05, 06), without inode")
        void shortRowOfAFullSocket() {
            Parsed parsed = parseLines(
                    firstColumns(established, 12),
                    firstColumns(listener, 12),
                    firstColumns(established.replace(" 01 ", " 05 "), 12),
                    timeWait);

            assertThat(parsed.rows).containsExactly(timeWaitRow);
            assertThat(parsed.skipped).satisfiesExactly(
                    s -> assertThat(s).startsWith(TCP + " line 2: 12 columns in state 0x01:"
                            + " only a request (0x03) or a timewait socket (0x05, 0x06) ends after the pointer"),
                    s -> assertThat(s).startsWith(TCP + " line 3: 12 columns in state 0x0A: only a request"),
                    s -> assertThat(s).startsWith(TCP + " line 4: 12 columns with inode 55948: a request or timewait socket has none"));
        }

        @Test
        @DisplayName("skips a row of 17 columns in state 06 or 0C: the kernel prints those sockets in 12, a request as 03")
        void fullRowOfATimewaitSocket() {
            Parsed parsed = parseLines(
                    established.replace(" 01 ", " 06 "),
                    timeWait.stripTrailing() + " 20 0 0 10 -1",
                    established.replace(" 01 ", " 0C "),
                    established);

            assertThat(parsed.rows).containsExactly(establishedRow);
            assertThat(parsed.skipped).satisfiesExactly(
                    s -> assertThat(s).startsWith(TCP + " line 2: 17 columns in state 0x06: a timewait socket ends after the pointer"),
                    s -> assertThat(s).startsWith(TCP + " line 3: 17 columns in state 0x06: a timewait socket ends after the pointer"),
                    s -> assertThat(s).startsWith(TCP + " line 4: 17 columns in state 0x0C: the kernel prints a request as 0x03"));
        }

        @Test
        @DisplayName("reads full sockets in SYN-RECV (a Fast Open child) and in FIN-WAIT-2: 17 columns")
        void fullRowsInTheStatesOfShortRows() {
            Parsed parsed = parseLines(established.replace(" 01 ", " 03 "), established.replace(" 01 ", " 05 "));

            assertThat(parsed.skipped).isEmpty();
            assertThat(parsed.rows).extracting(RawSocketRow::state).containsExactly(TcpState.SYN_RECV, TcpState.FIN_WAIT2);
            assertThat(parsed.rows).extracting(RawSocketRow::inode).containsOnly(55948L);
        }

        @Test
        @DisplayName("skips a hex field of a width the kernel does not print")
        void hexWidths() {
            Parsed parsed = parseLines(
                    established.replace("0100007F:8608", "0100007F:608"),
                    established.replace(" 01 00000000:", " 1 00000000:"),
                    established.replace(" 00000000:00000000 ", " 0000000:00000000 "),
                    established.replace(" 00000000:00000000 ", " 00000000:000000000 "),
                    established.replace(" 00:00000000 ", " 0:00000000 "),
                    established.replace(" 00:00000000 ", " 00:0000000 "),
                    established.replace(" 00:00000000 ", " 00:00000000000000000 "),
                    established.replace(" 00:00000000 00000000 ", " 00:00000000 0000000 "),
                    established.replace("00000000bd77ed8d", "0000000bd77ed8d"),
                    established);

            assertThat(parsed.rows).containsExactly(establishedRow);
            assertThat(parsed.skipped).satisfiesExactly(
                    s -> assertThat(s).startsWith(TCP + " line 2: port '608' is not 4 hex digits"),
                    s -> assertThat(s).startsWith(TCP + " line 3: state '1' is not 2 hex digits"),
                    s -> assertThat(s).startsWith(TCP + " line 4: tx_queue '0000000' is not 8 hex digits"),
                    s -> assertThat(s).startsWith(TCP + " line 5: rx_queue '000000000' is not 8 hex digits"),
                    s -> assertThat(s).startsWith(TCP + " line 6: tr '0' is not 2 hex digits"),
                    s -> assertThat(s).startsWith(TCP + " line 7: tm->when '0000000' is not 8 to 16 hex digits"),
                    s -> assertThat(s).startsWith(TCP + " line 8: tm->when '00000000000000000' is not 8 to 16 hex digits"),
                    s -> assertThat(s).startsWith(TCP + " line 9: retrnsmt '0000000' is not 8 hex digits"),
                    s -> assertThat(s).startsWith(TCP + " line 10: pointer '0000000bd77ed8d' is not 8 or 16 hex digits"));
        }

        @Test
        @DisplayName("skips a decimal field the kernel would not print: not a number, a leading zero, a minus on an unsigned field")
        void decimals() {
            Parsed parsed = parseLines(
                    established.replace("  26: ", "  2x: "),
                    established.replace(" 55948 2 ", " 55948 02 "),
                    established.replace(" 20 0 0 10 -1", " 20 0 0 1O -1"),
                    established.replace(" 20 0 0 10 -1", " -20 0 0 10 -1"),
                    established.replace(" 20 0 0 10 -1", " 20 0 0 10 1-"),
                    established);

            assertThat(parsed.rows).containsExactly(establishedRow);
            assertThat(parsed.skipped).satisfiesExactly(
                    s -> assertThat(s).startsWith(TCP + " line 2: row number '2x' is not a decimal number"),
                    s -> assertThat(s).startsWith(TCP + " line 3: refcnt '02' is not a decimal number"),
                    s -> assertThat(s).startsWith(TCP + " line 4: cwnd '1O' is not a decimal number"),
                    s -> assertThat(s).startsWith(TCP + " line 5: rto '-20' is not a decimal number"),
                    s -> assertThat(s).startsWith(TCP + " line 6: ssthresh '1-' is not a decimal number"));
        }

        @Test
        @DisplayName("reads what the kernel can print: tm->when negative in 16 digits, a pointer hidden or of 32 bits, a negative %d")
        void kernelVariants() {
            Parsed parsed = parseLines(
                    established.replace(" 00:00000000 ", " 02:FFFFFFFFFFFFFF9C "),
                    established.replace("00000000bd77ed8d", "0000000000000000"),
                    established.replace("00000000bd77ed8d", "bd77ed8d"),
                    established.replace("     0        0 55948 2 ", "     0       -1 55948 -1073741824 "),
                    established.replace("  26:", "10026:"));

            assertThat(parsed.skipped).isEmpty();
            assertThat(parsed.rows).hasSize(5).containsOnly(establishedRow);
        }
    }

    @Nested
    @DisplayName("on captured rows damaged 100,000 times")
    class Fuzzed {

        /** A captured row, the file it came from and the socket it is. */
        private record Original(String file, StandardProtocolFamily family, String header, String line, RawSocketRow row) {
        }

        @Test
        @DisplayName("never reads a wrong socket: a column deleted, duplicated or merged, or two rows on one line, is skipped or read as before")
        void neverAWrongSocket() {
            List<List<Original>> files = List.of(originals(TCP, INET, "tcp"), originals("/proc/net/tcp6", INET6, "tcp6"));
            Random random = new Random(20_240_611L);
            List<String> wrong = new ArrayList<>();
            int damagedRows = 100_000;
            for (int i = 0; i < damagedRows; i++) {
                List<Original> file = files.get(random.nextInt(files.size()));
                Original original = file.get(random.nextInt(file.size()));
                String[] columns = columnsOf(original.line);
                int column = random.nextInt(columns.length);
                int damage = random.nextInt(4);
                String damaged = switch (damage) {
                    case 0 -> withoutColumn(original.line, column);
                    case 1 -> withColumn(original.line, column, columns[column]);
                    case 2 -> mergedWithNext(original.line, Math.min(column, columns.length - 2));
                    default -> original.line + file.get(random.nextInt(file.size())).line;
                };
                Parsed parsed = parse(original.file, original.family,
                        (original.header + "\n" + damaged + "\n").getBytes(StandardCharsets.US_ASCII));

                boolean twoRows = damage == 3;
                boolean listedOrReadAsBefore = parsed.rows.isEmpty()
                        ? parsed.skipped.size() == 1
                        : !twoRows && parsed.skipped.isEmpty() && parsed.rows.equals(List.of(original.row));
                if (!listedOrReadAsBefore) {
                    wrong.add("'" + damaged.trim() + "' read as " + parsed.rows + ", skipped " + parsed.skipped);
                }
            }

            assertThat(wrong).as("%d of %d damaged rows read as a wrong socket or lost without a word; the first: %s",
                    wrong.size(), damagedRows, wrong.stream().limit(5).toList()).isEmpty();
        }

        private List<Original> originals(String file, StandardProtocolFamily family, String name) {
            List<String> lines = lines(name);
            List<RawSocketRow> rows = parse(file, family, resource(name)).rows;
            assertThat(rows).hasSize(lines.size() - 1);
            List<Original> originals = new ArrayList<>();
            for (int i = 1; i < lines.size(); i++) {
                originals.add(new Original(file, family, lines.get(0), lines.get(i), rows.get(i - 1)));
            }
            return originals;
        }
    }

    static final class Parsed {
        final List<RawSocketRow> rows = new ArrayList<>();
        final List<String> skipped = new ArrayList<>();
    }

    /** {@code /proc/net/tcp} with the captured header and {@code rows}. */
    static Parsed parseLines(String... rows) {
        StringBuilder content = new StringBuilder(lines("tcp").get(0)).append('\n');
        for (String row : rows) {
            content.append(row).append('\n');
        }
        return parse(TCP, INET, content.toString().getBytes(StandardCharsets.US_ASCII));
    }

    static Parsed parse(String fileName, StandardProtocolFamily family, byte[] content) {
        Parsed parsed = new Parsed();
        new ProcNetTcpParser(fileName, family).parse(content, parsed.rows, parsed.skipped);
        return parsed;
    }

    /** {@code ss}'s way of writing an endpoint: {@code 127.0.0.1:80}, {@code [::1]:80}, {@code [::ffff:127.0.0.1]:80}. */
    static RawSocketRow row(StandardProtocolFamily family, TcpState state, String local, String remote,
                            long sendQ, long recvQ, int uid, long inode) {
        return new RawSocketRow(family, state, host(local), port(local), host(remote), port(remote),
                sendQ, recvQ, uid, inode, OptionalLong.empty(), OptionalInt.empty(), OptionalLong.empty());
    }

    private static InetAddress host(String endpoint) {
        String host = endpoint.substring(0, endpoint.lastIndexOf(':')).replace("[", "").replace("]", "");
        try {
            return InetAddress.getByName(host); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(endpoint, e);
        }
    }

    private static int port(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    /** The address objects of {@code rows}, each counted once however many rows hold it. */
    private static Set<InetAddress> distinctInstances(List<RawSocketRow> rows) {
        Set<InetAddress> instances = Collections.newSetFromMap(new IdentityHashMap<>());
        for (RawSocketRow row : rows) {
            instances.add(row.local());
            instances.add(row.remote());
        }
        return instances;
    }

    private static byte[] resource(String name) {
        return FakeProc.captured("net/" + name);
    }

    private static List<String> lines(String name) {
        return List.of(new String(resource(name), StandardCharsets.US_ASCII).split("\n"));
    }

    private static String lineOf(String name, String containing) {
        return lines(name).stream().filter(l -> l.contains(containing)).findFirst().orElseThrow();
    }

    private static String[] columnsOf(String line) {
        return line.trim().split("\\s+");
    }

    /** {@code line}'s columns joined by one blank, without the one at {@code index}. */
    private static String withoutColumn(String line, int index) {
        List<String> columns = new ArrayList<>(List.of(columnsOf(line)));
        columns.remove(index);
        return String.join(" ", columns);
    }

    /** {@code line}'s columns joined by one blank, {@code column} inserted at {@code index}. */
    private static String withColumn(String line, int index, String column) {
        List<String> columns = new ArrayList<>(List.of(columnsOf(line)));
        columns.add(index, column);
        return String.join(" ", columns);
    }

    /** {@code line}'s columns joined by one blank, the one at {@code index} and the next without it. */
    private static String mergedWithNext(String line, int index) {
        List<String> columns = new ArrayList<>(List.of(columnsOf(line)));
        columns.set(index, columns.get(index) + columns.remove(index + 1));
        return String.join(" ", columns);
    }

    private static String firstColumns(String line, int count) {
        return String.join(" ", List.of(columnsOf(line)).subList(0, count));
    }
}
