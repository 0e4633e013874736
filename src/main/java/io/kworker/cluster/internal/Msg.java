package io.kworker.cluster.internal;

import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Every message a worker entity takes. The {@link Call}s and their {@link Reply} cross nodes and are
 * {@link Wire}; the rest never leave the node.
 *
 * <p>INTERNAL API.
 */
public interface Msg {
  /** A call of the {@link io.kworker.cluster.ClusterWorker} façade. */
  sealed interface Call extends Msg, Wire permits Queue, Cancel, Flush, State, Destroy {
    ActorRef<Reply> replyTo();
  }

  /** The three queueing calls. */
  enum QueueOp { QUEUE, QUEUE_DELAYED, MOD_DELAYED }

  /** {@code queue}, {@code queueDelayed} or {@code modDelayed} of a work spec; the payload as a tree. */
  record Queue(QueueOp op, String id, String handler, JsonNode payload, long delayNanos, ActorRef<Reply> replyTo)
      implements Call {}

  /** {@code cancel} ({@code sync} false) or {@code cancelSync}. */
  record Cancel(String id, boolean sync, ActorRef<Reply> replyTo) implements Call {}

  /** {@code flush(id)}, or {@code flush()} when the id is null. */
  record Flush(String id, ActorRef<Reply> replyTo) implements Call {}

  /** {@code state(id)}. */
  record State(String id, ActorRef<Reply> replyTo) implements Call {}

  /** {@code destroy()}. */
  record Destroy(ActorRef<Reply> replyTo) implements Call {}

  /** How a call ended: a value, or an error the façade turns into its exception. */
  enum Outcome { VALUE, UNKNOWN_HANDLER, BINDING, RELOCATED, RELOCATED_RUNNING, ILLEGAL_STATE, REJECTED, BAD_ARGUMENT }

  /**
   * The answer to a {@link Call}: for {@link Outcome#VALUE}, {@code value} (queue and cancel calls) or
   * {@code text} (a state's name); otherwise {@code text} is the error message.
   */
  record Reply(Outcome outcome, boolean value, String text) implements Wire {
    static final Reply DONE = new Reply(Outcome.VALUE, true, "");
    static final Reply TRUE = new Reply(Outcome.VALUE, true, "");
    static final Reply FALSE = new Reply(Outcome.VALUE, false, "");

    static Reply of(boolean value) {
      return value ? TRUE : FALSE;
    }

    static Reply error(Outcome outcome, String message) {
      return new Reply(outcome, false, message);
    }
  }

  /** The sharding stop message: the worker's shard is leaving this node. Sent locally only. */
  enum HandOff implements Msg, NoSerializationVerificationNeeded { INSTANCE }

  /** A step of the entity's own, from a completion stage back to its mailbox. Local only. */
  record Step(Runnable action) implements Msg, NoSerializationVerificationNeeded {}
}
