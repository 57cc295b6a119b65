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
     * {@code sl local rem st tx:rx tr:when retrnsmt uid timeout inode refcnt pointer}: every row the kernel prints has
     * these (TIME-WAIT and SYN-RECV rows end there, full sockets have five more). A shorter row lost a column, and
     * read by position its refcount could pass for the inode.
     */
    private static final int REQUIRED_COLUMNS = 12;
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    private final String fileName;
    private final StandardProtocolFamily family;
    private final int addressHexDigits;

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
     * @return the row, or null for a blank line
     */
    private RawSocketRow parseRow(byte[] content, int from, int to) {
        int[] starts = new int[REQUIRED_COLUMNS];
        int[] ends = new int[REQUIRED_COLUMNS];
        int columns = 0;
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
            if (columns < REQUIRED_COLUMNS) {
                starts[columns] = columnStart;
                ends[columns] = i;
            }
            columns++;
        }
        if (columns == 0) {
            return null;
        }
        if (columns < REQUIRED_COLUMNS) {
            throw new IllegalArgumentException(columns + " columns, expected at least " + REQUIRED_COLUMNS);
        }
        if (content[ends[0] - 1] != ':') {
            throw new IllegalArgumentException("row number '" + text(content, starts[0], ends[0]) + "' does not end with ':'");
        }
        int localColon = colon(content, starts[1], ends[1], "local address");
        int remoteColon = colon(content, starts[2], ends[2], "remote address");
        int queuesColon = colon(content, starts[4], ends[4], "tx_queue:rx_queue");
        colon(content, starts[5], ends[5], "tr:tm->when");
        return new RawSocketRow(
                family,
                state(content, starts[3], ends[3]),
                address(content, starts[1], localColon),
                port(content, localColon + 1, ends[1]),
                address(content, starts[2], remoteColon),
                port(content, remoteColon + 1, ends[2]),
                hex(content, starts[4], queuesColon, 8, "tx_queue"),
                hex(content, queuesColon + 1, ends[4], 8, "rx_queue"),
                (int) decimal(content, starts[7], ends[7], "uid", 0xFFFF_FFFFL),
                decimal(content, starts[9], ends[9], "inode", Long.MAX_VALUE),
                OptionalLong.empty(),
                OptionalInt.empty(),
                OptionalLong.empty()); // /proc/net/tcp prints no drop count
    }

    private static TcpState state(byte[] content, int from, int to) {
        int code = (int) hex(content, from, to, 2, "state");
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
        byte[] bytes = new byte[addressHexDigits / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            long value = hex(content, from + word * 8, from + word * 8 + 8, 8, "address");
            // The kernel prints each 32-bit word in host byte order; undo that to get network order.
            for (int i = 0; i < 4; i++) {
                int shift = LITTLE_ENDIAN ? 8 * i : 8 * (3 - i);
                bytes[word * 4 + i] = (byte) (value >>> shift);
            }
        }
        return Addresses.of(bytes);
    }

    private static int port(byte[] content, int from, int to) {
        return (int) hex(content, from, to, 4, "port");
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

    private static long hex(byte[] content, int from, int to, int maxDigits, String what) {
        if (to == from || to - from > maxDigits) {
            throw new IllegalArgumentException(what + " '" + text(content, from, to) + "' is not 1 to " + maxDigits + " hex digits");
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

    private static long decimal(byte[] content, int from, int to, String what, long max) {
        if (to == from || to - from > 18) {
            throw new IllegalArgumentException(what + " '" + text(content, from, to) + "' is not a decimal number");
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            byte c = content[i];
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException(what + " '" + text(content, from, to) + "' is not a decimal number");
            }
            value = value * 10 + (c - '0');
        }
        if (value > max) {
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
