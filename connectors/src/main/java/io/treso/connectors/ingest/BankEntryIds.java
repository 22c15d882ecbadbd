package io.treso.connectors.ingest;

import io.treso.event.BankEntryStatus;
import java.time.LocalDate;

/**
 * The event id of a bank entry, from what the bank says and never from which message carried it, so
 * camt.052, camt.053, camt.054 and MT940 reports of one booking give one id (DESIGN.md, Identity):
 * the account plus the bank's own reference; without one, the entry reference, booking date, amount
 * and the entry's position in its statement. A PENDING entry's id carries its status, so the BOOKED
 * one supersedes it instead of being dropped as its repeat.
 */
public final class BankEntryIds {
    private BankEntryIds() {}

    public static String of(
            String account,
            String bankReference,
            String entryReference,
            LocalDate bookingDate,
            long amountMinor,
            int ordinal,
            BankEntryStatus status) {
        String id =
                present(bankReference)
                        ? account + ":" + bankReference.trim()
                        : account
                                + ":"
                                + (present(entryReference) ? entryReference.trim() : "")
                                + ":"
                                + bookingDate
                                + ":"
                                + amountMinor
                                + ":"
                                + ordinal;
        return status == BankEntryStatus.PENDING ? id + ":PENDING" : id;
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank() && !s.trim().equalsIgnoreCase("NONREF");
    }
}
