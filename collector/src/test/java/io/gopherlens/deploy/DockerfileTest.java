package io.gopherlens.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs here, so the image cannot be built in the tests: its structure is
 * checked instead, its runtime packages are looked up in Debian bookworm, and its entrypoint
 * is run as an unprivileged user against the jar's classes.
 */
class DockerfileTest {
  static final List<String> RUNTIME_PACKAGES = List.of("openjdk-17-jre-headless", "libbpf1", "libelf1");

  /** One FROM ... AS name section, its instructions with continuation lines joined. */
  record Stage(String image, String name, List<String> instructions) {
    String installs() {
      return instructions.stream().filter(i -> i.startsWith("RUN ") && i.contains("apt-get install")).findFirst().orElse("");
    }

    String one(String keyword) {
      List<String> found = instructions.stream().filter(i -> i.startsWith(keyword + " ")).toList();
      assertThat(found).as(keyword + " in stage " + name).hasSize(1);
      return found.get(0).substring(keyword.length() + 1).trim();
    }
  }

  static List<Stage> stages() {
    String joined = Repo.read("Dockerfile").replaceAll("\\\\\\n", " ");
    List<Stage> stages = new ArrayList<>();
    Pattern from = Pattern.compile("^FROM\\s+(\\S+)\\s+AS\\s+(\\S+)$", Pattern.CASE_INSENSITIVE);
    for (String line : joined.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList()) {
      Matcher m = from.matcher(line);
      if (m.matches()) {
        stages.add(new Stage(m.group(1), m.group(2), new ArrayList<>()));
      } else {
        assertThat(stages).as("instruction before the first FROM: " + line).isNotEmpty();
        stages.get(stages.size() - 1).instructions().add(line.replaceAll("\\s+", " "));
      }
    }
    return stages;
  }

  private static List<String> execForm(String json) throws Exception {
    return Arrays.asList(new ObjectMapper().readValue(json, String[].class));
  }

  @Test
  void stages_buildOnBookwormRunOnBookwormSlim() {
    List<Stage> stages = stages();
    assertThat(stages).extracting(Stage::image).containsExactly("debian:bookworm", "debian:bookworm-slim");
    Stage build = stages.get(0);
    assertThat(build.installs()).contains("clang-16", "libbpf-dev", "bpftool", "openjdk-17-jdk-headless", "maven", "cmake");
    assertThat(build.instructions()).anySatisfy(i -> assertThat(i).startsWith("RUN mvn").contains("package"));
  }

  @Test
  void runtime_hasOnlyTheRuntimePackagesAndTheJar() {
    Stage runtime = stages().get(1);
    String installs = runtime.installs();
    for (String p : RUNTIME_PACKAGES) assertThat(installs).contains(" " + p);
    assertThat(installs).doesNotContain("clang", "gcc", "-dev", "jdk-headless", "maven");
    assertThat(installs).contains("--no-install-recommends").contains("rm -rf /var/lib/apt/lists");
    assertThat(runtime.instructions())
        .contains("COPY --from=" + stages().get(0).name() + " /src/collector/target/gopherlens.jar /opt/gopherlens/gopherlens.jar");
    assertThat(runtime.instructions()).noneSatisfy(i -> assertThat(i).startsWith("USER"));
  }

  @Test
  void entrypoint_execFormJavaWithHeapFromTheLimitAndTmpdirOnTheEmptyDir() throws Exception {
    Stage runtime = stages().get(1);
    List<String> entrypoint = execForm(runtime.one("ENTRYPOINT"));
    assertThat(entrypoint.get(0)).isEqualTo("java");
    assertThat(entrypoint).contains("-XX:MaxRAMPercentage=50", "-Djava.io.tmpdir=/tmp");
    assertThat(entrypoint.subList(entrypoint.size() - 2, entrypoint.size())).containsExactly("-jar", "/opt/gopherlens/gopherlens.jar");
    assertThat(execForm(runtime.one("CMD"))).containsExactly("agent", "--config", "/etc/gopherlens/config.yaml");
    assertThat(runtime.one("VOLUME")).contains("/tmp", "/var/lib/gopherlens");
  }

  @Test
  void entrypoint_runsAsAnUnprivilegedUser() throws Exception {
    List<String> entrypoint = new ArrayList<>(execForm(stages().get(1).one("ENTRYPOINT")));
    // The image's jar is the build's; here the same JVM flags run the build's classes.
    int jar = entrypoint.indexOf("-jar");
    entrypoint.subList(jar, entrypoint.size()).clear();
    entrypoint.set(0, java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
    entrypoint.addAll(0, List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
    entrypoint.addAll(List.of("-cp", Repo.path("collector/target/classes").toString(), "io.gopherlens.Main", "--version"));
    Repo.Result r = Repo.run(entrypoint.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("gopherlens ");
  }

  @Test
  void runtimePackages_existInBookworm() throws Exception {
    List<String> command = new ArrayList<>(List.of("apt-cache", "policy"));
    command.addAll(RUNTIME_PACKAGES);
    Repo.Result r = Repo.run(command.toArray(String[]::new));
    assertThat(r.exitCode()).isZero();
    String[] perPackage = r.output().split("(?m)^(?=\\S)"); // each package's block starts unindented
    assertThat(perPackage).hasSameSizeAs(RUNTIME_PACKAGES.toArray());
    for (int i = 0; i < perPackage.length; i++) {
      String p = RUNTIME_PACKAGES.get(i);
      assertThat(perPackage[i]).as(p).startsWith(p + ":").doesNotContain("Candidate: (none)");
      assertThat(perPackage[i]).as(p + " comes from bookworm").containsPattern("(?m)^\\s+\\d+ \\S+ bookworm(-updates|-security)?/main amd64 Packages$");
    }
  }
}
