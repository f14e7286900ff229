package org.stillpoint.platform.directory;

import org.junit.jupiter.api.Test;
import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.contracts.directory.ClinicClosed;
import org.stillpoint.contracts.directory.ClinicOpened;
import org.stillpoint.contracts.directory.ClinicRenamed;
import org.stillpoint.contracts.directory.MembershipEnded;
import org.stillpoint.contracts.directory.MembershipGranted;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An organisation's directory as a service's view builds it: clinics and memberships, as they hold at a moment. */
class OrganisationDirectoryTest {

    private static final OrganisationId ORG = OrganisationId.of("stillwater");
    private static final ClinicId NORTH = ClinicId.of("north");
    private static final Actor ADMIN = new Actor("olga");
    private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");

    private OrganisationDirectory directory() {
        OrganisationDirectory directory = OrganisationDirectory.empty(ORG.toString());
        directory = directory.apply(new ClinicOpened(ORG, NORTH, "North", ADMIN, T0), 0).orElseThrow();
        directory = directory.apply(new MembershipGranted(ORG, "m1", "pat", NORTH, List.of("PRACTITIONER"), T0,
                                                          T0.plusSeconds(86_400), ADMIN, T0), 1).orElseThrow();
        return directory.apply(new MembershipGranted(ORG, "m2", "cole", null, List.of("COMPLIANCE_OFFICER"),
                                                     T0.plusSeconds(3600), null, ADMIN, T0), 2).orElseThrow();
    }

    @Test
    void aMembershipHoldsFromItsBeginningUntilItsEndOrItsUntil() {
        OrganisationDirectory directory = directory();
        assertThat(directory.activeFor("pat", T0.plusSeconds(60))).hasSize(1);
        assertThat(directory.activeFor("pat", T0.plusSeconds(86_400))).as("until is exclusive").isEmpty();
        assertThat(directory.activeFor("cole", T0)).as("not begun").isEmpty();
        assertThat(directory.activeFor("cole", T0.plusSeconds(3600))).hasSize(1);
        assertThat(directory.activeFor("pat", T0.plusSeconds(60))).extracting(OrganisationDirectory.Membership::clinicId)
                                                                 .containsExactly("north");

        OrganisationDirectory ended = directory.apply(new MembershipEnded(ORG, "m1", "pat", NORTH,
                                                                          T0.plusSeconds(120), ADMIN,
                                                                          T0.plusSeconds(120)), 3).orElseThrow();
        assertThat(ended.activeFor("pat", T0.plusSeconds(60))).as("before its end it held").hasSize(1);
        assertThat(ended.activeFor("pat", T0.plusSeconds(120))).isEmpty();
        assertThat(ended.knows("pat")).as("an ended member stays known: never a stranger decided on a token").isTrue();
        assertThat(ended.knows("eve")).isFalse();
    }

    @Test
    void clinicsAreRenamedAndClosedAndARedeliveryChangesNothing() {
        OrganisationDirectory directory = directory();
        directory = directory.apply(new ClinicRenamed(ORG, NORTH, "North", "North Street", ADMIN, T0), 3).orElseThrow();
        directory = directory.apply(new ClinicClosed(ORG, NORTH, ADMIN, T0.plusSeconds(5)), 4).orElseThrow();
        assertThat(directory.clinic("north")).hasValueSatisfying(c -> {
            assertThat(c.name()).isEqualTo("North Street");
            assertThat(c.open()).isFalse();
        });
        assertThat(directory.clinic("south")).isEmpty();
        assertThat(directory.apply(new ClinicOpened(ORG, NORTH, "Again", ADMIN, T0), 4)).isEmpty();
        assertThat(directory.sequence()).isEqualTo(4);
    }
}
