package org.stillpoint.session.it;

import org.stillpoint.consent.ConsentServiceApplication;
import org.stillpoint.testsupport.ConsentApi;
import org.stillpoint.testsupport.ServiceBeside;
import org.stillpoint.testsupport.TestIssuer;

/** consent-service beside session-service: consent is granted and withdrawn for real and arrives over Kafka. */
final class ConsentServiceBeside {

    private ConsentServiceBeside() {
    }

    static ConsentApi consent() {
        return new ConsentApi(ServiceBeside.of(ConsentServiceApplication.class).withToken(TestIssuer.shared().practitioner()));
    }
}
