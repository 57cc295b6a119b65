package io.github.sockleak.internal;

import io.github.sockleak.SocketSnapshotException;
import io.github.sockleak.TcpState;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Parses {@code /proc/net/tcp} and {@code /proc/net/tcp6}.
 *
 * <p>A row that does not look exactly like the kernel's is skipped and described in {@code skipped}, never
 * guessed at: a wrong socket is worse than a missing one, and the caller shows what was skipped. A file
 * that does not start with the kernel's header is rejected as a whole. The last line must end with a
 * newline: a row cut short could otherwise pass with a truncated inode.
 */
public final class ProcNetTcpParser {

    /**
     * {@code sl local rem st tx:rx tr:when retrnsmt uid timeout inode refcnt pointer}: the row of a request
     * ({@code get_openreq4}, {@code get_openreq6}) or a timewait socket ({@code get_timewait4}, {@code get_timewait6})
     * ends there.
     */
    private static final int SHORT_ROW = 12;
    /** A full socket's row ({@code get_tcp4_sock}, {@code get_tcp6_sock}) goes on: {@code rto ato qack cwnd ssthresh}. */
    private static final int FULL_ROW = 17;
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private final String fileName;
    private final StandardProtocolFamily family;
    private final int addressHexDigits;
    /** Where each column of the current row starts and ends: one parser reads one file, so one pair of arrays does. */
    private final int[] starts = new int[FULL_ROW];
    private final int[] ends = new int[FULL_ROW];
    /** The file's rows share a handful of addresses, which a snapshot keeps: each is built once. */
    private final AddressCache addresses = new AddressCache();

    public ProcNetTcpParser(String fileName, StandardProtocolFamily family) {
        this.fileName = fileName;
        this.family = family;
        this.addressHexDigits = family == StandardProtocolFamily.INET ? 8 : 32;
    }

    /** Appends the rows of {@code content} to {@code rows}, and a line per rejected row to {@code skipped}. */
    public void parse(byte[] content, List<RawSocketRow> rows, List<String> skipped) {
        int headerEnd = indexOf(content, (byte) '\n', 0);
        if (headerEnd < 0) {
            throw new SocketSnapshotException(fileName + " is " + (content.length == 0 ? "empty" : "one unterminated line")
                    + "; expected the kernel's header line '  sl  local_address rem_address st ...'");
        }
        String header = new String(content, 0, headerEnd, StandardCharsets.US_ASCII).trim();
        if (!header.startsWith("sl") || !header.contains("local_address") || !header.contains("inode")) {
            throw new SocketSnapshotException(fileName + " does not start with the kernel's header line"
                    + " '  sl  local_address rem_address st ...'; found '" + abbreviate(header) + "'");
        }
        int lineNumber = 1;
        for (int start = headerEnd + 1; start < content.length; ) {
            lineNumber++;
            int end = indexOf(content, (byte) '\n', start);
            if (end < 0) {
                skipped.add(fileName + " line " + lineNumber + ": truncated (no newline at the end): '"
                        + abbreviate(text(content, start, content.length)) + "'");
                break;
            }
            try {
                RawSocketRow row = parseRow(content, start, end);
                if (row != null) {
                    rows.add(row);
                }
            } catch (IllegalArgumentException e) {
                skipped.add(fileName + " line " + lineNumber + ": " + e.getMessage() + ": '"
                        + abbreviate(text(content, start, end).trim()) + "'");
            }
            start = end + 1;
        }
    }

    /**
     * Parses the row in {@code content[from, to)} where it lies: a table can hold tens of thousands of rows, and
     * a {@code String} per row and per column would cost more than the kernel takes to print them.
     *
     * <p>Every column is checked against the kernel's format ({@code %08X} is 8 hex digits, {@code %5u} a decimal),
     * not only the ones read: a row that lost, gained or merged a column lines its columns up wrongly, and only
     * their shapes show it.
     *
     * @return the row, or null for a blank line
     */
    private RawSocketRow parseRow(byte[] content, int from, int to) {
        int columns = 0;
        int rowNumbers = 0;
        for (int i = from; i < to; ) {
            while (i < to && isBlank(content[i])) {
                i++;
            }
            if (i == to) {
                break;
            }
            int columnStart = i;
            while (i < to && !isBlank(content[i])) {
                i++;
            }
            if (columns < FULL_ROW) {
                starts[columns] = columnStart;
                ends[columns] = i;
            }
            columns++;
            if (isRowNumber(content, columnStart, i)) {
                rowNumbers++;
            }
        }
        if (columns == 0) {
            return null;
        }
        if (rowNumbers > 1) {
            throw new IllegalArgumentException(rowNumbers + " rows run together on one line (" + columns + " columns)");
        }
        if (columns != FULL_ROW && columns != SHORT_ROW) {
            throw new IllegalArgumentException(columns + " columns, expected " + FULL_ROW + " (a full socket) or "
                    + SHORT_ROW + " (a request or timewait socket)");
        }
        if (content[ends[0] - 1] != ':') {
            throw new IllegalArgumentException("row number '" + text(content, starts[0], ends[0]) + "' does not end with ':'");
        }
        decimal(content, starts[0], ends[0] - 1, "row number", 0, Integer.MAX_VALUE);
        int localColon = colon(content, starts[1], ends[1], "local address");
        int remoteColon = colon(content, starts[2], ends[2], "remote address");
        TcpState state = state(content, starts[3], ends[3]);
        checkShape(columns, state);
        int queuesColon = colon(content, starts[4], ends[4], "tx_queue:rx_queue");
        int timerColon = colon(content, starts[5], ends[5], "tr:tm->when");
        hex(content, starts[5], timerColon, 2, 2, "tr");
        // %08lX of a long: 8 digits at least, 16 for a negative one (kernels before jiffies_delta_to_clock_t printed
        // those; a 32-bit kernel's long has 8).
        hex(content, timerColon + 1, ends[5], 8, 16, "tm->when");
        hex(content, starts[6], ends[6], 8, 8, "retrnsmt");
        int uid = (int) decimal(content, starts[7], ends[7], "uid", 0, 0xFFFF_FFFFL);
        decimal(content, starts[8], ends[8], "timeout", Integer.MIN_VALUE, Integer.MAX_VALUE);
        long inode = decimal(content, starts[9], ends[9], "inode", 0, Long.MAX_VALUE);
        decimal(content, starts[10], ends[10], "refcnt", Integer.MIN_VALUE, Integer.MAX_VALUE);
        pointer(content, starts[11], ends[11]);
        if (columns == SHORT_ROW && inode != 0) {
            // Both print a constant 0 there; a full socket's row cut after its pointer would not.
            throw new IllegalArgumentException(SHORT_ROW + " columns with inode " + inode
                    + ": a request or timewait socket has none");
        }
        if (columns == FULL_ROW) {
            decimal(content, starts[12], ends[12], "rto", 0, Long.MAX_VALUE);
            decimal(content, starts[13], ends[13], "ato", 0, Long.MAX_VALUE);
            decimal(content, starts[14], ends[14], "qack", 0, 0xFFFF_FFFFL);
            decimal(content, starts[15], ends[15], "cwnd", 0, 0xFFFF_FFFFL);
            decimal(content, starts[16], ends[16], "ssthresh", Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
        return new RawSocketRow(
                family,
                state,
                address(content, starts[1], localColon),
                port(content, localColon + 1, ends[1]),
                address(content, starts[2], remoteColon),
                port(content, remoteColon + 1, ends[2]),
                hex(content, starts[4], queuesColon, 8, 8, "tx_queue"),
                hex(content, queuesColon + 1, ends[4], 8, 8, "rx_queue"),
                uid,
                inode,
                OptionalLong.empty(),
                OptionalInt.empty(),
                OptionalLong.empty()); // /proc/net/tcp prints no drop count
    }

    /**
     * Whether the kernel prints a socket in {@code state} in a row of {@code columns}: a request always as SYN-RECV,
     * a timewait socket as TIME-WAIT or, its substate, FIN-WAIT-2, both in short rows; a full socket in any state
     * but those two in a full row, SYN-RECV (a Fast Open child) and FIN-WAIT-2 included.
     */
    private static void checkShape(int columns, TcpState state) {
        if (columns == SHORT_ROW && state != TcpState.SYN_RECV && state != TcpState.FIN_WAIT2 && state != TcpState.TIME_WAIT) {
            throw new IllegalArgumentException(SHORT_ROW + " columns in state " + code(state)
                    + ": only a request (0x03) or a timewait socket (0x05, 0x06) ends after the pointer");
        }
        if (columns == FULL_ROW && state == TcpState.TIME_WAIT) {
            throw new IllegalArgumentException(FULL_ROW + " columns in state " + code(state)
                    + ": a timewait socket ends after the pointer");
        }
        if (columns == FULL_ROW && state == TcpState.NEW_SYN_RECV) {
            throw new IllegalArgumentException(FULL_ROW + " columns in state " + code(state)
                    + ": the kernel prints a request as 0x03, in " + SHORT_ROW + " columns");
        }
    }

    private static String code(TcpState state) {
        return String.format("0x%02X", state.code());
    }

    /** {@code %4d:}: the one column that is digits and a ':', so a second one is a second row whose newline was lost. */
    private static boolean isRowNumber(byte[] content, int from, int to) {
        if (to - from < 2 || content[to - 1] != ':') {
            return false;
        }
        for (int i = from; i < to - 1; i++) {
            if (content[i] < '0' || content[i] > '9') {
                return false;
            }
        }
        return true;
    }

    private static TcpState state(byte[] content, int from, int to) {
        int code = (int) hex(content, from, to, 2, 2, "state");
        try {
            return TcpState.ofCode(code);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown state 0x" + text(content, from, to), e);
        }
    }

    private InetAddress address(byte[] content, int from, int to) {
        if (to - from != addressHexDigits) {
            throw new IllegalArgumentException("address '" + text(content, from, to) + "' has " + (to - from)
                    + " hex digits, expected " + addressHexDigits);
        }
        if (family == StandardProtocolFamily.INET) {
            return addresses.ipv4(word(content, from));
        }
        long high = ((long) word(content, from) << 32) | Integer.toUnsignedLong(word(content, from + 8));
        long low = ((long) word(content, from + 16) << 32) | Integer.toUnsignedLong(word(content, from + 24));
        return addresses.ipv6(high, low);
    }

    /** One 32-bit word of an address: the kernel prints it in host byte order; this undoes that to get network order. */
    private static int word(byte[] content, int from) {
        int value = (int) hex(content, from, from + 8, 8, 8, "address");
        return LITTLE_ENDIAN ? Integer.reverseBytes(value) : value;
    }

    private static int port(byte[] content, int from, int to) {
        return (int) hex(content, from, to, 4, 4, "port");
    }

    /** {@code %pK}: the pointer's width, 16 hex digits on a 64-bit kernel, 8 on a 32-bit one; zeros where hidden. */
    private static void pointer(byte[] content, int from, int to) {
        if (to - from != 8 && to - from != 16) {
            throw new IllegalArgumentException("pointer '" + text(content, from, to) + "' is not 8 or 16 hex digits");
        }
        hex(content, from, to, 8, 16, "pointer");
    }

    /** The position of the one ':' joining the two fields of a column. */
    private static int colon(byte[] content, int from, int to, String what) {
        int colon = -1;
        for (int i = from; i < to; i++) {
            if (content[i] == ':') {
                if (colon >= 0) {
                    colon = -1;
                    break;
                }
                colon = i;
            }
        }
        if (colon <= from || colon == to - 1) {
            throw new IllegalArgumentException(what + " '" + text(content, from, to) + "' is not two fields joined by ':'");
        }
        return colon;
    }

    /** The kernel zero-pads its hex fields ({@code %08X}), so a field of another width is not one it printed. */
    private static long hex(byte[] content, int from, int to, int minDigits, int maxDigits, String what) {
        if (to - from < minDigits || to - from > maxDigits) {
            throw new IllegalArgumentException(what + " '" + text(content, from, to) + "' is not " + minDigits
                    + (maxDigits == minDigits ? "" : " to " + maxDigits) + " hex digits");
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = Character.digit(content[i], 16);
            if (digit < 0) {
                throw new IllegalArgumentException(what + " '" + text(content, from, to) + "' is not hexadecimal");
            }
            value = (value << 4) | digit;
        }
        return value;
    }

    /**
     * A decimal as {@code %d}, {@code %u} or {@code %lu} print it: a minus only where {@code min} is negative, no
     * leading zero ({@code %5u} pads with blanks, so {@code 00} is two columns run together).
     */
    private static long decimal(byte[] content, int from, int to, String what, long min, long max) {
        boolean negative = min < 0 && from < to && content[from] == '-';
        int digits = negative ? from + 1 : from;
        if (digits == to || to - digits > 18 || (to - digits > 1 && content[digits] == '0')) {
            throw new IllegalArgumentException(what + " '" + text(content, from, to) + "' is not a decimal number");
        }
        long value = 0;
        for (int i = digits; i < to; i++) {
            byte c = content[i];
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException(what + " '" + text(content, from, to) + "' is not a decimal number");
            }
            value = value * 10 + (c - '0');
        }
        value = negative ? -value : value;
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " '" + text(content, from, to) + "' is out of range");
        }
        return value;
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == 0x0B || b == '\f';
    }

    private static String text(byte[] content, int from, int to) {
        return new String(content, from, to - from, StandardCharsets.US_ASCII);
    }

    private static int indexOf(byte[] content, byte wanted, int from) {
        for (int i = from; i < content.length; i++) {
            if (content[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
