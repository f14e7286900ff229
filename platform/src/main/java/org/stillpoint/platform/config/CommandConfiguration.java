package org.stillpoint.platform.config;

import io.micrometer.tracing.Tracer;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.stillpoint.platform.access.ClientAccess;
import org.stillpoint.platform.directory.KafkaDirectoryGate;
import org.stillpoint.platform.access.ClientDirectory;
import org.stillpoint.platform.command.Commands;
import org.stillpoint.platform.command.EntryWindows;
import org.stillpoint.platform.command.ProcessingProgress;
import org.stillpoint.platform.command.ReadYourWrites;
import org.stillpoint.platform.deadletter.ProjectionDeadLetters;
import org.stillpoint.platform.metrics.CommandStages;
import org.stillpoint.platform.observability.TraceContext;

import java.time.Clock;
import java.time.Duration;

/**
 * Commands and who may send them: the service's clock, the access decisions, the late-entry window, the trace carried
 * into stored events, and the wait for a write's own read model.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EntryProperties.class)
class CommandConfiguration {

    /**
     * The time of every command and access decision: UTC, to the millisecond (what every store keeps and the API
     * answers), unless a test brings its own clock.
     */
    @Bean
    @ConditionalOnMissingBean(Clock.class)
    Clock clock() {
        return Clock.tick(Clock.systemUTC(), Duration.ofMillis(1));
    }

    /** The request's trace into the events it stores ({@link TraceContext}); Axon's own origin metadata beside it. */
    @Bean
    CorrelationDataProvider stillpointTraceContext(ObjectProvider<Tracer> tracer) {
        return new TraceContext(() -> tracer.getIfAvailable(() -> Tracer.NOOP));
    }

    @Bean
    CorrelationDataProvider stillpointMessageOrigin() {
        return new MessageOriginProvider();
    }

    @Bean
    Commands commands(CommandGateway commandGateway, CommandStages commandStages) {
        return new Commands(commandGateway, commandStages);
    }

    @Bean
    ReadYourWrites readYourWrites(Commands commands, ProcessingProgress processingProgress,
                                  ProjectionDeadLetters projectionDeadLetters, CommandStages commandStages) {
        return new ReadYourWrites(commands, processingProgress::awaitHandled, projectionDeadLetters::holds,
                                  ReadYourWrites.WAIT, commandStages);
    }

    /** The late-entry window and the horizon of stated times, for the aggregates. */
    @Bean
    EntryWindows entryWindows(EntryProperties properties) {
        return new EntryWindows(properties.lateAfter(), properties.horizon());
    }

    /**
     * Access decisions and the access log. The directory of clients is the service's own: consent-service's records,
     * or the consent view of the others; the clinics are the organisations' directory's, as every service's view of it
     * holds them.
     */
    @Bean
    ClientAccess clientAccess(ClientDirectory directory, EventGateway eventGateway, Clock clock,
                              @Value("${spring.application.name}") String service,
                              ProjectionDeadLetters projectionDeadLetters,
                              @Value("${stillpoint.access.erased-readable:false}") boolean erasedReadable,
                              CommandStages commandStages, KafkaDirectoryGate directoryGate) {
        return new ClientAccess(directory, eventGateway, service, clock, projectionDeadLetters::holds, erasedReadable,
                                commandStages, directoryGate);
    }
}
