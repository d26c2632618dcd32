# gopherlens agent image. Build from the repository root:
#   docker build -t gopherlens:0.1.0 .
# The build stage compiles the BPF programs against the BTF of the build host
# (/sys/kernel/btf/vmlinux is visible in a docker build); CO-RE relocates them on each node.

FROM debian:bookworm AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      clang-16 llvm-16 libbpf-dev libelf-dev zlib1g-dev bpftool cmake gcc make pkg-config \
      openjdk-17-jdk-headless maven ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pom.xml CMakeLists.txt ./
COPY collector/pom.xml collector/
RUN mvn -B -ntp -q -pl collector dependency:go-offline -DexcludeReactor=true
COPY native native
COPY collector/src collector/src
RUN mvn -B -ntp -q package -DskipTests

FROM debian:bookworm-slim AS runtime
# libbpf1 and libelf1: libgopherlens.so links the shared libbpf.so.1 (Debian's libbpf.a is not
# position-independent). No compiler, no kernel headers: the BPF programs are in the jar.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      openjdk-17-jre-headless libbpf1 libelf1 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/collector/target/gopherlens.jar /opt/gopherlens/gopherlens.jar
COPY packaging/systemd/config.yaml /etc/gopherlens/config.yaml
# Writable only where the DaemonSet mounts emptyDirs (readOnlyRootFilesystem): /tmp for the
# extracted native library, /var/lib/gopherlens for the spool.
VOLUME ["/tmp", "/var/lib/gopherlens"]
EXPOSE 4317 4318 9464
# Exec form: java is PID 1 and gets SIGTERM, which detaches every probe. The heap follows the
# container's memory limit. BPF needs uid 0 with the DaemonSet's capabilities; any uid runs
# `--help`, `inspect` and `config`.
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=50", "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp", "-jar", "/opt/gopherlens/gopherlens.jar"]
CMD ["agent", "--config", "/etc/gopherlens/config.yaml"]
