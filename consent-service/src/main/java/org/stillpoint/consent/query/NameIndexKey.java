package org.stillpoint.consent.query;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.text.Normalizer;
import java.time.LocalDate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The name index's secret ({@code stillpoint.search.name-index-key}, Base64 of at least 32 random bytes, from the
 * deployment's secret store like the master key) and what it makes: each organisation's own key, the HMAC-SHA256 of its
 * id under the secret, and under that, a client's blind index — the HMAC of their normalised name and date of birth.
 * Normalised: letters only, accents and case dropped ("Zoë O'Brien-Smith" and "zoe obriensmith" are one name), the
 * given and family names kept apart. Without the secret the index is nothing but noise; a database copy alone cannot
 * be searched by trying names.
 */
public final class NameIndexKey {

    private final byte[] secret;
    private final String id;

    public NameIndexKey(String base64) {
        if (base64 == null || base64.isBlank()) {
            throw new IllegalStateException("stillpoint.search.name-index-key (STILLPOINT_NAME_INDEX_KEY) is not set: "
                    + "Base64 of 32 random bytes, from the secret store");
        }
        try {
            this.secret = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("stillpoint.search.name-index-key (STILLPOINT_NAME_INDEX_KEY) is not Base64");
        }
        if (secret.length < 32) {
            throw new IllegalStateException("stillpoint.search.name-index-key (STILLPOINT_NAME_INDEX_KEY) must be at "
                    + "least 32 bytes, is " + secret.length);
        }
        this.id = HexFormat.of().formatHex(hmac(secret, "stillpoint-name-index-key-id")).substring(0, 16);
    }

    /** Which key this is, without saying anything of it: entries made under another key are made again. */
    public String id() {
        return id;
    }

    /** The blind index of a name and date of birth in {@code organisationId}. */
    public String blind(String organisationId, String givenName, String familyName, LocalDate dateOfBirth) {
        byte[] organisationKey = hmac(secret, "stillpoint-name-index/" + organisationId);
        String normalised = normalise(givenName) + "|" + normalise(familyName) + "|" + dateOfBirth;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(organisationKey, normalised));
    }

    /** Letters and digits only, without accents, in lower case. */
    static String normalise(String name) {
        if (name == null) {
            return "";
        }
        String decomposed = Normalizer.normalize(name, Normalizer.Form.NFKD);
        StringBuilder kept = new StringBuilder();
        decomposed.codePoints().filter(Character::isLetterOrDigit)
                  .forEach(c -> kept.appendCodePoint(Character.toLowerCase(c)));
        return kept.toString().toLowerCase(Locale.ROOT);
    }

    private static byte[] hmac(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
