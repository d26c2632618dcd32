// Test program for io.gopherlens.goproc: built by GoBuilds with every installed toolchain
// (default, -s -w, PIE, cgo, cgo+PIE) and analysed, never run. Standard library only.
package main

import (
	"fmt"
	"os"
)

var sink map[int]string

func main() {
	m := make(map[int]string)
	for i := 0; i < 1000; i++ {
		m[i] = fmt.Sprint(i)
	}
	sink = m
	fmt.Fprintln(os.Stdout, len(m), smallFrame(3), largeFrame(5), hugeFrame(7), cgoAnswer())
}

// The three stack-check prologues cmd/internal/obj/x86 emits depend on the frame size:
// at most 128 bytes (StackSmall), at most 4096 (StackBig), and more. A leaf function
// without a frame has no check at all.

//go:noinline
func leaf(n int) int {
	return n * 3
}

//go:noinline
func smallFrame(n int) int {
	return leaf(n) + leaf(n+1)
}

//go:noinline
func largeFrame(n int) byte {
	var buf [1000]byte
	for i := range buf {
		buf[i] = byte(i * n)
	}
	fmt.Fprint(os.Stderr, "")
	return buf[n%len(buf)]
}

//go:noinline
func hugeFrame(n int) byte {
	var buf [6000]byte
	for i := range buf {
		buf[i] = byte(i * n)
	}
	fmt.Fprint(os.Stderr, "")
	return buf[n%len(buf)]
}
