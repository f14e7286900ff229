package org.stillpoint.platform.crypto;

import org.stillpoint.contracts.ClientId;

import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;

/** Data keys held in memory only, for aggregate tests and tools: gone with the object, shredded on request. */
public final class InMemoryDataKeys implements DataKeys {

    private final Map<String, Optional<SecretKey>> keys = new ConcurrentHashMap<>();

    @Override
    public SecretKey keyFor(ClientId client) {
        return keys.computeIfAbsent(DataKeys.reference(client), ref -> Optional.of(generate()))
                   .orElseThrow(() -> new ClientKeys.KeyShreddedException(DataKeys.reference(client)));
    }

    @Override
    public Optional<SecretKey> existingKey(String reference) {
        return keys.getOrDefault(reference, Optional.empty());
    }

    public void shred(ClientId client) {
        keys.put(DataKeys.reference(client), Optional.empty());
    }

    private static SecretKey generate() {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256);
            return generator.generateKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
