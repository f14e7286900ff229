package org.stillpoint.directory.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.List;

/**
 * {@code stillpoint.directory}: the seed, the directory's first entries from the deployment's configuration (an
 * organisation admin, at least), applied once to each organisation that has no directory yet.
 */
@ConfigurationProperties("stillpoint.directory")
public record DirectoryProperties(List<SeedOrganisation> seed) {

    public DirectoryProperties {
        seed = seed == null ? List.of() : List.copyOf(seed);
    }

    public record SeedOrganisation(String organisation, List<SeedClinic> clinics, List<SeedMember> members) {

        public SeedOrganisation {
            clinics = clinics == null ? List.of() : List.copyOf(clinics);
            members = members == null ? List.of() : List.copyOf(members);
        }
    }

    public record SeedClinic(String id, String name) {
    }

    /** @param clinic null for the organisation's roles */
    public record SeedMember(String subject, String clinic, List<String> roles) {
    }
}
