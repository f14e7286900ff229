package org.stillpoint.audit.web;

import org.junit.jupiter.api.Test;
import org.springframework.beans.TypeMismatchException;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import org.stillpoint.platform.problem.Refusal;
import org.stillpoint.platform.web.ProblemDetailsAdvice;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A console refusal: a page for a browser, the problem document for anyone else. */
class ConsoleProblemsTest {

    private final ConsoleProblems problems = new ConsoleProblems(new ProblemDetailsAdvice(), engine());

    @Test
    void aBrowserRefusedAPageGetsAPageInWordsWithItsStatus() {
        MockHttpServletRequest browser = new MockHttpServletRequest("GET", "/console/ledger");
        browser.addHeader("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");

        ResponseEntity<?> answer = problems.failed(
                Refusal.forbidden("role-not-allowed", null, "The compliance console is for compliance officers and clinic admins."),
                browser, new ServletWebRequest(browser));

        assertThat(answer.getStatusCode().value()).isEqualTo(403);
        assertThat(answer.getHeaders().getContentType()).hasToString("text/html;charset=UTF-8");
        assertThat(answer.getBody()).asString().contains("Not for your role", "for compliance officers and clinic admins")
                                    .doesNotContain("urn:stillpoint:problem");
    }

    @Test
    void anyOtherCallerGetsTheProblemDocumentNamingTheField() {
        MockHttpServletRequest api = new MockHttpServletRequest("GET", "/console/clients/x?page=-1");
        api.addHeader("Accept", "application/json");

        ResponseEntity<?> answer = problems.failed(Refusal.invalid("invalid-parameter", "page", "page must be 0 or more."), api,
                                                   new ServletWebRequest(api));

        assertThat(answer.getStatusCode().value()).isEqualTo(400);
        assertThat(answer.getBody()).isInstanceOf(org.springframework.http.ProblemDetail.class);
        assertThat(((org.springframework.http.ProblemDetail) answer.getBody()).getProperties()).containsEntry("field", "page");
    }

    @Test
    void aBrowserGetsAPageForAMalformedRequestAndForAFailureWithoutItsInnerDetail() {
        MockHttpServletRequest browser = new MockHttpServletRequest("GET", "/console/clients/not-an-id");
        browser.addHeader("Accept", "text/html");

        ResponseEntity<?> malformed = problems.failed(new TypeMismatchException("not-an-id", UUID.class), browser,
                                                      new ServletWebRequest(browser));
        assertThat(malformed.getStatusCode().value()).isEqualTo(400);
        assertThat(malformed.getBody()).asString().contains("This request cannot be answered", "Sign in");

        ResponseEntity<?> failed = problems.failed(new IllegalStateException("connection pool of shard 3 exhausted"),
                                                   browser, new ServletWebRequest(browser));
        assertThat(failed.getStatusCode().value()).isEqualTo(500);
        assertThat(failed.getBody()).asString().contains("Something went wrong", "failure is logged")
                                    .doesNotContain("shard 3", "IllegalStateException");
    }

    private static TemplateEngine engine() {
        ClassLoaderTemplateResolver templates = new ClassLoaderTemplateResolver();
        templates.setPrefix("templates/");
        templates.setSuffix(".html");
        templates.setTemplateMode(TemplateMode.HTML);
        TemplateEngine engine = new TemplateEngine();
        engine.setTemplateResolver(templates);
        return engine;
    }
}
