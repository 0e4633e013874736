package io.kworker.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kworker as applications meet it: consumer projects made of the README's Installation snippets, built by
 * Maven against this build's kworker and run. For each logging line (logback 1.2 on Akka's SLF4J 1.7,
 * logback 1.5 on SLF4J 2 pinned by the application), one project declares kworker before Akka and one
 * after; each must resolve its line's SLF4J and logback and scala-library 2.13.18, and print the log line
 * of a failing work with its MDC. One also runs on the module path, and kworker's sources must compile
 * against SLF4J 1.7.
 *
 * <p>On kworker only: its snippets and logging lines are Akka's (kworker-pekko's are the same sources, and
 * Pekko brings SLF4J 2 and the fixed Scala itself).
 *
 * <p>How: a jar of {@code target/classes}, the module's POM and its parent's are installed into a private local repository,
 * {@code target/consumers/repository}, whose remotes are this build's local repository (so a machine that
 * has built kworker resolves everything offline) and then Maven Central. The Maven that runs this build
 * builds the four projects in one run ({@code src/it/consumer}: the application and the POM template),
 * then each application runs in a JVM of its own. Run it alone: {@code mvn -B test -Dtest=ConsumerProjectsTest}.
 */
class ConsumerProjectsTest {
  private static final Path ROOT = Path.of("target/consumers").toAbsolutePath();
  private static final Path PROJECTS = ROOT.resolve("projects");
  private static final Path REPOSITORY = ROOT.resolve("repository");
  private static final Path TEMPLATE = Path.of("src/it/consumer");
  private static final String SCALA = "scala-library-2.13.18.jar";
  /** The line the failing work gives, with the MDC as the consumer's logback pattern prints it. */
  private static final String FAILED = "ERROR [worker=consumer work=failing] io.kworker.KWorker - "
      + "Work [failing] on worker [consumer] failed; the worker goes on";
  private static final String THROWN = "java.io.IOException: failing on purpose";
  private static final Pattern REPLAYED =
      Pattern.compile("intercepted and are|now being replayed|codes.html#replay");

  /** Each project: the README snippets it declares, in this order. */
  private static final Map<String, List<String>> PROJECTS_SNIPPETS = new LinkedHashMap<>();

  static {
    PROJECTS_SNIPPETS.put("slf4j-1.7-kworker-first", List.of("kworker", "akka", "logging-slf4j-1.7", "scala"));
    PROJECTS_SNIPPETS.put("slf4j-1.7-kworker-last", List.of("logging-slf4j-1.7", "scala", "akka", "kworker"));
    PROJECTS_SNIPPETS.put("slf4j-2-kworker-first", List.of("kworker", "akka", "logging-slf4j-2", "scala"));
    PROJECTS_SNIPPETS.put("slf4j-2-kworker-last", List.of("logging-slf4j-2", "scala", "akka", "kworker"));
  }

  /** The artifact this build makes, and its POM (the parent's is beside its folder). */
  private static final String ARTIFACT = System.getProperty("kworker.artifact", "kworker");
  private static final Path POM = Path.of(System.getProperty("kworker.pom", "akka/pom.xml"));
  private static final String MODULE_PATH_RUN = "slf4j-2-kworker-first on the module path";
  private static Map<String, String> snippets;
  private static String version;
  private static final Map<String, Process> RUNS = new LinkedHashMap<>();

  @BeforeAll
  static void buildTheProjectsAndStartTheApplications() throws Exception {
    assumeTrue(ARTIFACT.equals("kworker"), "the consumer projects are kworker's, not " + ARTIFACT + "'s");
    snippets = readmeSnippets();
    version = System.getProperty("kworker.version", pomVersion());
    assertTrue(snippets.get("kworker").contains("<version>" + version + "</version>"),
        "README's kworker snippet names version " + version + " (the pom's):\n" + snippets.get("kworker"));
    installKworker();
    writeProjects();
    build();
    for (String name : PROJECTS_SNIPPETS.keySet()) {
      run(name, name, List.of("-cp", classes(name) + File.pathSeparator + classpath(name)));
    }
    String name = "slf4j-2-kworker-first";
    run(MODULE_PATH_RUN, name, List.of("--module-path", classpath(name), "--add-modules", "ALL-MODULE-PATH",
        "-cp", classes(name)));
  }

  static Set<String> projects() {
    return PROJECTS_SNIPPETS.keySet();
  }

  @AfterAll
  static void stopWhatStillRuns() {
    RUNS.values().forEach(Process::destroyForcibly);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("projects")
  void theApplicationLogsAFailingWorkWithItsMdc(String name) throws Exception {
    List<String> jars = jarNames(classpath(name));
    String logging = snippets.get(name.startsWith("slf4j-1.7") ? "logging-slf4j-1.7" : "logging-slf4j-2");
    String slf4j = name.startsWith("slf4j-1.7") ? "slf4j-api-1.7." : "slf4j-api-" + version(logging, "slf4j-api");
    assertEquals(List.of(slf4j), jars.stream().filter(j -> j.startsWith("slf4j-api-"))
        .map(j -> j.startsWith(slf4j) ? slf4j : j).collect(Collectors.toList()), "SLF4J of " + name);
    assertTrue(jars.contains("logback-classic-" + version(logging, "logback-classic") + ".jar"), jars.toString());
    assertTrue(jars.contains(SCALA), jars.toString());
    assertTrue(jars.contains("kworker-" + version + ".jar"), jars.toString());
    assertLogged(name);
  }

  /** The jar is the module io.kworker: with its dependencies on the module path, the application runs. */
  @Test
  void theApplicationRunsWithKworkerOnTheModulePath() throws Exception {
    assertLogged(MODULE_PATH_RUN);
  }

  /**
   * kworker uses only SLF4J API that 1.7 has: its sources compile with the 1.7 line's slf4j-api in place
   * of this build's 2.x (on this build's class path, which has cluster mode's optional modules too).
   */
  @Test
  void kworkerCompilesAgainstSlf4j17() throws IOException {
    String slf4j17 = Stream.of(classpath("slf4j-1.7-kworker-first").split(File.pathSeparator))
        .filter(e -> Path.of(e).getFileName().toString().startsWith("slf4j-api-1.7.")).findFirst()
        .orElseThrow();
    String classpath = Stream.concat(Stream.of(slf4j17),
        Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(e -> !Path.of(e).getFileName().toString().startsWith("slf4j-api-")
                && !Path.of(e).endsWith(Path.of("target/classes"))))
        .collect(Collectors.joining(File.pathSeparator));
    List<File> sources;
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      sources = files.filter(p -> p.toString().endsWith(".java") && !p.endsWith("module-info.java"))
          .map(Path::toFile).collect(Collectors.toList());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    StringWriter out = new StringWriter();
    Path classes = Files.createDirectories(ROOT.resolve("slf4j-1.7-classes"));
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
        StandardCharsets.UTF_8)) {
      boolean ok = javac.getTask(out, files, diagnostics, List.of("--release", "17", "-proc:none", "-nowarn",
          "-encoding", "UTF-8", "-d", classes.toString(), "-classpath", classpath), null,
          files.getJavaFileObjectsFromFiles(sources)).call();
      List<String> errors = diagnostics.getDiagnostics().stream()
          .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
          .map(d -> d.getSource().getName() + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
          .collect(Collectors.toList());
      assertTrue(ok, "kworker's sources against SLF4J 1.7:\n" + String.join("\n", errors) + out);
    }
  }

  // ------------------------------------------------------------------ the applications' runs

  private static void assertLogged(String run) throws Exception {
    Process p = RUNS.get(run);
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      fail(run + " still runs after 3 minutes; its output so far:\n" + output(run));
    }
    String output = output(run);
    assertEquals(0, p.exitValue(), run + " failed:\n" + output);
    List<String> lines = output.lines().collect(Collectors.toList());
    int at = lines.indexOf(FAILED);
    assertTrue(at >= 0 && lines.get(at + 1).equals(THROWN), run + " did not log the failing work with its MDC:\n"
        + output);
    // SLF4J's notice that Akka's first lines, logged while SLF4J started, are replayed is not a loss
    assertTrue(lines.stream().noneMatch(l -> l.startsWith("SLF4J") && !REPLAYED.matcher(l).find()),
        run + " has an SLF4J warning:\n" + output);
  }

  /** Starts {@code project}'s application in a JVM of its own, its classes and dependencies on {@code path}. */
  private static void run(String run, String project, List<String> path) throws IOException {
    List<String> command = new ArrayList<>(List.of(javaHome().resolve("bin/java").toString(),
        "-XX:TieredStopAtLevel=1", "-Xmx256m"));
    command.addAll(path);
    command.add("consumer.ConsumerApp");
    RUNS.put(run, new ProcessBuilder(command).directory(PROJECTS.resolve(project).toFile())
        .redirectErrorStream(true).redirectOutput(outputFile(run).toFile()).start());
  }

  private static Path outputFile(String run) {
    return ROOT.resolve(run.replace(' ', '-') + ".out");
  }

  private static String output(String run) throws IOException {
    return Files.readString(outputFile(run));
  }

  // ------------------------------------------------------------------ the projects and their build

  /** README's {@code <!-- pom: NAME -->} snippets, by name. */
  private static Map<String, String> readmeSnippets() throws IOException {
    Matcher m = Pattern.compile("<!-- pom: (\\S+) -->\\s*```xml\\n(.*?)\\n```", Pattern.DOTALL)
        .matcher(Files.readString(Path.of("README.md")));
    Map<String, String> found = new LinkedHashMap<>();
    while (m.find()) {
      found.put(m.group(1), m.group(2));
    }
    assertEquals(List.of("kworker", "akka", "scala", "logging-slf4j-1.7", "logging-slf4j-2"),
        new ArrayList<>(found.keySet()), "README's Installation snippets");
    return found;
  }

  /** pom.xml's version, for a run that does not get it from Maven (an IDE's). */
  private static String pomVersion() {
    try {
      Matcher m = Pattern.compile(
          "<artifactId>kworker-parent</artifactId>\\s*(?:<!--.*?-->\\s*)*<version>(.*?)</version>", Pattern.DOTALL)
          .matcher(Files.readString(Path.of("pom.xml")));
      return m.find() ? m.group(1) : "";
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The version of {@code artifactId} in a snippet. */
  private static String version(String snippet, String artifactId) {
    Matcher m = Pattern.compile("<artifactId>" + Pattern.quote(artifactId)
        + "</artifactId>\\s*<version>(.*?)</version>").matcher(snippet);
    assertTrue(m.find(), artifactId + " in " + snippet);
    return m.group(1);
  }

  /** This build's classes and POMs, as a release would publish them, into the private repository. */
  private static void installKworker() throws IOException {
    Path parent = freshFolder("kworker-parent");
    Files.copy(POM.toAbsolutePath().getParent().resolveSibling("pom.xml"),
        parent.resolve("kworker-parent-" + version + ".pom"));
    Path dir = freshFolder("kworker");
    Files.copy(POM, dir.resolve("kworker-" + version + ".pom"));
    Path classes = Path.of("target/classes");
    try (OutputStream out = Files.newOutputStream(dir.resolve("kworker-" + version + ".jar"));
        JarOutputStream jar = new JarOutputStream(out);
        Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().collect(Collectors.toList())) {
        jar.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
        Files.copy(f, jar);
        jar.closeEntry();
      }
    }
  }

  /** The repository folder of io.kworker:{@code artifactId} at this version, emptied. */
  private static Path freshFolder(String artifactId) throws IOException {
    Path dir = Files.createDirectories(REPOSITORY.resolve("io/kworker/" + artifactId + "/" + version));
    try (Stream<Path> old = Files.list(dir)) {
      for (Path p : old.collect(Collectors.toList())) {
        Files.delete(p); // _remote.repositories too: the files below are installed here, not downloaded
      }
    }
    return dir;
  }

  private static void writeProjects() throws IOException {
    if (Files.exists(PROJECTS)) {
      try (Stream<Path> old = Files.walk(PROJECTS)) {
        for (Path p : old.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
          Files.delete(p);
        }
      }
    }
    String template = Files.readString(TEMPLATE.resolve("pom-template.xml"));
    StringBuilder modules = new StringBuilder();
    for (Map.Entry<String, List<String>> project : PROJECTS_SNIPPETS.entrySet()) {
      Path dir = PROJECTS.resolve(project.getKey());
      copy(TEMPLATE.resolve("src"), dir.resolve("src"));
      String dependencies = project.getValue().stream().map(snippets::get)
          .map(s -> s.replaceAll("(?m)^", "    ")).collect(Collectors.joining("\n"));
      Files.writeString(dir.resolve("pom.xml"), template.replace("@name@", project.getKey())
          .replace("@dependencies@", dependencies));
      modules.append("    <module>").append(project.getKey()).append("</module>\n");
    }
    Files.writeString(PROJECTS.resolve("pom.xml"), """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>consumer</groupId>
          <artifactId>consumers</artifactId>
          <version>1</version>
          <packaging>pom</packaging>
          <modules>
        %s  </modules>
        </project>
        """.formatted(modules));
    String localRepository = Path.of(System.getProperty("kworker.maven.repository",
        System.getProperty("user.home") + "/.m2/repository")).toUri().toString();
    String repository = """
              <id>%s</id>
              <url>%s</url>
              <releases><checksumPolicy>ignore</checksumPolicy></releases>
              <snapshots><enabled>false</enabled></snapshots>
        """;
    Files.writeString(ROOT.resolve("settings.xml"), """
        <settings>
          <profiles>
            <profile>
              <id>this-build-first</id>
              <repositories><repository>
        %s      </repository></repositories>
              <pluginRepositories><pluginRepository>
        %s      </pluginRepository></pluginRepositories>
            </profile>
          </profiles>
          <activeProfiles><activeProfile>this-build-first</activeProfile></activeProfiles>
        </settings>
        """.formatted(repository.formatted("this-build", localRepository),
            repository.formatted("this-build-plugins", localRepository)));
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.collect(Collectors.toList())) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }

  /** One Maven run: compiles the four projects and writes each one's class path. */
  private static void build() throws Exception {
    String home = System.getProperty("kworker.maven.home");
    String mvn = home == null ? "mvn" : Path.of(home, "bin", "mvn").toString();
    Path log = ROOT.resolve("build.log");
    ProcessBuilder pb = new ProcessBuilder(mvn, "-B", "-q", "-s", ROOT.resolve("settings.xml").toString(),
        "-Dmaven.repo.local=" + REPOSITORY, "-f", PROJECTS.resolve("pom.xml").toString(), "compile",
        "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath",
        "-Dmdep.outputFile=classpath.txt", "-Dmdep.includeScope=runtime")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("JAVA_HOME", javaHome().toString());
    pb.environment().put("MAVEN_OPTS", "-XX:TieredStopAtLevel=1");
    Process p = pb.start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail("the consumer projects' build still ran after 10 minutes: " + log);
    }
    assertEquals(0, p.exitValue(), "the consumer projects' build failed (" + log + "):\n" + Files.readString(log));
  }

  private static Path javaHome() {
    return Path.of(System.getProperty("java.home"));
  }

  private static String classes(String project) {
    return PROJECTS.resolve(project).resolve("target/classes").toString();
  }

  private static String classpath(String project) throws IOException {
    return Files.readString(PROJECTS.resolve(project).resolve("classpath.txt")).strip();
  }

  private static List<String> jarNames(String classpath) {
    return Stream.of(classpath.split(File.pathSeparator)).map(e -> Path.of(e).getFileName().toString())
        .collect(Collectors.toList());
  }
}
