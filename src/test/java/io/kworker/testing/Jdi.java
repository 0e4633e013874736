package io.kworker.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.AttachingConnector;
import com.sun.jdi.connect.Connector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * For the tests that pin threads at exact lines with JDI breakpoints on their own JVM. They carry the tag
 * {@value #TAG}: the pom's default test run leaves them out, and its {@code jdi} execution runs them in a
 * JVM of their own with the JDWP agent, whose port it passes as {@code -D}{@value #PORT_PROPERTY}.
 */
public final class Jdi {
  /** The JUnit tag of the tests that need the JDWP agent. */
  public static final String TAG = "jdi";
  /** The system property that gives the JDWP agent's port on 127.0.0.1. */
  public static final String PORT_PROPERTY = "kworker.jdwp.port";

  private Jdi() {}

  /** The JDWP agent's port; the test is skipped (an assumption fails) if this JVM runs without the agent. */
  public static String port() {
    String port = System.getProperty(PORT_PROPERTY);
    assumeTrue(port != null, "needs the JDWP agent: run by the pom's jdi execution, which sets -D" + PORT_PROPERTY);
    return port;
  }

  /** Attaches to this very JVM's JDWP agent, listening on {@code port} of 127.0.0.1. */
  public static VirtualMachine attach(String port) throws Exception {
    AttachingConnector socket = Bootstrap.virtualMachineManager().attachingConnectors().stream()
        .filter(c -> c.name().equals("com.sun.jdi.SocketAttach")).findFirst().orElseThrow();
    Map<String, Connector.Argument> args = socket.defaultArguments();
    args.get("hostname").setValue("127.0.0.1");
    args.get("port").setValue(port);
    return socket.attach(args);
  }

  /**
   * The 1-based line of {@code internal/<file>} that carries the comment {@code JDI mark [<mark>]}: the
   * marks tell whoever edits those lines that a test breaks there.
   */
  public static int markedLine(String file, String mark) throws Exception {
    List<String> src = Files.readAllLines(Path.of("src/main/java/io/kworker/internal/" + file));
    int found = -1;
    for (int i = 0; i < src.size(); i++) {
      if (src.get(i).contains("// JDI mark [" + mark + "]")) {
        if (found != -1) {
          throw new AssertionError("JDI mark [" + mark + "] twice in " + file);
        }
        found = i + 1;
      }
    }
    if (found == -1) {
      throw new AssertionError("JDI mark [" + mark + "] not found in " + file);
    }
    return found;
  }
}
