package io.github.sockleak.internal.netlink;

/**
 * The cookies of one dump, to drop a socket the kernel sends twice. A dump of the whole table adds one cookie per
 * socket, tens of thousands, so they are kept as plain {@code long}s in an open-addressing table: a
 * {@code HashSet<Long>} would box each one and allocate a node for it.
 */
final class CookieSet {

    /**
     * The room the last whole-table set needed: a namespace changes little between two snapshots, so the next one
     * starts there instead of growing, and copying, its way up again.
     */
    private static volatile int lastCapacity = 1024;

    private long[] slots;
    /** Cookie 0 would be an empty slot: kept aside. */
    private boolean hasZero;
    private int size;

    /** For a dump of a few ports: a small table. */
    CookieSet() {
        slots = new long[1024];
    }

    /** For a dump of the whole table: as large as the last one grew. */
    static CookieSet forWholeTable() {
        return new CookieSet(lastCapacity);
    }

    private CookieSet(int capacity) {
        slots = new long[capacity];
    }

    /** Remembers the room this set's cookies need, for the next whole-table dump: more if it grew, less if it shrank. */
    void done() {
        lastCapacity = Math.max(1024, Integer.highestOneBit(2 * size + 1) << 1);
    }

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
