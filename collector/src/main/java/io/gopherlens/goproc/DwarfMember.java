package io.gopherlens.goproc;

/**
 * One field of a struct as DWARF describes it: byte offset from the start of the struct
 * (DW_AT_data_member_location), size in bytes of its type, and the type's name (e.g.
 * {@code internal/runtime/atomic.Uint64}). {@code size} is {@link #UNKNOWN_SIZE} when the
 * type chain gives no size; {@code typeName} is empty when the type has no name.
 */
public record DwarfMember(String name, long offset, long size, String typeName) {
  public static final long UNKNOWN_SIZE = -1;
}
