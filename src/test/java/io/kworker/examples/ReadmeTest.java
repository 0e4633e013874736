package io.kworker.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every code region the README quotes is the compiled example's text, so the README cannot rot. */
class ReadmeTest {
  private static final Pattern REGION =
      Pattern.compile("// @start region=(\\S+)\\n(.*?)\\n\\s*// @end region=\\1", Pattern.DOTALL);

  @Test
  void readmeQuotesTheDemoVerbatim() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    String demo = Files.readString(Path.of("examples/io/kworker/examples/Demo.java"));
    Matcher m = REGION.matcher(demo);
    int regions = 0;
    while (m.find()) {
      regions++;
      assertTrue(readme.contains(m.group(2)), "README.md lacks region " + m.group(1) + " of Demo.java");
    }
    assertTrue(regions > 0, "Demo.java has no region");
  }
}
