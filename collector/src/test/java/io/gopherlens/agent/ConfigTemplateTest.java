package io.gopherlens.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTemplateTest {
  static final Path REPO = Path.of(System.getProperty("gopherlens.repo.root", "..")).toAbsolutePath().normalize();
  static final Path INSTALLED = REPO.resolve("packaging/systemd/config.yaml");

  @Test
  void committedHostConfig_isTheGeneratedOne() throws Exception {
    assertThat(Files.readString(INSTALLED))
        .as("packaging/systemd/config.yaml is stale: regenerate it with "
            + "`java -jar collector/target/gopherlens.jar config --print-defaults > packaging/systemd/config.yaml`")
        .isEqualTo(ConfigTemplate.render());
  }

  @Test
  void render_everySettingButConfigAppearsWithItsDefault() {
    Map<String, String> file = ConfigFile.read(write(ConfigTemplate.render()));
    for (Option o : AgentOptions.ALL) {
      if (o == AgentOptions.CONFIG) {
        assertThat(file).doesNotContainKey(o.key());
        continue;
      }
      if (o.defaultValue() == null) {
        assertThat(file).as(o.key() + " has no default: an empty key").doesNotContainKey(o.key());
        assertThat(ConfigTemplate.render()).containsPattern("(?m)^\\s*" + leaf(o) + ":$");
      } else {
        assertThat(file).as(o.key()).containsEntry(o.key(), o.defaultValue());
      }
      assertThat(ConfigTemplate.render()).as("help of " + o.key()).contains("# " + o.help());
    }
  }

  @Test
  void render_resolvesToTheDefaults() {
    Path f = write(ConfigTemplate.render());
    AgentConfig fromFile = AgentConfig.resolve(List.of("--config", f.toString()), Map.of());
    AgentConfig defaults = AgentConfig.defaults();
    for (Option o : AgentOptions.ALL) {
      if (o != AgentOptions.CONFIG) assertThat(fromFile.string(o)).as(o.key()).isEqualTo(defaults.string(o));
    }
  }

  @Test
  void command_printDefaults_printsTheTemplate() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc = new ConfigCommand(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(new String[] {"--print-defaults"});
    assertThat(rc).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(ConfigTemplate.render());
    assertThat(new ConfigCommand(new PrintStream(out), new PrintStream(err, true, StandardCharsets.UTF_8)).run(new String[] {"--bogus"}))
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("expected --print-defaults");
  }

  @TempDir Path dir;

  private static String leaf(Option o) {
    return o.key().substring(o.key().lastIndexOf('.') + 1);
  }

  private Path write(String text) {
    try {
      Path f = dir.resolve("config-" + System.nanoTime() + ".yaml");
      Files.writeString(f, text);
      return f;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
