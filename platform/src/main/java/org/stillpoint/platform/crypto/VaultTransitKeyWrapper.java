package org.stillpoint.platform.crypto;

import org.springframework.vault.VaultException;
import org.springframework.vault.core.VaultTransitOperations;
import org.springframework.vault.support.Ciphertext;
import org.springframework.vault.support.Plaintext;
import org.springframework.vault.support.VaultTransitContext;
import org.springframework.vault.support.VaultTransitKey;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Client data keys wrapped by HashiCorp Vault's Transit engine: the master key never leaves Vault. The associated data
 * that binds a data key to its client and service is the Transit key's derivation context, so the Transit key must be
 * created with {@code derived=true} (checked at start-up). A key's id is {@code vault:<mount>/<key name>}; Vault's own
 * key versions (a {@code vault/<mount>/keys/<name>/rotate}) are Vault's business: every version it keeps opens what it
 * wrapped. Moving to another Transit key is a rotation like the local one: the new name wraps, the previous names still
 * open, and {@link KeyRotation} re-wraps every data key.
 */
public final class VaultTransitKeyWrapper implements KeyWrapper {

    private final VaultTransitOperations transit;
    private final String mount;
    private final String current;
    private final Map<String, String> names = new LinkedHashMap<>();

    /**
     * @param keyName       the Transit key that wraps new data keys
     * @param previousNames Transit keys of before a rotation, which still open what they wrapped
     * @throws IllegalStateException when a key is missing in Vault or not derived, or Vault cannot be reached
     */
    public VaultTransitKeyWrapper(VaultTransitOperations transit, String mount, String keyName,
                                  List<String> previousNames) {
        this.transit = transit;
        this.mount = mount;
        List<String> all = new ArrayList<>();
        all.add(keyName);
        all.addAll(previousNames);
        for (String name : all) {
            VaultTransitKey key;
            try {
                key = transit.getKey(name);
            } catch (VaultException e) {
                throw new IllegalStateException("Vault Transit key " + mount + "/" + name + " cannot be read: "
                                                        + e.getMessage(), e);
            }
            if (key == null) {
                throw new IllegalStateException("Vault Transit key " + mount + "/" + name + " does not exist: create it "
                                                        + "with derived=true (deploy/README.md, \"Vault\")");
            }
            if (!key.isDerived()) {
                throw new IllegalStateException("Vault Transit key " + mount + "/" + name + " is not derived: the "
                                                        + "binding of each data key to its client needs derived=true");
            }
            names.putIfAbsent(idOf(mount, name), name);
        }
        this.current = idOf(mount, keyName);
    }

    public static String idOf(String mount, String keyName) {
        return "vault:" + mount + "/" + keyName;
    }

    @Override
    public String currentKeyId() {
        return current;
    }

    @Override
    public Set<String> keyIds() {
        return Collections.unmodifiableSet(names.keySet());
    }

    @Override
    public String wrap(byte[] dataKey, byte[] associatedData) {
        try {
            return transit.encrypt(names.get(current), Plaintext.of(dataKey).with(context(associatedData)))
                          .getCiphertext();
        } catch (VaultException e) {
            throw new IllegalStateException("Vault did not wrap a data key with " + current + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] unwrap(String keyId, String wrapped, byte[] associatedData) {
        String name = names.get(keyId);
        if (name == null) {
            throw new IllegalStateException("a data key is wrapped by " + keyId + ", which is not configured here "
                                                    + "(STILLPOINT_VAULT_TRANSIT_KEY, STILLPOINT_VAULT_PREVIOUS_TRANSIT_KEYS)");
        }
        try {
            return transit.decrypt(name, Ciphertext.of(wrapped).with(context(associatedData))).getPlaintext();
        } catch (VaultException e) {
            throw new IllegalStateException("Vault did not open a data key wrapped by " + keyId + " (altered, bound to "
                                                    + "another client, or Vault unreachable): " + e.getMessage(), e);
        }
    }

    private static VaultTransitContext context(byte[] associatedData) {
        return associatedData == null ? VaultTransitContext.empty() : VaultTransitContext.fromContext(associatedData);
    }
}
