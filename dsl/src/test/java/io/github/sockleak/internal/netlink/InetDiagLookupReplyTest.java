package io.github.sockleak.internal.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.sockleak.TcpState;
import io.github.sockleak.internal.Addresses;
import io.github.sockleak.internal.RawSocketRow;
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
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Requests for one socket, and the kernel's answers")
class InetDiagLookupReplyTest {

    /** {@code ::ffff:127.0.0.1}, which {@code InetAddress} turns into 127.0.0.1 as it builds it. */
    private static final InetAddress MAPPED_LOCALHOST =
            Addresses.of(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 127, 0, 0, 1});
    private static final InetAddress IPV6_LOCALHOST = Addresses.of(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});

    private final List<String> skipped = new ArrayList<>();
    private final InetDiagLookupReply reply = new InetDiagLookupReply(skipped);
    private List<byte[]> captured;

    @BeforeEach
    void capturedOnLittleEndian() throws IOException {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "the captured replies are little-endian");
        captured = datagrams("lookup-replies.hex");
    }

    @Test
    @DisplayName("reads a real answer about a listener: its accept-queue depth, backlog, inode and cookie")
    void listener() {
        RawSocketRow row = reply.parse(ByteBuffer.wrap(captured.get(0)), 101).orElseThrow();

        assertThat(row.family()).isEqualTo(StandardProtocolFamily.INET6);
        assertThat(row.state()).isEqualTo(TcpState.LISTEN);
        assertThat(row.local()).isEqualTo(MAPPED_LOCALHOST);
        assertThat(row.localPort()).isEqualTo(44887);
        assertThat(row.recvQ()).as("accept-queue depth").isEqualTo(1);
        assertThat(row.backlog()).hasValue(50);
        assertThat(row.inode()).isEqualTo(14961918L);
        assertThat(row.cookie()).hasValue(1766689L);
        assertThat(row.drops()).as("no SKMEMINFO asked for").isEmpty();
        assertThat(reply.parse(ByteBuffer.wrap(captured.get(1)), 103).orElseThrow())
                .extracting(RawSocketRow::local, RawSocketRow::localPort, RawSocketRow::recvQ, RawSocketRow::inode)
                .containsExactly(IPV6_LOCALHOST, 42873, 0L, 14961920L);
        assertThat(skipped).isEmpty();
    }

    @Test
    @DisplayName("reads a real answer about a listener asked with INET_DIAG_SKMEMINFO: its drop count")
    void listenerDrops() throws IOException {
        byte[] answer = datagrams("reply-listener-drops.hex").get(2);

        RawSocketRow row = reply.parse(ByteBuffer.wrap(answer), 2).orElseThrow();

        assertThat(row).extracting(RawSocketRow::state, RawSocketRow::localPort, RawSocketRow::recvQ, RawSocketRow::backlog,
                        RawSocketRow::inode, RawSocketRow::drops)
                .containsExactly(TcpState.LISTEN, 46847, 2L, OptionalInt.of(1), 61066L, OptionalLong.of(3));
        assertThat(skipped).isEmpty();
    }

    @Test
    @DisplayName("reads a real answer about a connection, both ends IPv4-mapped")
    void connection() {
        RawSocketRow row = reply.parse(ByteBuffer.wrap(captured.get(2)), 104).orElseThrow();

        assertThat(row).extracting(RawSocketRow::state, RawSocketRow::local, RawSocketRow::localPort, RawSocketRow::remote,
                        RawSocketRow::remotePort, RawSocketRow::inode, RawSocketRow::cookie, RawSocketRow::backlog)
                .containsExactly(TcpState.ESTABLISHED, MAPPED_LOCALHOST, 55156, MAPPED_LOCALHOST, 44887, 14961921L,
                        OptionalLong.of(1766692L), OptionalInt.empty());
    }

    @Test
    @DisplayName("reads ENOENT as no such socket, and any other error as a failure naming it")
    void errors() {
        assertThat(reply.parse(ByteBuffer.wrap(captured.get(3)), 111)).isEmpty();

        ByteBuffer refused = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder())
                .putInt(20).putShort((short) InetDiag.NLMSG_ERROR).putShort((short) 0).putInt(5).putInt(0).putInt(-Errno.EACCES);
        assertThatThrownBy(() -> reply.parse(refused.flip(), 5))
                .isInstanceOf(NetlinkException.class)
                .hasMessage("SOCK_DIAG_BY_FAMILY request for one socket: EACCES (permission denied), errno 13")
                .extracting(e -> ((NetlinkException) e).errno()).isEqualTo(Errno.EACCES);
    }

    @Test
    @DisplayName("refuses an answer to another request, a cut one and a dump's end")
    void malformed() {
        assertThatThrownBy(() -> reply.parse(ByteBuffer.wrap(captured.get(0)), 102))
                .isInstanceOf(NetlinkException.class)
                .hasMessage("malformed netlink reply to request 102: reply to request 101");
        assertThatThrownBy(() -> reply.parse(ByteBuffer.wrap(Arrays.copyOf(captured.get(2), 60)), 104))
                .isInstanceOf(NetlinkException.class)
                .hasMessage("malformed netlink reply to request 104: nlmsghdr says 124 bytes, the datagram has 60");
        ByteBuffer done = ByteBuffer.allocate(20).order(ByteOrder.nativeOrder())
                .putInt(20).putShort((short) InetDiag.NLMSG_DONE).putShort((short) 2).putInt(9).putInt(0).putInt(0);
        assertThatThrownBy(() -> reply.parse(done.flip(), 9))
                .isInstanceOf(NetlinkException.class)
                .hasMessage("malformed netlink reply to request 9: unexpected message type 3");
    }

    @Test
    @DisplayName("writes the request the kernel echoed back with its ENOENT: the 4-tuple, no cookie, not a dump")
    void socketRequest() {
        ByteBuffer echoed = ByteBuffer.wrap(captured.get(3), 20, 72).slice().order(ByteOrder.nativeOrder());
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 127, 0, 0, 1}; // InetAddress would make it IPv4

        ByteBuffer request = InetDiag.socketRequest(InetDiag.AF_INET6, 111, mapped, 57933, new byte[16], 0,
                InetDiag.NO_EXTENSIONS);

        assertThat(request.remaining()).isEqualTo(72);
        assertThat(request.getShort(6)).as("NLM_F_REQUEST only").isEqualTo((short) 1);
        assertThat(InetDiag.socketRequest(InetDiag.AF_INET6, 112, mapped, 57933, new byte[16], 0, InetDiag.EXT_SKMEMINFO).get(18))
                .as("idiag_ext asking for SKMEMINFO").isEqualTo((byte) 0x40);
        assertThat(request.getInt(20)).as("every state").isEqualTo(InetDiag.ALL_STATES);
        // Equal but for the pid the kernel filled in (bytes 12-15) and the states (20-23), which a lookup ignores.
        for (int i = 0; i < 72; i++) {
            if ((i < 12 || i >= 16) && (i < 20 || i >= 24)) {
                assertThat(request.get(i)).as("byte %d", i).isEqualTo(echoed.get(i));
            }
        }
        assertThatThrownBy(() -> InetDiag.socketRequest(InetDiag.AF_INET, 1, mapped, 1, new byte[4], 0, InetDiag.NO_EXTENSIONS))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("writes a dump request filtered by states and, in a bytecode attribute, by local port")
    void portDumpRequest() {
        ByteBuffer request = InetDiag.portDumpRequest(InetDiag.AF_INET, 12, Set.of(8080), InetDiag.QUEUED_CHILD_STATES,
                InetDiag.NO_EXTENSIONS);

        assertThat(request.remaining()).isEqualTo(72 + 4 + 16);
        assertThat(request.getInt(0)).isEqualTo(92);
        assertThat(request.getShort(6)).isEqualTo((short) 0x301);
        assertThat(request.getInt(8)).isEqualTo(12);
        assertThat(request.get(16)).isEqualTo((byte) InetDiag.AF_INET);
        assertThat(request.getInt(20)).as("ESTABLISHED, SYN_RECV, CLOSE_WAIT").isEqualTo((1 << 1) | (1 << 3) | (1 << 8));
        for (int i = 24; i < 72; i++) {
            assertThat(request.get(i)).as("byte %d: any port, peer, address, interface, cookie", i).isZero();
        }
        assertThat(request.getShort(72)).as("nla_len").isEqualTo((short) 20);
        assertThat(request.getShort(74)).as("INET_DIAG_REQ_BYTECODE").isEqualTo((short) 1);
        assertThat(bytes(request, 76, 16)).as("S_GE 8080, S_LE 8080, failing past the end")
                .containsExactly(2, 8, 20, 0, 0, 0, 0x90, 0x1f, 3, 8, 12, 0, 0, 0, 0x90, 0x1f);
    }

    @Test
    @DisplayName("filters several ports with one program: each a pair of comparisons, a jump to the end after each but the last")
    void severalPorts() {
        byte[] program = InetDiag.localPortFilter(Set.of(443, 80));

        assertThat(program).hasSize(36);
        ByteBuffer filter = ByteBuffer.wrap(program).order(ByteOrder.nativeOrder());
        assertThat(filter.getShort(6)).as("ports in order: 80 first").isEqualTo((short) 80);
        assertThat(bytes(filter, 0, 4)).as("S_GE 80, else the next port, 20 bytes on").containsExactly(2, 8, 20, 0);
        assertThat(bytes(filter, 8, 4)).as("S_LE 80, else 12 bytes on").containsExactly(3, 8, 12, 0);
        assertThat(bytes(filter, 16, 4)).as("JMP to the end: accepted").containsExactly(1, 4, 20, 0);
        assertThat(filter.getShort(26)).isEqualTo((short) 443);
        assertThat(bytes(filter, 20, 4)).as("the last S_GE fails 4 bytes past the end").containsExactly(2, 8, 20, 0);
        assertThat(InetDiag.localPortFilter(Set.of())).as("no port, no program").isEmpty();
        assertThatThrownBy(() -> InetDiag.localPortFilter(Set.of(0))).isInstanceOf(IllegalArgumentException.class);
    }

    /** {@code length} bytes from {@code at}, unsigned, in the buffer's order as the kernel reads them on this host. */
    private static int[] bytes(ByteBuffer buffer, int at, int length) {
        int[] bytes = new int[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = Byte.toUnsignedInt(buffer.get(at + i));
        }
        return bytes;
    }

    private static List<byte[]> datagrams(String resource) throws IOException {
        try (InputStream in = InetDiagLookupReplyTest.class.getResourceAsStream("/netlink/" + resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> HexFormat.of().parseHex(line.trim()))
                    .collect(Collectors.toList());
        }
    }
}
