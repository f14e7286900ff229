package org.stillpoint.platform.deadletter;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

import java.time.Instant;

/**
 * A client whose records a consumer group holds back: one of them is parked, the later ones queue behind it.
 *
 * @param queued   how many letters were queued behind the parked one, counted after each was stored
 * @param released how many queued letters releases have taken out of the queue (applied or parked again)
 * @param lease    until when a release owns the hold (null: nobody)
 */
@Document(Hold.COLLECTION)
public record Hold(@Id String id, String group, String key, Instant since, long queued, long released, Instant lease) {

    public static final String COLLECTION = "dead_letter_holds";

    public static String id(String group, String key) {
        return group + "/" + key;
    }
}
