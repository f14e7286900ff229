package org.stillpoint.security;

import org.springframework.security.oauth2.jwt.Jwt;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.OrganisationId;

import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who is calling, as their validated token says: subject, organisation, clinics and roles. Identity is taken from here
 * and never from a request body.
 *
 * @param organisationId null when the token names none; such a caller reaches no client
 * @param clientId       the client a {@link Role#CLIENT} token is about (its {@code client} claim); null otherwise
 */
public record Caller(String subject, OrganisationId organisationId, Set<ClinicId> clinics, Set<Role> roles,
                     ClientId clientId) {

    public static final String ORGANISATION = "organisation";
    public static final String CLINICS = "clinics";
    public static final String ROLES = "roles";
    public static final String CLIENT = "client";

    public Caller {
        clinics = Set.copyOf(clinics);
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }

    public Caller(String subject, OrganisationId organisationId, Set<ClinicId> clinics, Set<Role> roles) {
        this(subject, organisationId, clinics, roles, null);
    }

    /** The caller a validated token describes; codes that are not well-formed ids are left out. */
    public static Caller of(Jwt jwt) {
        String organisation = jwt.getClaimAsString(ORGANISATION);
        return new Caller(jwt.getSubject(), organisation == null || !ClinicId.isCode(organisation) ? null
                                  : OrganisationId.of(organisation),
                          strings(jwt.getClaimAsStringList(CLINICS)).stream().filter(ClinicId::isCode)
                                                                     .map(ClinicId::of)
                                                                     .collect(Collectors.toCollection(LinkedHashSet::new)),
                          roles(jwt.getClaimAsStringList(ROLES)), client(jwt.getClaimAsString(CLIENT)));
    }

    /** The client of a {@link Role#CLIENT} token whose {@code client} claim names one; empty for anyone else. */
    public Optional<ClientId> ownClient() {
        return has(Role.CLIENT) ? Optional.ofNullable(clientId) : Optional.empty();
    }

    private static ClientId client(String claim) {
        return claim != null && ClientId.isId(claim) ? ClientId.of(claim) : null;
    }

    /**
     * Who the records name as having acted: staff by their subject; a client by {@code client/<client id>}, never by
     * their sign-in subject, so that once the client is erased no event, access record or view names them (the client
     * id is a pseudonym that every record of theirs carries already).
     */
    public Actor actor() {
        return ownClient().map(client -> new Actor(CLIENT_ACTOR_PREFIX + client)).orElseGet(() -> new Actor(subject));
    }

    /** How a client acting on their own record is named in the records: {@code client/<client id>}. */
    public static final String CLIENT_ACTOR_PREFIX = "client/";

    public boolean has(Role role) {
        return roles.contains(role);
    }

    public boolean hasAny(Role... any) {
        for (Role role : any) {
            if (roles.contains(role)) {
                return true;
            }
        }
        return false;
    }

    public boolean worksAt(ClinicId clinicId) {
        return clinics.contains(clinicId);
    }

    public boolean belongsTo(OrganisationId organisation) {
        return organisationId != null && organisationId.equals(organisation);
    }

    /** Role names, for the access log. */
    public Set<String> roleNames() {
        return roles.stream().map(Role::name).collect(Collectors.toUnmodifiableSet());
    }

    private static Set<Role> roles(List<String> names) {
        EnumSet<Role> roles = EnumSet.noneOf(Role.class);
        for (String name : strings(names)) {
            for (Role role : Role.values()) {
                if (role.name().equals(name)) {
                    roles.add(role);
                }
            }
        }
        return roles;
    }

    private static Collection<String> strings(List<String> values) {
        return values == null ? List.of() : values;
    }
}
