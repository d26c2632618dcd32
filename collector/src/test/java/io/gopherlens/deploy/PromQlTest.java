package io.gopherlens.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {
  @Test
  void metricNames_skipFunctionsLabelsRangesAndNumbers() {
    assertThat(PromQl.metricNames(
            "histogram_quantile(0.99, sum by (le, k8s_pod_name) (rate(gopherlens_tcp_connect_duration_seconds_bucket{k8s_namespace_name=~\"$namespace\"}[5m])))"))
        .containsExactly("gopherlens_tcp_connect_duration_seconds_bucket");
    assertThat(PromQl.metricNames("sum by (a) (rate(x_sum[5m])) / sum by (a) (rate(x_count[5m]))")).containsExactly("x_count", "x_sum");
    assertThat(PromQl.metricNames("go_memory_limit_bytes < 9e18")).containsExactly("go_memory_limit_bytes");
    assertThat(PromQl.metricNames("topk(20, m)")).containsExactly("m");
  }

  @Test
  void dashboardMetricNames_coverEveryDashboardAndTheirVariables() throws Exception {
    assertThat(PromQl.dashboardMetricNames())
        .contains("go_memory_gc_cycles_total", "go_memory_gc_pause_duration_seconds_bucket", "gopherlens_go_memory_heap_inuse_bytes",
            "gopherlens_go_map_memory_bytes", "gopherlens_tcp_rtt_seconds_count", "gopherlens_tcp_bytes_total", "gopherlens_k8s_pods")
        .allSatisfy(n -> assertThat(n).matches("(go|gopherlens)_[a-z0-9_]+"));
  }
}
