package io.gopherlens.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessMetadataTest {
  private static final String ID = "3f4e5d6c7b8a99887766554433221100ffeeddccbbaa99887766554433221100";

  @TempDir Path proc;

  private String containerIdFor(String cgroup) throws Exception {
    Path dir = Files.createDirectories(proc.resolve("42"));
    Files.writeString(dir.resolve("cgroup"), cgroup);
    return ProcessMetadata.containerId(dir);
  }

  @Test
  void containerId_runtimesCgroupPaths_extractsTheId() throws Exception {
    assertThat(containerIdFor("0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1.slice/cri-containerd-" + ID + ".scope\n"))
        .isEqualTo(ID);
    assertThat(containerIdFor("0::/system.slice/docker-" + ID + ".scope\n")).isEqualTo(ID);
    assertThat(containerIdFor("0::/kubepods/besteffort/pod1/" + ID + "\n")).isEqualTo(ID);
    assertThat(containerIdFor("12:memory:/system.slice/crio-" + ID + ".scope\n")).isEqualTo(ID);
  }

  @Test
  void containerId_hostProcess_isEmpty() throws Exception {
    assertThat(containerIdFor("0::/user.slice/user-0.slice/session-1.scope\n")).isEmpty();
  }

  @Test
  void of_exitedProcess_usesKernelNameAndDoesNotCache() {
    ProcessMetadata m = new ProcessMetadata(proc);
    assertThat(m.of(99999, "comm-name")).isEqualTo(new ProcessMetadata.Info("comm-name", ""));
  }
}
