package org.stillpoint.platform.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Where a service publishes its events.
 *
 * @param topic                  the service's topic, such as {@code stillpoint.consent.v1}; no publication when absent
 * @param accessTopic            where access events go ({@code stillpoint.access.v1}), shared by every service
 * @param source                 the CloudEvents source, such as {@code /stillpoint/consent-service}
 * @param batchSize              events per publication batch
 * @param acknowledgementTimeout how long a round of sends waits for the broker's acknowledgements
 * @param outageHold             how long a segment holds a batch the broker does not take, sending again what was not
 *                               acknowledged, before the batch fails and the processor retries it with its own backoff
 * @param partitions             partitions of the topic when this service creates it
 * @param replicas               replication factor of the topic when this service creates it, and at least that
 *                               when it exists
 * @param minInsyncReplicas      the topic's {@code min.insync.replicas}: at least that
 * @param retentionMs            the topic's {@code retention.ms}: the event topics are a history, kept forever (-1)
 * @param organisationTopics     whether each record of a client also goes to its organisation's topic,
 *                               {@code <topic>.<organisation>}, for that organisation's integrators (DESIGN §4)
 * @param organisationPartitions partitions of an organisation topic when this service creates it: each organisation
 *                               adds one topic per service topic, so few (the cost is in DESIGN §4)
 * @param topicMismatch          what a topic unlike these settings does at start-up: {@code FAIL} (stops the start)
 *                               or {@code WARN} (the local profile)
 */
@ConfigurationProperties("stillpoint.publication")
public record PublicationProperties(
        String topic,
        @DefaultValue("stillpoint.access.v1") String accessTopic,
        String source,
        @DefaultValue("200") int batchSize,
        @DefaultValue("30s") Duration acknowledgementTimeout,
        @DefaultValue("5m") Duration outageHold,
        @DefaultValue("3") int partitions,
        @DefaultValue("1") short replicas,
        @DefaultValue("1") int minInsyncReplicas,
        @DefaultValue("-1") long retentionMs,
        @DefaultValue("true") boolean organisationTopics,
        @DefaultValue("1") int organisationPartitions,
        @DefaultValue("FAIL") Mismatch topicMismatch) {

    /** What a topic unlike the settings does at start-up. */
    public enum Mismatch { FAIL, WARN }
}
