package org.stillpoint.security;

import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A body without a length is read to bound it, and is still what it was for whoever reads it next: its bytes, and for
 * a form its fields as parameters (the query's first); a body over the cap is refused before anything reads it.
 */
class BodySizeLimitTest {

    @Test
    void aChunkedFormKeepsItsFieldsAsParametersAfterItWasRead() throws Exception {
        MockHttpServletRequest posted = chunked("outcome=NOT_APPROPRIATE&notes=no+time%3B+paramedics&notes=2");
        posted.setContentType("application/x-www-form-urlencoded;charset=UTF-8");
        posted.setQueryString("page=2");
        MockFilterChain chain = new MockFilterChain();

        new BodySizeLimit(1_000).doFilter(posted, new MockHttpServletResponse(), chain);

        HttpServletRequest seen = (HttpServletRequest) chain.getRequest();
        assertThat(seen.getParameter("outcome")).isEqualTo("NOT_APPROPRIATE");
        assertThat(seen.getParameterValues("notes")).containsExactly("no time; paramedics", "2");
        assertThat(seen.getParameter("page")).isEqualTo("2");
        assertThat(seen.getParameterMap().keySet()).containsExactly("page", "outcome", "notes");
        assertThat(new String(seen.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).startsWith("outcome=");
        assertThat(seen.getContentLength()).isEqualTo("outcome=NOT_APPROPRIATE&notes=no+time%3B+paramedics&notes=2".length());
    }

    @Test
    void aChunkedJsonBodyIsReadAgainAndAnOversizedOneIsRefused() throws Exception {
        MockHttpServletRequest json = chunked("{\"reason\":\"moving away\"}");
        json.setContentType("application/json");
        MockFilterChain chain = new MockFilterChain();
        new BodySizeLimit(1_000).doFilter(json, new MockHttpServletResponse(), chain);
        assertThat(new String(((HttpServletRequest) chain.getRequest()).getInputStream().readAllBytes(),
                              StandardCharsets.UTF_8)).isEqualTo("{\"reason\":\"moving away\"}");

        MockHttpServletResponse refused = new MockHttpServletResponse();
        MockFilterChain never = new MockFilterChain();
        new BodySizeLimit(10).doFilter(chunked("x".repeat(11)), refused, never);
        assertThat(refused.getStatus()).isEqualTo(413);
        assertThat(never.getRequest()).isNull();
    }

    private static MockHttpServletRequest chunked(String body) {
        // a body of unknown length, as a proxy streams it
        return new MockHttpServletRequest("POST", "/console/reviews/r") {
            {
                addHeader("Transfer-Encoding", "chunked");
                setContent(body.getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public long getContentLengthLong() {
                return -1;
            }

            @Override
            public int getContentLength() {
                return -1;
            }
        };
    }
}
