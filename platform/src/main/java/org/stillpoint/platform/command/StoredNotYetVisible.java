package org.stillpoint.platform.command;

import java.net.URI;

/**
 * A write that was stored, but whose read model has not shown it within the wait (it is behind, or holds the client's
 * records for repair): answered {@code 202 Accepted} with the resource's {@code Location}, never as if nothing had been
 * recorded.
 */
public class StoredNotYetVisible extends RuntimeException {

    private final URI location;
    private final boolean held;

    public StoredNotYetVisible(URI location, boolean held) {
        super(held ? "Stored. The read model holds this client's records for repair, so it does not show the change yet."
                      : "Stored. The read model has not shown it yet; read the Location shortly.",
              null, false, false);
        this.location = location;
        this.held = held;
    }

    public URI location() {
        return location;
    }

    /** Whether the read model holds the client for repair (rather than being only behind). */
    public boolean held() {
        return held;
    }
}
