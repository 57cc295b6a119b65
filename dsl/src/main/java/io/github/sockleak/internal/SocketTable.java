package io.github.sockleak.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

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

    /** The table of what {@code reader} hands the sink it is given. */
    public static SocketTable of(Consumer<TableSink> reader) {
        List<RawSocketRow> rows = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Set<Long> ownInodes = new HashSet<>();
        reader.accept(TableSink.of(RowSink.into(rows, skipped), ownInodes::addAll));
        return new SocketTable(rows, skipped, ownInodes);
    }

    /** Hands everything over to {@code sink}: the inodes, then the rows, then the skipped lines. */
    public void into(TableSink sink) {
        sink.ownInodes(ownInodes);
        rows.forEach(sink::row);
        skipped.forEach(sink::skipped);
    }
}
