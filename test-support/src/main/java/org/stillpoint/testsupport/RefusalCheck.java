package org.stillpoint.testsupport;

import com.mongodb.client.MongoDatabase;
import org.bson.Document;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.RequestBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Asserts that a request is refused as it should be: the status, problem details ({@code application/problem+json})
 * with the stable type and the field, and nothing written to any of the service's collections.
 */
public final class RefusalCheck {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final MockMvc mvc;
    private final MongoDatabase database;
    private final List<String> collections;

    /** @param collections every collection a write of the service could touch */
    public RefusalCheck(MockMvc mvc, MongoDatabase database, List<String> collections) {
        this.mvc = mvc;
        this.database = database;
        this.collections = List.copyOf(collections);
    }

    /** Checks an HTTP answer is problem details of {@code status} and {@code code}; answers them. */
    public static JsonNode problem(Http.Response response, int status, String code) {
        assertThat(response.status()).as(response.raw().body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.body().get("type").asString()).isEqualTo("urn:stillpoint:problem:" + code);
        return response.body();
    }

    /**
     * Performs {@code request} and checks the refusal.
     *
     * @param field the field the problem must name, or null when it names none
     * @return the problem details
     */
    public JsonNode refused(RequestBuilder request, int status, String code, String field) throws Exception {
        return refused(request, status, code, field, 0);
    }

    /**
     * As {@link #refused}, for a read the caller was allowed to make: its one access-log entry is the only document
     * written (an event in {@code events}).
     */
    public JsonNode refusedRead(RequestBuilder request, int status, String code, String field) throws Exception {
        return refused(request, status, code, field, 1);
    }

    private JsonNode refused(RequestBuilder request, int status, String code, String field, int accessEvents)
            throws Exception {
        List<Long> before = counts();
        MvcResult result = mvc.perform(request).andReturn();
        String body = result.getResponse().getContentAsString();
        assertThat(result.getResponse().getStatus()).as(body).isEqualTo(status);
        // the media type, with or without a charset parameter (filters that answer before MVC add one)
        assertThat(result.getResponse().getContentType()).matches("application/problem\\+json(;charset=UTF-8)?");
        JsonNode problem = JSON.readTree(body);
        assertThat(problem.get("type").asString()).as(body).isEqualTo("urn:stillpoint:problem:" + code);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asString()).isNotBlank();
        if (field != null) {
            assertThat(problem.get("field").asString()).as(body).isEqualTo(field);
        }
        List<Long> expected = new ArrayList<>(before);
        int events = collections.indexOf("events");
        if (accessEvents > 0 && events >= 0) {
            expected.set(events, before.get(events) + accessEvents);
        }
        assertThat(counts()).as("documents written by a refused request").isEqualTo(expected);
        return problem;
    }

    private List<Long> counts() {
        return collections.stream().map(c -> database.getCollection(c).countDocuments(new Document())).toList();
    }
}
