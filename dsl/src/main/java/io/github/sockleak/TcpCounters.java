package io.github.sockleak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

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

    private final Map<String, Long> values;

    private TcpCounters(Map<String, Long> values) {
        this.values = Map.copyOf(values);
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
            return parse(file.toString(), Files.readAllLines(file));
        } catch (NoSuchFileException e) {
            throw new SocketSnapshotException(file + " does not exist: the kernel's TCP counters are a Linux procfs file", e);
        } catch (IOException e) {
            throw new SocketSnapshotException("cannot read " + file + ": " + e, e);
        }
    }

    static TcpCounters parse(String fileName, List<String> lines) {
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).startsWith(PREFIX) && lines.get(i + 1).startsWith(PREFIX)) {
                String[] names = lines.get(i).substring(PREFIX.length()).trim().split("\\s+");
                String[] numbers = lines.get(i + 1).substring(PREFIX.length()).trim().split("\\s+");
                if (names.length != numbers.length) {
                    throw new SocketSnapshotException(fileName + " line " + (i + 1) + ": " + names.length
                            + " TcpExt names but " + numbers.length + " values");
                }
                Map<String, Long> values = new LinkedHashMap<>();
                for (int n = 0; n < names.length; n++) {
                    try {
                        values.put(names[n], Long.parseLong(numbers[n]));
                    } catch (NumberFormatException e) {
                        throw new SocketSnapshotException(fileName + " line " + (i + 2) + ": TcpExt value of "
                                + names[n] + " is '" + numbers[n] + "', not a number", e);
                    }
                }
                return new TcpCounters(values);
            }
        }
        throw new SocketSnapshotException(fileName + " has no pair of 'TcpExt:' lines");
    }

    /**
     * The counter called {@code name} as the kernel spells it ({@code "ListenOverflows"}), if this kernel has it.
     *
     * @param name the counter's name as the kernel spells it
     * @return the value, or empty
     */
    public OptionalLong get(String name) {
        Long value = values.get(name);
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
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
        Map<String, Long> change = new LinkedHashMap<>();
        values.forEach((name, value) -> change.put(name, value - before.values.getOrDefault(name, value)));
        return new TcpCounters(change);
    }

    /** The counters that are not zero, as {@code name=value}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("TcpExt{");
        values.forEach((name, value) -> {
            if (value != 0) {
                text.append(text.length() > 7 ? ", " : "").append(name).append('=').append(value);
            }
        });
        return text.append('}').toString();
    }
}
