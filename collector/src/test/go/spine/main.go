// Spine workload: reports its own runtime.NumGC so tests can compare it with what the
// probe saw. Protocol on stdin/stdout, one JSON object per line:
//   -> {"phase":"ready","pid":P,"numgc":N}          then waits for a line on stdin
//   <- any line: run the TCP phase, then the GC phase
//   -> {"phase":"done","numgc":N,"tcp_port":port,"gcs":k}  then waits for a line, exits.
// One goroutine does all allocating, so every runtime.gcStart call starts exactly one cycle.
package main

import (
	"bufio"
	"encoding/json"
	"net"
	"os"
	"runtime"
	"strconv"
)

var sink [][]byte

func report(fields map[string]interface{}) {
	line, _ := json.Marshal(fields)
	os.Stdout.Write(append(line, '\n'))
}

func numGC() uint32 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.NumGC
}

// tcpPhase makes one loopback connection that the probe must attribute to this pid.
func tcpPhase() int {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	done := make(chan struct{})
	go func() {
		c, err := ln.Accept()
		if err == nil {
			buf := make([]byte, 5)
			c.Read(buf)
			c.Close()
		}
		close(done)
	}()
	c, err := net.Dial("tcp4", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		panic(err)
	}
	c.Write([]byte("hello"))
	<-done
	c.Close()
	ln.Close()
	return port
}

func main() {
	explicit := 20
	if len(os.Args) > 1 {
		explicit, _ = strconv.Atoi(os.Args[1])
	}
	in := bufio.NewReader(os.Stdin)
	report(map[string]interface{}{"phase": "ready", "pid": os.Getpid(), "numgc": numGC()})
	in.ReadString('\n')

	port := tcpPhase()
	before := numGC()
	for i := 0; i < explicit; i++ {
		// Allocate enough that some cycles are heap-triggered, not only explicit.
		for j := 0; j < 64; j++ {
			sink = append(sink, make([]byte, 64<<10))
		}
		if len(sink) > 256 {
			sink = sink[:0]
		}
		runtime.GC()
	}
	report(map[string]interface{}{"phase": "done", "numgc": numGC(), "tcp_port": port, "gcs": numGC() - before})
	in.ReadString('\n')
}
