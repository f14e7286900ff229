package org.stillpoint.session.it;

import org.springframework.boot.test.context.SpringBootTest;
import org.stillpoint.session.SessionServiceApplication;
import org.stillpoint.testsupport.OnSharedBackends;

/** session-service as it runs, over the shared backends, with consent-service beside it. */
@SpringBootTest(classes = SessionServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "stillpoint.consent-view.max-wait=2s")
public abstract class OnBackends extends OnSharedBackends {
}
