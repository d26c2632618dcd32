package io.gopherlens.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** packaging/systemd/gopherlens.service: valid for systemd, and as tight as the DaemonSet. */
class SystemdUnitTest {
  static final String UNIT = "packaging/systemd/gopherlens.service";

  static Map<String, String> directives() {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : Repo.read(UNIT).lines().toList()) {
      int eq = line.indexOf('=');
      if (!line.startsWith("#") && !line.startsWith("[") && eq > 0) {
        out.merge(line.substring(0, eq), line.substring(eq + 1), (a, b) -> a + " " + b);
      }
    }
    return out;
  }

  @Test
  void unit_verifiesCleanly() throws Exception {
    Repo.Result r = Repo.run("systemd-analyze", "verify", Repo.path(UNIT).toString());
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).as("systemd-analyze warnings").isBlank();
  }

  @Test
  void unit_keepsTheDaemonSetsCapabilitiesAndNothingElse() {
    Set<String> caps =
        Arrays.stream(directives().get("CapabilityBoundingSet").split("\\s+")).map(c -> c.replaceFirst("^CAP_", "")).collect(Collectors.toSet());
    assertThat(caps).isEqualTo(ManifestsTest.CAPABILITIES);
    assertThat(directives()).doesNotContainKey("AmbientCapabilities");
  }

  @Test
  void unit_hardenedButWritableWhereTheAgentWrites() {
    Map<String, String> d = directives();
    assertThat(d).containsEntry("NoNewPrivileges", "yes").containsEntry("ProtectSystem", "strict").containsEntry("PrivateTmp", "yes");
    assertThat(d.get("ReadWritePaths")).isEqualTo("/var/lib/gopherlens");
    assertThat(d).doesNotContainKeys("ProtectProc", "PrivatePIDs", "PrivateNetwork", "MemoryDenyWriteExecute");
    assertThat(d.get("ExecStart")).contains("-jar /opt/gopherlens/gopherlens.jar agent --config /etc/gopherlens/config.yaml");
    assertThat(d.get("KillSignal")).isEqualTo("SIGTERM");
  }
}
