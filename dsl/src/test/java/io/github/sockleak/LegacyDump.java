package io.github.sockleak;

import java.lang.reflect.Field;
import java.util.concurrent.Callable;

/**
 * Runs code as on a kernel that refuses the legacy dump request of both families, so that the netlink sources'
 * per-family dumps are tested on a kernel that does accept it. Sets the channel's flag by reflection: the class is
 * package-private to the netlink package.
 */
final class LegacyDump {

    private LegacyDump() {
    }

    static <T> T refused(Callable<T> work) throws Exception {
        Field refused = Class.forName("io.github.sockleak.internal.netlink.NetlinkChannel").getDeclaredField("legacyRefused");
        refused.setAccessible(true);
        boolean before = refused.getBoolean(null);
        refused.setBoolean(null, true);
        try {
            return work.call();
        } finally {
            refused.setBoolean(null, before);
        }
    }
}
