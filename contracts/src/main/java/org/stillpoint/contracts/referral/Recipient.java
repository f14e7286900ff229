package org.stillpoint.contracts.referral;

/**
 * Who receives a referral: the accounting of disclosures names them.
 *
 * @param contact how to reach them: an e-mail address, a phone number, or both
 */
public record Recipient(RecipientKind kind, String name, String organisation, Contact contact) {

    public record Contact(String email, String phone) {
    }
}
