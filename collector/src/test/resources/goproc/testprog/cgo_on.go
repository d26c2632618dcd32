//go:build cgo

package main

// static int gopherlens_answer(void) { return 42; }
import "C"

func cgoAnswer() int { return int(C.gopherlens_answer()) }
