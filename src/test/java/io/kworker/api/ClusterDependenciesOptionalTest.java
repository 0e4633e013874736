package io.kworker.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.serialization.SerializationExtension;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.testing.Await;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * An application without cluster mode declares kworker alone: the cluster modules and Jackson, which
 * kworker declares optional, are then absent, and kworker's reference.conf (which names the cluster
 * wire serializer) must still start every actor system. Checked in a JVM whose class path has only
 * what such an application has.
 */
class ClusterDependenciesOptionalTest {
  private static final List<String> ABSENT = List.of("akka-cluster", "akka-remote", "akka-serialization-jackson",
      "jackson-", "akka-distributed-data", "akka-coordination", "akka-persistence", "akka-stream", "agrona",
      "aeron", "lz4");

  /** The child: a worker runs a work, and the serialization extension (which creates every serializer) loads. */
  public static final class Child {
    public static void main(String[] args) {
      try {
        run();
        System.exit(0);
      } catch (Throwable t) {
        t.printStackTrace(System.out);
        System.exit(1); // whatever threads are left
      }
    }

    private static void run() throws Exception {
      for (String absent : new String[] {"akka.cluster.typed.Cluster", "com.fasterxml.jackson.databind.ObjectMapper"}) {
        try {
          Class.forName(absent);
          throw new AssertionError(absent + " is on the child's class path: the test proves nothing");
        } catch (ClassNotFoundException expected) {
          // as an application without cluster mode has it
        }
      }
      ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "NoCluster");
      try {
        SerializationExtension.get(system).serialize("created every configured serializer").get();
        AtomicInteger runs = new AtomicInteger();
        KWorker worker = KWorker.create(system, "alone");
        worker.queue(Work.of("w", runs::incrementAndGet));
        worker.flush().toCompletableFuture().get(20, TimeUnit.SECONDS);
        System.out.println("RESULT runs=" + runs.get());
      } finally {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aLocalWorkerNeedsNoneOfTheClusterDependencies() throws Exception {
    String classPath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> ABSENT.stream().noneMatch(Path.of(e).getFileName().toString()::startsWith))
        .collect(Collectors.joining(File.pathSeparator));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path log = Files.createTempFile("kworker-child", ".log");
    Process p = new ProcessBuilder(java, "-cp", classPath, Child.class.getName()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    boolean exited = p.waitFor(3 * Await.LONG_SECONDS, TimeUnit.SECONDS);
    if (!exited) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    assertTrue(exited, "the child JVM did not end; its output:\n" + output);
    assertEquals(0, p.exitValue(), output);
    assertTrue(output.contains("RESULT runs=1"), output);
  }
}
