package org.stillpoint.platform.observability;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.correlation.CorrelationDataProvider;

import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Carries the request's trace into the events its command stores: each event gets the W3C {@code traceparent} of the
 * span that handled the command as metadata, and the publisher sends it as the record's {@code traceparent} header, so
 * one registration can be followed from the gateway through the service and the topic into the audit (whose listener
 * continues the trace from that header).
 */
public final class TraceContext implements CorrelationDataProvider {

    /** The metadata key and Kafka header of the W3C trace context. */
    public static final String TRACEPARENT = "traceparent";
    private static final Pattern VALID = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    private final Supplier<Tracer> tracer;

    /** @param tracer the application's tracer, looked up when first needed (it is made after the Axon wiring) */
    public TraceContext(Supplier<Tracer> tracer) {
        this.tracer = tracer;
    }

    @Override
    public Map<String, ?> correlationDataFor(Message<?> message) {
        Object carried = message.getMetaData().get(TRACEPARENT);
        if (carried instanceof String text && isValid(text)) {
            return Map.of(TRACEPARENT, text);
        }
        Span span = tracer.get().currentSpan();
        if (span == null || span.isNoop()) {
            return Map.of();
        }
        io.micrometer.tracing.TraceContext context = span.context();
        return Map.of(TRACEPARENT, "00-" + context.traceId() + "-" + context.spanId() + "-"
                + (Boolean.TRUE.equals(context.sampled()) ? "01" : "00"));
    }

    /** Whether {@code traceparent} is a W3C trace context of version 00 (anything else is not passed on). */
    public static boolean isValid(String traceparent) {
        return traceparent != null && VALID.matcher(traceparent).matches();
    }
}
