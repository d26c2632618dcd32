package io.gopherlens.goproc;

/**
 * The DWARF 4/5 numbers the reader acts on (DWARF 5 standard, section 7). Only what Go's
 * linker emits plus what is needed to skip anything else a post-link tool might add.
 */
final class DwarfConstants {
  // Tags.
  static final int TAG_MEMBER = 0x0d;
  static final int TAG_POINTER_TYPE = 0x0f;
  static final int TAG_REFERENCE_TYPE = 0x10;
  static final int TAG_STRUCTURE_TYPE = 0x13;
  static final int TAG_TYPEDEF = 0x16;
  static final int TAG_CONST_TYPE = 0x26;
  static final int TAG_VARIABLE = 0x34;
  static final int TAG_VOLATILE_TYPE = 0x35;

  // Attributes.
  static final int AT_LOCATION = 0x02;
  static final int AT_NAME = 0x03;
  static final int AT_BYTE_SIZE = 0x0b;
  static final int AT_DATA_MEMBER_LOCATION = 0x38;
  static final int AT_TYPE = 0x49;
  static final int AT_STR_OFFSETS_BASE = 0x72;
  static final int AT_ADDR_BASE = 0x73;

  // Forms.
  static final int FORM_ADDR = 0x01;
  static final int FORM_BLOCK2 = 0x03;
  static final int FORM_BLOCK4 = 0x04;
  static final int FORM_DATA2 = 0x05;
  static final int FORM_DATA4 = 0x06;
  static final int FORM_DATA8 = 0x07;
  static final int FORM_STRING = 0x08;
  static final int FORM_BLOCK = 0x09;
  static final int FORM_BLOCK1 = 0x0a;
  static final int FORM_DATA1 = 0x0b;
  static final int FORM_FLAG = 0x0c;
  static final int FORM_SDATA = 0x0d;
  static final int FORM_STRP = 0x0e;
  static final int FORM_UDATA = 0x0f;
  static final int FORM_REF_ADDR = 0x10;
  static final int FORM_REF1 = 0x11;
  static final int FORM_REF2 = 0x12;
  static final int FORM_REF4 = 0x13;
  static final int FORM_REF8 = 0x14;
  static final int FORM_REF_UDATA = 0x15;
  static final int FORM_INDIRECT = 0x16;
  static final int FORM_SEC_OFFSET = 0x17;
  static final int FORM_EXPRLOC = 0x18;
  static final int FORM_FLAG_PRESENT = 0x19;
  static final int FORM_STRX = 0x1a;
  static final int FORM_ADDRX = 0x1b;
  static final int FORM_REF_SUP4 = 0x1c;
  static final int FORM_STRP_SUP = 0x1d;
  static final int FORM_DATA16 = 0x1e;
  static final int FORM_LINE_STRP = 0x1f;
  static final int FORM_REF_SIG8 = 0x20;
  static final int FORM_IMPLICIT_CONST = 0x21;
  static final int FORM_LOCLISTX = 0x22;
  static final int FORM_RNGLISTX = 0x23;
  static final int FORM_REF_SUP8 = 0x24;
  static final int FORM_STRX1 = 0x25;
  static final int FORM_STRX2 = 0x26;
  static final int FORM_STRX3 = 0x27;
  static final int FORM_STRX4 = 0x28;
  static final int FORM_ADDRX1 = 0x29;
  static final int FORM_ADDRX2 = 0x2a;
  static final int FORM_ADDRX3 = 0x2b;
  static final int FORM_ADDRX4 = 0x2c;
  static final int FORM_GNU_ADDR_INDEX = 0x1f01;
  static final int FORM_GNU_STR_INDEX = 0x1f02;
  static final int FORM_GNU_REF_ALT = 0x1f20;
  static final int FORM_GNU_STRP_ALT = 0x1f21;

  // Location expression operations.
  static final int OP_ADDR = 0x03;
  static final int OP_PLUS_UCONST = 0x23;
  static final int OP_ADDRX = 0xa1;
  static final int OP_GNU_ADDR_INDEX = 0xfb;

  // DWARF 5 unit types.
  static final int UT_COMPILE = 0x01;
  static final int UT_TYPE = 0x02;
  static final int UT_PARTIAL = 0x03;
  static final int UT_SKELETON = 0x04;
  static final int UT_SPLIT_COMPILE = 0x05;
  static final int UT_SPLIT_TYPE = 0x06;

  private DwarfConstants() {}
}
