// flowhold: holds N (argument, default 5000) live TCP connections on loopback for the agent's
// footprint benchmark: 250 listeners on 127.1.0.1-127.1.0.250 and N/250 connections to each,
// so the client side has 250 peers. Every connection echoes one byte every 5 s, so RTT
// samples keep coming. Prints {"connections":N} once all are established; exits on SIGTERM.
package main

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

const peers = 250

func main() {
	n := 5000
	if len(os.Args) > 1 {
		n, _ = strconv.Atoi(os.Args[1])
	}
	var listeners []net.Listener
	for p := 1; p <= peers; p++ {
		ln, err := net.Listen("tcp4", fmt.Sprintf("127.1.0.%d:0", p))
		if err != nil {
			fmt.Fprintln(os.Stderr, "flowhold: listen:", err)
			os.Exit(1)
		}
		listeners = append(listeners, ln)
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				go echo(c)
			}
		}()
	}
	var conns []net.Conn
	for i := 0; i < n; i++ {
		c, err := net.Dial("tcp4", listeners[i%peers].Addr().String())
		if err != nil {
			fmt.Fprintln(os.Stderr, "flowhold: dial:", err)
			os.Exit(1)
		}
		conns = append(conns, c)
		go ping(c)
	}
	out, _ := json.Marshal(map[string]int{"connections": len(conns)})
	os.Stdout.Write(append(out, '\n'))
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	<-sig
}

func echo(c net.Conn) {
	b := make([]byte, 1)
	for {
		if _, err := c.Read(b); err != nil {
			return
		}
		c.Write(b)
	}
}

func ping(c net.Conn) {
	b := []byte{1}
	for {
		time.Sleep(5 * time.Second)
		if _, err := c.Write(b); err != nil {
			return
		}
		c.Read(b)
	}
}
