package org.stillpoint.referral.command;

import org.stillpoint.contracts.referral.Recipient;
import org.stillpoint.contracts.referral.RecipientKind;

/** A referral's recipient as given and as answered: the contact in clear, which the event carries sealed. */
public record RecipientDetails(RecipientKind kind, String name, String organisation, Recipient.Contact contact) {
}
