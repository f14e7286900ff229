package org.stillpoint.directory;

import org.junit.jupiter.api.Test;
import org.stillpoint.testsupport.LayeringRules;

/** The layering rules of STYLE.md, as a test (the contracts' own rule is checked in the contracts module). */
class ArchitectureTest {

    @Test
    void eachLayerImportsOnlyWhatItMay() {
        LayeringRules.check("org.stillpoint.directory", "command", "web", "config");
    }
}
