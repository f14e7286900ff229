package org.stillpoint.session;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.stillpoint.session.config.ClientViewProperties;

/** Sessions that need consent, signed notes, amendments and late entries. */
@SpringBootApplication
@EnableConfigurationProperties(ClientViewProperties.class)
public class SessionServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(SessionServiceApplication.class, args);
    }
}
