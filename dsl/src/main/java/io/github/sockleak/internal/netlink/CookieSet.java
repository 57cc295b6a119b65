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
    /** Neighbouring cookies kept in neighbouring slots: two cache lines' worth. */
    private static final int RUN = 16;

    private long[] slots;
    /** Cookie 0 would be an empty slot: kept aside. */
    private boolean hasZero;
    private int size;
    /** How many taken slots the adds have looked at before finding theirs, for a test to see the table clustered. */
    private long collisions;

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
        int passed = insert(slots, cookie);
        if (passed < 0) {
            return false;
        }
        collisions += passed;
        size++;
        return true;
    }

    long collisions() {
        return collisions;
    }

    /** Puts {@code cookie} in {@code table}: how many taken slots it passed, or -1 when it was there already. */
    private static int insert(long[] table, long cookie) {
        int mask = table.length - 1;
        int i = slot(cookie, table.length);
        int passed = 0;
        while (table[i] != 0) {
            if (table[i] == cookie) {
                return -1;
            }
            i = (i + 1) & mask;
            passed++;
        }
        table[i] = cookie;
        return passed;
    }

    /**
     * Where {@code cookie} starts looking in a table of {@code length} slots, a power of two. The kernel hands cookies
     * out from one counter in runs of 4,096 per CPU, and a dump meets most sockets in the order their cookies were
     * given, so neighbouring cookies go to neighbouring slots: the table then fills a few cache lines at a time,
     * where spreading every cookie over a table of up to 2 MB missed the cache on each and made a decoded dump of
     * 100,000 sockets 20% slower. Only runs of {@link #RUN} stay together, though: each run starts at a slot spread by
     * a multiplicative hash (2^64 divided by the golden ratio). Keeping whole runs of the kernel's together put two runs
     * that agree in their low bits on the same slots, where each cookie of the second looked through the whole first:
     * 1,175 taken slots per cookie in one of four JVMs holding 5,000 loopback connections, and snapshots 1.4x to 2.5x
     * slower.
     */
    private static int slot(long cookie, int length) {
        long run = cookie >>> Integer.numberOfTrailingZeros(RUN);
        int start = (int) ((run * 0x9E37_79B9_7F4A_7C15L) >>> (Long.SIZE - Integer.numberOfTrailingZeros(length)));
        return (start + (int) (cookie & (RUN - 1))) & (length - 1);
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
