package io.github.sockleak;

import io.github.sockleak.internal.Addresses;
import io.github.sockleak.internal.RawSocketRow;
import io.github.sockleak.internal.SocketTable;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Snapshots written the way {@code ss -tan} prints them, for policy tests that need exact tables rather than a
 * kernel: one socket a line, {@code State Recv-Q Send-Q Local:Port Peer:Port}, then {@code ino:N} (0 when no
 * descriptor holds it), {@code own} when the descriptor is this process's, {@code cookie:N} and, for a listener,
 * {@code backlog:N} and {@code drops:N} as netlink gives them. IPv4 only; {@code *} is the wildcard.
 *
 * <pre>
 * LISTEN     0 50 127.0.0.1:5000  0.0.0.0:*        ino:11 own
 * CLOSE-WAIT 1 0  127.0.0.1:5000  127.0.0.1:40000  ino:0
 * </pre>
 */
public final class SsText {

    private SsText() {
    }

    /** A snapshot of the namespace holding exactly these rows, as if read from {@code source}. */
    public static SocketSnapshot snapshot(SnapshotSource source, String rows) {
        Set<Long> own = new HashSet<>();
        List<RawSocketRow> parsed = rows(rows, own);
        return SnapshotBuilder.build(source, SnapshotCoverage.NAMESPACE, "written as ss prints it",
                new SocketTable(parsed, List.of(), own));
    }

    /** The rows of {@code text}, in its order; the inodes marked {@code own} go to {@code own}. */
    static List<RawSocketRow> rows(String text, Set<Long> own) {
        List<RawSocketRow> parsed = new ArrayList<>();
        for (String line : text.strip().split("\n")) {
            if (!line.isBlank()) {
                parsed.add(row(line.trim().split("\\s+"), own));
            }
        }
        return parsed;
    }

    private static RawSocketRow row(String[] columns, Set<Long> own) {
        long inode = 0;
        OptionalLong cookie = OptionalLong.empty();
        OptionalInt backlog = OptionalInt.empty();
        OptionalLong drops = OptionalLong.empty();
        for (int i = 5; i < columns.length; i++) {
            String[] option = columns[i].split(":", 2);
            switch (option[0]) {
                case "ino" -> inode = Long.parseLong(option[1]);
                case "own" -> own.add(inode);
                case "cookie" -> cookie = OptionalLong.of(Long.parseLong(option[1]));
                case "backlog" -> backlog = OptionalInt.of(Integer.parseInt(option[1]));
                case "drops" -> drops = OptionalLong.of(Long.parseLong(option[1]));
                default -> throw new IllegalArgumentException("unknown column '" + columns[i] + "'");
            }
        }
        return new RawSocketRow(StandardProtocolFamily.INET, TcpState.parse(columns[0]), address(columns[3]), port(columns[3]),
                address(columns[4]), port(columns[4]), Long.parseLong(columns[2]), Long.parseLong(columns[1]), 1000, inode,
                cookie, backlog, drops);
    }

    private static InetAddress address(String endpoint) {
        String host = endpoint.substring(0, endpoint.lastIndexOf(':'));
        try {
            return host.equals("*") ? Addresses.of(new byte[4]) : InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + host, e);
        }
    }

    private static int port(String endpoint) {
        String port = endpoint.substring(endpoint.lastIndexOf(':') + 1);
        return port.equals("*") ? 0 : Integer.parseInt(port);
    }
}
