package org.stillpoint.consent;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.stillpoint.consent.config.ErasureProperties;

import java.time.Clock;

/** Client intake and consent. */
@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties(ErasureProperties.class)
public class ConsentServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(ConsentServiceApplication.class, args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
