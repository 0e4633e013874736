package io.kworker.internal;

import io.kworker.KWorker;
import java.time.Duration;

/** Maps the public protocol records to requests. INTERNAL API. */
public final class Protocol {
  private Protocol() {}

  /**
   * Called by every protocol command's constructor: a command created by a work running on a worker's
   * thread counts as a call of that run (see {@link Lane#commandCreated}).
   */
  public static void created(KWorker.Command command) {
    Lane.commandCreated(command);
  }

  /** The request for a public command, or null if {@code c} is not one. */
  static Request toRequest(KWorker.Command c) {
    if (c instanceof KWorker.Queue m) {
      return Request.of(Op.QUEUE, work(m.work()), 0, m.replyTo());
    } else if (c instanceof KWorker.QueueDelayed m) {
      return Request.of(Op.QUEUE_DELAYED, work(m.work()), nanos(m.delay()), m.replyTo());
    } else if (c instanceof KWorker.ModDelayed m) {
      return Request.of(Op.MOD_DELAYED, work(m.work()), nanos(m.delay()), m.replyTo());
    } else if (c instanceof KWorker.FlushWork m) {
      return Request.of(Op.FLUSH_WORK, work(m.work()), 0, m.replyTo());
    } else if (c instanceof KWorker.FlushWorker m) {
      return Request.of(Op.FLUSH_WORKER, null, 0, m.replyTo());
    } else if (c instanceof KWorker.CancelSync m) {
      return Request.of(Op.CANCEL_SYNC, work(m.work()), nanos(m.grace()), m.replyTo());
    } else if (c instanceof KWorker.Cancel m) {
      return Request.of(Op.CANCEL, work(m.work()), 0, m.replyTo());
    } else if (c instanceof KWorker.FlushDelayed m) {
      return Request.of(Op.FLUSH_DELAYED, work(m.work()), 0, m.replyTo());
    } else if (c instanceof KWorker.Disable m) {
      return Request.of(Op.DISABLE, work(m.work()), 0, m.replyTo());
    } else if (c instanceof KWorker.DisableSync m) {
      return Request.of(Op.DISABLE_SYNC, work(m.work()), 0, m.replyTo());
    } else if (c instanceof KWorker.Enable m) {
      return Request.of(Op.ENABLE, work(m.work()), 0, m.replyTo());
    } else if (c instanceof KWorker.EnableAndQueue m) {
      return Request.of(Op.ENABLE_AND_QUEUE, work(m.work()), 0, m.replyTo());
    } else if (c instanceof KWorker.Drain m) {
      return Request.of(Op.DRAIN, null, 0, m.replyTo());
    } else if (c instanceof KWorker.GetStatus m) {
      return Request.of(Op.STATE, work(m.work()), 0, m.replyTo());
    } else if (c instanceof KWorker.Destroy m) {
      return Request.of(Op.DESTROY, null, 0, m.replyTo());
    } else if (c instanceof KWorker.DestroyWithin m) {
      return Request.of(Op.DESTROY_REPORT, null, nanos(m.deadline()), m.replyTo());
    }
    return null;
  }

  private static WorkCore work(io.kworker.Work w) {
    return (WorkCore) w;
  }

  private static long nanos(Duration d) {
    return Durations.toNanos(d, "duration");
  }
}
