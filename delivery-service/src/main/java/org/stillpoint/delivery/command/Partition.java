package org.stillpoint.delivery.command;

/** A partition of one of an organisation's topics, where a subscription's records are read. */
public record Partition(String topic, int partition) {
}
