package io.github.sockleak.internal;

import io.github.sockleak.SocketSnapshotException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the TCP tables of this network namespace from {@code /proc/net/tcp} and {@code /proc/net/tcp6}, and
 * this process's socket inodes from {@code /proc/self/fd}.
 *
 * <p>The tables and the descriptors cannot be read atomically. The descriptors are read before and after the
 * tables and the two sets joined, so a socket opened or closed while the tables are read still counts as ours.
 */
public final class ProcfsSocketSource implements SocketSource {

    private static final String SOCKET_LINK_PREFIX = "socket:[";

    private final Path proc;

    /** @param proc the procfs mount, {@code /proc} except in tests */
    public ProcfsSocketSource(Path proc) {
        this.proc = proc;
    }

    public static ProcfsSocketSource system() {
        return new ProcfsSocketSource(Path.of("/proc"));
    }

    /** Whether this machine has the files this source reads: Linux with procfs mounted. */
    public boolean isAvailable() {
        return Files.isReadable(proc.resolve("net/tcp"));
    }

    /** Hands over the rows of {@link #read()}: the rows of a page can repeat, so the table is read whole first. */
    @Override
    public void read(TableSink sink) {
        read().into(sink);
    }

    /** The namespace's TCP sockets now, and this process's socket inodes. */
    public SocketTable read() {
        Path tcp = proc.resolve("net/tcp");
        if (Files.notExists(tcp)) {
            // Checked first: without procfs, self/fd is missing too, and failing on that would not say why.
            throw notLinux(tcp, null);
        }
        Set<Long> ownInodes = ownSocketInodes();
        List<RawSocketRow> rows = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        readTable("net/tcp", StandardProtocolFamily.INET, true, rows, skipped);
        // Without IPv6 support in the kernel there is no tcp6, and no IPv6 socket either.
        readTable("net/tcp6", StandardProtocolFamily.INET6, false, rows, skipped);
        ownInodes.addAll(ownSocketInodes());
        return new SocketTable(withoutRepeats(rows), skipped, ownInodes);
    }

    /**
     * The kernel prints a table a page per {@code read()} and finds its place again for the next one; when sockets
     * come and go meanwhile, the same row can be printed twice (measured: up to 40 times under churn). One socket
     * has one row: the same table, state, endpoints and inode are the same socket, whatever its queues said.
     */
    private static List<RawSocketRow> withoutRepeats(List<RawSocketRow> rows) {
        Map<List<Object>, RawSocketRow> unique = new LinkedHashMap<>();
        for (RawSocketRow row : rows) {
            unique.putIfAbsent(List.of(row.family(), row.state(), row.local(), row.localPort(), row.remote(),
                    row.remotePort(), row.inode()), row);
        }
        return unique.size() == rows.size() ? rows : new ArrayList<>(unique.values());
    }

    private void readTable(String name, StandardProtocolFamily family, boolean required,
                           List<RawSocketRow> rows, List<String> skipped) {
        Path file = proc.resolve(name);
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            if (!required) {
                return;
            }
            throw notLinux(file, e);
        } catch (IOException e) {
            throw new SocketSnapshotException("cannot read " + file + ": " + e, e);
        }
        new ProcNetTcpParser(file.toString(), family).parse(content, rows, skipped);
    }

    private static SocketSnapshotException notLinux(Path file, NoSuchFileException cause) {
        return new SocketSnapshotException(file + " does not exist: sockleak reads the kernel's TCP table from"
                + " procfs, which only Linux has (os.name=" + System.getProperty("os.name") + ")", cause);
    }

    /**
     * A running JVM always holds descriptors (its jars, its standard streams), so an empty listing is a procfs that
     * does not show this process (a sandbox, a mount of another namespace's procfs). Read as "no socket is ours",
     * every leak would pass unseen.
     */
    public static SocketSnapshotException emptyDescriptorListing(String directory) {
        return new SocketSnapshotException(directory + " lists no descriptor at all, though this process holds some:"
                + " this procfs does not show this process, so its sockets cannot be told from others' and the check"
                + " cannot run");
    }

    /** The inode of every socket this process has a file descriptor for. */
    public Set<Long> ownSocketInodes() {
        return new HashSet<>(ownSocketDescriptors().values());
    }

    /**
     * Each of this process's file descriptors that refers to a socket, with that socket's inode: TCP and every
     * other kind (Unix, UDP, netlink), since the link does not say which.
     */
    public Map<Integer, Long> ownSocketDescriptors() {
        Path fds = proc.resolve("self/fd");
        Map<Integer, Long> sockets = new HashMap<>();
        int listed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(fds)) {
            for (Path fd : entries) {
                listed++;
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException | UnsupportedOperationException e) {
                    continue; // closed since the listing, or not a link: not a socket of ours either way
                }
                if (target.startsWith(SOCKET_LINK_PREFIX) && target.endsWith("]")) {
                    try {
                        sockets.put(Integer.parseInt(fd.getFileName().toString()),
                                Long.parseLong(target.substring(SOCKET_LINK_PREFIX.length(), target.length() - 1)));
                    } catch (NumberFormatException ignored) {
                        // the kernel always prints numbers here; anything else is not a socket we can match
                    }
                }
            }
        } catch (IOException e) {
            throw new SocketSnapshotException("cannot list " + fds + " to find this process's sockets: " + e, e);
        }
        if (listed == 0) {
            throw emptyDescriptorListing(fds.toString());
        }
        return sockets;
    }
}
