package main

import (
	"io"
	"net"
	"sync"
)

// forwarder accepts connections on a chosen address and relays each, byte
// for byte, to the pypitest server, which listens on a port of its own
// choosing (pypitest offers no way to choose it). On Linux the relay
// splices between the sockets, so it adds little to a transfer.
type forwarder struct {
	ln     net.Listener
	target string

	wg sync.WaitGroup
}

func forward(addr, target string) (*forwarder, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	f := &forwarder{ln: ln, target: target}
	f.wg.Go(f.serve)
	return f, nil
}

// Addr is the address clients connect to.
func (f *forwarder) Addr() string { return f.ln.Addr().String() }

func (f *forwarder) serve() {
	for {
		c, err := f.ln.Accept()
		if err != nil {
			return // closed
		}
		f.wg.Go(func() { f.relay(c.(*net.TCPConn)) })
	}
}

// relay copies both ways. When the server stops sending (it closed the
// connection), the client's side is closed too; when the client stops
// sending, the server is told so and closes in its turn.
func (f *forwarder) relay(client *net.TCPConn) {
	defer client.Close()
	s, err := net.Dial("tcp", f.target)
	if err != nil {
		return
	}
	server := s.(*net.TCPConn)
	defer server.Close()
	var wg sync.WaitGroup
	wg.Go(func() {
		_, _ = io.Copy(server, client)
		_ = server.CloseWrite()
	})
	_, _ = io.Copy(client, server)
	client.Close() // ends the copy above if the client is still connected
	wg.Wait()
}

// Close stops accepting connections. Relays in progress end when the
// pypitest server closes its side.
func (f *forwarder) Close() {
	f.ln.Close()
	f.wg.Wait()
}
