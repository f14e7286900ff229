package org.stillpoint.contracts.directory;

import org.stillpoint.contracts.Actor;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.OrganisationEvent;

import java.time.Instant;

/**
 * A change to an organisation's directory (directory-service, DESIGN §10): its clinics and who works where, in which
 * roles, from when until when. About no client: keyed {@code operations}, so an organisation's directory keeps its
 * order on one partition; on the directory topic and the organisation's directory topic. Of staff it names the subject
 * of their tokens only.
 */
public sealed interface DirectoryEvent extends OrganisationEvent
        permits ClinicOpened, ClinicRenamed, ClinicClosed, MembershipGranted, MembershipEnded {

    /** Who made the change: the subject of an organisation admin, or {@code system/directory-seed}. */
    Actor actor();

    /** When the change was recorded. */
    Instant at();

    /** A directory is the organisation's, about no one client. */
    @Override
    default ClientId clientId() {
        return null;
    }

    /** The directory's own first entries, from the deployment's configuration. */
    Actor SEED = new Actor("system/directory-seed");
}
