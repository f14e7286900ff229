package org.stillpoint.consent.command;

import java.time.LocalDate;
import java.time.Period;

/** A client's personal data; it exists in plain form only in memory and is sealed into events and views. */
public record PersonalDetails(String givenName, String familyName, LocalDate dateOfBirth, String email, String phone) {

    public boolean isMinorOn(LocalDate day) {
        return Period.between(dateOfBirth, day).getYears() < 18;
    }
}
