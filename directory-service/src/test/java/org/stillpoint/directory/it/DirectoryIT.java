package org.stillpoint.directory.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.stillpoint.consent.ConsentServiceApplication;
import org.stillpoint.directory.DirectoryServiceApplication;
import org.stillpoint.testsupport.Backends;
import org.stillpoint.testsupport.Http;
import org.stillpoint.testsupport.RefusalCheck;
import org.stillpoint.testsupport.ServiceBeside;
import org.stillpoint.testsupport.TestIssuer;
import org.stillpoint.testsupport.UsesBackends;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The directory as every service decides on it, on the embedded backends: directory-service keeps an organisation's
 * clinics and memberships (seeded with its first admin), and consent-service — another process's view of the
 * directory topic — refuses a membership that ended on the very next request of a token still valid, a token claiming
 * more than the directory gives, and new records at a clinic that does not exist or is closed. Every refusal of the
 * directory's own commands names its field.
 */
@UsesBackends
class DirectoryIT {

    private static final String ORG = "dir-" + UUID.randomUUID().toString().substring(0, 8);
    private static ConfigurableApplicationContext directory;
    private static Http consent;
    private static Http directoryHttp;

    @BeforeAll
    static void start() {
        consent = ServiceBeside.of(ConsentServiceApplication.class);
        directory = ServiceBeside.start(
                DirectoryServiceApplication.class, Backends.shared().mongoConnectionString(),
                "directory-" + UUID.randomUUID().toString().substring(0, 8), Backends.shared().kafkaBootstrapServers(),
                "--stillpoint.directory.unknown-callers=refuse",
                "--stillpoint.directory.seed[0].organisation=" + ORG,
                "--stillpoint.directory.seed[0].clinics[0].id=north",
                "--stillpoint.directory.seed[0].clinics[0].name=North Street",
                "--stillpoint.directory.seed[0].members[0].subject=" + ORG + "-admin",
                "--stillpoint.directory.seed[0].members[0].roles[0]=ORGANISATION_ADMIN");
        directoryHttp = new Http(Integer.parseInt(directory.getEnvironment().getProperty("local.server.port")));
    }

    @AfterAll
    static void stop() {
        if (directory != null) {
            directory.close();
        }
    }

    private static String token(String subject, List<String> clinics, String... roles) {
        return TestIssuer.shared().token(subject, ORG, clinics, List.of(roles));
    }

    private static Http admin() {
        return directoryHttp.withToken(token(ORG + "-admin", List.of(), "ORGANISATION_ADMIN"));
    }

    private static String grant(String subject, String clinic, String role) {
        Http.Response granted = admin().post("/api/directory/memberships", clinic == null
                ? "{\"subject\":\"%s\",\"roles\":[\"%s\"]}".formatted(subject, role)
                : "{\"subject\":\"%s\",\"clinicId\":\"%s\",\"roles\":[\"%s\"]}".formatted(subject, clinic, role));
        assertThat(granted.status()).as(granted.raw().body()).isEqualTo(201);
        assertThat(granted.body().get("active").asBoolean()).isTrue();
        return granted.body().get("membershipId").asString();
    }

    private static Http.Response register(String token, String clinic) {
        return consent.withToken(token).post("/api/clients", """
                {"clinicId":"%s","givenName":"Robin","familyName":"Ashdown","dateOfBirth":"1984-03-02"}
                """.formatted(clinic));
    }

    @Test
    void aMembershipThatEndedRefusesTheNextRequestOfATokenStillValid() {
        String subject = ORG + "-pat";
        String membership = grant(subject, "north", "PRACTITIONER");
        String token = token(subject, List.of("north"), "PRACTITIONER");
        Http.Response registered = register(token, "north");
        assertThat(registered.status()).as(registered.raw().body()).isEqualTo(201);
        String clientId = registered.body().get("clientId").asString();
        assertThat(consent.withToken(token).get("/api/clients/" + clientId).status()).isEqualTo(200);

        Http.Response ended = admin().post("/api/directory/memberships/" + membership + "/end", "{}");
        assertThat(ended.status()).as(ended.raw().body()).isEqualTo(200);
        assertThat(ended.body().get("active").asBoolean()).isFalse();

        // the very next request of the same token, at another service, whatever the token still claims
        RefusalCheck.problem(consent.withToken(token).get("/api/clients/" + clientId), 403, "membership-ended");
        RefusalCheck.problem(register(token, "north"), 403, "membership-ended");
        // ending it again is refused
        RefusalCheck.problem(admin().post("/api/directory/memberships/" + membership + "/end", "{}"), 409,
                             "membership-ended");
    }

    @Test
    void aTokenClaimingMoreThanTheDirectoryGivesIsRefused() {
        String subject = ORG + "-mo";
        grant(subject, "north", "PRACTITIONER");
        Http.Response opened = admin().post("/api/directory/clinics", "{\"clinicId\":\"south\",\"name\":\"South\"}");
        assertThat(opened.status()).as(opened.raw().body()).isIn(201, 409);
        JsonNode refused = RefusalCheck.problem(register(token(subject, List.of("north", "south"), "PRACTITIONER"),
                                                         "south"), 403, "claims-exceed-membership");
        assertThat(refused.get("exceeding").toString()).contains("clinic:south");
        RefusalCheck.problem(register(token(subject, List.of("north"), "CLINIC_ADMIN"), "north"), 403,
                             "claims-exceed-membership");
        // within what the directory gives, the same subject is let through
        assertThat(register(token(subject, List.of("north"), "PRACTITIONER"), "north").status()).isEqualTo(201);
    }

    @Test
    void newRecordsAtAClinicThatDoesNotExistOrIsClosedAreRefusedNamingTheClinic() {
        String subject = ORG + "-cam";
        Http.Response opened = admin().post("/api/directory/clinics", "{\"clinicId\":\"east\",\"name\":\"East\"}");
        assertThat(opened.status()).as(opened.raw().body()).isEqualTo(201);
        grant(subject, "east", "CLINIC_ADMIN");
        String token = token(subject, List.of("east"), "CLINIC_ADMIN");
        assertThat(register(token, "east").status()).isEqualTo(201);

        Http.Response closed = admin().post("/api/directory/clinics/east/close", "");
        assertThat(closed.status()).as(closed.raw().body()).isEqualTo(200);
        assertThat(closed.body().get("open").asBoolean()).isFalse();
        assertThat(RefusalCheck.problem(register(token, "east"), 422, "clinic-closed").get("field").asString())
                .isEqualTo("clinicId");

        // a clinic the directory never had: the caller's own token cannot name it (the directory gives it to no one)
        String other = ORG + "-ola";
        grant(other, null, "COMPLIANCE_OFFICER");
        RefusalCheck.problem(register(token(other, List.of(), "COMPLIANCE_OFFICER"), "nowhere"), 403,
                             "role-not-allowed");
    }

    @Test
    void theDirectoryListsClinicsAndWhoWorksWhere() {
        grant(ORG + "-lee", "north", "PRACTITIONER");
        Http.Response read = admin().get("/api/directory");
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body().get("clinics").values().stream().map(c -> c.get("clinicId").asString()).toList())
                .contains("north");
        assertThat(read.body().get("memberships").values().stream()
                       .filter(m -> m.get("subject").asString().equals(ORG + "-lee")
                               && m.get("clinicId").asString().equals("north")).count()).isEqualTo(1);
        Http.Response renamed = admin().put("/api/directory/clinics/north", "{\"name\":\"North Street Rooms\"}");
        assertThat(renamed.status()).as(renamed.raw().body()).isEqualTo(200);
        assertThat(renamed.body().get("name").asString()).isEqualTo("North Street Rooms");
    }

    @Test
    void everyRefusalOfTheDirectoryNamesItsField() {
        Http admin = admin();
        assertThat(RefusalCheck.problem(admin.post("/api/directory/clinics", "{\"clinicId\":\"North!\",\"name\":\"x\"}"),
                                        400, "invalid-request").toString()).contains("clinicId");
        assertThat(RefusalCheck.problem(admin.post("/api/directory/clinics", "{\"clinicId\":\"north\",\"name\":\"N\"}"),
                                        409, "clinic-exists").get("field").asString()).isEqualTo("clinicId");
        assertThat(RefusalCheck.problem(admin.post("/api/directory/memberships",
                                                   "{\"subject\":\"x\",\"roles\":[\"PRACTITIONER\"]}"), 422,
                                        "clinic-required").get("field").asString()).isEqualTo("clinicId");
        assertThat(RefusalCheck.problem(admin.post("/api/directory/memberships",
                                                   "{\"subject\":\"x\",\"clinicId\":\"north\",\"roles\":[\"OPERATOR\"]}"),
                                        422, "role-of-the-organisation").get("field").asString()).isEqualTo("roles[0]");
        assertThat(RefusalCheck.problem(admin.post("/api/directory/memberships",
                                                   "{\"subject\":\"x\",\"roles\":[\"CLIENT\"]}"),
                                        422, "role-unknown").get("field").asString()).isEqualTo("roles[0]");
        assertThat(RefusalCheck.problem(admin.post("/api/directory/memberships",
                                                   "{\"subject\":\"x\",\"clinicId\":\"nowhere\",\"roles\":[\"PRACTITIONER\"]}"),
                                        422, "clinic-unknown").get("field").asString()).isEqualTo("clinicId");
        assertThat(RefusalCheck.problem(admin.post("/api/directory/memberships",
                                                   "{\"subject\":\"x\",\"clinicId\":\"north\",\"roles\":[\"PRACTITIONER\"],"
                                                           + "\"from\":\"2026-12-01T00:00:00Z\",\"until\":\"2026-11-01T00:00:00Z\"}"),
                                        422, "until-before-from").get("field").asString()).isEqualTo("until");
        RefusalCheck.problem(admin.post("/api/directory/memberships/" + UUID.randomUUID() + "/end", "{}"), 404,
                             "membership-not-found");
        RefusalCheck.problem(admin.post("/api/directory/clinics/nowhere/close", ""), 404, "clinic-not-found");
        // only an organisation admin changes the directory; a member of staff it does not know is refused
        String officer = ORG + "-cole";
        grant(officer, null, "COMPLIANCE_OFFICER");
        Http asOfficer = directoryHttp.withToken(token(officer, List.of(), "COMPLIANCE_OFFICER"));
        assertThat(asOfficer.get("/api/directory").status()).isEqualTo(200);
        RefusalCheck.problem(asOfficer.post("/api/directory/clinics", "{\"clinicId\":\"west\",\"name\":\"W\"}"), 403,
                             "role-not-allowed");
        RefusalCheck.problem(directoryHttp.withToken(token(ORG + "-nobody", List.of(), "ORGANISATION_ADMIN"))
                                          .get("/api/directory"), 403, "not-in-directory");
        // a client's role beside a staff role does not take the token past the directory
        RefusalCheck.problem(directoryHttp.withToken(token(ORG + "-nobody", List.of(), "CLIENT", "ORGANISATION_ADMIN"))
                                          .get("/api/directory"), 403, "not-in-directory");
        // another organisation's admin sees nothing of this one
        JsonNode elsewhere = directoryHttp.withToken(TestIssuer.shared().token(ORG + "-admin", "other-" + ORG,
                                                                                List.of(), List.of("ORGANISATION_ADMIN")))
                                          .get("/api/directory").body();
        assertThat(elsewhere.toString()).contains("not-in-directory");
    }
}
