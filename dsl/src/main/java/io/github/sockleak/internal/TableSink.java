package io.github.sockleak.internal;

import java.util.Collection;

/**
 * Where a source puts what it reads, as it reads it: a dump of the whole table hands each row over while its
 * datagram is still in the cache, instead of keeping a hundred thousand rows for a second pass.
 */
public interface TableSink extends RowSink {

    /**
     * Inodes of sockets on this process's descriptors. A source calls this before its rows and again after them, for
     * the descriptors opened meanwhile: a socket is this process's when any call named its inode.
     */
    void ownInodes(Collection<Long> inodes);
}
