package org.stillpoint.gateway.console;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The page a browser lands on after signing out of the console (or when signing in failed). */
@Controller
class SignedOut {

    @GetMapping(ConsoleSignIn.SIGNED_OUT)
    String signedOut() {
        return "signed-out";
    }
}
