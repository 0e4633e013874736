package consumer;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import io.kworker.KWorker;
import io.kworker.Work;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * An application as a user writes it, against the published jar: one worker, one work that fails. The
 * worker's log line about it, with its MDC, must reach the application's logback (release/
 * ConsumerProjectsTest builds this with each logging line, kworker declared before and after Akka).
 */
public final class ConsumerApp {
  public static void main(String[] args) throws Exception {
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "consumer");
    try {
      KWorker worker = KWorker.create(system, "consumer");
      worker.queue(Work.of("failing", () -> {
        throw new IOException("failing on purpose");
      }));
      worker.destroy().toCompletableFuture().get(30, TimeUnit.SECONDS); // runs what was queued, then stops
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
