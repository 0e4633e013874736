package io.kworker.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The module {@code io.kworker}, as an application on the module path sees it. The other tests run on
 * the class path (as most Akka applications do, and as the JDI tests need); this one builds a module
 * layer of its own from {@code target/classes} and the dependency jars.
 */
class ModuleTest {
  /** The jars the module needs, by the start of their file name, and logback, SLF4J's provider. */
  private static final List<String> NEEDED = List.of("akka-actor_", "akka-actor-typed_", "akka-slf4j_",
      "scala-library-", "scala-java8-compat_", "config-", "slf4j-api-", "logback-classic-", "logback-core-");
  private static final String LOGBACK_CONFIG = "logback.configurationFile";

  /** The layer's logback cannot see logback-test.xml; the class path's has started already, with it. */
  @BeforeAll
  static void configureTheLayersLogback() {
    LoggerFactory.getILoggerFactory();
    System.setProperty(LOGBACK_CONFIG, "target/test-classes/logback-module-layer.xml");
  }

  @AfterAll
  static void forgetTheLayersLogback() {
    System.clearProperty(LOGBACK_CONFIG);
  }

  private static ModuleLayer layer() {
    List<Path> path = new ArrayList<>();
    path.add(Path.of("target/classes"));
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String file = Path.of(entry).getFileName().toString();
      if (file.endsWith(".jar") && NEEDED.stream().anyMatch(file::startsWith)) {
        path.add(Path.of(entry));
      }
    }
    ModuleFinder finder = ModuleFinder.of(path.toArray(Path[]::new));
    // and bind the services: SLF4J finds logback
    Configuration cf = ModuleLayer.boot().configuration().resolveAndBind(finder, ModuleFinder.of(),
        Set.of("io.kworker"));
    return ModuleLayer.boot().defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
  }

  /** {@code r} as the layer's {@code io.kworker.WorkRunnable} (another class than the class path's). */
  private static Object runnable(Class<?> workRunnable, Runnable r) {
    return java.lang.reflect.Proxy.newProxyInstance(workRunnable.getClassLoader(), new Class<?>[] {workRunnable},
        (proxy, method, args) -> {
          if (!method.getName().equals("run")) {
            throw new UnsupportedOperationException(method.toString());
          }
          r.run(); // run() and run(work) alike
          return null;
        });
  }

  /** Only the API packages are exported (cluster mode's needs its optional modules); every module resolves. */
  @Test
  void exportsTheApiPackageOnly() {
    ModuleLayer layer = layer();
    Module kworker = layer.findModule("io.kworker").orElseThrow();
    ModuleDescriptor d = kworker.getDescriptor();
    assertEquals(Set.of("io.kworker", "io.kworker.cluster"),
        d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
    assertTrue(d.packages().contains("io.kworker.internal"));
    assertFalse(kworker.isExported("io.kworker.internal"));
    assertTrue(kworker.isExported("io.kworker"));
  }

  /** From another module, the internals cannot be reached, the API can. */
  @Test
  void internalsAreOutOfReach() throws Exception {
    ModuleLayer layer = layer();
    ClassLoader loader = layer.findLoader("io.kworker");
    Class<?> handle = Class.forName("io.kworker.internal.WorkerHandle", false, loader);
    Method name = handle.getMethod("name"); // public, but in a package the module does not export
    assertThrows(IllegalAccessException.class, () -> name.invoke(handle.getConstructor(String.class)
        .newInstance("x")));
    Class<?> work = Class.forName("io.kworker.Work", true, loader);
    Class<?> fn = Class.forName("io.kworker.WorkRunnable", true, loader);
    Object w = work.getMethod("of", String.class, fn).invoke(null, "w", runnable(fn, () -> { }));
    assertEquals("w", work.getMethod("name").invoke(w));
  }

  /** In the layer, the module runs: a worker queues and runs a work. */
  @Test
  void aWorkerRunsOnTheModulePath() throws Exception {
    ModuleLayer layer = layer();
    ClassLoader loader = layer.findLoader("io.kworker");
    Thread me = Thread.currentThread();
    ClassLoader before = me.getContextClassLoader();
    me.setContextClassLoader(loader); // Akka and Typesafe Config read reference.conf through it
    try {
      // SLF4J ready before Akka logs, as WorkerTestKit does on the class path (no replay warning), and
      // bound to logback as a module service
      Object logging = Class.forName("org.slf4j.LoggerFactory", true, loader).getMethod("getILoggerFactory")
          .invoke(null);
      assertEquals("ch.qos.logback.classic.LoggerContext", logging.getClass().getName());
      Class<?> kworker = Class.forName("io.kworker.KWorker", true, loader);
      Class<?> typedSystem = Class.forName("akka.actor.typed.ActorSystem", true, loader);
      Class<?> behaviors = Class.forName("akka.actor.typed.javadsl.Behaviors", true, loader);
      Class<?> behavior = Class.forName("akka.actor.typed.Behavior", true, loader);
      Object empty = behaviors.getMethod("empty").invoke(null);
      Object system = typedSystem.getMethod("create", behavior, String.class).invoke(null, empty, "module");
      try {
        Object worker = kworker.getMethod("create", typedSystem, String.class).invoke(null, system, "m");
        Class<?> work = Class.forName("io.kworker.Work", true, loader);
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        Class<?> fn = Class.forName("io.kworker.WorkRunnable", true, loader);
        Object w = work.getMethod("of", String.class, fn).invoke(null, "w", runnable(fn, runs::incrementAndGet));
        Object queued = kworker.getMethod("queue", work).invoke(worker, w);
        assertEquals(Boolean.TRUE, io.kworker.testing.Await.result(
            (java.util.concurrent.CompletionStage<?>) queued));
        io.kworker.testing.Await.result(
            (java.util.concurrent.CompletionStage<?>) kworker.getMethod("flush").invoke(worker));
        assertEquals(1, runs.get());
        io.kworker.testing.Await.result(
            (java.util.concurrent.CompletionStage<?>) kworker.getMethod("destroy").invoke(worker));
      } finally {
        typedSystem.getMethod("terminate").invoke(system);
      }
    } finally {
      me.setContextClassLoader(before);
    }
  }
}
