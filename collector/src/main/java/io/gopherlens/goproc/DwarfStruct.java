package io.gopherlens.goproc;

import java.util.List;
import java.util.Optional;

/**
 * A struct type (DW_TAG_structure_type) found by its Go name, e.g. {@code runtime.hmap} or
 * {@code internal/runtime/maps.table}, with its members in declaration order (blank {@code _}
 * padding fields included, as DWARF lists them).
 */
public record DwarfStruct(String name, long byteSize, List<DwarfMember> members) {
  public DwarfStruct {
    members = List.copyOf(members);
  }

  /** The first member called {@code memberName}; Go allows several {@code _} fields. */
  public Optional<DwarfMember> member(String memberName) {
    for (DwarfMember m : members) {
      if (m.name().equals(memberName)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
