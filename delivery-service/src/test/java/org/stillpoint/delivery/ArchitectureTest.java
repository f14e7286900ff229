package org.stillpoint.delivery;

import org.junit.jupiter.api.Test;
import org.stillpoint.testsupport.LayeringRules;

/** The layering rules of STYLE.md, as a test. */
class ArchitectureTest {

    @Test
    void eachLayerImportsOnlyWhatItMay() {
        LayeringRules.check("org.stillpoint.delivery", "command", "ingest", "query", "web", "config");
    }
}
