package io.gopherlens.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordLayoutTest {
  @Test
  void describe_matchesNativeOffsetofTable() {
    Map<String, Integer> nativeLayout = new LinkedHashMap<>();
    for (String entry : NativeProbe.nativeLayoutDescription().split(";")) {
      if (entry.isEmpty()) continue;
      String[] kv = entry.split("=");
      nativeLayout.put(kv[0], Integer.parseInt(kv[1]));
    }

    assertThat(nativeLayout).isNotEmpty();
    assertThat(RecordLayout.describe()).containsExactlyInAnyOrderEntriesOf(nativeLayout);
  }
}
