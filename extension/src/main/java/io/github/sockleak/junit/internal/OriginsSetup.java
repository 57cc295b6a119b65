package io.github.sockleak.junit.internal;

import io.github.sockleak.junit.NoSocketLeaks;
import io.github.sockleak.junit.internal.origins.OriginAgent;
import io.github.sockleak.junit.internal.origins.Origins;
import io.github.sockleak.junit.internal.origins.OriginsStatus;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Applies {@code sockleak.origins} and {@code sockleak.originStacks} before a check: installs the origin agent at
 * the first check that wants it (unless {@code -javaagent} did already), and answers what the check can know.
 */
public final class OriginsSetup {

    private OriginsSetup() {
    }

    /**
     * The origins a check can use. Without the agent, one line says why and how to add it, once per JVM; with
     * {@code sockleak.origins=on}, the check fails with the installation's diagnosis instead.
     *
     * @param what the test or class about to be checked, for the failure message
     */
    public static SocketOrigins forCheck(LeakSettings settings, String what) {
        if (settings.origins() == OriginsMode.OFF) {
            OriginAgent.origins().ifPresent(origins -> origins.record(false));
            return SocketOrigins.NONE;
        }
        OriginsStatus status = OriginAgent.ensureInstalled();
        Optional<Origins> installed = OriginAgent.origins();
        if (installed.isPresent()) {
            installed.get().record(true);
            installed.get().recordStacks(settings.originStacks());
            return installed.get();
        }
        if (settings.origins() == OriginsMode.ON) {
            throw new ExtensionConfigurationException("sockleak: " + NoSocketLeaks.ORIGINS_PROPERTY_NAME + "=on, but"
                    + " where sockets are opened cannot be recorded for " + what + ": " + status.message(),
                    status.error().orElse(null));
        }
        OriginsHint.printOnce(status);
        return SocketOrigins.NONE;
    }
}
