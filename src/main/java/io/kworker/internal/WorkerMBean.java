package io.kworker.internal;

import akka.actor.typed.ActorSystem;
import io.kworker.KWorkerMXBean;
import io.kworker.KWorkerStats;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's MXBean: registered when the worker actor starts, unregistered when it stops. INTERNAL API.
 *
 * <p>Registration never fails the worker: a JMX error is logged and the worker runs without its bean.
 */
final class WorkerMBean implements KWorkerMXBean {
  private static final Logger LOG = LoggerFactory.getLogger(io.kworker.KWorker.class);
  private static final AtomicLong IDS = new AtomicLong();

  private final WorkerHandle handle;
  private final String path;
  private final String execution;
  private ObjectName registered;

  private WorkerMBean(WorkerHandle handle, String path, String execution) {
    this.handle = handle;
    this.path = path;
    this.execution = execution;
  }

  /** Registers a bean for {@code handle}; null if that failed (logged). */
  static WorkerMBean register(WorkerHandle handle, ActorSystem<?> system, String path, String execution) {
    WorkerMBean bean = new WorkerMBean(handle, path, execution);
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    String name = value(handle.name());
    String[] candidates = {
        "io.kworker:type=KWorker,name=" + name,
        "io.kworker:type=KWorker,system=" + value(system.name()) + ",name=" + name,
    };
    try {
      for (String candidate : candidates) {
        if (bean.tryRegister(server, new ObjectName(candidate))) {
          return bean;
        }
      }
      for (;;) {
        ObjectName n = new ObjectName(candidates[1] + ",id=" + IDS.incrementAndGet());
        if (bean.tryRegister(server, n)) {
          return bean;
        }
      }
    } catch (JMException | RuntimeException e) {
      LOG.warn("Worker [{}] could not register its JMX MBean; it runs without one", handle.logName(), e);
      return null;
    }
  }

  /** A key property value: as is, or quoted if it holds a character that JMX reserves. */
  private static String value(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (",=:\"*?\n\\".indexOf(s.charAt(i)) >= 0) {
        return ObjectName.quote(s);
      }
    }
    return s;
  }

  private boolean tryRegister(MBeanServer server, ObjectName n) throws JMException {
    try {
      server.registerMBean(this, n);
      registered = n;
      return true;
    } catch (InstanceAlreadyExistsException e) {
      return false;
    }
  }

  ObjectName objectName() {
    return registered;
  }

  void unregister() {
    try {
      ManagementFactory.getPlatformMBeanServer().unregisterMBean(registered);
    } catch (JMException | RuntimeException e) {
      LOG.debug("Worker [{}] could not unregister its JMX MBean {}", handle.logName(), registered, e);
    }
  }

  private KWorkerStats stats() {
    return handle.stats().snapshot(handle.name());
  }

  @Override
  public String getName() {
    return handle.name();
  }

  @Override
  public String getPath() {
    return path;
  }

  @Override
  public String getExecution() {
    return execution;
  }

  @Override
  public long getQueued() {
    return stats().queued();
  }

  @Override
  public long getRun() {
    return stats().run();
  }

  @Override
  public long getFailed() {
    return stats().failed();
  }

  @Override
  public long getCancelled() {
    return stats().cancelled();
  }

  @Override
  public long getRefusedWhileCanceling() {
    return stats().refusedWhileCanceling();
  }

  @Override
  public boolean isTimingsEnabled() {
    return handle.stats().timings;
  }

  @Override
  public long getQueueLatencyTotalNanos() {
    return stats().queueLatency().totalNanos();
  }

  @Override
  public long getQueueLatencyMaxNanos() {
    return stats().queueLatency().maxNanos();
  }

  @Override
  public double getQueueLatencyMeanMicros() {
    return meanMicros(stats().queueLatency());
  }

  @Override
  public long getRunTimeTotalNanos() {
    return stats().runTime().totalNanos();
  }

  @Override
  public long getRunTimeMaxNanos() {
    return stats().runTime().maxNanos();
  }

  @Override
  public double getRunTimeMeanMicros() {
    return meanMicros(stats().runTime());
  }

  private static double meanMicros(KWorkerStats.Timing t) {
    return t.count() == 0 ? 0 : t.totalNanos() / 1000.0 / t.count();
  }
}
