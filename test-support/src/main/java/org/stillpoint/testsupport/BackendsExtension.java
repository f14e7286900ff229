package org.stillpoint.testsupport;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Skips a test class cleanly when its chosen backends cannot run here (containers without Docker). */
public final class BackendsExtension implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        Assumptions.assumeTrue(Backends.available(),
                () -> "stillpoint.backends=containers needs a Docker engine; none is reachable, so this test is skipped");
        Backends.shared();
    }
}
