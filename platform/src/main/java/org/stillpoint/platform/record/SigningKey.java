package org.stillpoint.platform.record;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The key a service signs its records with, from configuration ({@code STILLPOINT_SIGNING_KEY}): a private EC P-256 JWK
 * with a key id. There is no default: a service refuses to start without one, with one that is not a private P-256 key
 * with a {@code kid}, or — outside the {@code local} profile — with a development key from the repository.
 */
public final class SigningKey {

    static final String SETTING = "STILLPOINT_SIGNING_KEY (stillpoint.signing.key)";
    static final String PUBLISHED = "STILLPOINT_SIGNING_PUBLISHED_KEYS (stillpoint.signing.published-keys)";
    /** Thumbprints (RFC 7638) of the local profile's keys, in the services' {@code application-local.yml}. */
    static final Set<String> DEVELOPMENT = Set.of(
            "rZMtEVPfXXD_upYKLIVjDN-qW3lqb6qrbTGUgbEQY7g", "zaIBDmlIyj48W1S6XQUbb2igef9tQijrQmX1lgKn2S0",
            "7gaKv-e14PTri_G_XXPpk-_O_0QWE-1XolkCvXWVj-E", "lvqfsLMw7RBs-cGJy_h4zNb70A1D12ApkUu7_mVn7P8");

    private SigningKey() {
    }

    /**
     * @param local whether the local profile is active, the only one a development key is accepted in
     * @throws IllegalStateException naming the setting, when the key is missing, malformed or a development key
     */
    public static ECKey decode(String configured, boolean local) {
        if (configured == null || configured.isBlank()) {
            throw new IllegalStateException(SETTING + " is not set: give every service a private EC P-256 JWK of its "
                                                    + "own from your secret store (deploy/README.md); the service does "
                                                    + "not start without it");
        }
        ECKey key;
        try {
            key = JWK.parse(configured.strip()).toECKey();
        } catch (ParseException | ClassCastException | IllegalStateException e) {
            throw new IllegalStateException(SETTING + " is not an EC JWK");
        }
        if (!Curve.P_256.equals(key.getCurve()) || !key.isPrivate() || key.getKeyID() == null
                || key.getKeyID().isBlank()) {
            throw new IllegalStateException(SETTING + " must be a private EC key on P-256 with a kid");
        }
        if (!local && DEVELOPMENT.contains(thumbprint(key))) {
            throw new IllegalStateException(SETTING + " is a development key from the repository; outside the local "
                                                    + "profile set a key of your own");
        }
        return key;
    }

    /**
     * Other keys the service publishes (a JWK set, public parts suffice): the next key of a rotation before it signs,
     * the earlier ones after, so that their records verify.
     */
    public static List<ECKey> published(String configured) {
        if (configured == null || configured.isBlank()) {
            return List.of();
        }
        try {
            List<ECKey> keys = new ArrayList<>();
            for (JWK jwk : JWKSet.parse(configured.strip()).getKeys()) {
                ECKey key = jwk.toECKey();
                if (!Curve.P_256.equals(key.getCurve()) || key.getKeyID() == null) {
                    throw new IllegalStateException(PUBLISHED + " holds a key that is not P-256 with a kid");
                }
                keys.add(key.toPublicJWK());
            }
            return List.copyOf(keys);
        } catch (ParseException | ClassCastException e) {
            throw new IllegalStateException(PUBLISHED + " is not a JWK set ({\"keys\": [...]})");
        }
    }

    /** A new private P-256 key named {@code kid}: for {@code STILLPOINT_SIGNING_KEY}, or a test's or bench's signer. */
    public static ECKey generate(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Prints a new private signing key for {@code STILLPOINT_SIGNING_KEY} of the service named by the first argument:
     * {@code java -cp ... org.stillpoint.platform.record.SigningKey consent-service}.
     */
    public static void main(String[] args) {
        String service = args.length == 0 ? "stillpoint" : args[0];
        System.out.println(generate(service + "-" + java.time.LocalDate.now()).toJSONString());
    }

    static String thumbprint(ECKey key) {
        try {
            return key.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
