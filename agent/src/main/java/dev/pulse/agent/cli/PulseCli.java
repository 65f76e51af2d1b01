package dev.pulse.agent.cli;

import java.util.Arrays;

/** {@code java -jar pulse-agent.jar COMMAND ...}: the console client and live attach. */
public final class PulseCli {
  static final String USAGE = String.join("\n",
      "usage: java -jar pulse-agent.jar COMMAND ...",
      "",
      "  tail [ws-url] [--channel NAME ...] [--json] [--token T]",
      "      print the stream (default ws://127.0.0.1:8025/) readably, or raw with --json;",
      "      channels: db_pool_stats, vector_search, error_firewall, system_alerts;",
      "      the token may come from PULSE_TOKEN; reconnects and resumes until Ctrl-C",
      "  attach [PID [settings]]",
      "      load the agent into a running JVM (settings as for -javaagent: key=value,...);",
      "      without a PID, list the JVMs this user can attach to",
      "  help",
      "");

  private PulseCli() {
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    String command = args.length == 0 ? "" : args[0];
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    switch (command) {
      case "tail":
        return TailCommand.run(rest);
      case "attach":
        return AttachCommand.run(rest);
      case "help":
      case "--help":
      case "-h":
        System.out.print(USAGE);
        return 0;
      default:
        System.err.print((command.isEmpty() ? "" : "unknown command \"" + command + "\"\n") + USAGE);
        return 2;
    }
  }
}
