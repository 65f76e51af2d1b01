package dev.pulse.agent.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Loads this jar into a running JVM through the JDK's attach mechanism (same user only). */
final class AttachCommand {
  private static final Pattern PORT = Pattern.compile("(?:^|,)port=(\\d+)");

  private AttachCommand() {
  }

  static int run(String[] args) {
    try {
      return args.length == 0 ? list() : attach(args[0], args.length > 1 ? args[1] : "");
    } catch (LinkageError e) {
      System.err.println("this Java has no jdk.attach module (a JRE?): run the command with a JDK's"
          + " java");
      return 1;
    }
  }

  private static int list() {
    for (VirtualMachineDescriptor vm : VirtualMachine.list()) {
      System.out.println(vm.id() + "  " + vm.displayName());
    }
    return 0;
  }

  private static int attach(String pid, String settings) {
    if (!pid.matches("\\d+")) {
      System.err.println("\"" + pid + "\" is not a process id; `attach` without arguments lists"
          + " the JVMs");
      return 2;
    }
    Path jar;
    try {
      jar = Paths.get(AttachCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (Exception e) {
      System.err.println("cannot tell where pulse-agent.jar is: " + e.getMessage());
      return 1;
    }
    VirtualMachine vm;
    try {
      vm = VirtualMachine.attach(pid);
    } catch (AttachNotSupportedException | IOException e) {
      System.err.println("cannot attach to process " + pid + ": " + e.getMessage()
          + " (is it a JVM of this user, started without -XX:+DisableAttachMechanism?)");
      return 1;
    }
    try {
      vm.loadAgent(jar.toString(), settings);
    } catch (AgentLoadException | AgentInitializationException | IOException e) {
      System.err.println("process " + pid + " refused the agent: " + e.getMessage());
      return 1;
    } finally {
      try {
        vm.detach();
      } catch (IOException e) {
        // the agent is loaded; the attach connection closes with the process
      }
    }
    Matcher port = PORT.matcher(settings);
    System.out.println("Pulse loaded into process " + pid + "; its stream: ws://127.0.0.1:"
        + (port.find() ? port.group(1) : "8025") + "/ (the agent logs to that process's stderr)");
    return 0;
  }
}
