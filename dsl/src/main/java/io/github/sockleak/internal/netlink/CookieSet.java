package io.github.sockleak.internal.netlink;

/**
 * The cookies of one dump, to drop a socket the kernel sends twice. A dump of the whole table adds one cookie per
 * socket, tens of thousands, so they are kept as plain {@code long}s in an open-addressing table: a
 * {@code HashSet<Long>} would box each one and allocate a node for it.
 */
final class CookieSet {

    private long[] slots = new long[1024];
    /** Cookie 0 would be an empty slot: kept aside. */
    private boolean hasZero;
    private int size;

    /** Adds {@code cookie}; whether it was new. */
    boolean add(long cookie) {
        if (cookie == 0) {
            boolean added = !hasZero;
            hasZero = true;
            return added;
        }
        if (2 * (size + 1) > slots.length) {
            grow();
        }
        if (!insert(slots, cookie)) {
            return false;
        }
        size++;
        return true;
    }

    private static boolean insert(long[] table, long cookie) {
        int mask = table.length - 1;
        // The kernel hands cookies out from one counter, in runs per CPU, so a dump's cookies are mostly dense: their
        // low bits put neighbours in neighbouring slots, and the table is filled in order instead of missing the cache
        // on every insert, which a mixing hash made most of a large dump's decoding time. The higher bits folded in
        // change only every 65,536 cookies, and keep cookies far apart from landing on one slot.
        int i = (int) (cookie ^ (cookie >>> 16) ^ (cookie >>> 32)) & mask;
        while (table[i] != 0) {
            if (table[i] == cookie) {
                return false;
            }
            i = (i + 1) & mask;
        }
        table[i] = cookie;
        return true;
    }

    private void grow() {
        long[] larger = new long[slots.length * 2];
        for (long cookie : slots) {
            if (cookie != 0) {
                insert(larger, cookie);
            }
        }
        slots = larger;
    }
}
