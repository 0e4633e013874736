package io.kworker.release;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.DocumentationTool;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The javadoc of the public API, every package the module exports ({@code io.kworker},
 * {@code io.kworker.cluster}, and any package a later {@code exports} adds), passes every doclint check with
 * no error and no warning: a public member without a comment, a missing {@code @param}, a broken
 * {@code {@link}}, bad HTML such as a bare {@code &}. The release's javadoc jar (maven-javadoc-plugin,
 * failOnWarnings) applies the same rules; this test says it first, in the test run, one problem a line.
 * Run it alone: {@code mvn -B test -Dtest=JavadocTest}.
 */
class JavadocTest {
  private static final Path SOURCES = Path.of("src/main/java");

  @Test
  void theApiPackagesHaveNoJavadocErrorOrWarning() throws IOException {
    List<String> exported = Pattern.compile("^\\s*exports\\s+([\\w.]+)\\s*;", Pattern.MULTILINE)
        .matcher(Files.readString(SOURCES.resolve("module-info.java"))).results().map(m -> m.group(1))
        .collect(Collectors.toList());
    assertTrue(exported.contains("io.kworker"), "module-info.java exports " + exported);
    List<File> sources = new ArrayList<>();
    for (String pkg : exported) {
      try (Stream<Path> files = Files.list(SOURCES.resolve(pkg.replace('.', '/')))) {
        files.filter(p -> p.toString().endsWith(".java")).map(Path::toFile).sorted().forEach(sources::add);
      }
    }
    Path out = Files.createDirectories(Path.of("target/javadoc-check"));
    DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    StringWriter console = new StringWriter();
    try (StandardJavaFileManager files = javadoc.getStandardFileManager(diagnostics, Locale.ROOT,
        StandardCharsets.UTF_8)) {
      // as the release's javadoc jar: doclint on, the public and protected members of io.kworker
      List<String> options = List.of("-Xdoclint:all", "-quiet", "-Xmaxwarns", "10000", "-Xmaxerrs", "10000",
          "-encoding", "UTF-8", "-d", out.toString(),
          "-classpath", System.getProperty("java.class.path")); // target/classes has io.kworker.internal
      DocumentationTool.DocumentationTask task = javadoc.getTask(console, files, diagnostics, null, options,
          files.getJavaFileObjectsFromFiles(sources));
      boolean ok = task.call();
      List<String> problems = diagnostics.getDiagnostics().stream()
          .filter(d -> d.getKind() != Diagnostic.Kind.NOTE)
          .map(JavadocTest::line)
          .collect(Collectors.toList());
      assertTrue(ok && problems.isEmpty(), problems.size() + " javadoc problem(s) in " + exported + ":\n"
          + String.join("\n", problems) + "\n" + console);
    }
  }

  /** {@code KWorker.java:12: warning: no comment}, as a compiler prints it. */
  private static String line(Diagnostic<? extends JavaFileObject> d) {
    String where = d.getSource() == null ? "" : Path.of(d.getSource().toUri()).getFileName() + ":"
        + d.getLineNumber() + ": ";
    return where + d.getKind().toString().toLowerCase(Locale.ROOT) + ": " + d.getMessage(Locale.ROOT);
  }
}
