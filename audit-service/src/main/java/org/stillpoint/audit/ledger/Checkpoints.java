package org.stillpoint.audit.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.scheduling.annotation.Scheduled;
import org.stillpoint.platform.record.RecordSigner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Signs the heads of the organisations' chains ({@link Checkpoint}), keeps them, hands each to the witness, and checks
 * a chain against its latest one. The witness here is a folder ({@code stillpoint.audit.witness-dir}): each checkpoint
 * is written there as a file, to be copied off the host; an RFC 3161 time-stamping authority or a mail to the
 * organisation is the next witness to plug in where {@link #witness} writes the file.
 */
public class Checkpoints {

    private static final Logger log = LoggerFactory.getLogger(Checkpoints.class);

    private final MongoTemplate mongo;
    private final RecordSigner signer;
    private final ObjectMapper json;
    private final Clock clock;
    private final Path witnessDir;
    private final LedgerTree tree;

    /** @param witnessDir where each checkpoint is written as a file; null for none */
    public Checkpoints(MongoTemplate mongo, RecordSigner signer, ObjectMapper json, Clock clock, Path witnessDir) {
        this.mongo = mongo;
        this.tree = new LedgerTree(mongo);
        this.signer = signer;
        this.json = json;
        this.clock = clock;
        this.witnessDir = witnessDir;
    }

    /**
     * Signs the organisation's head as it stands, with the Merkle tree head over its links, once the whole chain
     * verified; the checkpoint of that head when it was signed before. Empty for an empty chain, and for a broken one:
     * a broken chain is not vouched for. Only the schedule and a compliance officer's explicit request sign: no read
     * does.
     *
     * @param signedBy {@link Checkpoint#SCHEDULE}, or the subject of the officer who asked
     */
    public Optional<Checkpoint> sign(String organisationId, String signedBy) {
        Verification.Walk walk = Verification.walk(mongo, organisationId);
        if (walk.entries() == 0 || walk.broken() != null) {
            return Optional.empty();
        }
        long index = walk.entries() - 1;
        String id = LedgerEntry.idOf(organisationId, index);
        Checkpoint known = mongo.findById(id, Checkpoint.class);
        if (known != null && known.treeHead() == null) {
            // signed before tree heads were: this head is signed again, with its tree
            id = id + "/tree";
            known = mongo.findById(id, Checkpoint.class);
        }
        if (known != null) {
            return Optional.of(known);
        }
        String treeHead = tree.head(organisationId, index + 1);
        Instant at = clock.instant();
        Map<String, Object> statement = new LinkedHashMap<>();
        statement.put("organisation", organisationId);
        statement.put("index", index);
        statement.put("hash", walk.head());
        statement.put("treeSize", index + 1);
        statement.put("treeHead", treeHead);
        statement.put("at", at.toString());
        statement.put("signedBy", signedBy);
        Checkpoint checkpoint;
        try {
            checkpoint = new Checkpoint(id, organisationId, index, walk.head(), index + 1, treeHead, at, signedBy,
                                        signer.signStatement(Checkpoint.TYPE, json.writeValueAsBytes(statement)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        try {
            mongo.insert(checkpoint);
        } catch (DuplicateKeyException e) {
            // another instance signed the same head at the same moment: theirs stands
            return Optional.ofNullable(mongo.findById(id, Checkpoint.class));
        }
        witness(checkpoint);
        return Optional.of(checkpoint);
    }

    /** Signs the head of every organisation's chain that moved since its latest checkpoint, at an interval. */
    @Scheduled(initialDelayString = "${stillpoint.audit.checkpoint-interval:PT1H}",
               fixedDelayString = "${stillpoint.audit.checkpoint-interval:PT1H}")
    public void signEveryMovedHead() {
        for (String organisationId : mongo.findDistinct(new Query(), "organisationId", LedgerEntry.class, String.class)) {
            long links = mongo.count(Query.query(Criteria.where("organisationId").is(organisationId)), LedgerEntry.class);
            long signed = latest(organisationId).map(Checkpoint::index).orElse(-1L);
            if (links - 1 > signed) {
                sign(organisationId, Checkpoint.SCHEDULE);
            }
        }
    }

    /** The organisation's latest checkpoint. */
    public Optional<Checkpoint> latest(String organisationId) {
        return Optional.ofNullable(mongo.findOne(Query.query(Criteria.where("organisationId").is(organisationId))
                                                      .with(Sort.by(Sort.Direction.DESC, "index")).limit(1),
                                                 Checkpoint.class));
    }

    /** The organisation's latest checkpoint with a tree head: what an export proves its links against. */
    public Optional<Checkpoint> latestWithTree(String organisationId) {
        return Optional.ofNullable(mongo.findOne(Query.query(Criteria.where("organisationId").is(organisationId)
                                                                     .and("treeHead").ne(null))
                                                      .with(Sort.by(Sort.Direction.DESC, "index")).limit(1),
                                                 Checkpoint.class));
    }

    /** The organisation's tree, for the inclusion paths of an export. */
    public LedgerTree tree() {
        return tree;
    }

    /**
     * Why the chain does not hold the checkpoint, or null when it does: its signature verifies with one of the keys the
     * audit-service publishes, its statement is the checkpoint's, and the chain's link at that index has that hash.
     */
    public String contradiction(Checkpoint checkpoint) {
        String signed = contradiction(checkpoint, signer.jwks());
        if (signed != null) {
            return signed;
        }
        LedgerEntry link = mongo.findById(LedgerEntry.idOf(checkpoint.organisationId(), checkpoint.index()),
                                          LedgerEntry.class);
        if (link == null) {
            return "the checkpoint of " + checkpoint.at() + " signed link " + checkpoint.index()
                    + ", which the chain no longer holds";
        }
        if (!link.hash().equals(checkpoint.hash())) {
            return "the checkpoint of " + checkpoint.at() + " signed hash " + checkpoint.hash() + " for link "
                    + checkpoint.index() + "; the chain holds " + link.hash() + " there";
        }
        return null;
    }

    /** Why the checkpoint's JWS does not vouch for it with one of {@code keys}, or null when it does. */
    public static String contradiction(Checkpoint checkpoint, JWKSet keys) {
        try {
            JWSObject jws = JWSObject.parse(checkpoint.jws());
            JWK key = keys.getKeyByKeyId(jws.getHeader().getKeyID());
            if (key == null) {
                return "the checkpoint is signed with key " + jws.getHeader().getKeyID() + ", which is not published";
            }
            if (jws.getHeader().getType() == null || !Checkpoint.TYPE.equals(jws.getHeader().getType().getType())
                    || !jws.verify(new ECDSAVerifier((ECKey) key))) {
                return "the checkpoint's signature does not verify";
            }
            JsonNode statement = new ObjectMapper().readTree(jws.getPayload().toString());
            if (!statement.path("organisation").asText().equals(checkpoint.organisationId())
                    || statement.path("index").asLong(-1) != checkpoint.index()
                    || !statement.path("hash").asText().equals(checkpoint.hash())) {
                return "the checkpoint's signed statement is not the checkpoint";
            }
            return null;
        } catch (ParseException | JOSEException | JsonProcessingException | ClassCastException e) {
            return "the checkpoint's signature cannot be read: " + e.getMessage();
        }
    }

    /** The checkpoint as a file in the witness folder, replaced atomically; a witness that fails is logged, not fatal. */
    private void witness(Checkpoint checkpoint) {
        if (witnessDir == null) {
            return;
        }
        try {
            Files.createDirectories(witnessDir);
            Path file = witnessDir.resolve(checkpoint.id().replace('/', '-') + ".checkpoint.json");
            Path temporary = Files.createTempFile(witnessDir, ".checkpoint", ".tmp");
            Files.write(temporary, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(
                    new LinkedHashMap<>(Map.of("organisationId", checkpoint.organisationId(), "index", checkpoint.index(),
                           "hash", checkpoint.hash(), "treeSize", checkpoint.treeSize(), "treeHead", checkpoint.treeHead(),
                           "at", checkpoint.at().toString(), "jws", checkpoint.jws()))));
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | UncheckedIOException e) {
            log.error("checkpoint {} of {} could not be handed to the witness in {}: {}", checkpoint.index(),
                      checkpoint.organisationId(), witnessDir, e.toString());
        }
    }
}
