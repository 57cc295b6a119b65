package io.github.sockleak.internal.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.sockleak.TcpState;
import io.github.sockleak.internal.Addresses;
import io.github.sockleak.internal.RawSocketRow;
import io.github.sockleak.internal.RowSink;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The netlink reply parser")
class InetDiagReplyParserTest {

    private static final InetAddress LOCALHOST = Addresses.of(new byte[] {127, 0, 0, 1});
    private static final InetAddress MAPPED_LOCALHOST =
            Addresses.of(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 127, 0, 0, 1});
    private static final InetAddress ANY6 = Addresses.of(new byte[16]);
    /** In reply-listener-drops.hex: the listener's message, and its SKMEMINFO attribute after four others. */
    private static final int LISTENER_LENGTH = 164;
    private static final int LISTENER_MEMINFO = 124;

    private final List<RawSocketRow> rows = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();
    private final InetDiagReplyParser parser = new InetDiagReplyParser(1, RowSink.into(rows, skipped), new CookieSet());

    @BeforeEach
    void capturedOnLittleEndian() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "the captured replies are little-endian");
    }

    @Test
    @DisplayName("reads a real AF_INET reply: listener with its backlog, queued CLOSE-WAIT child, accepted child")
    void realInetReply() throws IOException {
        List<byte[]> datagrams = datagrams("reply-inet.hex");

        assertThat(parser.parse(ByteBuffer.wrap(datagrams.get(0)))).as("done after the sockets").isFalse();
        assertThat(parser.parse(ByteBuffer.wrap(datagrams.get(1)))).as("done at NLMSG_DONE").isTrue();

        assertThat(skipped).isEmpty();
        assertThat(rows).extracting(RawSocketRow::family).containsOnly(StandardProtocolFamily.INET);
        assertThat(rows).extracting(RawSocketRow::state, RawSocketRow::local, RawSocketRow::localPort,
                        RawSocketRow::remotePort, RawSocketRow::recvQ, RawSocketRow::sendQ, RawSocketRow::inode,
                        RawSocketRow::cookie, RawSocketRow::backlog)
                .containsExactly(
                        tuple(TcpState.LISTEN, LOCALHOST, 33911, 0, 1L, 7L, 813732L, OptionalLong.of(309753), OptionalInt.of(7)),
                        tuple(TcpState.CLOSE_WAIT, LOCALHOST, 33911, 37276, 1L, 0L, 0L, OptionalLong.of(309754), OptionalInt.empty()),
                        tuple(TcpState.ESTABLISHED, LOCALHOST, 33911, 37260, 0L, 0L, 813734L, OptionalLong.of(309755), OptionalInt.empty()));
        assertThat(rows.get(1).remote()).isEqualTo(LOCALHOST);
        assertThat(rows.get(0).remote()).isEqualTo(Addresses.of(new byte[4]));
        assertThat(List.of(rows.get(0).local(), rows.get(1).remote(), rows.get(2).local(), rows.get(2).remote()))
                .as("one address object per distinct address").allSatisfy(a -> assertThat(a).isSameAs(rows.get(1).local()));
        assertThat(rows).extracting(RawSocketRow::uid).containsOnly(0);
        assertThat(rows).extracting(RawSocketRow::drops).as("no SKMEMINFO asked for").containsOnly(OptionalLong.empty());
    }

    @Test
    @DisplayName("reads a real listener's drop count from INET_DIAG_SKMEMINFO, the last of its attributes, and none for its children")
    void listenerDrops() throws IOException {
        List<byte[]> datagrams = datagrams("reply-listener-drops.hex");

        parser.parse(ByteBuffer.wrap(datagrams.get(0)));
        assertThat(parser.parse(ByteBuffer.wrap(datagrams.get(1)))).as("done at NLMSG_DONE").isTrue();

        assertThat(skipped).isEmpty();
        assertThat(rows).extracting(RawSocketRow::state, RawSocketRow::localPort, RawSocketRow::remotePort, RawSocketRow::recvQ,
                        RawSocketRow::backlog, RawSocketRow::drops)
                .containsExactly(
                        tuple(TcpState.LISTEN, 46847, 0, 2L, OptionalInt.of(1), OptionalLong.of(3)),
                        tuple(TcpState.ESTABLISHED, 46847, 42472, 0L, OptionalInt.empty(), OptionalLong.empty()),
                        tuple(TcpState.ESTABLISHED, 46847, 42480, 0L, OptionalInt.empty(), OptionalLong.empty()));
    }

    @Test
    @DisplayName("leaves the drop count out when the kernel's meminfo stops before SK_MEMINFO_DROPS")
    void meminfoWithoutDrops() throws IOException {
        // The captured listener's message alone, its 9-value meminfo cut to the 8 values of older kernels.
        ByteBuffer listener = ByteBuffer.wrap(Arrays.copyOf(datagrams("reply-listener-drops.hex").get(0), LISTENER_LENGTH - 4))
                .order(ByteOrder.nativeOrder());
        listener.putInt(0, LISTENER_LENGTH - 4).putShort(LISTENER_MEMINFO, (short) (4 + 8 * 4));

        parser.parse(listener);

        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.state()).isEqualTo(TcpState.LISTEN);
            assertThat(row.backlog()).hasValue(1);
            assertThat(row.drops()).isEmpty();
        });
    }

    @Test
    @DisplayName("refuses a listener's attribute that runs past its message, saying where")
    void attributePastTheMessage() throws IOException {
        ByteBuffer datagram = ByteBuffer.wrap(datagrams("reply-listener-drops.hex").get(0)).order(ByteOrder.nativeOrder());
        datagram.putShort(LISTENER_MEMINFO, (short) 44);

        assertThatThrownBy(() -> parser.parse(datagram))
                .isInstanceOf(NetlinkException.class)
                .hasMessage("malformed netlink reply to request 1 at offset 0: attribute at offset " + LISTENER_MEMINFO
                        + " says 44 bytes, 40 remain in the message");
    }

    @Test
    @DisplayName("reads a real AF_INET6 reply with IPv4-mapped children of a dual-stack listener")
    void realInet6Reply() throws IOException {
        for (byte[] datagram : datagrams("reply-inet6.hex")) {
            parser.parse(ByteBuffer.wrap(datagram));
        }

        assertThat(parser.isDone()).isTrue();
        assertThat(rows).extracting(RawSocketRow::family).containsOnly(StandardProtocolFamily.INET6);
        assertThat(rows).extracting(RawSocketRow::state, RawSocketRow::local, RawSocketRow::remotePort,
                        RawSocketRow::inode, RawSocketRow::cookie, RawSocketRow::backlog)
                .containsExactly(
                        tuple(TcpState.LISTEN, ANY6, 0, 811841L, OptionalLong.of(309750), OptionalInt.of(7)),
                        tuple(TcpState.ESTABLISHED, MAPPED_LOCALHOST, 46814, 811843L, OptionalLong.of(309751), OptionalInt.empty()),
                        tuple(TcpState.CLOSE_WAIT, MAPPED_LOCALHOST, 46816, 0L, OptionalLong.of(309752), OptionalInt.empty()));
        assertThat(rows).extracting(RawSocketRow::localPort).containsOnly(44299);
        assertThat(rows.get(2).remote()).isEqualTo(MAPPED_LOCALHOST).isSameAs(rows.get(1).local());
    }

    @Test
    @DisplayName("refuses a datagram cut inside a message, saying where")
    void truncated() throws IOException {
        byte[] whole = datagrams("reply-inet.hex").get(0);
        byte[] cut = Arrays.copyOf(whole, whole.length - 30);

        assertThatThrownBy(() -> parser.parse(ByteBuffer.wrap(cut)))
                .isInstanceOf(NetlinkException.class)
                .hasMessageContaining("malformed netlink reply to request 1 at offset 248")
                .hasMessageContaining("nlmsghdr says 124 bytes, 94 remain");
    }

    @Test
    @DisplayName("refuses a datagram too short for a header")
    void shorterThanAHeader() {
        assertThatThrownBy(() -> parser.parse(ByteBuffer.wrap(new byte[10])))
                .isInstanceOf(NetlinkException.class)
                .hasMessageContaining("10 bytes left, too few for a nlmsghdr");
    }

    @Test
    @DisplayName("turns NLMSG_ERROR into an exception with the errno and its name")
    void errorReply() {
        ByteBuffer error = header(36, InetDiag.NLMSG_ERROR, 0, 1).putInt(-Errno.EPERM);
        error.put(InetDiag.portDumpRequest(InetDiag.AF_INET, 1, Set.of(), InetDiag.ALL_STATES, InetDiag.NO_EXTENSIONS).limit(InetDiag.NLMSG_HDRLEN));

        assertThatThrownBy(() -> parser.parse(error.flip()))
                .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EPERM))
                .hasMessage("NLMSG_ERROR: EPERM (operation not permitted), errno 1");
    }

    @Test
    @DisplayName("turns a failed dump's NLMSG_DONE into an exception")
    void failedDone() {
        ByteBuffer done = header(20, InetDiag.NLMSG_DONE, 2, 1).putInt(-105);

        assertThatThrownBy(() -> parser.parse(done.flip()))
                .isInstanceOf(NetlinkException.class)
                .hasMessageContaining("ENOBUFS");
    }

    @Test
    @DisplayName("refuses a reply to another request and an interrupted dump")
    void foreignAndInterrupted() throws IOException {
        InetDiagReplyParser other = new InetDiagReplyParser(2, RowSink.into(rows, skipped), new CookieSet());
        assertThatThrownBy(() -> other.parse(ByteBuffer.wrap(datagrams("reply-inet.hex").get(0))))
                .isInstanceOf(NetlinkException.class)
                .hasMessageContaining("reply to request 1, expected 2");

        ByteBuffer interrupted = header(20, InetDiag.NLMSG_DONE, 2 | InetDiag.NLM_F_DUMP_INTR, 1).putInt(0);
        assertThatThrownBy(() -> parser.parse(interrupted.flip()))
                .isInstanceOf(NetlinkException.class)
                .hasMessageContaining("NLM_F_DUMP_INTR");
    }

    @Test
    @DisplayName("keeps a socket sent twice by the kernel once, by its cookie")
    void duplicateCookie() throws IOException {
        byte[] sockets = datagrams("reply-inet.hex").get(0);

        parser.parse(ByteBuffer.wrap(sockets));
        parser.parse(ByteBuffer.wrap(sockets));

        assertThat(rows).hasSize(3);
    }

    @Test
    @DisplayName("skips and describes a socket in a state it does not know, keeping the others")
    void unknownState() throws IOException {
        byte[] sockets = datagrams("reply-inet.hex").get(0);
        sockets[InetDiag.NLMSG_HDRLEN + 1] = 13; // TCP_BOUND_INACTIVE, which the request never asks for

        parser.parse(ByteBuffer.wrap(sockets));

        assertThat(rows).hasSize(2);
        assertThat(skipped).singleElement().asString().contains("offset 0").contains("0xd").contains("cookie 309753");
    }

    @Test
    @DisplayName("writes the dump request ss writes: 72 bytes, every state sockleak knows")
    void request() {
        ByteBuffer request = InetDiag.portDumpRequest(InetDiag.AF_INET6, 7, Set.of(), InetDiag.ALL_STATES, InetDiag.NO_EXTENSIONS)
                .order(ByteOrder.nativeOrder());

        assertThat(request.remaining()).isEqualTo(72);
        assertThat(request.getInt(0)).isEqualTo(72);
        assertThat(request.getShort(4)).isEqualTo((short) 20);
        assertThat(request.getShort(6)).isEqualTo((short) 0x301);
        assertThat(request.getInt(8)).isEqualTo(7);
        assertThat(request.get(16)).isEqualTo((byte) 10);
        assertThat(request.get(17)).isEqualTo((byte) 6);
        assertThat(request.get(18)).as("idiag_ext: nothing more").isZero();
        assertThat(request.getInt(20)).isEqualTo(0x1ffe);
    }

    @Test
    @DisplayName("asks for INET_DIAG_SKMEMINFO (7) with bit 6 of idiag_ext, in both dump requests")
    void meminfoRequested() {
        ByteBuffer request = InetDiag.portDumpRequest(InetDiag.AF_INET, 3, Set.of(), InetDiag.LISTEN_STATE, InetDiag.EXT_SKMEMINFO);
        ByteBuffer legacy = InetDiag.legacyDumpRequest(4, Set.of(), InetDiag.LISTEN_STATE, InetDiag.EXT_SKMEMINFO)
                .order(ByteOrder.nativeOrder());

        assertThat(request.get(18)).as("inet_diag_req_v2.idiag_ext").isEqualTo((byte) 0x40);
        assertThat(request.getInt(20)).as("LISTEN alone").isEqualTo(1 << 10);
        assertThat(legacy.get(19)).as("inet_diag_req.idiag_ext").isEqualTo((byte) 0x40);
        assertThat(legacy.getInt(68)).as("LISTEN alone").isEqualTo(1 << 10);
    }

    @Test
    @DisplayName("writes the legacy dump request of both families: TCPDIAG_GETSOCK, states, and the port filter after the 76 bytes")
    void legacyRequest() {
        ByteBuffer request = InetDiag.legacyDumpRequest(9, Set.of(8080), InetDiag.ALL_STATES, InetDiag.NO_EXTENSIONS)
                .order(ByteOrder.nativeOrder());

        assertThat(request.remaining()).isEqualTo(96);
        assertThat(request.getInt(0)).isEqualTo(96);
        assertThat(request.getShort(4)).isEqualTo((short) 18);
        assertThat(request.getShort(6)).isEqualTo((short) 0x301);
        assertThat(request.getInt(8)).isEqualTo(9);
        assertThat(request.getShort(20)).as("sport: any, the filter says which").isZero();
        assertThat(request.get(19)).as("idiag_ext: nothing more").isZero();
        assertThat(request.getInt(68)).as("idiag_states after the 48-byte sockid").isEqualTo(0x1ffe);
        assertThat(request.getInt(72)).as("idiag_dbs").isZero();
        assertThat(request.getShort(76)).as("nla_len of the port filter").isEqualTo((short) 20);
        assertThat(request.getShort(78)).as("INET_DIAG_REQ_BYTECODE").isEqualTo((short) 1);
        assertThat(request.getShort(86)).as("the port of the first comparison").isEqualTo((short) 8080);
    }

    @Test
    @DisplayName("reads the answer to the legacy request, whose messages carry its type")
    void legacyReply() throws IOException {
        List<byte[]> datagrams = datagrams("reply-inet.hex");
        ByteBuffer legacy = ByteBuffer.wrap(datagrams.get(0).clone()).order(ByteOrder.nativeOrder());
        for (int offset = 0; offset < legacy.limit(); offset += legacy.getInt(offset)) {
            legacy.putShort(offset + 4, (short) InetDiag.TCPDIAG_GETSOCK);
        }

        parser.parse(legacy);

        assertThat(rows).hasSize(3);
        assertThat(skipped).isEmpty();
    }

    private static ByteBuffer header(int length, int type, int flags, int seq) {
        return ByteBuffer.allocate(length).order(ByteOrder.nativeOrder())
                .putInt(length).putShort((short) type).putShort((short) flags).putInt(seq).putInt(4242);
    }

    private static List<byte[]> datagrams(String resource) throws IOException {
        try (InputStream in = InetDiagReplyParserTest.class.getResourceAsStream("/netlink/" + resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> HexFormat.of().parseHex(line.trim()))
                    .collect(Collectors.toList());
        }
    }
}
