package io.github.sockleak.internal;

import java.util.List;
import java.util.Set;

/**
 * What a source read from the kernel: the rows, and a line for each row it had to skip.
 *
 * @param ownInodes the inodes of the sockets on this process's file descriptors
 */
public record SocketTable(List<RawSocketRow> rows, List<String> skipped, Set<Long> ownInodes) {

    public SocketTable {
        rows = List.copyOf(rows);
        skipped = List.copyOf(skipped);
        ownInodes = Set.copyOf(ownInodes);
    }

    /** Hands everything over to {@code sink}: the inodes, then the rows, then the skipped lines. */
    public void into(TableSink sink) {
        sink.ownInodes(ownInodes);
        rows.forEach(sink::row);
        skipped.forEach(sink::skipped);
    }
}
