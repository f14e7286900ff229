package org.stillpoint.platform.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.stillpoint.platform.crypto.ClientKeys;
import org.stillpoint.platform.erasure.ShredClientKey;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Erasure (DESIGN §6b) in every service: its copy of an erased client's key is shredded when the erasure reaches it
 * ({@link ShredClientKey}, one of the service's {@link org.stillpoint.platform.erasure.ErasureHandler}s), and every
 * instance drops shredded keys from its cache within {@code stillpoint.crypto.shredded-check}.
 */
@Configuration(proxyBeanMethods = false)
class ErasureConfiguration {

    @Bean
    ShredClientKey stillpointShredClientKey(ClientKeys clientKeys) {
        return new ShredClientKey(clientKeys);
    }

    @Bean
    ShreddedKeysWatch stillpointShreddedKeysWatch(ClientKeys clientKeys,
                                                  @Value("${stillpoint.crypto.shredded-check:2s}") Duration period) {
        return new ShreddedKeysWatch(clientKeys, period);
    }

    /** Asks the shared key store for keys shredded elsewhere, every period, on a daemon thread of its own. */
    static final class ShreddedKeysWatch implements SmartLifecycle {

        private static final Logger log = LoggerFactory.getLogger(ShreddedKeysWatch.class);

        private final ClientKeys keys;
        private final Duration period;
        private ScheduledExecutorService scheduler;

        ShreddedKeysWatch(ClientKeys keys, Duration period) {
            this.keys = keys;
            this.period = period;
        }

        @Override
        public synchronized void start() {
            scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                                                                         .name("stillpoint-shredded-keys").factory());
            scheduler.scheduleWithFixedDelay(() -> {
                try {
                    int dropped = keys.forgetShredded();
                    if (dropped > 0) {
                        log.info("Dropped {} shredded client key(s) from this instance's cache", dropped);
                    }
                } catch (RuntimeException e) {
                    log.warn("Could not look for shredded client keys: {}", e.toString());
                }
            }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public synchronized void stop() {
            if (scheduler != null) {
                scheduler.shutdownNow();
                scheduler = null;
            }
        }

        @Override
        public synchronized boolean isRunning() {
            return scheduler != null;
        }
    }
}
