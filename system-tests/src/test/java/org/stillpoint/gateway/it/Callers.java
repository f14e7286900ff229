package org.stillpoint.gateway.it;

import org.stillpoint.security.Role;
import org.stillpoint.testsupport.TestIssuer;

import java.util.List;

/** The callers of the gateway tests: every role, at the fixture's clinic, at another clinic, in another organisation. */
enum Callers {
    /** The client's own clinic, in the client's organisation. */
    OWN_CLINIC("stillwater", "harbour-street"),
    /** Another clinic of the client's organisation. */
    OTHER_CLINIC("stillwater", "mill-lane"),
    /** Another organisation, even with a clinic of the same code. */
    OTHER_ORGANISATION("riverside", "harbour-street");

    static final String CLINIC = "harbour-street";
    static final String ORGANISATION = "stillwater";

    private final String organisation;
    private final String clinic;

    Callers(String organisation, String clinic) {
        this.organisation = organisation;
        this.clinic = clinic;
    }

    String organisation() {
        return organisation;
    }

    String token(Role role) {
        return TestIssuer.shared().token(role.name().toLowerCase().replace('_', '-') + "@" + clinic + "." + organisation,
                                         organisation, List.of(clinic), List.of(role.name()));
    }

    /** The practitioner who records the fixtures. */
    static String owner() {
        return OWN_CLINIC.token(Role.PRACTITIONER);
    }
}
