package io.gopherlens.pipeline;

import io.gopherlens.export.ForwardingMetricExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.resources.Resource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives each watched process its own OTLP Resource: the SDK has one Resource per provider, so
 * before export the points that carry process.pid are regrouped under the agent's resource plus
 * {@link ProcessResources}. The points keep their attributes, so a collector's Prometheus exporter
 * still yields process_pid labels without resource-to-label conversion.
 */
final class PerProcessResourceExporter extends ForwardingMetricExporter {
  private final ProcessResources processes;

  PerProcessResourceExporter(MetricExporter delegate, ProcessResources processes) {
    super(delegate);
    this.processes = processes;
  }

  @Override
  public CompletableResultCode export(Collection<MetricData> metrics) {
    Map<Long, Resource> resources = new HashMap<>(); // one Resource object per process per export
    List<MetricData> out = new ArrayList<>(metrics.size());
    for (MetricData m : metrics) {
      Map<Long, List<PointData>> byPid = new LinkedHashMap<>();
      List<PointData> other = new ArrayList<>();
      for (PointData p : m.getData().getPoints()) {
        Long pid = p.getAttributes().get(ProcessResources.PROCESS_PID);
        if (pid == null) other.add(p);
        else byPid.computeIfAbsent(pid, k -> new ArrayList<>()).add(p);
      }
      if (byPid.isEmpty()) {
        out.add(m);
        continue;
      }
      if (!other.isEmpty()) out.add(MetricCopies.of(m, m.getResource(), other));
      byPid.forEach(
          (pid, points) -> {
            Resource r =
                resources.computeIfAbsent(
                    pid, k -> m.getResource().merge(Resource.create(processes.of(k, points.get(0).getAttributes()))));
            out.add(MetricCopies.of(m, r, points));
          });
    }
    return delegate.export(out);
  }
}
