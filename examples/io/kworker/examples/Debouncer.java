/*
 * Debouncer: bursts of events re-arm one delayed work with modDelayed, so that it runs once per burst,
 * when the burst has been quiet for a while (the kernel's mod_delayed_work idiom).
 *
 * Shows:
 *   - modDelayed pushes the expiry back on every event, whatever the work's state (armed, queued or
 *     idle), so a burst of N events costs N re-arms and one run;
 *   - unhappy path, a work that throws: one burst carries a malformed event, the flush throws after
 *     it has taken the burst's events, the worker logs it (MDC: kworker.worker=debouncer,
 *     kworker.work=flush-batch) and the next burst is flushed as usual;
 *   - unhappy path, a cancel racing the timer: a last burst is cancelled with cancelSync right after
 *     its last event. Either the cancel removed the armed (or queued) flush and the burst is still
 *     buffered, or the flush was already running or done and cancelSync waited for it: then nothing is
 *     buffered any more. Never a flush after the cancel completed.
 *
 * Run: mvn -q test-compile exec:java -Dexec.mainClass=io.kworker.examples.Debouncer [-Dexec.args="bursts events quietMs"]
 */
package io.kworker.examples;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import io.kworker.DelayedWork;
import io.kworker.KWorker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public final class Debouncer {
  private static final Logger LOG = LoggerFactory.getLogger(Debouncer.class);

  /** An event; the last one of a burst carries the future that the flush taking it completes. */
  record Event(int burst, String payload, CompletableFuture<Integer> flushed) {}

  public static void main(String[] args) throws Exception {
    int bursts = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    int eventsPerBurst = args.length > 1 ? Integer.parseInt(args[1]) : 25;
    Duration quiet = Duration.ofMillis(args.length > 2 ? Long.parseLong(args[2]) : 100);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "debouncer");
    try {
      run(KWorker.create(system, "debouncer"), bursts, eventsPerBurst, quiet);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  static void run(KWorker worker, int bursts, int eventsPerBurst, Duration quiet) throws Exception {
    ConcurrentLinkedQueue<Event> buffer = new ConcurrentLinkedQueue<>();
    AtomicInteger flushes = new AtomicInteger();
    // @start region=debounce
    DelayedWork flush = DelayedWork.of("flush-batch", self -> {
      List<Event> batch = new ArrayList<>();
      for (Event e; (e = buffer.poll()) != null; ) {
        batch.add(e);
      }
      int n = flushes.incrementAndGet();
      LOG.info("flush {} writes {} events", n, batch.size());
      batch.stream().filter(e -> e.flushed() != null).forEach(e -> e.flushed().complete(n));
      if (batch.stream().anyMatch(e -> e.payload().isEmpty())) {
        throw new IllegalArgumentException("malformed event in flush " + n); // logged; worker goes on
      }
    });
    // @end region=debounce

    for (int b = 0; b < bursts; b++) {
      CompletableFuture<Integer> flushed = new CompletableFuture<>();
      for (int i = 0; i < eventsPerBurst; i++) {
        boolean last = i == eventsPerBurst - 1;
        String payload = b == 1 && i == 3 ? "" : "event-" + b + "-" + i; // burst 1 has a bad event
        // @start region=event
        buffer.add(new Event(b, payload, last ? flushed : null));
        worker.modDelayed(flush, quiet); // every event pushes the flush back by `quiet`
        // @end region=event
      }
      int by = flushed.get(30, TimeUnit.SECONDS);
      LOG.info("burst {} of {} events flushed by flush {}", b, eventsPerBurst, by);
    }
    int runs = flushes.get();
    // Each burst ends with a flush; more runs than bursts only if the event loop stalled for `quiet`.
    LOG.info("{} bursts of {} events: {} flush runs, {} failed", bursts, eventsPerBurst, runs,
        worker.stats().failed());
    if (runs < bursts || worker.stats().failed() != 1) {
      throw new IllegalStateException(runs + " flushes for " + bursts + " bursts, "
          + worker.stats().failed() + " failed");
    }

    // A last burst, cancelled right away: the cancel races the flush's timer.
    for (int i = 0; i < eventsPerBurst; i++) {
      buffer.add(new Event(bursts, "late-" + i, null));
      worker.modDelayed(flush, quiet);
    }
    boolean removed = worker.cancelSync(flush).toCompletableFuture().get(10, TimeUnit.SECONDS);
    int after = flushes.get();
    LOG.info("cancelSync right after the last burst -> {}: {}", removed, removed
        ? "the flush was still armed or queued; " + buffer.size() + " events stay buffered"
        : "the flush had run (cancelSync waited for it)");
    if (!removed && !buffer.isEmpty()) {
      throw new IllegalStateException("cancelSync gave false but the flush did not take the last burst");
    }
    worker.flush().toCompletableFuture().get(10, TimeUnit.SECONDS);
    if (flushes.get() != after || worker.pending(flush).toCompletableFuture().get(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the flush ran or stayed pending after cancelSync completed");
    }
    worker.destroy().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
