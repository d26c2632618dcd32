package io.gopherlens.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {
  @TempDir Path dir;

  @Test
  void defaults_matchTheRegistry() {
    AgentConfig c = AgentConfig.defaults();
    assertThat(c.prometheusListen().getPort()).isEqualTo(9464);
    assertThat(c.eventsToStdout()).isTrue();
    assertThat(c.tcpEvents()).isTrue();
    assertThat(c.tcpCloseEvents()).isFalse();
    assertThat(c.flowInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.maxPeersPerProcess()).isEqualTo(50);
  }

  @Test
  void resolve_flagBeatsEnvBeatsFileBeatsDefault() throws Exception {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, "prometheus:\n  listen: 127.0.0.1:1111\ntcp:\n  max_peers: 7\n  flow_interval: 3s\n");
    AgentConfig c =
        AgentConfig.resolve(
            List.of("--config", file.toString(), "--max-peers=9", "--no-tcp-events"),
            Map.of("GOPHERLENS_PROMETHEUS_LISTEN", "127.0.0.1:2222"));
    assertThat(c.prometheusListen().getPort()).isEqualTo(2222);
    assertThat(c.maxPeersPerProcess()).isEqualTo(9);
    assertThat(c.flowInterval()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.tcpEvents()).isFalse();
  }

  @Test
  void resolve_badValueNamesItsSource() throws Exception {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, "tcp:\n  max_peers: lots\n");
    assertThatThrownBy(() -> AgentConfig.resolve(List.of("--config", file.toString()), Map.of()))
        .hasMessageContaining("key tcp.max_peers in " + file)
        .hasMessageContaining("positive whole number");
    assertThatThrownBy(() -> AgentConfig.resolve(List.of("--flow-interval", "soon"), Map.of()))
        .hasMessageContaining("--flow-interval");
    assertThatThrownBy(() -> AgentConfig.resolve(List.of(), Map.of("GOPHERLENS_EVENTS", "loki")))
        .hasMessageContaining("GOPHERLENS_EVENTS");
  }

  @Test
  void mapsMinBytes_defaultFlagAndZero() throws Exception {
    assertThat(AgentConfig.defaults().mapsMinBytes()).isEqualTo(64 * 1024);
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, "maps:\n  min_bytes: 1MiB\n");
    assertThat(AgentConfig.resolve(List.of("--config", file.toString()), Map.of()).mapsMinBytes()).isEqualTo(1 << 20);
    assertThat(AgentConfig.resolve(List.of("--maps-min-bytes", "256KiB"), Map.of()).mapsMinBytes()).isEqualTo(256 << 10);
    assertThatThrownBy(() -> AgentConfig.resolve(List.of("--maps-min-bytes", "0"), Map.of()))
        .hasMessageContaining("--maps-min-bytes")
        .hasMessageContaining("at least 1 byte");
  }

  @Test
  void resolve_unknownKeysAndFlagsAreErrors() throws Exception {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, "prometheus:\n  lisen: x\n");
    assertThatThrownBy(() -> AgentConfig.resolve(List.of("--config", file.toString()), Map.of()))
        .hasMessageContaining("unknown setting 'prometheus.lisen'");
    assertThatThrownBy(() -> AgentConfig.resolve(List.of("--frobnicate"), Map.of()))
        .hasMessageContaining("unknown option '--frobnicate'");
    assertThatThrownBy(() -> AgentConfig.resolve(List.of("--config", dir.resolve("none.yaml").toString()), Map.of()))
        .hasMessageContaining("does not exist");
  }

  @Test
  void optionsHelp_listsEveryOption() {
    String help = AgentCommand.USAGE;
    for (Option o : AgentOptions.ALL) {
      assertThat(help).contains(o.flag()).contains(o.key());
    }
  }

  @Test
  void registry_keysFlagsAndEnvironmentVariablesAreUnique() {
    List<Option> all = AgentOptions.ALL;
    assertThat(all.stream().map(Option::key)).doesNotHaveDuplicates();
    assertThat(all.stream().map(Option::flag)).doesNotHaveDuplicates();
    assertThat(all.stream().map(Option::env).filter(java.util.Objects::nonNull)).doesNotHaveDuplicates();
  }

  @Test
  void byteSizes_parseUnits() {
    assertThat(ByteSizes.parse("64KiB")).isEqualTo(65536);
    assertThat(ByteSizes.parse("16MiB")).isEqualTo(16L << 20);
    assertThat(ByteSizes.parse("100")).isEqualTo(100);
    assertThatThrownBy(() -> ByteSizes.parse("big")).hasMessageContaining("size");
  }
}
