package org.stillpoint.consent;

import org.junit.jupiter.api.Test;
import org.stillpoint.testsupport.LayeringRules;

/** The layering rules of STYLE.md, as tests. */
class ArchitectureTest {

    @Test
    void commandSideKnowsNeitherQueriesNorWebAndQueriesDoNotReachIntoEither() {
        LayeringRules.check("org.stillpoint.consent");
    }

    @Test
    void contractsImportNothingFromSpringAxonOrMongo() {
        LayeringRules.checkContracts();
    }
}
