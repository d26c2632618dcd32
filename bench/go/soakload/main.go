// soakload: a Go workload that checks its own results while gopherlens attaches and detaches.
// Two goroutines repeat deterministic rounds: fill a map, delete half of it, checksum what is
// left (CRC-32), and sum through a deep recursion (stacks grow, are copied and shrink: what a
// uretprobe would break). Each round's result must equal the one computed at start, before any
// probe could be attached. Allocates enough for several GC cycles per second. On SIGTERM prints
// {"rounds":N,"mismatches":M,"num_gc":G} and exits 0; mismatches are also reported on stderr.
package main

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"os"
	"os/signal"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
)

const seeds = 64

func round(seed int) uint64 {
	m := make(map[uint32][]byte)
	for i := 0; i < 2000; i++ {
		k := uint32(seed*7919 + i*31)
		v := make([]byte, 64+i%200)
		for j := range v {
			v[j] = byte(int(k) + j*seed)
		}
		m[k] = v
	}
	for k := range m {
		if k%2 == 0 {
			delete(m, k)
		}
	}
	// Map iteration order is random: checksum in key order.
	var sum uint32
	var key [4]byte
	for i := 0; i < 2000; i++ {
		k := uint32(seed*7919 + i*31)
		if v, ok := m[k]; ok {
			binary.LittleEndian.PutUint32(key[:], k)
			sum ^= crc32.ChecksumIEEE(append(key[:], v...))
		}
	}
	return uint64(sum)<<32 | uint64(deep(1500, seed))
}

// deep recurses with a sizeable frame so the goroutine's stack grows to hundreds of KiB.
func deep(n, seed int) uint32 {
	var frame [128]byte
	frame[n%128] = byte(n + seed)
	if n == 0 {
		return uint32(frame[0])
	}
	return deep(n-1, seed)*31 + uint32(frame[n%128])
}

func main() {
	var expected [seeds]uint64
	for s := range expected {
		expected[s] = round(s)
	}
	var rounds, mismatches atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				s := i % seeds
				if got := round(s); got != expected[s] {
					mismatches.Add(1)
					fmt.Fprintf(os.Stderr, "soakload: seed %d: got %x, want %x\n", s, got, expected[s])
				}
				rounds.Add(1)
			}
		}(w)
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	<-sig
	close(stop)
	wg.Wait()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	out, _ := json.Marshal(map[string]interface{}{"rounds": rounds.Load(), "mismatches": mismatches.Load(), "num_gc": ms.NumGC})
	os.Stdout.Write(append(out, '\n'))
}
