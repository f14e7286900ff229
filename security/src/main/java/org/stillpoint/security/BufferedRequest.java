package org.stillpoint.security;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A request whose body a filter has read into memory (to bound or hash it), served again to whoever reads it next,
 * with its length now known. A form's fields are its parameters still (the container can no longer parse a body that
 * was read): those of the query, then those of the body.
 */
public final class BufferedRequest extends HttpServletRequestWrapper {

    private final byte[] body;
    private final Map<String, String[]> form;

    public BufferedRequest(HttpServletRequest request, byte[] body) {
        this(request, body, isForm(request) ? fields(request.getQueryString(), new String(body, StandardCharsets.UTF_8))
                : null);
    }

    /**
     * The request with {@code body}, answering {@code parameters} as its parameters (null: the container's), whatever
     * the body holds: a proxy that sends a form on as its body, and never in the query, answers the query's alone.
     */
    public BufferedRequest(HttpServletRequest request, byte[] body, Map<String, String[]> parameters) {
        super(request);
        this.body = body;
        this.form = parameters;
    }

    private static boolean isForm(HttpServletRequest request) {
        String type = request.getContentType();
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    /** The parameters of a query and a form body, each decoded, in the order they came. */
    public static Map<String, String[]> fields(String query, String body) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        for (String encoded : new String[]{query == null ? "" : query, body}) {
            for (String pair : encoded.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                fields.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            }
        }
        Map<String, String[]> answered = new LinkedHashMap<>();
        fields.forEach((name, values) -> answered.put(name, values.toArray(String[]::new)));
        return Collections.unmodifiableMap(answered);
    }

    @Override
    public String getParameter(String name) {
        if (form == null) {
            return super.getParameter(name);
        }
        String[] values = form.get(name);
        return values == null || values.length == 0 ? null : values[0];
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        return form == null ? super.getParameterMap() : form;
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return form == null ? super.getParameterNames() : Collections.enumeration(form.keySet());
    }

    @Override
    public String[] getParameterValues(String name) {
        return form == null ? super.getParameterValues(name) : form.get(name);
    }

    @Override
    public int getContentLength() {
        return body.length;
    }

    @Override
    public long getContentLengthLong() {
        return body.length;
    }

    @Override
    public String getHeader(String name) {
        if ("Transfer-Encoding".equalsIgnoreCase(name)) {
            return null;
        }
        if ("Content-Length".equalsIgnoreCase(name)) {
            return Integer.toString(body.length);
        }
        return super.getHeader(name);
    }

    @Override
    public ServletInputStream getInputStream() {
        InputStream in = new ByteArrayInputStream(body);
        return new ServletInputStream() {
            @Override
            public int read() throws IOException {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return in.read(b, off, len);
            }

            @Override
            public boolean isFinished() {
                return available() == 0;
            }

            @Override
            public int available() {
                try {
                    return in.available();
                } catch (IOException e) {
                    return 0;
                }
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException("the body is already in memory");
            }
        };
    }

    @Override
    public BufferedReader getReader() {
        return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
    }
}
