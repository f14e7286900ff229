package org.stillpoint.referral;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Referrals as disclosures, under information-sharing consent, with a tracked lifecycle. */
@SpringBootApplication
public class ReferralServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(ReferralServiceApplication.class, args);
    }
}
