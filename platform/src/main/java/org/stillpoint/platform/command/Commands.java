package org.stillpoint.platform.command;

import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.stillpoint.platform.eventstore.AppendedPositions;
import org.stillpoint.platform.metrics.CommandStages;

/**
 * Sends a command and answers once its events are stored, with the position they were stored at, so the caller can
 * wait for a projection to reach its own write.
 */
public class Commands {

    private final CommandGateway gateway;
    private final CommandStages stages;

    public Commands(CommandGateway gateway) {
        this(gateway, CommandStages.unread());
    }

    /** @param stages where the time of handling a command (load, handler, commit) is counted */
    public Commands(CommandGateway gateway, CommandStages stages) {
        this.gateway = gateway;
        this.stages = stages;
    }

    /**
     * Handles {@code command} in a unit of work of its own; the command's events are appended when it commits.
     *
     * @throws RuntimeException whatever the handler refused the command with, unwrapped
     */
    @SuppressWarnings("unchecked")
    public <R> Accepted<R> send(Object command) {
        DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(GenericCommandMessage.asCommandMessage(command));
        ResultMessage<Object> outcome = stages.time(CommandStages.Stage.HANDLE, () -> unitOfWork.executeWithResult(
                () -> gateway.sendAndWait(command)));
        if (outcome.isExceptional()) {
            Throwable failure = outcome.exceptionResult();
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(failure);
        }
        AppendedPositions appended = unitOfWork.getResource(AppendedPositions.RESOURCE);
        return new Accepted<>((R) outcome.getPayload(), appended == null ? -1 : appended.highest(),
                              appended == null ? -1 : appended.sequence());
    }
}
