package org.stillpoint.platform.access;

import jakarta.servlet.http.HttpServletRequest;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.access.AccessAction;
import org.stillpoint.contracts.access.AccessOutcome;
import org.stillpoint.contracts.access.ClientAccessed;
import org.stillpoint.contracts.access.RecordsListed;
import org.stillpoint.platform.metrics.CommandStages;
import org.stillpoint.platform.problem.Refusal;
import org.stillpoint.security.Caller;
import org.stillpoint.security.Role;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Who may touch which client's record (DESIGN §5), decided in the service itself, and the access log.
 * <ul>
 *   <li>nobody reaches a client of another organisation: {@code 404}, as if it did not exist;</li>
 *   <li>a practitioner or clinic admin reads and writes for clients registered at their own clinics only
 *       ({@code 403} elsewhere), and reads the record of a client who shares it with their clinic
 *       ({@code CLINIC_SHARING} consent);</li>
 *   <li>a compliance officer reads across the organisation and writes nothing;</li>
 *   <li>an integrator reaches no client's record.</li>
 * </ul>
 * Every read, and every refused read or write, is stored as a {@link ClientAccessed} event before the answer goes out
 * (a list of clients as one {@link RecordsListed}); the service publishes it to {@code stillpoint.access.v1} like its
 * other events, with the same guarantees.
 */
public class ClientAccess {

    private static final Set<Role> READERS = Set.of(Role.PRACTITIONER, Role.CLINIC_ADMIN, Role.COMPLIANCE_OFFICER);

    private final ClientDirectory directory;
    private final EventGateway events;
    private final String service;
    private final Clock clock;
    private final Predicate<String> held;
    private final boolean erasedReadable;
    private final CommandStages stages;
    private final Clinics clinics;

    /** @param held whether the service's read models hold a client's records for repair (its dead letters) */
    public ClientAccess(ClientDirectory directory, EventGateway events, String service, Clock clock,
                        Predicate<String> held) {
        this(directory, events, service, clock, held, false, CommandStages.unread(), (organisation, clinic, field) -> {
        });
    }

    /**
     * @param erasedReadable whether an erased client's record is still read here (the audit, which holds no personal
     *                       data in clear); elsewhere a read of it answers the fact and time of the erasure only
     * @param stages         where the time of a write's access check is counted
     * @param clinics        the organisation's clinics as the directory holds them: where new records may be made
     */
    public ClientAccess(ClientDirectory directory, EventGateway events, String service, Clock clock,
                        Predicate<String> held, boolean erasedReadable, CommandStages stages, Clinics clinics) {
        this.directory = directory;
        this.events = events;
        this.service = service;
        this.clock = clock;
        this.held = held;
        this.erasedReadable = erasedReadable;
        this.stages = stages;
        this.clinics = clinics;
    }

    /** The refusal of any write for an erased client: {@code 409 client-erased}, with the time of the erasure. */
    public static Refusal erasedWrite(ClientId clientId, Instant erasedAt) {
        return Refusal.conflict("client-erased", "clientId", "Client " + clientId + " was erased at " + erasedAt
                + "; nothing more is recorded for them.").with("erasedAt", erasedAt);
    }

    /** The answer to a read of an erased client's record: {@code 410 client-erased}, with the time of the erasure. */
    public static Refusal erasedRead(ClientId clientId, Instant erasedAt) {
        return Refusal.gone("client-erased", "clientId", "Client " + clientId + " was erased at " + erasedAt
                + "; their personal data no longer exists.").with("erasedAt", erasedAt);
    }

    /** Lets the caller read the client's record, logging the read; or logs the denial and refuses. */
    public ClientPlacement read(Caller caller, ClientId clientId) {
        return read(caller, clientId, READERS);
    }

    /**
     * As {@link #read(Caller, ClientId)}, for data only {@code readers} may see (such as audit data): the same rules, for
     * those roles only.
     */
    public ClientPlacement read(Caller caller, ClientId clientId, Set<Role> readers) {
        // a read decides on what this service holds now: no broker round trip, no wait for a view to catch up
        ClientPlacement placement = directory.known(clientId).orElseThrow(() -> unknown(clientId));
        String denial = caller.roles().stream().anyMatch(readers::contains)
                ? denial(caller, placement, AccessAction.READ) : caller.belongsTo(placement.organisationId())
                ? "role" : "other-organisation";
        boolean gone = denial == null && placement.erased() && !erasedReadable;
        record(caller, placement, AccessAction.READ, denial, gone);
        if (denial != null) {
            throw refusal(denial, clientId, AccessAction.READ);
        }
        if (gone) {
            throw erasedRead(clientId, placement.erasedAt());
        }
        if (held.test(clientId.toString())) {
            throw Refusal.retryLater("client-record-held", "clientId",
                                     "An event of client " + clientId + " could not be applied to this service's read "
                                             + "model and is held for repair; the record is not shown incomplete. "
                                             + "Retry once an operator has released it.");
        }
        return placement;
    }

    /** Lets the caller act on the client's record (the act's own event records it); or logs the denial and refuses. */
    public ClientPlacement write(Caller caller, ClientId clientId) {
        return write(caller, clientId, null);
    }

    /**
     * As {@link #write(Caller, ClientId)}, for an act that names the consent sequence the caller has seen: the client is
     * looked up in a view that has read that far (or the request is refused as retryable), not taken for unknown.
     */
    public ClientPlacement write(Caller caller, ClientId clientId, Long seenSequence) {
        return stages.time(CommandStages.Stage.ACCESS, () -> {
            ClientPlacement placement = directory.find(clientId, seenSequence).orElseThrow(() -> unknown(clientId));
            return act(caller, placement, denial(caller, placement, AccessAction.WRITE));
        });
    }

    /**
     * The caller's own record, for a {@link Role#CLIENT} token under {@code /api/me/…}: the client its {@code client}
     * claim names, in the token's organisation. The read or the act is logged as any other access, with the client as
     * the actor. Staff, and a client token naming no client, are refused ({@code 403}); a client this service does not
     * know is {@code 404}; an erased client reaches the fact and time of the erasure only ({@code 410}, or {@code 409}
     * for an act).
     */
    public ClientPlacement self(Caller caller, AccessAction action) {
        return self(caller, action, Duration.ZERO);
    }

    /**
     * The same, for a read that stays open to the client for {@code afterErasure} after their erasure (what was done
     * because of it: the recipients told, GDPR Art. 19): within that time the read is let through and logged as any
     * other; after it, the fact and time of the erasure only ({@code 410}).
     */
    public ClientPlacement selfAfterErasure(Caller caller, Duration afterErasure) {
        return self(caller, AccessAction.READ, afterErasure);
    }

    private ClientPlacement self(Caller caller, AccessAction action, Duration afterErasure) {
        ClientId own = caller.ownClient().orElseThrow(() -> Refusal.forbidden(
                "role-not-allowed", null, "Only a client, with a token naming their client id, reaches /api/me."));
        ClientPlacement placement = (action == AccessAction.READ ? directory.known(own) : directory.find(own))
                .orElseThrow(() -> unknown(own));
        if (!caller.belongsTo(placement.organisationId())) {
            record(caller, placement, action, "other-organisation");
            throw unknown(own);
        }
        boolean stillOpen = placement.erased() && action == AccessAction.READ
                && placement.erasedAt().plus(afterErasure).isAfter(clock.instant());
        if (placement.erased() && !stillOpen) {
            if (action == AccessAction.READ) {
                record(caller, placement, action, null, true);
                throw erasedRead(own, placement.erasedAt());
            }
            throw erasedWrite(own, placement.erasedAt());
        }
        if (action == AccessAction.READ) {
            record(caller, placement, action, null);
        }
        return placement;
    }

    /**
     * Lets the caller see again what an act of theirs on the client's record answered (an {@code Idempotency-Key}
     * replay): the same rules as the act, logged and refused as it would be; an erased client's record is gone
     * ({@code 410}).
     */
    public void replay(Caller caller, ClientId clientId) {
        ClientPlacement placement = directory.known(clientId).orElseThrow(() -> unknown(clientId));
        if (caller.has(Role.CLIENT)) {
            if (!caller.ownClient().map(clientId::equals).orElse(false) || !caller.belongsTo(placement.organisationId())) {
                throw unknown(clientId);
            }
        } else {
            String denial = denial(caller, placement, AccessAction.WRITE);
            if (denial != null && !(caller.has(Role.COMPLIANCE_OFFICER) && caller.belongsTo(placement.organisationId()))) {
                record(caller, placement, AccessAction.WRITE, denial);
                throw refusal(denial, clientId, AccessAction.WRITE);
            }
        }
        if (placement.erased()) {
            throw erasedRead(clientId, placement.erasedAt());
        }
    }

    /**
     * Lets the caller move the client to {@code toClinic}: a clinic admin of the clinic the client leaves or of the one
     * they move to, in the client's organisation; the clinic they move to is an open clinic of the directory
     * ({@code 422} naming {@code toClinicId}). A refusal is logged like any other.
     */
    public ClientPlacement transfer(Caller caller, ClientId clientId, ClinicId toClinic) {
        ClientPlacement placement = placement(clientId);
        String denial = !caller.belongsTo(placement.organisationId()) ? "other-organisation"
                : !caller.has(Role.CLINIC_ADMIN) ? "role"
                : caller.worksAt(placement.clinicId()) || caller.worksAt(toClinic) ? null : "other-clinic";
        ClientPlacement allowed = act(caller, placement, denial);
        clinics.requireOpen(placement.organisationId(), toClinic, "toClinicId");
        return allowed;
    }

    /**
     * Lets a compliance officer of the client's organisation act on the client's record — approving its erasure, the one
     * write an officer makes; or logs the denial and refuses.
     */
    public ClientPlacement officerAct(Caller caller, ClientId clientId) {
        ClientPlacement placement = placement(clientId);
        return act(caller, placement, !caller.belongsTo(placement.organisationId()) ? "other-organisation"
                : caller.has(Role.COMPLIANCE_OFFICER) ? null : "role");
    }

    /** The act allowed unless {@code denial} names why not (logged and refused); never on an erased client. */
    private ClientPlacement act(Caller caller, ClientPlacement placement, String denial) {
        if (denial != null) {
            record(caller, placement, AccessAction.WRITE, denial);
            throw refusal(denial, placement.clientId(), AccessAction.WRITE);
        }
        if (placement.erased()) {
            throw erasedWrite(placement.clientId(), placement.erasedAt());
        }
        return placement;
    }

    /**
     * Of several clients (the rows of a list), those the caller may read; the others are left out of the list without
     * a trace, as a search that does not match them. The list is one access, {@link RecordsListed}, naming every client
     * it shows; nothing of any one record is read.
     *
     * @param list which list it is ({@code open-referrals})
     */
    public Set<ClientId> listed(Caller caller, String list, Collection<ClientId> clientIds) {
        return listedPlacements(caller, list, clientIds.stream().distinct().map(directory::known)
                                                       .flatMap(Optional::stream).toList());
    }

    /** As {@link #listed}, for rows whose placement the service holds already: no directory lookup per row. */
    public Set<ClientId> listedPlacements(Caller caller, String list, Collection<ClientPlacement> placements) {
        Set<ClientId> readable = new LinkedHashSet<>();
        for (ClientPlacement placement : placements) {
            if (denial(caller, placement, AccessAction.READ) == null) {
                readable.add(placement.clientId());
            }
        }
        if (caller.organisationId() != null) {
            events.publish(new RecordsListed(caller.organisationId(), caller.actor(), caller.organisationId(),
                                             caller.clinics(), caller.roleNames(), list, path(), List.copyOf(readable),
                                             service, clock.instant()));
        }
        return readable;
    }

    /**
     * Lets the caller register a client at {@code clinicId}: a practitioner or clinic admin of that clinic, which is an
     * open clinic of the organisation's directory ({@code 422} naming {@code clinicId} otherwise).
     */
    public void register(Caller caller, ClinicId clinicId) {
        stages.time(CommandStages.Stage.ACCESS, () -> mayRegister(caller, clinicId));
    }

    private void mayRegister(Caller caller, ClinicId clinicId) {
        if (caller.organisationId() == null || !caller.hasAny(Role.PRACTITIONER, Role.CLINIC_ADMIN)) {
            throw Refusal.forbidden("role-not-allowed", null,
                                    "Only practitioners and clinic admins of an organisation register clients.");
        }
        if (!caller.worksAt(clinicId)) {
            throw Refusal.forbidden("clinic-not-yours", "clinicId",
                                    "The caller's token does not name clinic " + clinicId + ".");
        }
        clinics.requireOpen(caller.organisationId(), clinicId, "clinicId");
    }

    /**
     * The clinic an act is recorded at: the one the request names, which must be one of the caller's, or else the
     * client's own; either way an open clinic of the directory ({@code 422} naming {@code clinicId} otherwise).
     */
    public ClinicId actingClinic(Caller caller, ClientPlacement placement, String requested) {
        if (requested == null) {
            clinics.requireOpen(placement.organisationId(), placement.clinicId(), "clinicId");
            return placement.clinicId();
        }
        ClinicId clinicId = ClinicId.of(requested);
        if (!caller.worksAt(clinicId)) {
            throw Refusal.forbidden("clinic-not-yours", "clinicId",
                                    "The caller's token does not name clinic " + clinicId + ".");
        }
        clinics.requireOpen(placement.organisationId(), clinicId, "clinicId");
        return clinicId;
    }

    /**
     * The clinic a {@code CLINIC_SHARING} consent lets read the client's record: named by the request ({@code 422
     * clinic-required} otherwise), another open clinic of the client's organisation than their own.
     */
    public ClinicId sharingClinic(ClientPlacement placement, String requested) {
        if (requested == null) {
            throw Refusal.unprocessable("clinic-required", "clinicId", "Sharing names the clinic of the organisation "
                    + "that may read the client's record.");
        }
        ClinicId clinicId = ClinicId.of(requested);
        if (clinicId.equals(placement.clinicId())) {
            throw Refusal.unprocessable("sharing-with-own-clinic", "clinicId", "The client is registered at "
                    + clinicId + ": its staff read the record already.");
        }
        clinics.requireOpen(placement.organisationId(), clinicId, "clinicId");
        return clinicId;
    }

    /** Refuses unless the caller holds one of {@code roles}, for requests that name no client. */
    public static void requireAny(Caller caller, String what, Role... roles) {
        if (!caller.hasAny(roles) || caller.organisationId() == null) {
            throw Refusal.forbidden("role-not-allowed", null, "The caller's roles do not allow " + what + ".");
        }
    }

    private ClientPlacement placement(ClientId clientId) {
        return directory.find(clientId).orElseThrow(() -> unknown(clientId));
    }

    /** Why the caller may not do {@code action} on the client's record, or null when they may. */
    private static String denial(Caller caller, ClientPlacement placement, AccessAction action) {
        if (!caller.belongsTo(placement.organisationId())) {
            return "other-organisation";
        }
        if (action == AccessAction.READ && caller.has(Role.COMPLIANCE_OFFICER)) {
            return null;
        }
        if (caller.hasAny(Role.PRACTITIONER, Role.CLINIC_ADMIN)) {
            if (caller.worksAt(placement.clinicId())) {
                return null;
            }
            // another clinic reads what the client shares with it, and writes nothing there
            return action == AccessAction.READ && placement.sharedWith().stream().anyMatch(caller::worksAt) ? null
                    : "other-clinic";
        }
        return "role";
    }

    private static Refusal refusal(String denial, ClientId clientId, AccessAction action) {
        return switch (denial) {
            case "other-organisation" -> unknown(clientId);
            case "other-clinic" -> Refusal.forbidden("client-of-another-clinic", "clientId",
                                                     "Client " + clientId + " is registered at a clinic the caller's "
                                                             + "token does not name.");
            default -> Refusal.forbidden("role-not-allowed", null, action == AccessAction.READ
                    ? "The caller's roles do not allow reading client records."
                    : "The caller's roles do not allow changing client records.");
        };
    }

    private static Refusal unknown(ClientId clientId) {
        return Refusal.notFound("client-not-found", "clientId", "There is no client " + clientId + ".");
    }

    private void record(Caller caller, ClientPlacement placement, AccessAction action, String denial) {
        record(caller, placement, action, denial, false);
    }

    /** @param gone the client was erased, and nothing of their record was shown */
    private void record(Caller caller, ClientPlacement placement, AccessAction action, String denial, boolean gone) {
        AccessOutcome outcome = denial != null ? AccessOutcome.DENIED : gone ? AccessOutcome.GONE : AccessOutcome.ALLOWED;
        events.publish(new ClientAccessed(placement.clientId(), placement.organisationId(), placement.clinicId(),
                                          caller.actor(), caller.organisationId(), caller.clinics(), caller.roleNames(),
                                          action, resource(), outcome, denial, service, clock.instant()));
    }

    /**
     * What was asked for: the method and path, and of the query only the moment a point-in-time read asked for
     * ({@code asOf}, {@code at}) and an export's {@code format} — never a search's terms, which may be personal.
     */
    private static String resource() {
        return request(true);
    }

    /** The method and path of the request being answered, without any of its query. */
    private static String path() {
        return request(false);
    }

    private static String request(boolean withMoment) {
        if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)) {
            return "(not a web request)";
        }
        HttpServletRequest request = attributes.getRequest();
        StringBuilder kept = new StringBuilder();
        for (String parameter : withMoment ? LOGGED_PARAMETERS : List.<String>of()) {
            String value = request.getParameter(parameter);
            if (value != null && value.length() <= 40 && value.matches("[0-9A-Za-z:.+\\-]+")) {
                kept.append(kept.isEmpty() ? "?" : "&").append(parameter).append('=').append(value);
            }
        }
        return request.getMethod() + " " + request.getRequestURI() + kept;
    }

    private static final List<String> LOGGED_PARAMETERS = List.of("asOf", "at", "format");
}
