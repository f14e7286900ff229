package org.stillpoint.testsupport;

import org.springframework.boot.webmvc.test.autoconfigure.MockMvcBuilderCustomizer;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.setup.ConfigurableMockMvcBuilder;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * Makes every MockMvc request of a test carry the default practitioner's token ({@link TestIssuer#practitioner()}),
 * unless the request sets its own Authorization header. Import it where a test's subject is not who calls.
 */
public class SignedInMockMvc implements MockMvcBuilderCustomizer {

    @Override
    public void customize(ConfigurableMockMvcBuilder<?> builder) {
        builder.defaultRequest(get("/").header(HttpHeaders.AUTHORIZATION, "Bearer " + TestIssuer.shared().practitioner()));
    }
}
