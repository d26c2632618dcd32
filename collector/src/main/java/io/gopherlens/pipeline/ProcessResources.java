package io.gopherlens.pipeline;

import io.gopherlens.goproc.GoProcessTracker;
import io.gopherlens.k8s.PodDirectory;
import io.gopherlens.k8s.ProcessMetadata;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.Optional;

/**
 * The resource attributes of a watched process: process.pid, process.executable.name,
 * container.id, and for Go processes process.runtime.name "go" and process.runtime.version from
 * the binary's buildinfo (e.g. go1.24.4, as runtime.Version() reports it), and for containers of
 * pods on this node the pod's k8s.* attributes (k8s.pod.name, k8s.namespace.name, workload...).
 */
public final class ProcessResources {
  static final AttributeKey<Long> PROCESS_PID = AttributeKey.longKey("process.pid");
  static final AttributeKey<String> EXECUTABLE_NAME = AttributeKey.stringKey("process.executable.name");
  static final AttributeKey<String> CONTAINER_ID = AttributeKey.stringKey("container.id");
  static final AttributeKey<String> RUNTIME_NAME = AttributeKey.stringKey("process.runtime.name");
  static final AttributeKey<String> RUNTIME_VERSION = AttributeKey.stringKey("process.runtime.version");

  /** For pipelines that watch no processes (gateway mode, tests): the pid and name of the points only. */
  public static final ProcessResources NONE = new ProcessResources(null, new PodDirectory());

  private final GoProcessTracker tracker; // null: no Go runtime facts
  private final PodDirectory pods;

  public ProcessResources(GoProcessTracker tracker, PodDirectory pods) {
    this.tracker = tracker;
    this.pods = pods;
  }

  /**
   * Attributes for the process whose points carry {@code point}'s process.pid. A Go process's
   * container id is read from /proc afresh (once per process per export, so a reused pid is never
   * confused with the process that had it before); TCP points bring their own.
   */
  Attributes of(long pid, Attributes point) {
    AttributesBuilder b = Attributes.builder().put(PROCESS_PID, pid);
    String exe = point.get(EXECUTABLE_NAME);
    String container = point.get(CONTAINER_ID);
    Optional<GoProcessTracker.GoProcess> go = tracker == null ? Optional.empty() : tracker.process((int) pid);
    if (go.isPresent()) {
      exe = go.get().executableName();
      b.put(RUNTIME_NAME, "go").put(RUNTIME_VERSION, go.get().binary().goVersion());
      if (container == null || container.isEmpty()) {
        container = new ProcessMetadata().of((int) pid, exe).containerId();
      }
    }
    if (exe != null) b.put(EXECUTABLE_NAME, exe);
    if (container != null && !container.isEmpty()) b.put(CONTAINER_ID, container).putAll(pods.of(container));
    return b.build();
  }
}
