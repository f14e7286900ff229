package org.stillpoint.platform.crypto;

import org.junit.jupiter.api.Test;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.Sealed;
import org.stillpoint.contracts.SealedFields;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FieldCipherTest {

    private final InMemoryDataKeys keys = new InMemoryDataKeys();
    private final FieldCipher cipher = new FieldCipher(keys);
    private final ClientId client = ClientId.of(UUID.randomUUID().toString());

    @Test
    void aValueOpensAsTheFieldItWasSealedFor() {
        Sealed sealed = cipher.seal(client, SealedFields.BOUNDARIES, "no work on the neck");
        assertThat(sealed.ciphertext()).doesNotContain("neck");
        assertThat(cipher.of(client).open(sealed, SealedFields.BOUNDARIES)).contains("no work on the neck");
        assertThat(cipher.seal(client, SealedFields.BOUNDARIES, null)).isNull();
    }

    @Test
    void aValueMovedToAnotherFieldOrClientDoesNotOpen() {
        Sealed boundaries = cipher.seal(client, SealedFields.BOUNDARIES, "no work on the neck");
        assertThatThrownBy(() -> cipher.of(client).open(boundaries, SealedFields.WITNESS))
                .hasMessageContaining("fails its integrity check as " + SealedFields.WITNESS);
        ClientId other = ClientId.of(UUID.randomUUID().toString());
        Sealed theirs = cipher.seal(other, SealedFields.BOUNDARIES, "x");
        Sealed moved = new Sealed(theirs.key(), boundaries.ciphertext());
        assertThatThrownBy(() -> cipher.of(other).open(moved, SealedFields.BOUNDARIES)).hasMessageContaining("integrity");
    }

    @Test
    void aValueOpensOnlyForTheClientItIsReadFor() {
        ClientId other = ClientId.of(UUID.randomUUID().toString());
        // another client's value, genuine under its own key, placed in this client's record: refused, not opened
        Sealed theirs = cipher.seal(other, SealedFields.BOUNDARIES, "their boundaries");
        assertThatThrownBy(() -> cipher.of(client).open(theirs, SealedFields.BOUNDARIES))
                .hasMessageContaining("read for another client");
        assertThatThrownBy(() -> cipher.of(client).openJson(theirs, SealedFields.BOUNDARIES, String.class))
                .hasMessageContaining("read for another client");
        assertThat(cipher.of(other).open(theirs, SealedFields.BOUNDARIES)).contains("their boundaries");
        assertThat(cipher.of(client).open(null, SealedFields.BOUNDARIES)).isEmpty();
    }

    @Test
    void aValueSealedBeforeFieldsWereBoundStillOpens() throws Exception {
        String reference = DataKeys.reference(client);
        byte[] nonce = new byte[12];
        Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, keys.keyFor(client), new GCMParameterSpec(128, nonce));
        aes.updateAAD(reference.getBytes(StandardCharsets.UTF_8));
        byte[] sealed = aes.doFinal("written last year".getBytes(StandardCharsets.UTF_8));
        Sealed legacy = new Sealed(reference, Base64.getEncoder().encodeToString(
                ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array()));
        assertThat(cipher.of(client).open(legacy, SealedFields.OBSERVATIONS)).contains("written last year");
    }

    @Test
    void aShreddedKeyOpensNothing() {
        Sealed sealed = cipher.seal(client, SealedFields.OBSERVATIONS, "text");
        keys.shred(client);
        assertThat(cipher.of(client).open(sealed, SealedFields.OBSERVATIONS)).isEmpty();
    }
}
