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
            String line = new String(content, start, (end < 0 ? content.length : end) - start, StandardCharsets.US_ASCII);
            if (end < 0) {
                skipped.add(fileName + " line " + lineNumber + ": truncated (no newline at the end): '" + abbreviate(line) + "'");
                break;
            }
            start = end + 1;
            if (line.isBlank()) {
                continue;
            }
            try {
                rows.add(parseRow(line));
            } catch (IllegalArgumentException e) {
                skipped.add(fileName + " line " + lineNumber + ": " + e.getMessage() + ": '" + abbreviate(line.trim()) + "'");
            }
        }
    }

    private RawSocketRow parseRow(String line) {
        String[] columns = line.trim().split("\\s+");
        if (columns.length < REQUIRED_COLUMNS) {
            throw new IllegalArgumentException(columns.length + " columns, expected at least " + REQUIRED_COLUMNS);
        }
        if (!columns[0].endsWith(":")) {
            throw new IllegalArgumentException("row number '" + columns[0] + "' does not end with ':'");
        }
        String[] local = split(columns[1], "local address");
        String[] remote = split(columns[2], "remote address");
        TcpState state = state(columns[3]);
        String[] queues = split(columns[4], "tx_queue:rx_queue");
        split(columns[5], "tr:tm->when");
        return new RawSocketRow(
                family,
                state,
                address(local[0]),
                port(local[1]),
                address(remote[0]),
                port(remote[1]),
                hex(queues[0], 8, "tx_queue"),
                hex(queues[1], 8, "rx_queue"),
                (int) decimal(columns[7], "uid", 0xFFFF_FFFFL),
                decimal(columns[9], "inode", Long.MAX_VALUE),
                OptionalLong.empty(),
                OptionalInt.empty());
    }

    private static TcpState state(String column) {
        int code = (int) hex(column, 2, "state");
        try {
            return TcpState.ofCode(code);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown state 0x" + column, e);
        }
    }

    private InetAddress address(String hex) {
        if (hex.length() != addressHexDigits) {
            throw new IllegalArgumentException("address '" + hex + "' has " + hex.length() + " hex digits, expected " + addressHexDigits);
        }
        byte[] bytes = new byte[addressHexDigits / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            long value = hex(hex.substring(word * 8, word * 8 + 8), 8, "address");
            // The kernel prints each 32-bit word in host byte order; undo that to get network order.
            for (int i = 0; i < 4; i++) {
                int shift = LITTLE_ENDIAN ? 8 * i : 8 * (3 - i);
                bytes[word * 4 + i] = (byte) (value >>> shift);
            }
        }
        return Addresses.of(bytes);
    }

    private static int port(String hex) {
        return (int) hex(hex, 4, "port");
    }

    private static String[] split(String column, String what) {
        int colon = column.indexOf(':');
        if (colon <= 0 || colon == column.length() - 1 || column.indexOf(':', colon + 1) >= 0) {
            throw new IllegalArgumentException(what + " '" + column + "' is not two fields joined by ':'");
        }
        return new String[] {column.substring(0, colon), column.substring(colon + 1)};
    }

    private static long hex(String text, int maxDigits, String what) {
        if (text.isEmpty() || text.length() > maxDigits) {
            throw new IllegalArgumentException(what + " '" + text + "' is not 1 to " + maxDigits + " hex digits");
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0) {
                throw new IllegalArgumentException(what + " '" + text + "' is not hexadecimal");
            }
            value = (value << 4) | digit;
        }
        return value;
    }

    private static long decimal(String text, String what, long max) {
        if (text.isEmpty() || text.length() > 18) {
            throw new IllegalArgumentException(what + " '" + text + "' is not a decimal number");
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException(what + " '" + text + "' is not a decimal number");
            }
            value = value * 10 + (c - '0');
        }
        if (value > max) {
            throw new IllegalArgumentException(what + " '" + text + "' is out of range");
        }
        return value;
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
