package org.stillpoint.contracts;

import org.stillpoint.contracts.access.ClientAccessed;
import org.stillpoint.contracts.access.DeadLetterHandled;
import org.stillpoint.contracts.access.ErasureNoticeRecorded;
import org.stillpoint.contracts.access.EventDelivered;
import org.stillpoint.contracts.access.RecordsListed;
import org.stillpoint.contracts.access.SubscriptionChanged;
import org.stillpoint.contracts.consent.ClientErased;
import org.stillpoint.contracts.consent.ClientRegistered;
import org.stillpoint.contracts.consent.ClientTransferred;
import org.stillpoint.contracts.consent.ConsentExpired;
import org.stillpoint.contracts.consent.ConsentGranted;
import org.stillpoint.contracts.consent.ConsentWithdrawn;
import org.stillpoint.contracts.consent.CopyDownloaded;
import org.stillpoint.contracts.consent.CopyNotesDecided;
import org.stillpoint.contracts.consent.CopyNotesReferred;
import org.stillpoint.contracts.consent.CopyProduced;
import org.stillpoint.contracts.consent.CopyRequested;
import org.stillpoint.contracts.consent.ErasureRefused;
import org.stillpoint.contracts.consent.ErasureRequestWithdrawn;
import org.stillpoint.contracts.consent.ErasureRequested;
import org.stillpoint.contracts.directory.ClinicClosed;
import org.stillpoint.contracts.directory.ClinicOpened;
import org.stillpoint.contracts.directory.ClinicRenamed;
import org.stillpoint.contracts.directory.DirectoryEvent;
import org.stillpoint.contracts.directory.MembershipEnded;
import org.stillpoint.contracts.directory.MembershipGranted;
import org.stillpoint.contracts.referral.ReferralIssued;
import org.stillpoint.contracts.referral.ReferralIssuedRevision1;
import org.stillpoint.contracts.referral.ReferralReviewed;
import org.stillpoint.contracts.referral.ReferralStatusChanged;
import org.stillpoint.contracts.session.SessionNoteAmended;
import org.stillpoint.contracts.session.SessionNoteRevised;
import org.stillpoint.contracts.session.SessionNoteSigned;
import org.stillpoint.contracts.session.SessionRecorded;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every published event type, by its CloudEvents type, and which topic carries it and who may publish there: what a
 * consumer checks a record against before it trusts it.
 */
public final class PublishedTypes {

    public static final String CONSENT_TOPIC = "stillpoint.consent.v1";
    public static final String SESSION_TOPIC = "stillpoint.session.v1";
    public static final String REFERRAL_TOPIC = "stillpoint.referral.v1";
    public static final String ACCESS_TOPIC = "stillpoint.access.v1";
    public static final String DIRECTORY_TOPIC = "stillpoint.directory.v1";

    private static final List<Class<?>> TYPES = List.of(
            ClientRegistered.class, ConsentGranted.class, ConsentWithdrawn.class, ConsentExpired.class,
            ErasureRequested.class, ErasureRequestWithdrawn.class, ErasureRefused.class, ClientErased.class,
            CopyRequested.class, CopyNotesReferred.class, CopyNotesDecided.class, CopyProduced.class,
            CopyDownloaded.class, ClientTransferred.class,
            SessionRecorded.class, SessionNoteRevised.class, SessionNoteSigned.class, SessionNoteAmended.class,
            ReferralIssued.class, ReferralIssuedRevision1.class, ReferralStatusChanged.class,
            ReferralReviewed.class, ClientAccessed.class, DeadLetterHandled.class, RecordsListed.class,
            ErasureNoticeRecorded.class, SubscriptionChanged.class, EventDelivered.class,
            ClinicOpened.class, ClinicRenamed.class, ClinicClosed.class, MembershipGranted.class, MembershipEnded.class);

    private static final Map<String, Class<?>> BY_NAME = new LinkedHashMap<>();

    static {
        TYPES.forEach(type -> BY_NAME.put(typeOf(type), type));
    }

    private PublishedTypes() {
    }

    /** Every published type. */
    public static List<Class<?>> all() {
        return TYPES;
    }

    /** The class of a CloudEvents type such as {@code stillpoint.consent.granted.v1}. */
    public static Optional<Class<?>> of(String ceType) {
        return Optional.ofNullable(ceType == null ? null : BY_NAME.get(ceType));
    }

    /** The CloudEvents type of a payload class: {@code name.vN} from its {@link EventType}. */
    public static String typeOf(Class<?> payloadType) {
        EventType type = payloadType.getAnnotation(EventType.class);
        if (type == null) {
            throw new IllegalArgumentException(payloadType.getName() + " has no @EventType; it cannot be published");
        }
        return type.name() + ".v" + type.revision();
    }

    /** The topic a type travels on: the access topic for the access log, else its service's topic. */
    public static String topicOf(Class<?> payloadType) {
        String service = typeOf(payloadType).split("\\.")[1];
        return "stillpoint." + service + ".v1";
    }

    /** Whether a type is on the access topic, whichever service publishes it: the access log and the audited acts. */
    public static boolean accessLog(Class<?> payloadType) {
        return topicOf(payloadType).equals(ACCESS_TOPIC);
    }

    /**
     * Whether a type may be about no client (its body names none): an operator's act on a record without one, a list
     * of clients, a webhook subscription's change, a change to an organisation's directory.
     */
    public static boolean mayNameNoClient(Class<?> payloadType) {
        return payloadType == DeadLetterHandled.class || payloadType == RecordsListed.class
                || payloadType == SubscriptionChanged.class || DirectoryEvent.class.isAssignableFrom(payloadType);
    }

    /**
     * Whether a type stays off the organisation topics: which clients a member of staff listed and whom the officer
     * told of an erasure are the organisation's audit, not its integrators' business; a webhook's subscriptions and
     * deliveries too (a delivery of a delivery would never end).
     */
    public static boolean offOrganisationTopics(Class<?> payloadType) {
        return payloadType == RecordsListed.class || payloadType == ErasureNoticeRecorded.class
                || payloadType == SubscriptionChanged.class || payloadType == EventDelivered.class;
    }

    /**
     * The {@code ce_source} values allowed on a topic: its owning service, or, on the access topic, any service (each
     * logs the reads it answers).
     */
    public static Set<String> sourcesOf(String topic) {
        return switch (topic) {
            case CONSENT_TOPIC -> Set.of("/stillpoint/consent-service");
            case SESSION_TOPIC -> Set.of("/stillpoint/session-service");
            case REFERRAL_TOPIC -> Set.of("/stillpoint/referral-service");
            case DIRECTORY_TOPIC -> Set.of("/stillpoint/directory-service");
            case ACCESS_TOPIC -> Set.of("/stillpoint/consent-service", "/stillpoint/session-service",
                                        "/stillpoint/referral-service", "/stillpoint/audit-service",
                                        "/stillpoint/delivery-service", "/stillpoint/directory-service");
            default -> Set.of();
        };
    }
}
