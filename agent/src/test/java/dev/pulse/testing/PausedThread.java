package dev.pulse.testing;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StackFrame;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.AttachingConnector;
import com.sun.jdi.connect.Connector;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.event.ClassPrepareEvent;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.event.VMDisconnectEvent;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.ClassPrepareRequest;
import com.sun.jdi.request.EventRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One thread of another JVM stopped at the start of a method, through the JVM's own debugger
 * interface (JDWP, the host started with {@link #jvmOption} and suspended until attached): a way
 * to hold a real agent's start at a chosen point, see where the host's threads wait meanwhile,
 * then let it go on. Detaching leaves the host running as if never debugged.
 */
public final class PausedThread implements AutoCloseable {
  private final VirtualMachine vm;
  private final EventSet stopped;
  private final ThreadReference thread;

  private PausedThread(VirtualMachine vm, EventSet stopped, ThreadReference thread) {
    this.vm = vm;
    this.stopped = stopped;
    this.thread = thread;
  }

  /** What the host prints once it waits for the debugger. */
  public static final Pattern LISTENING = Pattern.compile("^Listening for transport dt_socket");

  /** The host's JVM option: it waits for the debugger on {@code port} before it runs anything. */
  public static String jvmOption(int port) {
    return "-agentlib:jdwp=transport=dt_socket,server=y,suspend=y,address=127.0.0.1:" + port;
  }

  /**
   * Attaches to the host on {@code port} (once it printed {@link #LISTENING}), lets it run, and returns once a thread enters
   * {@code className.method}, that thread stopped there (the others run on).
   */
  public static PausedThread at(int port, String className, String method, Duration timeout)
      throws Exception {
    AttachingConnector socket = Bootstrap.virtualMachineManager().attachingConnectors().stream()
        .filter(c -> c.name().equals("com.sun.jdi.SocketAttach")).findFirst().orElseThrow();
    Map<String, Connector.Argument> arguments = socket.defaultArguments();
    arguments.get("hostname").setValue("127.0.0.1");
    arguments.get("port").setValue(Integer.toString(port));
    arguments.get("timeout").setValue(Long.toString(timeout.toMillis()));
    VirtualMachine vm = socket.attach(arguments);
    try {
      for (ReferenceType loaded : vm.classesByName(className)) {
        stopAtStart(vm, loaded, method);
      }
      ClassPrepareRequest prepared = vm.eventRequestManager().createClassPrepareRequest();
      prepared.addClassFilter(className);
      prepared.enable();
      vm.resume();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        EventSet events = vm.eventQueue().remove(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        if (events == null) {
          continue;
        }
        for (Event event : events) {
          if (event instanceof BreakpointEvent) {
            return new PausedThread(vm, events, ((BreakpointEvent) event).thread());
          }
          if (event instanceof ClassPrepareEvent) {
            stopAtStart(vm, ((ClassPrepareEvent) event).referenceType(), method);
          }
          if (event instanceof VMDisconnectEvent) {
            throw new IllegalStateException("the host ended before " + className + "." + method);
          }
        }
        events.resume();
      }
      throw new IllegalStateException("no thread entered " + className + "." + method + " in "
          + timeout);
    } catch (Exception | Error e) {
      vm.dispose();
      throw e;
    }
  }

  private static void stopAtStart(VirtualMachine vm, ReferenceType type, String method) {
    BreakpointRequest breakpoint = vm.eventRequestManager()
        .createBreakpointRequest(type.methodsByName(method).get(0).location());
    breakpoint.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
    breakpoint.enable();
  }

  public String threadName() {
    return thread.name();
  }

  /**
   * The classes on the stack of the host's thread {@code name} right now (outermost last), or an
   * empty list if there is no such thread; the thread is stopped for the reading only.
   */
  public List<String> stackOf(String name) throws IncompatibleThreadStateException {
    for (ThreadReference other : vm.allThreads()) {
      if (other.name().equals(name)) {
        other.suspend();
        try {
          return other.frames().stream().map(StackFrame::location)
              .map(location -> location.declaringType().name()).toList();
        } finally {
          other.resume();
        }
      }
    }
    return List.of();
  }

  /** Lets the stopped thread go on and detaches: the host runs as if never debugged. */
  @Override
  public void close() {
    vm.eventRequestManager().deleteAllBreakpoints();
    stopped.resume();
    vm.dispose();
  }
}
