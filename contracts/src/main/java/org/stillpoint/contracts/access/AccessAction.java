package org.stillpoint.contracts.access;

/** Whether the caller read a client's record or tried to change it. */
public enum AccessAction {
    READ,
    WRITE
}
