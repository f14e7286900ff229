package org.stillpoint.consent.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.stillpoint.consent.query.NameIndex;
import org.stillpoint.contracts.ClientId;
import org.stillpoint.contracts.ClinicId;
import org.stillpoint.contracts.OrganisationId;
import org.stillpoint.platform.access.ClientAccess;
import org.stillpoint.platform.access.ClientPlacement;
import org.stillpoint.platform.problem.Refusal;
import org.stillpoint.security.Caller;
import org.stillpoint.security.Role;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/**
 * Finding a client by name and date of birth ({@link NameIndex}): exact matches in the caller's organisation, of the
 * clients they may read (compliance officers: all; clinic admins: their clinics'). A POST, so that the name is in no
 * URL and no access log line; the search is logged as one list of the clients it found, never its terms.
 */
@RestController
record NameSearchController(ObjectProvider<NameIndex> index, ClientAccess access) {

    /** A search: the name and date of birth exactly as in the record, up to case, accents and punctuation. */
    public record NameSearch(@NotBlank @Size(max = 200) String givenName, @NotBlank @Size(max = 200) String familyName,
                             @NotNull LocalDate dateOfBirth) {
    }

    /** A client found: ids only, the record is read where it is. */
    public record Found(String clientId, String clinicId) {
    }

    public record Results(List<Found> clients) {
    }

    @PostMapping("/api/clients/search")
    public Results search(Caller caller, @Valid @RequestBody NameSearch search) {
        ClientAccess.requireAny(caller, "finding a client by name (compliance officers and clinic admins)",
                                Role.COMPLIANCE_OFFICER, Role.CLINIC_ADMIN);
        NameIndex names = index.getIfAvailable();
        if (names == null) {
            throw Refusal.conflict("name-search-not-configured", null, "Finding a client by name is not configured "
                    + "here: the name index needs its key (STILLPOINT_NAME_INDEX_KEY).");
        }
        List<NameIndex.Entry> found = names.find(caller.organisationId(), search.givenName(), search.familyName(),
                                                 search.dateOfBirth());
        Set<ClientId> readable = access.listedPlacements(caller, "name-search", found.stream().map(
                e -> new ClientPlacement(ClientId.of(e.id()), OrganisationId.of(e.organisationId()),
                                         ClinicId.of(e.clinicId()))).toList());
        return new Results(found.stream().filter(e -> readable.contains(ClientId.of(e.id())))
                                .map(e -> new Found(e.id(), e.clinicId())).toList());
    }
}
