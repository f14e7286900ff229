package org.stillpoint.contracts.referral;

import java.util.Set;

/** Where a referral stands: issued → acknowledged → completed, or declined or cancelled on the way. */
public enum ReferralStatus {
    ISSUED,
    ACKNOWLEDGED,
    COMPLETED,
    DECLINED,
    CANCELLED;

    /** The statuses a referral in this status may move to. */
    public Set<ReferralStatus> next() {
        return switch (this) {
            case ISSUED -> Set.of(ACKNOWLEDGED, DECLINED, CANCELLED);
            case ACKNOWLEDGED -> Set.of(COMPLETED, DECLINED, CANCELLED);
            case COMPLETED, DECLINED, CANCELLED -> Set.of();
        };
    }

    public boolean open() {
        return this == ISSUED || this == ACKNOWLEDGED;
    }
}
