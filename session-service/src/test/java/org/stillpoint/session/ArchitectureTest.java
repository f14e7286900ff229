package org.stillpoint.session;

import org.junit.jupiter.api.Test;
import org.stillpoint.testsupport.LayeringRules;

/** The layering rules of STYLE.md, as tests. */
class ArchitectureTest {

    @Test
    void commandSideKnowsNeitherQueriesNorWebAndQueriesDoNotReachIntoEither() {
        LayeringRules.check("org.stillpoint.session");
    }

    @Test
    void contractsImportNothingFromSpringAxonOrMongo() {
        LayeringRules.checkContracts();
    }
}
