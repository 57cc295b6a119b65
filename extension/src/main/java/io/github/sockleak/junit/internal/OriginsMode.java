package io.github.sockleak.junit.internal;

/** {@code sockleak.origins}: whether leak reports say where and by which test each socket was opened. */
public enum OriginsMode {
    /** Record origins when the agent can be had quietly; otherwise say once how to add it, and go on without. */
    AUTO,
    /** Record origins or fail: a check fails with the installation's diagnosis when the agent cannot be had. */
    ON,
    /** Do not record origins. */
    OFF
}
