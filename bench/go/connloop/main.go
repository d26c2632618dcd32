// connloop: short TCP connections on loopback (connect, 1 byte each way, close) for DURATION
// (argument, default 5s); prints {"conns_per_sec":N}.
package main

import (
	"encoding/json"
	"net"
	"os"
	"time"
)

func main() {
	d := 5 * time.Second
	if len(os.Args) > 1 {
		if parsed, err := time.ParseDuration(os.Args[1]); err == nil {
			d = parsed
		}
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				b := make([]byte, 1)
				c.Read(b)
				c.Write(b)
				c.Close()
			}(c)
		}
	}()
	addr := ln.Addr().String()
	deadline := time.Now().Add(d)
	conns := 0
	b := make([]byte, 1)
	for time.Now().Before(deadline) {
		c, err := net.Dial("tcp4", addr)
		if err != nil {
			continue
		}
		c.Write(b)
		c.Read(b)
		c.Close()
		conns++
	}
	out, _ := json.Marshal(map[string]interface{}{"conns_per_sec": float64(conns) / d.Seconds()})
	os.Stdout.Write(append(out, '\n'))
}
