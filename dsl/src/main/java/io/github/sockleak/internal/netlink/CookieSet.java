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
        // Cookies count up from a per-boot start, so their low bits are spread already; the mix spreads the rest.
        int i = (int) (cookie ^ (cookie >>> 32)) * 0x9E3779B9 & mask;
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
