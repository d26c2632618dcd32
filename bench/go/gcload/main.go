// gcload: a GC-heavy workload for overhead benchmarks. Allocates short-lived objects and a
// churned map for DURATION (argument, default 5s) and prints {"ops_per_sec":N,"num_gc":N}.
package main

import (
	"encoding/json"
	"os"
	"runtime"
	"time"
)

type node struct {
	next *node
	data [48]byte
}

var keep []*node

func main() {
	d := 5 * time.Second
	if len(os.Args) > 1 {
		if parsed, err := time.ParseDuration(os.Args[1]); err == nil {
			d = parsed
		}
	}
	m := map[int]*node{}
	deadline := time.Now().Add(d)
	ops := 0
	for time.Now().Before(deadline) {
		for i := 0; i < 1000; i++ {
			n := &node{}
			m[ops%50000] = n
			if i%64 == 0 {
				keep = append(keep, n)
			}
			ops++
		}
		if len(keep) > 20000 {
			keep = keep[:0]
		}
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	out, _ := json.Marshal(map[string]interface{}{"ops_per_sec": float64(ops) / d.Seconds(), "num_gc": ms.NumGC})
	os.Stdout.Write(append(out, '\n'))
}
