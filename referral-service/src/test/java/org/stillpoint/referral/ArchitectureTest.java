package org.stillpoint.referral;

import org.junit.jupiter.api.Test;
import org.stillpoint.testsupport.LayeringRules;

/** The layering rules of STYLE.md, as tests. */
class ArchitectureTest {

    @Test
    void commandSideKnowsNeitherQueriesNorWebAndQueriesDoNotReachIntoEither() {
        LayeringRules.check("org.stillpoint.referral");
    }

    @Test
    void contractsImportNothingFromSpringAxonOrMongo() {
        LayeringRules.checkContracts();
    }
}
