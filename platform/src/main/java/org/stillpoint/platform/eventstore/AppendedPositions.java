package org.stillpoint.platform.eventstore;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The highest global position appended within one unit of work, so that the caller of a command can wait for a
 * projection to reach its own write (read-your-writes) without knowing anything about the store; and the highest
 * aggregate sequence number appended, so that it can answer with it without reading it back.
 */
public final class AppendedPositions {

    public static final String RESOURCE = AppendedPositions.class.getName();

    private final AtomicLong highest = new AtomicLong(-1);
    private final AtomicLong sequence = new AtomicLong(-1);

    /** The holder of the current root unit of work, created on first use; a fresh one when no unit of work runs. */
    public static AppendedPositions ofCurrentUnitOfWork() {
        if (!CurrentUnitOfWork.isStarted()) {
            return new AppendedPositions();
        }
        return CurrentUnitOfWork.get().root().getOrComputeResource(RESOURCE, key -> new AppendedPositions());
    }

    /** Records that the unit of work appended events up to {@code lastPosition} (the storage engine says so). */
    public void appended(long lastPosition) {
        highest.accumulateAndGet(lastPosition, Math::max);
    }

    /** Records that the unit of work appended an aggregate's event {@code sequenceNumber}. */
    public void appendedSequence(long sequenceNumber) {
        sequence.accumulateAndGet(sequenceNumber, Math::max);
    }

    /** The highest aggregate sequence number appended, or -1 when the unit of work appended no aggregate's event. */
    public long sequence() {
        return sequence.get();
    }

    /** The highest position appended, or -1 when the unit of work appended nothing. */
    public long highest() {
        return highest.get();
    }
}
