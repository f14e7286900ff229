package org.stillpoint.platform.crypto;

import org.stillpoint.contracts.ClientId;

import javax.crypto.SecretKey;
import java.util.Optional;

/** Where clients' data keys come from; {@link ClientKeys} keeps them in MongoDB, wrapped by the master key. */
public interface DataKeys {

    /** The reference that values sealed for {@code client} carry. */
    static String reference(ClientId client) {
        return "client/" + client + "/1";
    }

    /** The client's key, created on first use; refused once the client's key was shredded. */
    SecretKey keyFor(ClientId client);

    /** The key a sealed value names, or empty when it was shredded or never existed. */
    Optional<SecretKey> existingKey(String reference);
}
