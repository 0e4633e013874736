package io.kworker;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigException;
import io.kworker.internal.Instrumentation;
import io.kworker.internal.Names;
import io.kworker.internal.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actor system's registry of named workers, an Akka extension: {@code KWorkers.get(system)}.
 *
 * <p>{@link #worker(String)} creates a worker on first use from the configuration block
 * {@code kworker.workers.<name>} (any key of the {@code kworker} block; missing keys and missing blocks
 * take the {@code kworker} defaults) and returns the same worker afterwards, from any thread.
 *
 * <p>Every worker of the registry is destroyed when the actor system shuts down, in the
 * {@link CoordinatedShutdown} phase {@code kworker.shutdown.phase} (default {@code service-stop}), each
 * with the deadline {@code kworker.shutdown.destroy-deadline} (a worker's block may set its own):
 * armed timers are cancelled and logged,
 * queued works run, works not started by the deadline are discarded and logged with the one still
 * running, and the phase waits until every worker's thread has returned from its last work. So a
 * resource closed in a later phase is never closed under a running work (as long as that work returns
 * within the phase's timeout). Workers created with {@link KWorker#create} or {@link KWorker#spawn} are
 * not the registry's: destroy those yourself (a spawned one stops with its parent).
 *
 * <p>The extension is created on first use, which always comes before its first worker, so it needs no
 * registration; to create it (and register its shutdown task) when the actor system starts, add
 * {@code akka.actor.typed.extensions += "io.kworker.KWorkers$Id"}.
 *
 * <p>A worker of the registry keeps its name for the life of the actor system: if you destroy it
 * yourself, {@link #worker(String)} keeps returning the destroyed worker, whose queueing calls fail.
 */
public final class KWorkers implements Extension {
  private static final Logger LOG = LoggerFactory.getLogger(KWorkers.class);

  /** The extension's id, for {@code akka.actor.typed.extensions} and {@code ExtensionSetup}. */
  public static final class Id extends ExtensionId<KWorkers> {
    private static final Id INSTANCE = new Id();

    private Id() {}

    /** {@return the id; Akka calls it to load the extension from configuration} */
    public static Id getInstance() {
      return INSTANCE;
    }

    @Override
    public KWorkers createExtension(ActorSystem<?> system) {
      return new KWorkers(system);
    }
  }

  /**
   * {@return the registry of {@code system}, created on first use}
   *
   * @param system the actor system
   */
  public static KWorkers get(ActorSystem<?> system) {
    return Id.getInstance().apply(system);
  }

  private final ActorSystem<?> system;
  private final Config config;
  private final String phase;
  private final Duration deadline;
  /** The shutdown phase's timeout, or null without a phase. */
  private final Duration phaseTimeout;
  private static final String DEADLINE = "shutdown.destroy-deadline";
  private final ConcurrentHashMap<String, KWorker> workers = new ConcurrentHashMap<>();
  /** Each worker's shutdown deadline: its block's {@code shutdown.destroy-deadline}, else the default. */
  private final ConcurrentHashMap<String, Duration> deadlines = new ConcurrentHashMap<>();
  /** Set (under the lock) when the shutdown task takes its list: no worker is created after that. */
  private boolean closed;

  private KWorkers(ActorSystem<?> system) {
    this.system = system;
    this.config = system.settings().config().getConfig("kworker");
    this.phase = config.getString("shutdown.phase");
    // throws IllegalArgumentException naming the known phases if the phase does not exist
    this.phaseTimeout = phase.isEmpty() ? null
        : Duration.ofNanos(CoordinatedShutdown.get(system).timeout(phase).toNanos());
    this.deadline = destroyDeadline(config, "kworker." + DEADLINE);
    if (!phase.isEmpty()) {
      CoordinatedShutdown.get(system).addTask(phase, "kworker-destroy-workers", this::destroyAll);
    }
  }

  /**
   * A worker's shutdown deadline, checked before anything is created: at least 0 and below the phase's
   * timeout, so that the report is logged and a work still running at the deadline may still return
   * within the phase (past the timeout, CoordinatedShutdown moves on and a later phase could close a
   * resource under it).
   */
  private Duration destroyDeadline(Config c, String path) {
    Duration d;
    try {
      d = c.getDuration(DEADLINE);
    } catch (ConfigException e) {
      throw new ConfigException.BadValue(path, e.getMessage(), e);
    }
    boolean tooLong = phaseTimeout != null && d.compareTo(phaseTimeout) >= 0;
    if (d.isNegative() || tooLong) {
      throw new IllegalArgumentException(path + " = " + d + " is out of range: it must be at least 0"
          + (phaseTimeout == null ? "" : " and below " + phaseTimeout + ", the timeout of shutdown phase ["
              + phase + "] (akka.coordinated-shutdown.phases." + phase + ".timeout)"));
    }
    return d;
  }

  /**
   * The worker named {@code name}, created on first use from {@code kworker.workers.<name>}. Any name
   * works, even one that is not a valid actor name or that a worker made with {@link KWorker#create}
   * has. If its block is bad, it throws and creates nothing.
   *
   * @param name the worker's name
   * @return the registry's worker of that name
   * @throws IllegalStateException if the actor system's shutdown has already destroyed the registry's
   *     workers
   * @throws com.typesafe.config.ConfigException if a key of the worker's block has a value of the wrong
   *     type
   * @throws IllegalArgumentException if a value is out of range (a throughput below 1, a shutdown
   *     deadline that is negative or not below the phase's timeout)
   * @throws akka.ConfigurationException if {@code execution} or {@code actor-dispatcher} names no
   *     configured dispatcher
   * @throws UnsupportedOperationException if the worker's execution is {@code "virtual"} and this JVM is
   *     older than Java 21 (the error names the key that set it)
   */
  public KWorker worker(String name) {
    Objects.requireNonNull(name, "worker name");
    KWorker w = workers.get(name);
    return w != null ? w : create(name);
  }

  private synchronized KWorker create(String name) {
    KWorker w = workers.get(name);
    if (w != null) {
      return w;
    }
    if (closed) {
      throw new IllegalStateException("actor system [" + system.name() + "] is shutting down: its workers "
          + "are destroyed, so worker [" + Names.safe(name) + "] is not created");
    }
    // Everything that can fail comes before the worker exists: a bad block starts nothing.
    Config block = workerConfig(name);
    Settings settings = Settings.from(block);
    Instrumentation instrumentation = Instrumentation.from(block);
    Duration own = config.hasPath(ConfigUtil.joinPath("workers", name, "shutdown", "destroy-deadline"))
        ? destroyDeadline(block, ConfigUtil.joinPath("kworker", "workers", name, "shutdown", "destroy-deadline"))
        : deadline;
    String executionKey = config.hasPath(ConfigUtil.joinPath("workers", name, "execution"))
        ? ConfigUtil.joinPath("kworker", "workers", name, "execution") : Settings.EXECUTION_KEY;
    w = KWorker.create(system, name, settings, instrumentation, executionKey);
    deadlines.put(name, own);
    workers.put(name, w);
    LOG.debug("Worker [{}] created from {} (execution {})", Names.safe(name),
        isConfigured(name) ? "kworker.workers." + Names.safe(name) : "the kworker defaults", settings.execution());
    return w;
  }

  /**
   * {@return the worker named {@code name} if the registry has created it} It creates none.
   *
   * @param name the worker's name
   */
  public Optional<KWorker> lookup(String name) {
    return Optional.ofNullable(workers.get(Objects.requireNonNull(name, "worker name")));
  }

  /** {@return the registry's workers that are still alive, by name} */
  public List<KWorker> workers() {
    List<KWorker> live = new ArrayList<>();
    for (KWorker w : workers.values()) {
      if (!w.isClosed()) {
        live.add(w);
      }
    }
    live.sort(Comparator.comparing(KWorker::name));
    return live;
  }

  /** {@return the names that have a block under {@code kworker.workers}, created or not} */
  public Set<String> configuredNames() {
    return new TreeSet<>(config.getObject("workers").keySet());
  }

  /** {@return the shutdown phase this registry destroys its workers in ("" if none)} */
  public String shutdownPhase() {
    return phase;
  }

  private boolean isConfigured(String name) {
    return config.getObject("workers").containsKey(name);
  }

  private Config workerConfig(String name) {
    if (!isConfigured(name)) {
      return config;
    }
    return config.getConfig(ConfigUtil.joinPath("workers", name)).withFallback(config);
  }

  // ---------------------------------------------------------------- shutdown

  private CompletionStage<Done> destroyAll() {
    List<KWorker> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(workers.values());
    }
    LOG.debug("Destroying {} worker(s) in shutdown phase [{}]", all.size(), phase);
    CompletableFuture<?>[] each = new CompletableFuture<?>[all.size()];
    for (int i = 0; i < each.length; i++) {
      each[i] = destroy(all.get(i));
    }
    return CompletableFuture.allOf(each).thenApply(v -> {
      LOG.info("{} worker(s) destroyed in shutdown phase [{}]", all.size(), phase);
      return Done.getInstance();
    });
  }

  /** Destroys one worker; completes (never exceptionally) once its thread has left its last work. */
  private CompletableFuture<Void> destroy(KWorker w) {
    Duration deadline = deadlines.getOrDefault(w.name(), this.deadline);
    CompletionStage<DestroyReport> destroyed;
    try {
      destroyed = w.destroy(deadline);
    } catch (RuntimeException e) {
      destroyed = CompletableFuture.failedFuture(e);
    }
    return destroyed.handle((report, error) -> {
      if (error != null) {
        // never let a failed destroy end the phase's wait early: fall back to the unbounded one
        LOG.error("Worker [{}] could not be destroyed with its deadline in shutdown phase [{}]; destroying "
            + "it without one", Names.safe(w.name()), phase, error);
        return FAILED;
      }
      if (report.completed()) {
        LOG.debug("Worker [{}] destroyed in shutdown phase [{}]", Names.safe(w.name()), phase);
        return null;
      }
      LOG.warn("Worker [{}] missed its shutdown deadline of {} ms: discarded works {}, still running {}; the "
          + "phase waits for the running work to return", Names.safe(w.name()), deadline.toMillis(),
          names(report.discarded()),
          names(report.stillRunning()));
      return report;
    }).thenCompose(report -> {
      if (report == FAILED) {
        return w.destroy().handle((d, e) -> {
          if (e != null) {
            LOG.error("Worker [{}] could not be destroyed in shutdown phase [{}]", Names.safe(w.name()), phase, e);
          }
          return (Void) null;
        });
      }
      if (report == null) {
        return CompletableFuture.<Void>completedFuture(null);
      }
      // On a destroyed worker flush() completes once the thread has returned from its last work.
      return w.flush().handle((d, e) -> {
        LOG.info("Worker [{}]: the work still running at the shutdown deadline has returned", Names.safe(w.name()));
        return (Void) null;
      });
    }).toCompletableFuture();
  }

  /** Marks a destroy that failed, to fall back to the unbounded one. */
  private static final DestroyReport FAILED = new DestroyReport(false, List.of(), List.of());

  private static List<String> names(List<Work> works) {
    List<String> names = new ArrayList<>(works.size());
    for (Work work : works) {
      names.add(Names.safe(work.name()));
    }
    return names;
  }
}
