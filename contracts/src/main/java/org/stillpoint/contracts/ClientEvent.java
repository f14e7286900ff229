package org.stillpoint.contracts;

/** An event about one client: its client id is the Kafka key and the CloudEvents subject. */
public interface ClientEvent {

    ClientId clientId();
}
