package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/trustpub/pypi/pypitest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run serves until ctx is done and returns the exit code: 2 for a bad
// command line, 1 if the server could not start.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		return 2
	}
	iss := pypitest.NewIssuer(pypitest.WithRun(c.run))
	defer iss.Close()
	var opts []pypitest.Option
	var sigstoreURL, root string
	if c.sigstore {
		// The index trusts the fake Sigstore's root, so attestations signed
		// with it are verified as PyPI verifies them.
		sig, file, err := startSigstore(iss)
		if err != nil {
			fmt.Fprintf(stderr, "pypitest-server: %v\n", err)
			return 1
		}
		defer sig.Close()
		defer os.RemoveAll(filepath.Dir(file))
		sigstoreURL, root = sig.URL, file
		opts = append(opts, pypitest.WithSigstore(sig))
	}
	if c.addr != "127.0.0.1:0" || c.tlsCert != "" {
		ln, err := listen(c)
		if err != nil {
			fmt.Fprintf(stderr, "pypitest-server: %v\n", err)
			return 1
		}
		opts = append(opts, pypitest.WithListener(ln))
	}
	srv := start(c, iss, opts...)
	url := srv.URL
	if c.tlsCert != "" { // the index sees a plain listener; its connections are TLS
		url = "https://" + strings.TrimPrefix(url, "http://")
	}
	a := newAnnouncement(url, iss)
	a.SigstoreURL, a.TrustedRoot = sigstoreURL, root
	if err := announce(stdout, c.json, a); err != nil {
		fmt.Fprintf(stderr, "pypitest-server: %v\n", err)
	}
	fmt.Fprintf(stderr, "pypitest-server: serving %s/legacy/ (issuer %s); interrupt to stop\n", url, iss.URL)
	done := make(chan struct{})
	var watching sync.WaitGroup
	if c.verbose {
		watching.Go(func() { watch(srv, stderr, done) })
	}
	<-ctx.Done()
	close(done)
	watching.Wait()
	srv.Close()
	fmt.Fprintf(stderr, "pypitest-server: stopped after %d upload requests, %d files stored\n",
		len(srv.Uploads()), len(srv.Files()))
	return 0
}

// listen opens the index's listener on c.addr, serving TLS with
// -tls-cert and -tls-key. Offering h2 by ALPN is enough: net/http's
// server speaks HTTP/2 on the TLS connections that chose it.
func listen(c *config) (net.Listener, error) {
	if c.tlsCert == "" {
		return net.Listen("tcp", c.addr)
	}
	pair, err := tls.LoadX509KeyPair(c.tlsCert, c.tlsKey)
	if err != nil {
		return nil, fmt.Errorf("-tls-cert %s, -tls-key %s: %v", c.tlsCert, c.tlsKey, err)
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return nil, err
	}
	return tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{pair}, NextProtos: []string{"h2", "http/1.1"}}), nil
}

// start starts the index as c describes it, trusting iss. The caller
// closes it. extra are further options for the index.
func start(c *config, iss *pypitest.Issuer, extra ...pypitest.Option) *pypitest.Server {
	opts := []pypitest.Option{pypitest.WithIssuer(iss), pypitest.WithAudience(c.audience)}
	if c.noOIDC {
		opts = append(opts, pypitest.WithoutTrustedPublishing())
	}
	srv := pypitest.NewServer(append(opts, extra...)...)
	for _, spec := range c.publishers {
		p, _ := c.publisherOf(spec) // checked by parseFlags
		srv.AddPublisher(p)
	}
	for _, t := range c.tokens {
		srv.AddAPIToken(t.user, t.secret, t.projects...)
	}
	for _, u := range c.users {
		srv.AddUser(u.user, u.secret, u.projects...)
	}
	if c.disableOIDC {
		srv.DisableTrustedPublishing()
	}
	srv.SetLatency(c.latency)
	srv.SetBandwidth(c.bandwidth)
	srv.SetMaxFileSize(c.maxFileSize)
	if c.failUploads > 0 {
		srv.FailUploads(c.failUploads, pypitest.HTMLReply(c.failStatus))
	}
	if c.resetUploads > 0 {
		srv.ResetUploads(c.resetUploads, c.resetAfter)
	}
	if c.loseResponses > 0 {
		srv.LoseUploadResponses(c.loseResponses)
	}
	return srv
}

// watch logs each upload and minted token as it happens, until done is
// closed; then it logs what is left and returns.
func watch(srv *pypitest.Server, w io.Writer, done <-chan struct{}) {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	uploads, minted := 0, 0
	flush := func() {
		us := srv.Uploads()
		for _, u := range us[uploads:] {
			answer := u.Message
			if u.Status == 200 {
				answer = "OK"
			}
			fmt.Fprintf(w, "pypitest-server: upload %s (%d bytes) by %q: %d %s\n", u.Filename, u.Size, u.UserAgent, u.Status, answer)
		}
		uploads = len(us)
		ms := srv.Minted()
		for _, m := range ms[minted:] {
			fmt.Fprintf(w, "pypitest-server: minted a token for %v (publisher %s/%s, %s)\n",
				m.Projects, m.Publisher.RepositoryOwner, m.Publisher.Repository, m.Publisher.WorkflowFilename)
		}
		minted = len(ms)
	}
	for {
		select {
		case <-done:
			flush()
			return
		case <-tick.C:
			flush()
		}
	}
}
