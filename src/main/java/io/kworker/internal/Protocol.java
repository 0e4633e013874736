package io.kworker.internal;

import io.kworker.KWorker;
import java.time.Duration;

/** The public protocol records as requests: each names its row of {@link Op}. INTERNAL API. */
public final class Protocol {
  private Protocol() {}

  /**
   * Called by every protocol command's constructor: a command created by a work running on a worker's
   * thread counts as a call of that run (see {@link Lane#commandCreated}).
   */
  public static void created(KWorker.Command command) {
    Lane.commandCreated(command);
  }

  /** The request for a command (the records are all of them: {@code Command} is sealed). */
  static Request toRequest(KWorker.Command c) {
    if (c instanceof KWorker.Queue m) {
      return request(Op.QUEUE, m.work(), null, m.replyTo());
    } else if (c instanceof KWorker.QueueDelayed m) {
      return request(Op.QUEUE_DELAYED, m.work(), m.delay(), m.replyTo());
    } else if (c instanceof KWorker.ModDelayed m) {
      return request(Op.MOD_DELAYED, m.work(), m.delay(), m.replyTo());
    } else if (c instanceof KWorker.FlushWork m) {
      return request(Op.FLUSH_WORK, m.work(), null, m.replyTo());
    } else if (c instanceof KWorker.FlushWorker m) {
      return request(Op.FLUSH_WORKER, null, null, m.replyTo());
    } else if (c instanceof KWorker.CancelSync m) {
      return request(Op.CANCEL_SYNC, m.work(), m.grace(), m.replyTo());
    } else if (c instanceof KWorker.Cancel m) {
      return request(Op.CANCEL, m.work(), null, m.replyTo());
    } else if (c instanceof KWorker.FlushDelayed m) {
      return request(Op.FLUSH_DELAYED, m.work(), null, m.replyTo());
    } else if (c instanceof KWorker.Disable m) {
      return request(Op.DISABLE, m.work(), null, m.replyTo());
    } else if (c instanceof KWorker.DisableSync m) {
      return request(Op.DISABLE_SYNC, m.work(), null, m.replyTo());
    } else if (c instanceof KWorker.Enable m) {
      return request(Op.ENABLE, m.work(), null, m.replyTo());
    } else if (c instanceof KWorker.EnableAndQueue m) {
      return request(Op.ENABLE_AND_QUEUE, m.work(), null, m.replyTo());
    } else if (c instanceof KWorker.Drain m) {
      return request(Op.DRAIN, null, null, m.replyTo());
    } else if (c instanceof KWorker.GetStatus m) {
      return request(Op.STATE, m.work(), null, m.replyTo());
    } else if (c instanceof KWorker.Destroy m) {
      return request(Op.DESTROY, null, null, m.replyTo());
    } else if (c instanceof KWorker.DestroyWithin m) {
      return request(Op.DESTROY_REPORT, null, m.deadline(), m.replyTo());
    }
    throw new IllegalArgumentException("not a kworker command: " + c); // Command is sealed: unreachable
  }

  private static Request request(Op op, io.kworker.Work work, Duration d,
      akka.actor.typed.ActorRef<?> replyTo) {
    return new Request(op, (KthreadWork) work, d == null ? 0 : op.nanos(d), replyTo);
  }
}
