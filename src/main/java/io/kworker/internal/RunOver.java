package io.kworker.internal;

import akka.actor.DeadLetterSuppression;
import io.kworker.KWorker;

/**
 * From the lane: a run that created protocol commands is over, and every command it sent from its
 * thread is in the mailbox ahead of this message. INTERNAL API.
 */
record RunOver(Ticket ticket) implements KWorker.Command.Internal, DeadLetterSuppression {}
