package org.stillpoint.referral.it;

import org.springframework.boot.test.context.SpringBootTest;
import org.stillpoint.referral.ReferralServiceApplication;
import org.stillpoint.testsupport.OnSharedBackends;

/** referral-service as it runs, over the shared backends, with consent-service beside it. */
@SpringBootTest(classes = ReferralServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "stillpoint.consent-view.max-wait=2s")
public abstract class OnBackends extends OnSharedBackends {
}
