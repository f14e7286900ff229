package org.stillpoint.platform.crypto;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * During a master-key rotation (previous master keys configured), re-wraps every client's data key with the current
 * master key once the service has started, in the background: requests go on meanwhile, both keys opening data. Safe on
 * every instance at once (each re-wrap is a compare-and-set).
 */
public class KeyRotation implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(KeyRotation.class);

    private final ClientKeys keys;
    private final boolean rotating;
    private volatile Thread worker;

    public KeyRotation(ClientKeys keys, boolean rotating) {
        this.keys = keys;
        this.rotating = rotating;
    }

    @Override
    public void start() {
        if (!rotating) {
            return;
        }
        worker = Thread.ofPlatform().name("stillpoint-key-rotation").daemon().start(() -> {
            try {
                ClientKeys.Rotation rotation = keys.rotate();
                log.info("Master-key rotation: {} data keys re-wrapped with the current master key, {} left",
                         rotation.rewrapped(), rotation.left());
                rotation.failed().forEach(why -> log.error("Master-key rotation: a data key did not open: {}", why));
            } catch (RuntimeException e) {
                log.warn("Master-key rotation stopped; it runs again at the next start: {}", e.toString());
            }
        });
    }

    @Override
    public void stop() {
        Thread running = worker;
        worker = null;
        if (running != null) {
            running.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return worker != null;
    }
}
