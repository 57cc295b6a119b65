package io.github.sockleak.internal;

import io.github.sockleak.TcpState;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Where a reader puts the rows it decodes, one at a time, in the order it reads them. */
public interface RowSink {

    /** One socket, as the kernel described it. */
    void row(RawSocketRow row);

    /**
     * A socket that is not a listener, with its cookie, given as its fields: what {@link #row} with such a row
     * means. A dump of the whole table is almost all such sockets, and an object per row for the next step to read
     * and drop costs as much as the rest of their decoding, so a sink that builds its own object per socket takes
     * them this way.
     */
    default void connection(StandardProtocolFamily family, TcpState state, InetAddress local, int localPort,
                            InetAddress remote, int remotePort, long sendQ, long recvQ, int uid, long inode, long cookie) {
        row(new RawSocketRow(family, state, local, localPort, remote, remotePort, sendQ, recvQ, uid, inode,
                OptionalLong.of(cookie), OptionalInt.empty(), OptionalLong.empty()));
    }

    /** A line for a row that could not be read. */
    void skipped(String line);

    /** A sink that keeps the rows in {@code rows} and the lines in {@code skipped}. */
    static RowSink into(List<RawSocketRow> rows, List<String> skipped) {
        return new RowSink() {
            @Override
            public void row(RawSocketRow row) {
                rows.add(row);
            }

            @Override
            public void skipped(String line) {
                skipped.add(line);
            }
        };
    }
}
