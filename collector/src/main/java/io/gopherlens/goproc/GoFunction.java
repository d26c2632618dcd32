package io.gopherlens.goproc;

/**
 * A function resolved from .gopclntab.
 *
 * @param entryVa link-time virtual address of the first instruction
 * @param endVa exclusive end (the next function's entry; includes alignment padding)
 * @param entryFileOffset file offset of the entry, what a uprobe at the entry takes
 * @param uprobeFileOffset file offset to attach a uprobe to: the JBE that ends the Go stack
 *     check when the prologue is recognised (the kernel emulates it, and argument registers
 *     are untouched there), else the entry. See DESIGN.md decision 2 and {@link GoPrologue}.
 */
public record GoFunction(String name, long entryVa, long endVa, long entryFileOffset, long uprobeFileOffset) {
  public long size() {
    return endVa - entryVa;
  }
}
