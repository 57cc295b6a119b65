package io.github.sockleak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * The kernel's {@code TcpExt} counters from {@code /proc/net/netstat}, or the change of them between two
 * readings ({@link #since(TcpCounters)}).
 *
 * <p>These counters belong to the network namespace, not to a socket or a process: another process of the same
 * namespace moves them too, so a change is exactly this test's only when nothing else runs.
 */
public final class TcpCounters {

    /** A SYN or the handshake's last ACK arrived while a listener's accept queue was full. */
    public static final String LISTEN_OVERFLOWS = "ListenOverflows";
    /** Every {@link #LISTEN_OVERFLOWS}, plus other listener drops (SYN queue full, no memory). */
    public static final String LISTEN_DROPS = "ListenDrops";

    private static final String PREFIX = "TcpExt:";

    private final Names names;
    private final long[] values;

    private TcpCounters(Names names, long[] values) {
        this.names = names;
        this.values = values;
    }

    /**
     * The counters' names as one kernel prints them, each with its column. The line is the same at every reading, so
     * the last one parsed is kept: a reading then only parses its numbers, a third of its cost on top of the kernel's
     * printing of the file.
     */
    private record Names(String line, String[] list, Map<String, Integer> columns) {
        private static volatile Names last;

        static Names of(String line) {
            Names known = last;
            if (known != null && known.line.equals(line)) {
                return known;
            }
            String[] list = line.trim().split("\\s+");
            Map<String, Integer> columns = new HashMap<>();
            for (int i = 0; i < list.length; i++) {
                columns.put(list[i], i);
            }
            last = new Names(line, list, Map.copyOf(columns));
            return last;
        }
    }

    /**
     * Reads the counters now from {@code /proc/net/netstat}.
     *
     * @return the counters now
     */
    public static TcpCounters read() {
        return read(Path.of("/proc/net/netstat"));
    }

    static TcpCounters read(Path file) {
        try {
            return parse(file.toString(), new String(Files.readAllBytes(file), StandardCharsets.US_ASCII));
        } catch (NoSuchFileException e) {
            throw new SocketSnapshotException(file + " does not exist: the kernel's TCP counters are a Linux procfs file", e);
        } catch (IOException e) {
            throw new SocketSnapshotException("cannot read " + file + ": " + e, e);
        }
    }

    /** The first pair of {@code TcpExt:} lines of {@code text}: the names, then the numbers. */
    static TcpCounters parse(String fileName, String text) {
        List<String> lines = text.lines().collect(Collectors.toList());
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).startsWith(PREFIX) && lines.get(i + 1).startsWith(PREFIX)) {
                Names names = Names.of(lines.get(i).substring(PREFIX.length()));
                return new TcpCounters(names, numbers(fileName, i + 2, lines.get(i + 1).substring(PREFIX.length()), names));
            }
        }
        throw new SocketSnapshotException(fileName + " has no pair of 'TcpExt:' lines");
    }

    /** The numbers of line {@code lineNumber}, one per name, or a failure that says which one is wrong. */
    private static long[] numbers(String fileName, int lineNumber, String line, Names names) {
        long[] values = new long[names.list().length];
        int count = 0;
        int at = 0;
        while (at < line.length()) {
            if (Character.isWhitespace(line.charAt(at))) {
                at++;
                continue;
            }
            int end = at;
            while (end < line.length() && !Character.isWhitespace(line.charAt(end))) {
                end++;
            }
            String number = line.substring(at, end);
            if (count < values.length) {
                try {
                    values[count] = Long.parseLong(number);
                } catch (NumberFormatException e) {
                    throw new SocketSnapshotException(fileName + " line " + lineNumber + ": TcpExt value of "
                            + names.list()[count] + " is '" + number + "', not a number", e);
                }
            }
            count++;
            at = end;
        }
        if (count != values.length) {
            throw new SocketSnapshotException(fileName + " line " + (lineNumber - 1) + ": " + values.length
                    + " TcpExt names but " + count + " values");
        }
        return values;
    }

    /**
     * The counter called {@code name} as the kernel spells it ({@code "ListenOverflows"}), if this kernel has it.
     *
     * @param name the counter's name as the kernel spells it
     * @return the value, or empty
     */
    public OptionalLong get(String name) {
        Integer column = names.columns().get(name);
        return column == null ? OptionalLong.empty() : OptionalLong.of(values[column]);
    }

    /**
     * The {@code ListenOverflows} counter, 0 when this kernel lacks it.
     *
     * @return the count since boot
     */
    public long listenOverflows() {
        return get(LISTEN_OVERFLOWS).orElse(0);
    }

    /**
     * The {@code ListenDrops} counter, 0 when this kernel lacks it.
     *
     * @return the count since boot
     */
    public long listenDrops() {
        return get(LISTEN_DROPS).orElse(0);
    }

    /**
     * How much each counter moved from {@code before} to this reading.
     *
     * @param before the earlier reading
     * @return the diff from {@code before} to this snapshot
     */
    public TcpCounters since(TcpCounters before) {
        long[] change = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            OptionalLong earlier = before.names == names ? OptionalLong.of(before.values[i]) : before.get(names.list()[i]);
            change[i] = values[i] - earlier.orElse(values[i]);
        }
        return new TcpCounters(names, change);
    }

    /** The counters that are not zero, as {@code name=value}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("TcpExt{");
        for (int i = 0; i < values.length; i++) {
            if (values[i] != 0) {
                text.append(text.length() > 7 ? ", " : "").append(names.list()[i]).append('=').append(values[i]);
            }
        }
        return text.append('}').toString();
    }
}
