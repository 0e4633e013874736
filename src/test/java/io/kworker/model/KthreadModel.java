package io.kworker.model;

import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.ListIterator;

/**
 * A sequential reference model of one kthread worker, written from the kernel's own description, not
 * from the implementation: the comments of {@code kthread_queue_work}, {@code kthread_queue_delayed_work},
 * {@code kthread_mod_delayed_work}, {@code kthread_flush_work}, {@code kthread_cancel_work_sync} and
 * {@code kthread_destroy_worker} in kernel/kthread.c, those of {@code disable_work}, {@code enable_work}
 * and {@code drain_workqueue} in kernel/workqueue.c, and the façade's javadoc (the README's "Kernel to
 * Java" and "Semantics in brief" give the mapping).
 *
 * <p>Per work: whether an instance sits in the ready list, whether its timer is armed (with a virtual
 * expiry in milliseconds), the canceling count and the disable count. The worker: a FIFO ready list of
 * instances and barriers, the running work ({@code current_work}), the virtual clock, the drain count and
 * the destroy state. Runs start only when the ready list's head reaches a free worker; a run ends only
 * when the driver calls {@link #endRun()}, so "running" is a state the driver controls.
 *
 * <p>Every call answers a {@link Stage}: complete at once (a value or an error class), or completed
 * later by the run or barrier it waits for. Calls flagged {@code chained} are made from inside the
 * running work (they are the only queueing a drain accepts, and those that would wait for the caller
 * fail with {@link IllegalStateException} instead of deadlocking).
 */
public final class KthreadModel {
  /** The workqueue's maximum disable depth. */
  public static final int MAX_DISABLE = 1 << 16;

  /** A model answer: done with a value or an error type, or still waiting. */
  public static final class Stage {
    private boolean done;
    private Object value;
    private Class<? extends Throwable> error;
    private final String what;

    Stage(String what) {
      this.what = what;
    }

    static Stage of(String what, Object value) {
      Stage s = new Stage(what);
      s.complete(value);
      return s;
    }

    static Stage failed(String what, Class<? extends Throwable> error) {
      Stage s = new Stage(what);
      s.done = true;
      s.error = error;
      return s;
    }

    void complete(Object v) {
      if (!done) {
        done = true;
        value = v;
      }
    }

    public boolean done() {
      return done;
    }

    public Object value() {
      return value;
    }

    public Class<? extends Throwable> error() {
      return error;
    }

    @Override
    public String toString() {
      return what + (done ? (error != null ? " -> " + error.getSimpleName() : " -> " + value) : " (waiting)");
    }
  }

  /** One work of the model, identified by its index. */
  public static final class W {
    public final int id;
    public final boolean delayed;
    boolean queued;
    long expiry = -1; // armed iff >= 0
    int canceling;
    int disabled;

    W(int id, boolean delayed) {
      this.id = id;
      this.delayed = delayed;
    }

    boolean armed() {
      return expiry >= 0;
    }

    boolean pending() {
      return queued || armed();
    }

    @Override
    public String toString() {
      return "w" + id;
    }
  }

  /** The model's view of a work's status, comparable with the real {@code WorkStatus}. */
  public record Status(String state, int canceling, int disabled) {}

  /** An entry of the ready list: a work instance or a barrier. */
  private sealed interface Item permits Inst, Barrier {}

  private record Inst(W work) implements Item {}

  /** A barrier completes its stage when the worker reaches it; a drain barrier may go round again. */
  private static final class Barrier implements Item {
    final Stage stage;
    final Object value;
    final boolean drain;
    final boolean destroy;
    long mark;

    Barrier(Stage stage, Object value, boolean drain, boolean destroy) {
      this.stage = stage;
      this.value = value;
      this.drain = drain;
      this.destroy = destroy;
    }
  }

  private final List<W> works = new ArrayList<>();
  private final LinkedList<Item> ready = new LinkedList<>();
  /** Stages completed when the current run ends, with their values. */
  private final List<Stage> onRunEnd = new ArrayList<>();
  private final List<Object> onRunEndValues = new ArrayList<>();
  /** Works whose canceling count drops when the current run ends (one entry per cancelSync). */
  private final List<W> cancelingOnRunEnd = new ArrayList<>();
  private final List<Integer> runLog = new ArrayList<>();
  private final List<Stage> open = new ArrayList<>();
  private W current;
  private long now;
  private int draining;
  private long dispatched;
  private boolean destroying;
  private boolean closed;

  public KthreadModel(int plainWorks, int delayedWorks) {
    for (int i = 0; i < plainWorks + delayedWorks; i++) {
      works.add(new W(i, i >= plainWorks));
    }
  }

  public W work(int i) {
    return works.get(i);
  }

  public int workCount() {
    return works.size();
  }

  public long now() {
    return now;
  }

  public boolean closed() {
    return closed;
  }

  public boolean destroying() {
    return destroying;
  }

  /** The work running now, or null. */
  public W current() {
    return current;
  }

  /** Ids of the works in the order their runs started. */
  public List<Integer> runLog() {
    return runLog;
  }

  /** Expiries of the armed timers, to keep new ones distinct (ties have no defined order). */
  public boolean expiryTaken(long t) {
    for (W w : works) {
      if (w.expiry == t) {
        return true;
      }
    }
    return false;
  }

  public Status status(W w) {
    if (closed) {
      return new Status("IDLE", 0, 0);
    }
    boolean running = current == w;
    String s;
    if (w.armed()) {
      s = running ? "RUNNING_AND_ARMED" : "ARMED";
    } else if (w.queued) {
      s = running ? "RUNNING_AND_PENDING" : "PENDING";
    } else {
      s = running ? "RUNNING" : "IDLE";
    }
    return new Status(s, w.canceling, w.disabled);
  }

  // ------------------------------------------------------------------ operations

  public Stage queue(W w, boolean chained) {
    String what = "queue(" + w + ")";
    if (closed || destroying) {
      return Stage.failed(what, java.util.concurrent.RejectedExecutionException.class);
    }
    if (blocked(w, chained)) {
      return Stage.of(what, false);
    }
    enqueue(w);
    return settle(Stage.of(what, true));
  }

  public Stage queueDelayed(W w, long delayMs, boolean chained) {
    String what = "queueDelayed(" + w + ", " + delayMs + ")";
    if (closed || destroying) {
      return Stage.failed(what, java.util.concurrent.RejectedExecutionException.class);
    }
    if (blocked(w, chained)) {
      return Stage.of(what, false);
    }
    if (delayMs == 0) {
      enqueue(w);
    } else {
      arm(w, delayMs);
    }
    return settle(Stage.of(what, true));
  }

  /** kthread_mod_delayed_work after the 2021 fixes: false iff a new instance was queued. */
  public Stage modDelayed(W w, long delayMs, boolean chained) {
    String what = "modDelayed(" + w + ", " + delayMs + ")";
    if (closed || destroying) {
      return Stage.failed(what, java.util.concurrent.RejectedExecutionException.class);
    }
    if (w.canceling > 0 || w.disabled > 0 || (draining > 0 && !chained)) {
      return Stage.of(what, true); // the other party wins; the count of pending instances is unchanged
    }
    boolean wasPending = removePending(w);
    if (delayMs == 0) {
      enqueue(w);
    } else {
      arm(w, delayMs);
    }
    return settle(Stage.of(what, wasPending));
  }

  public Stage cancel(W w) {
    if (closed) {
      return Stage.of("cancel(" + w + ")", false);
    }
    return Stage.of("cancel(" + w + ")", removePending(w));
  }

  public Stage cancelSync(W w, boolean chained) {
    String what = "cancelSync(" + w + ")";
    if (closed) {
      return Stage.of(what, false);
    }
    boolean running = current == w;
    if (running && chained) {
      return Stage.failed(what, IllegalStateException.class);
    }
    boolean removed = removePending(w);
    if (!running) {
      return Stage.of(what, removed);
    }
    w.canceling++;
    Stage s = new Stage(what);
    waitForRun(s, removed);
    cancelingOnRunEnd.add(w);
    return track(s);
  }

  public Stage flush(W w, boolean chained) {
    String what = "flush(" + w + ")";
    if (closed) {
      return Stage.of(what, "Done");
    }
    int at = indexOfInst(w);
    if (at < 0 && current != w) {
      return Stage.of(what, "Done");
    }
    if (chained) {
      return Stage.failed(what, IllegalStateException.class);
    }
    Stage s = new Stage(what);
    if (at >= 0) {
      ready.add(at + 1, new Barrier(s, "Done", false, false)); // right after the pending instance
    } else {
      waitForRun(s, "Done"); // only running: ahead of every queued work
    }
    return track(s);
  }

  public Stage flushWorker(boolean chained) {
    String what = "flush()";
    if (closed) {
      return Stage.of(what, "Done");
    }
    if (chained) {
      return Stage.failed(what, IllegalStateException.class);
    }
    Stage s = new Stage(what);
    ready.addLast(new Barrier(s, "Done", false, false));
    return settle(track(s));
  }

  /** The workqueue's flush_delayed_work: an armed timer fires now, then the work is flushed. */
  public Stage flushDelayed(W w, boolean chained) {
    String what = "flushDelayed(" + w + ")";
    if (closed) {
      return Stage.of(what, false);
    }
    int at = indexOfInst(w);
    boolean waits = w.armed() || at >= 0 || current == w;
    if (!waits) {
      return Stage.of(what, false);
    }
    if (chained) {
      return Stage.failed(what, IllegalStateException.class);
    }
    Stage s = new Stage(what);
    if (w.armed()) {
      if (draining > 0) {
        return Stage.of(what, false); // the timer stays armed
      }
      w.expiry = -1;
      enqueue(w);
      ready.addLast(new Barrier(s, true, false, false));
    } else if (at >= 0) {
      ready.add(at + 1, new Barrier(s, true, false, false));
    } else {
      waitForRun(s, true);
    }
    return settle(track(s));
  }

  public Stage disable(W w, boolean sync, boolean chained) {
    String what = (sync ? "disableSync(" : "disable(") + w + ")";
    if (closed) {
      return Stage.of(what, false);
    }
    boolean running = sync && current == w;
    if (running && chained) {
      return Stage.failed(what, IllegalStateException.class);
    }
    if (w.disabled == MAX_DISABLE) {
      return Stage.failed(what, IllegalStateException.class);
    }
    w.disabled++;
    boolean removed = removePending(w);
    if (!running) {
      return Stage.of(what, removed);
    }
    Stage s = new Stage(what);
    waitForRun(s, removed);
    return track(s);
  }

  public Stage enable(W w) {
    String what = "enable(" + w + ")";
    if (closed) {
      return Stage.of(what, true);
    }
    if (w.disabled == 0) {
      return Stage.failed(what, IllegalStateException.class);
    }
    return Stage.of(what, --w.disabled == 0);
  }

  public Stage enableAndQueue(W w, boolean chained) {
    String what = "enableAndQueue(" + w + ")";
    if (closed || destroying) {
      return Stage.failed(what, java.util.concurrent.RejectedExecutionException.class);
    }
    if (w.disabled == 0) {
      return Stage.failed(what, IllegalStateException.class);
    }
    boolean zero = --w.disabled == 0;
    if (draining > 0 && !chained) {
      return Stage.of(what, false); // enabled, as the workqueue's enable_work; the queueing is refused
    }
    if (zero && !blocked(w, chained)) {
      enqueue(w);
    }
    return settle(Stage.of(what, zero));
  }

  public Stage drain(boolean chained) {
    String what = "drain()";
    if (closed) {
      return Stage.of(what, "Done");
    }
    if (chained) {
      return Stage.failed(what, IllegalStateException.class);
    }
    draining++;
    Stage s = new Stage(what);
    Barrier b = new Barrier(s, "Done", true, false);
    b.mark = dispatched;
    ready.addLast(b);
    return settle(track(s));
  }

  /** destroy(): refuse queueing, drop armed timers, run what is queued, then stop. */
  public Stage destroy() {
    String what = "destroy()";
    if (closed) {
      return Stage.of(what, "Done");
    }
    if (destroying) {
      throw new IllegalStateException("the model supports one destroy");
    }
    Stage s = new Stage(what);
    destroying = true;
    for (W w : works) {
      w.expiry = -1;
    }
    ready.addLast(new Barrier(s, "Done", false, true));
    return settle(track(s));
  }

  /** Virtual time passes: timers expire in expiry order (the driver keeps expiries distinct). */
  public void advance(long ms) {
    long to = now + ms;
    for (;;) {
      W next = null;
      for (W w : works) {
        if (w.armed() && w.expiry <= to && (next == null || w.expiry < next.expiry)) {
          next = w;
        }
      }
      if (next == null) {
        break;
      }
      now = next.expiry;
      next.expiry = -1;
      if (next.canceling == 0 && next.disabled == 0 && draining == 0 && !closed) {
        enqueue(next);
        settle(null);
      }
    }
    now = to;
  }

  /** The running work's function returns. */
  public void endRun() {
    if (current == null) {
      throw new IllegalStateException("nothing runs");
    }
    current = null;
    for (W w : cancelingOnRunEnd) {
      w.canceling--;
    }
    cancelingOnRunEnd.clear();
    for (int i = 0; i < onRunEnd.size(); i++) {
      onRunEnd.get(i).complete(onRunEndValues.get(i));
    }
    onRunEnd.clear();
    onRunEndValues.clear();
    settle(null);
  }

  /** Stages handed out that are not done yet. */
  public List<Stage> open() {
    open.removeIf(Stage::done);
    return open;
  }

  // ------------------------------------------------------------------ internals

  private boolean blocked(W w, boolean chained) {
    return w.pending() || w.canceling > 0 || w.disabled > 0 || (draining > 0 && !chained);
  }

  private void enqueue(W w) {
    w.queued = true;
    dispatched++;
    ready.addLast(new Inst(w));
  }

  private void arm(W w, long delayMs) {
    w.expiry = now + delayMs;
  }

  /** Takes out the armed timer or the queued instance; true iff there was one. */
  private boolean removePending(W w) {
    if (w.armed()) {
      w.expiry = -1;
      return true;
    }
    if (w.queued) {
      w.queued = false;
      for (ListIterator<Item> it = ready.listIterator(); it.hasNext(); ) {
        if (it.next() instanceof Inst in && in.work == w) {
          it.remove();
          return true;
        }
      }
      throw new AssertionError("queued work not in the ready list: " + w);
    }
    return false;
  }

  private int indexOfInst(W w) {
    if (!w.queued) {
      return -1;
    }
    int i = 0;
    for (Item it : ready) {
      if (it instanceof Inst in && in.work == w) {
        return i;
      }
      i++;
    }
    throw new AssertionError("queued work not in the ready list: " + w);
  }

  private void waitForRun(Stage s, Object value) {
    onRunEnd.add(s);
    onRunEndValues.add(value);
  }

  private Stage track(Stage s) {
    open.add(s);
    return s;
  }

  /** Lets the worker take items off the ready list while it is free: barriers pass, a work starts. */
  private Stage settle(Stage result) {
    while (current == null && !closed && !ready.isEmpty()) {
      Item head = ready.removeFirst();
      if (head instanceof Inst in) {
        in.work.queued = false;
        current = in.work;
        runLog.add(in.work.id);
      } else {
        Barrier b = (Barrier) head;
        if (b.drain && b.mark != dispatched) {
          b.mark = dispatched; // works were queued (chained) since: go round again
          ready.addLast(b);
        } else if (b.drain) {
          draining--;
          b.stage.complete(b.value);
        } else if (b.destroy) {
          close();
          b.stage.complete(b.value);
        } else {
          b.stage.complete(b.value);
        }
      }
    }
    return result;
  }

  /** The worker stopped: every waiting stage completes as on a worker that is gone. */
  private void close() {
    closed = true;
    for (Item i : ready) {
      if (i instanceof Barrier b) {
        b.stage.complete(b.drain || !(b.value instanceof Boolean) ? "Done" : false);
      }
    }
    ready.clear();
    for (W w : works) {
      w.queued = false;
      w.expiry = -1;
    }
  }

  /** For failure messages. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append("now=").append(now).append(" current=").append(current).append(" draining=").append(draining)
        .append(" destroying=").append(destroying).append(" closed=").append(closed).append(" ready=[");
    for (Item i : ready) {
      sb.append(i instanceof Inst in ? in.work.toString() : "|").append(' ');
    }
    sb.append("] works=");
    for (W w : works) {
      sb.append(w).append(status(w)).append(w.armed() ? "@" + w.expiry : "").append(' ');
    }
    return sb.toString();
  }

}
