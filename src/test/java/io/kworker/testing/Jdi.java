package io.kworker.testing;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.AttachingConnector;
import com.sun.jdi.connect.Connector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * For the review tests that pin threads at exact lines with JDI breakpoints on their own JVM (run with
 * the JDWP agent by the pom's {@code jdwp-review} execution).
 */
public final class Jdi {
  private Jdi() {}

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
