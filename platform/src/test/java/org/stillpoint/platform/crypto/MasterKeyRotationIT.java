package org.stillpoint.platform.crypto;

import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.testsupport.FreshDatabase;
import org.stillpoint.testsupport.UsesBackends;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Data keys are bound to their client and service and name the master key that wrapped them; a rotation re-wraps them
 * while the old and the new master key both open data, and afterwards the new key alone opens everything.
 */
@UsesBackends
class MasterKeyRotationIT {

    private static final SecureRandom RANDOM = new SecureRandom();
    @RegisterExtension
    final FreshDatabase store = new FreshDatabase("keys");

    @Test
    void aRotationRewrapsEveryKeyWhileBothMasterKeysOpenData() {
        byte[] oldKey = masterKey();
        byte[] newKey = masterKey();
        ClientKeys before = new ClientKeys(store.database(), new LocalKeyWrapper(oldKey, List.of()), "session-service");
        List<ClientId> clients = new ArrayList<>();
        List<byte[]> dataKeys = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ClientId id = ClientId.random();
            clients.add(id);
            dataKeys.add(before.keyFor(id).getEncoded());
        }
        Document stored = store.database().getCollection(ClientKeys.COLLECTION).find().first();
        assertThat(stored.getString("keyId")).isEqualTo(LocalKeyWrapper.idOf(oldKey));

        // during the rotation: new key current, old key previous; every key opens, then is re-wrapped
        ClientKeys during = new ClientKeys(store.database(), new LocalKeyWrapper(newKey, List.of(oldKey)),
                                           "session-service");
        for (int i = 0; i < clients.size(); i++) {
            assertThat(during.keyFor(clients.get(i)).getEncoded()).isEqualTo(dataKeys.get(i));
        }
        ClientId meanwhile = ClientId.random();
        byte[] meanwhileKey = during.keyFor(meanwhile).getEncoded();
        assertThat(during.notYetRewrapped()).isEqualTo(5);
        assertThat(during.rewrap()).isEqualTo(5);
        assertThat(during.notYetRewrapped()).isZero();
        assertThat(store.database().getCollection(ClientKeys.COLLECTION).find().into(new ArrayList<>()))
                .allSatisfy(d -> assertThat(d.getString("keyId")).isEqualTo(LocalKeyWrapper.idOf(newKey)));

        // afterwards: the new key alone opens every key, the old one none
        ClientKeys after = new ClientKeys(store.database(), new LocalKeyWrapper(newKey, List.of()), "session-service");
        for (int i = 0; i < clients.size(); i++) {
            assertThat(after.existingKey(DataKeys.reference(clients.get(i))).orElseThrow().getEncoded())
                    .isEqualTo(dataKeys.get(i));
        }
        assertThat(after.keyFor(meanwhile).getEncoded()).isEqualTo(meanwhileKey);
        ClientKeys stale = new ClientKeys(store.database(), new LocalKeyWrapper(oldKey, List.of()), "session-service");
        assertThatThrownBy(() -> stale.keyFor(clients.getFirst())).hasMessageContaining("not configured here");
    }

    @Test
    void aRotationCompletesOverKeysWrittenBeforeBindingAndReportsWhatDidNotOpen() throws Exception {
        byte[] oldKey = masterKey();
        byte[] newKey = masterKey();
        LocalKeyWrapper old = new LocalKeyWrapper(oldKey, List.of());
        ClientKeys before = new ClientKeys(store.database(), old, "session-service");
        ClientId bound = ClientId.random();
        byte[] boundKey = before.keyFor(bound).getEncoded();
        // a key as the first version stored it: wrapped by the master key of then, without binding or key id
        ClientId legacy = ClientId.random();
        byte[] legacyKey = new byte[32];
        RANDOM.nextBytes(legacyKey);
        store.database().getCollection(ClientKeys.COLLECTION).insertOne(
                new Document("_id", DataKeys.reference(legacy)).append("wrapped", old.wrap(legacyKey, null)));
        // and one that is damaged
        store.database().getCollection(ClientKeys.COLLECTION).insertOne(
                new Document("_id", DataKeys.reference(ClientId.random())).append("wrapped", old.wrap(legacyKey, null)
                        .replace('A', 'B').replace('a', 'b')).append("keyId", LocalKeyWrapper.idOf(oldKey)));

        ClientKeys during = new ClientKeys(store.database(), new LocalKeyWrapper(newKey, List.of(oldKey)),
                                           "session-service");
        ClientKeys.Rotation rotation = during.rotate();
        assertThat(rotation.rewrapped()).as("the bound key and the one written before binding").isEqualTo(2);
        assertThat(rotation.failed()).singleElement().asString().contains("does not open");
        assertThat(rotation.left()).isEqualTo(1);
        ClientKeys after = new ClientKeys(store.database(), new LocalKeyWrapper(newKey, List.of()), "session-service");
        assertThat(after.existingKey(DataKeys.reference(legacy)).orElseThrow().getEncoded()).isEqualTo(legacyKey);
        assertThat(after.existingKey(DataKeys.reference(bound)).orElseThrow().getEncoded()).isEqualTo(boundKey);
    }

    @Test
    void aWrappedKeyOpensOnlyForItsOwnClientAndService() {
        byte[] master = masterKey();
        ClientKeys keys = new ClientKeys(store.database(), new LocalKeyWrapper(master, List.of()), "session-service");
        ClientId owner = ClientId.random();
        ClientId other = ClientId.random();
        keys.keyFor(owner);
        Document wrapped = store.database().getCollection(ClientKeys.COLLECTION)
                                   .find(Filters.eq("_id", DataKeys.reference(owner))).first();
        // the owner's wrapped key copied onto another client
        store.database().getCollection(ClientKeys.COLLECTION)
             .insertOne(new Document(wrapped).append("_id", DataKeys.reference(other)));
        ClientKeys fresh = new ClientKeys(store.database(), new LocalKeyWrapper(master, List.of()), "session-service");
        assertThatThrownBy(() -> fresh.keyFor(other)).hasMessageContaining("bound to another client or service");
        // the same store read as another service's
        ClientKeys elsewhere = new ClientKeys(store.database(), new LocalKeyWrapper(master, List.of()),
                                              "referral-service");
        assertThatThrownBy(() -> elsewhere.keyFor(owner)).hasMessageContaining("bound to another client or service");
        assertThat(fresh.existingKey(DataKeys.reference(owner))).isPresent();
    }

    @Test
    void keysWrappedBeforeTheyWereBoundStillOpenAndAreBoundByTheNextRewrap() throws Exception {
        byte[] master = masterKey();
        LocalKeyWrapper wrapper = new LocalKeyWrapper(master, List.of());
        byte[] dataKey = new byte[32];
        RANDOM.nextBytes(dataKey);
        ClientId id = ClientId.random();
        store.database().getCollection(ClientKeys.COLLECTION).insertOne(new Document("_id", DataKeys.reference(id))
                .append("wrapped", wrapper.wrap(dataKey, null)).append("createdAt", new java.util.Date()));
        ClientKeys keys = new ClientKeys(store.database(), wrapper, "consent-service");
        assertThat(keys.keyFor(id).getEncoded()).isEqualTo(dataKey);
        assertThat(keys.rewrap()).isEqualTo(1);
        Optional<javax.crypto.SecretKey> reopened = new ClientKeys(store.database(), wrapper, "consent-service")
                .existingKey(DataKeys.reference(id));
        assertThat(reopened.orElseThrow().getEncoded()).isEqualTo(dataKey);
    }

    private static byte[] masterKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }
}
