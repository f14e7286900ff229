package org.stillpoint.consent;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.stillpoint.consent.config.CopyProperties;
import org.stillpoint.consent.config.ErasureProperties;

/** Client intake and consent. */
@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties({ErasureProperties.class, CopyProperties.class})
public class ConsentServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(ConsentServiceApplication.class, args);
    }
}
