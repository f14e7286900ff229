package org.stillpoint.audit;

import org.junit.jupiter.api.Test;
import org.stillpoint.testsupport.LayeringRules;

/** The layering rules of STYLE.md, as a test (the contracts' own rule is checked in the contracts module). */
class ArchitectureTest {

    @Test
    void eachLayerImportsOnlyWhatItMay() {
        LayeringRules.check("org.stillpoint.audit", "ingest", "ledger", "query", "web", "config");
    }
}
