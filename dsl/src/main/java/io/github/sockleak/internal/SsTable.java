package io.github.sockleak.internal;

import io.github.sockleak.TcpSocket;
import java.util.Collection;

/** Formats sockets the way {@code ss -tan} does, one per line under a header, with owner and inode added. */
public final class SsTable {

    public static final String HEADER = String.format("%-10s %6s %6s %-22s %-22s %s",
            "State", "Recv-Q", "Send-Q", "Local Address:Port", "Peer Address:Port", "Owner");

    private SsTable() {
    }

    public static String of(Collection<TcpSocket> sockets) {
        StringBuilder table = new StringBuilder(HEADER);
        for (TcpSocket socket : sockets) {
            table.append('\n').append(socket);
        }
        return table.toString();
    }
}
