package org.stillpoint.delivery.ingest;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookSigningException;
import org.stillpoint.delivery.command.EndpointGuard;
import org.stillpoint.delivery.command.Target;
import org.stillpoint.platform.problem.Refusal;

import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One attempt to deliver a message to an endpoint, by the Standard Webhooks convention: a POST of the structured-mode
 * CloudEvent with {@code webhook-id} (the same for every attempt of the message), {@code webhook-timestamp} (this
 * attempt's, in seconds) and {@code webhook-signature} ({@code v1,} and the base64 HMAC-SHA256 of
 * {@code id.timestamp.body} under the secret), signed by the reference implementation. The endpoint is checked again
 * (it may resolve elsewhere now); redirects are not followed; the endpoint has {@code connectTimeout} to connect and
 * {@code timeout} for its whole answer, of which only the first {@code answerKept} bytes are read — a huge or endless
 * answer is cut off, never downloaded.
 */
public class WebhookSender {

    public static final String CONTENT_TYPE = "application/cloudevents+json; charset=utf-8";

    private final EndpointGuard guard;
    private final HttpClient http;
    private final Duration timeout;
    private final int answerKept;
    private final Clock clock;

    public WebhookSender(EndpointGuard guard, Duration connectTimeout, Duration timeout, int answerKept, Clock clock) {
        this.guard = guard;
        this.timeout = timeout;
        this.answerKept = answerKept;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER)
                              .version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * How an attempt went.
     *
     * @param status the endpoint's status; null when it never answered
     * @param error  what went wrong, in words; null when the endpoint took it
     * @param answer the first bytes of the endpoint's answer, as text
     */
    public record Answer(Integer status, long latencyMillis, String error, String answer) {

        public boolean taken() {
            return status != null && status >= 200 && status < 300;
        }

        public boolean gone() {
            return status != null && status == 410;
        }

        /** The answer in a few words, for the delivery log's and the audit's detail. */
        public String said() {
            return (status == null ? "no answer" : "HTTP " + status) + (error == null ? "" : ": " + error);
        }
    }

    public Answer send(Target target, String webhookId, byte[] body) {
        long started = System.nanoTime();
        URI uri;
        try {
            uri = guard.check(target.url());
        } catch (Refusal refused) {
            return new Answer(null, 0, "endpoint-not-allowed: " + refused.getMessage(), null);
        }
        long timestamp = clock.instant().getEpochSecond();
        String signature;
        try {
            signature = new Webhook(target.secret()).sign(webhookId, timestamp, new String(body, StandardCharsets.UTF_8));
        } catch (WebhookSigningException | EmptyWebhookSecretException e) {
            throw new IllegalStateException("the subscription's secret does not sign", e);
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                                         .header("content-type", CONTENT_TYPE)
                                         .header("user-agent", "Stillpoint-Webhooks/1")
                                         .header("webhook-id", webhookId)
                                         .header("webhook-timestamp", Long.toString(timestamp))
                                         .header("webhook-signature", signature)
                                         .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(request, info -> new FirstBytes(answerKept));
        try {
            HttpResponse<String> response = answer.get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            int status = response.statusCode();
            String error = status >= 200 && status < 300 ? null
                    : status >= 300 && status < 400 ? "a redirect (not followed)" : "not taken";
            return new Answer(status, elapsed(started), error, response.body());
        } catch (TimeoutException e) {
            answer.cancel(true);
            return new Answer(null, elapsed(started), "no answer within " + timeout.toSeconds() + " s", null);
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            return new Answer(null, elapsed(started), "stopped", null);
        } catch (ExecutionException e) {
            return new Answer(null, elapsed(started), failure(e.getCause()), null);
        }
    }

    private static String failure(Throwable cause) {
        return switch (cause) {
            case HttpConnectTimeoutException t -> "no connection within the connect timeout";
            case HttpTimeoutException t -> "no answer within the timeout";
            case ConnectException c -> "connection refused";
            case null -> "failed";
            default -> cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        };
    }

    private static long elapsed(long started) {
        return Duration.ofNanos(System.nanoTime() - started).toMillis();
    }

    /** Reads the first bytes of an answer and then lets the rest go: the connection is closed, nothing more is read. */
    private static final class FirstBytes implements HttpResponse.BodySubscriber<String> {

        private final int limit;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final CompletableFuture<String> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        FirstBytes(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<String> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                int take = Math.min(item.remaining(), limit - kept.size());
                byte[] bytes = new byte[take];
                item.get(bytes);
                kept.write(bytes, 0, take);
            }
            if (kept.size() >= limit) {
                subscription.cancel();
                finish();
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable failure) {
            finish();
        }

        @Override
        public void onComplete() {
            finish();
        }

        private void finish() {
            result.complete(kept.toString(StandardCharsets.UTF_8));
        }
    }
}
