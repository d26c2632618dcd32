package io.gopherlens.export.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrometheusNamesTest {

  @ParameterizedTest(name = "{0} [{1}] counter={2} -> {3}")
  @CsvSource(
      delimiter = '|',
      emptyValue = "",
      value = {
        "go.memory.used              | By          | false | go_memory_used_bytes",
        "go.memory.gc.cycles         | {gc_cycle}  | true  | go_memory_gc_cycles",
        "go.config.gogc              | %           | false | go_config_gogc_percent",
        "go.goroutine.count          | {goroutine} | false | go_goroutine_count",
        "go.memory.gc.pause.duration | s           | false | go_memory_gc_pause_duration_seconds",
        "http.server.duration        | ms          | false | http_server_duration_milliseconds",
        "network.io                  | By/s        | false | network_io_bytes_per_second",
        "network.packets             | {packet}/s  | false | network_packets_per_second",
        "cpu.utilization             | 1           | false | cpu_utilization",
        "system.temperature          | Cel         | false | system_temperature_celsius",
        "disk.io                     | KiBy        | true  | disk_io_kibibytes",
        "custom                      | widget-unit | false | custom_widget_unit",
        "latency_seconds             | s           | false | latency_seconds",
        "requests_total              | {request}   | true  | requests",
        "requests.total              | s           | true  | requests_seconds",
        "requests_total              |             | false | requests_total",
        "1st.metric                  |             | false | _st_metric",
        "a..b//c                     |             | false | a_b_c",
        "k8s.pod:cpu                 |             | false | k8s_pod:cpu",
        "trailing.                   | By          | false | trailing_bytes",
        "...                         |             | false | ''",
      })
  void familyName_translatesNameAndUnit(String name, String unit, boolean counter, String want) {
    assertThat(PrometheusNames.familyName(name, unit, counter))
        .isEqualTo(want.equals("''") ? "" : want);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      emptyValue = "",
      value = {
        "             | ''",
        "1            | ''",
        "{packet}     | ''",
        "s            | seconds",
        "ns           | nanoseconds",
        "By           | bytes",
        "MiBy         | mebibytes",
        "By/s         | bytes_per_second",
        "m/s          | meters_per_second",
        "1/s          | per_second",
        "{request}/s  | per_second",
        "{a}By{b}     | bytes",
        "req/min      | req_per_minute",
        "%            | percent",
        "Hz           | hertz",
        "kg.m         | kg_m",
      })
  void unitSuffix_followsOtelUnitRules(String unit, String want) {
    assertThat(PrometheusNames.unitSuffix(unit)).isEqualTo(want.equals("''") ? "" : want);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "process.pid             | process_pid",
        "k8s.pod.name            | k8s_pod_name",
        "network.peer.address    | network_peer_address",
        "gopherlens.go.gc.trigger| gopherlens_go_gc_trigger",
        "0day                    | key_0day",
        "__name__                | _name_",
        "a..b                    | a_b",
        "ünïcode                 | _n_code",
        "has:colon               | has_colon",
        ".                       | ''",
        "___                     | ''",
      })
  void sanitizeLabelName_matchesLabelGrammar(String key, String want) {
    assertThat(PrometheusNames.sanitizeLabelName(key)).isEqualTo(want.equals("''") ? "" : want);
  }
}
