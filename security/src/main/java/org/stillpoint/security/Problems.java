package org.stillpoint.security;

import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Problem details (RFC 9457) written where no controller runs: refusals of the security filters and of the gateway's
 * own filters. The type URIs are the same {@code urn:stillpoint:problem:<code>} the services use.
 */
public final class Problems {

    private Problems() {
    }

    public static void write(HttpServletResponse response, int status, String title, String code, String detail)
            throws IOException {
        write(response, status, title, code, detail, Map.of());
    }

    /** As {@link #write(HttpServletResponse, int, String, String, String)}, with further members (text, booleans). */
    public static void write(HttpServletResponse response, int status, String title, String code, String detail,
                             Map<String, Object> members) throws IOException {
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        StringBuilder json = new StringBuilder("{\"type\":\"urn:stillpoint:problem:" + code + "\",\"title\":"
                                                       + quoted(title) + ",\"status\":" + status + ",\"detail\":"
                                                       + quoted(detail));
        new TreeMap<>(members).forEach((name, value) -> json.append(',').append(quoted(name)).append(':')
                .append(value instanceof Boolean || value instanceof Number ? value.toString()
                                : quoted(String.valueOf(value))));
        response.getWriter().write(json.append('}').toString());
    }

    static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
