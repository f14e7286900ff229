package org.stillpoint.platform.erasure;

import org.stillpoint.contracts.consent.ClientErased;
import org.stillpoint.platform.crypto.ClientKeys;

/**
 * Destroys this service's copy of the erased client's data key: nothing it sealed for the client opens again. The key
 * leaves this instance's cache at once and every other instance's within {@link ClientKeys#forgetShredded()}'s period.
 */
public final class ShredClientKey implements ErasureHandler {

    private final ClientKeys keys;

    public ShredClientKey(ClientKeys keys) {
        this.keys = keys;
    }

    @Override
    public void erase(ClientErased erased) {
        keys.shred(erased.clientId());
    }
}
