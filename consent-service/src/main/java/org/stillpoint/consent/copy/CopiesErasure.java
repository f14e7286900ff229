package org.stillpoint.consent.copy;

import org.springframework.stereotype.Component;
import org.stillpoint.contracts.consent.ClientErased;
import org.stillpoint.platform.erasure.ErasureHandler;

/**
 * An erased client's copies go with them: the stretches were sealed under the key the erasure shreds, and are removed
 * as well, with the attempts any instance left behind.
 */
@Component
record CopiesErasure(CopyStore store) implements ErasureHandler {

    @Override
    public void erase(ClientErased erased) {
        store.eraseClient(erased.clientId().toString());
    }
}
