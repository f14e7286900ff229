package org.stillpoint.contracts.referral;

import org.stillpoint.contracts.Sealed;
import org.stillpoint.contracts.Sensitive;

/**
 * Who receives a referral: the accounting of disclosures names them, so kind, name and organisation travel in clear
 * (a professional or organisation the client's information went to, not the client's own data). How to reach them
 * is sealed with the client's key ({@link org.stillpoint.contracts.SealedFields#RECIPIENT_CONTACT}).
 *
 * @param contact a {@link Contact} sealed as JSON: an e-mail address, a phone number, or both
 */
public record Recipient(RecipientKind kind, String name, String organisation, @Sensitive Sealed contact) {

    /** The plaintext of a recipient's sealed contact. */
    public record Contact(String email, String phone) {
    }
}
