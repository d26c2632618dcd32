// gcstats: runs GC cycles and reports the runtime's own numbers, the ground truth for the GC
// telemetry tests. Protocol, one JSON object per line:
//   -> {"phase":"ready", ...memstats}     then waits for a line on stdin
//   <- any line: run CYCLES cycles (argument, default 60), half explicit, half heap-triggered
//   -> {"phase":"done", ...memstats}      read right after a last GC; waits for a line
//   -> {"phase":"exit", ...memstats}      and exits. Go 1.27 can allocate a stack span while
//                                         it waits, so done and exit bracket what was read between.
// The last GC is debug.FreeOSMemory (a GC that also returns all free pages at once), so the
// background scavenger has nothing left to release while the test reads the heap from outside.
// One goroutine allocates, so every cycle start is a real cycle.
package main

import (
	"bufio"
	"encoding/json"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
)

var sink [][]byte

func report(phase string) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	line, _ := json.Marshal(map[string]interface{}{
		"phase": phase, "pid": os.Getpid(), "num_gc": ms.NumGC, "pause_total_ns": ms.PauseTotalNs,
		"heap_inuse": ms.HeapInuse, "heap_released": ms.HeapReleased, "heap_idle": ms.HeapIdle,
		"heap_sys": ms.HeapSys, "stack_inuse": ms.StackInuse, "next_gc": ms.NextGC,
		"pause_ns": ms.PauseNs, "pause_end": ms.PauseEnd,
		"gogc": gogc(), "memory_limit": debug.SetMemoryLimit(-1), "sys": ms.Sys,
		"memory_classes": memoryClasses(),
	})
	os.Stdout.Write(append(line, '\n'))
}

// memoryClasses reads what the semantic conventions' go.memory.used is defined from.
func memoryClasses() map[string]uint64 {
	samples := []metrics.Sample{
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
		{Name: "/memory/classes/heap/stacks:bytes"},
	}
	metrics.Read(samples)
	out := map[string]uint64{}
	for _, s := range samples {
		out[s.Name] = s.Value.Uint64()
	}
	return out
}

// gogc reads GOGC back (SetGCPercent returns the previous value).
func gogc() int {
	old := debug.SetGCPercent(100)
	debug.SetGCPercent(old)
	return old
}

func main() {
	cycles := 60
	if len(os.Args) > 1 {
		cycles, _ = strconv.Atoi(os.Args[1])
	}
	in := bufio.NewReader(os.Stdin)
	report("ready")
	in.ReadString('\n')

	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	target := ms.NumGC + uint32(cycles)
	for i := 0; ; i++ {
		if i%2 == 0 {
			runtime.GC()
		} else {
			// Allocate until the heap trigger starts a cycle of its own.
			start := ms.NumGC
			for ms.NumGC == start {
				for j := 0; j < 256; j++ {
					sink = append(sink, make([]byte, 16<<10))
				}
				if len(sink) > 4096 {
					sink = sink[:0]
				}
				runtime.ReadMemStats(&ms)
			}
		}
		runtime.ReadMemStats(&ms)
		if ms.NumGC >= target {
			break
		}
	}
	debug.FreeOSMemory()
	report("done")
	in.ReadString('\n')
	report("exit")
}
