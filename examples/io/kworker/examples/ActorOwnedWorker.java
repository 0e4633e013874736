/*
 * An actor that owns a worker as its child and talks to it with context.askWithStatus over the
 * KWorker.Command protocol, with no façade and no blocking.
 *
 * An "Archiver" actor accepts documents and writes each one to (pretend) disk, a blocking call that
 * must not run on the actor's dispatcher. It spawns KWorker.behavior("archive-io") as its child, so the
 * writes run on that worker's own thread, kworker/archive-io, one at a time and in order, while the
 * archiver keeps answering. The worker's answers come back as the archiver's own messages, on the
 * archiver's thread.
 *
 * Shows:
 *   - spawn a worker as a child; it stops (and its thread ends) with its parent;
 *   - askWithStatus with KWorker.Queue, KWorker.FlushWorker and KWorker.Destroy;
 *   - unhappy path, a work that throws: the "corrupt" document's write fails, the worker logs it and
 *     writes the next document;
 *   - unhappy path, a StatusReply error: a document that arrives after Close was sent, while a long
 *     write still runs, is refused by the worker being destroyed, and the error reaches the archiver
 *     as the ask's failure; destroy still waits for the long write before the worker stops.
 *
 * Run: mvn -q test-compile exec:java -Dexec.mainClass=io.kworker.examples.ActorOwnedWorker
 */
package io.kworker.examples;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.kworker.KWorker;
import io.kworker.Work;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public final class ActorOwnedWorker {
  private static final Logger LOG = LoggerFactory.getLogger(ActorOwnedWorker.class);
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);

  /** The archiver's protocol. */
  public sealed interface Command {}

  public record Archive(String document, ActorRef<String> replyTo) implements Command {}

  public record Sync(ActorRef<String> replyTo) implements Command {}

  public record Close(ActorRef<String> replyTo) implements Command {}

  /** The worker's answer to a Queue, adapted into the archiver's protocol. */
  private record Queued(String document, Boolean accepted, Throwable error, ActorRef<String> replyTo)
      implements Command {}

  private record Synced(ActorRef<String> replyTo) implements Command {}

  private record Destroyed(Throwable error, ActorRef<String> replyTo) implements Command {}

  /** The disk: what the worker wrote, in order. */
  static final List<String> DISK = new CopyOnWriteArrayList<>();

  // @start region=archiver
  static final class Archiver extends AbstractBehavior<Command> {
    private final ActorRef<KWorker.Command> io;
    /** Queue asks not answered yet: answers to different asks may arrive in any order. */
    private int inFlight;
    private boolean destroyed;

    static Behavior<Command> create() {
      return Behaviors.setup(Archiver::new);
    }

    private Archiver(ActorContext<Command> context) {
      super(context);
      // A child: the worker, and its thread kworker/archive-io, stop when the archiver stops.
      io = context.spawn(KWorker.behavior("archive-io"), "archive-io");
    }

    @Override
    public Receive<Command> createReceive() {
      return newReceiveBuilder()
          .onMessage(Archive.class, this::onArchive)
          .onMessage(Queued.class, this::onQueued)
          .onMessage(Sync.class, this::onSync)
          .onMessage(Synced.class, m -> { m.replyTo().tell("synced " + DISK); return this; })
          .onMessage(Close.class, this::onClose)
          .onMessage(Destroyed.class, this::onDestroyed)
          .build();
    }

    private Behavior<Command> onArchive(Archive m) {
      Work write = Work.of("write-" + m.document(), () -> writeToDisk(m.document())); // blocking I/O
      inFlight++;
      getContext().askWithStatus(Boolean.class, io, ASK_TIMEOUT,
          replyTo -> new KWorker.Queue(write, replyTo),
          (accepted, error) -> new Queued(m.document(), accepted, error, m.replyTo()));
      return this;
    }

    private Behavior<Command> onQueued(Queued m) {
      // On the archiver's thread: the answer is a message like any other.
      inFlight--;
      m.replyTo().tell(m.error() == null
          ? "queued " + m.document() + ": " + m.accepted()
          : "refused " + m.document() + ": " + m.error().getMessage());
      return destroyed && inFlight == 0 ? Behaviors.stopped() : this;
    }
    // @end region=archiver

    private Behavior<Command> onSync(Sync m) {
      getContext().askWithStatus(Done.class, io, ASK_TIMEOUT, KWorker.FlushWorker::new,
          (done, error) -> new Synced(m.replyTo()));
      return this;
    }

    // @start region=archiver-close
    private Behavior<Command> onClose(Close m) {
      // destroy: what is queued is written, then the worker and its thread stop
      getContext().askWithStatus(Done.class, io, ASK_TIMEOUT, KWorker.Destroy::new,
          (done, error) -> new Destroyed(error, m.replyTo()));
      return this;
    }

    private Behavior<Command> onDestroyed(Destroyed m) {
      m.replyTo().tell(m.error() == null ? "closed" : "close failed: " + m.error());
      destroyed = true;
      return inFlight == 0 ? Behaviors.stopped() : this; // stop once every ask has been answered
    }
    // @end region=archiver-close
  }

  /** Holds the write of a "big" document until main lets it finish. */
  static volatile CountDownLatch bigWriteMayFinish = new CountDownLatch(1);

  static void writeToDisk(String document) {
    if (document.contains("corrupt")) {
      throw new IllegalArgumentException("cannot encode document [" + document + "]");
    }
    if (document.startsWith("big")) {
      try {
        bigWriteMayFinish.await(30, TimeUnit.SECONDS); // a long write
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    DISK.add(document + "@" + Thread.currentThread().getName());
  }

  public static void main(String[] args) throws Exception {
    DISK.clear();
    bigWriteMayFinish = new CountDownLatch(1);
    ActorSystem<Command> system = ActorSystem.create(Archiver.create(), "archiver");
    try {
      for (String doc : new String[] {"invoice-1", "corrupt-2", "invoice-3"}) {
        LOG.info("{}", ask(system, replyTo -> new Archive(doc, replyTo)));
      }
      String synced = ask(system, Sync::new);
      LOG.info("{}", synced);
      // A long write is running when Close arrives, so the worker is still being destroyed (not yet
      // stopped) when the document sent right behind Close reaches it: it refuses it with an error.
      LOG.info("{}", ask(system, replyTo -> new Archive("big-4", replyTo)));
      CompletionStage<String> closed = AskPattern.ask(system, Close::new, ASK_TIMEOUT, system.scheduler());
      String late = ask(system, replyTo -> new Archive("late-5", replyTo));
      LOG.info("{}", late);
      bigWriteMayFinish.countDown(); // destroy waits for the running write, then stops the worker
      LOG.info("{}", closed.toCompletableFuture().get(10, TimeUnit.SECONDS));
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS); // the archiver stopped

      List<String> expected = List.of("invoice-1@kworker/archive-io", "invoice-3@kworker/archive-io",
          "big-4@kworker/archive-io");
      if (!DISK.equals(expected) || !late.startsWith("refused late-5")) {
        throw new IllegalStateException("disk " + DISK + ", late document: " + late);
      }
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().equals("kworker/archive-io")) {
          t.join(10_000); // the child worker's thread ends with it
          if (t.isAlive()) {
            throw new IllegalStateException("kworker/archive-io outlived its parent");
          }
        }
      }
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static String ask(ActorSystem<Command> system,
      akka.japi.function.Function<ActorRef<String>, Command> message) throws Exception {
    return AskPattern.ask(system, message, ASK_TIMEOUT, system.scheduler())
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
