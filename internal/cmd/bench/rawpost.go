package main

import (
	"bufio"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// rawPostParallel is how many files the raw POST sends at once after
// the first of each release: pypi-publish's default --concurrency.
const rawPostParallel = 4

// rawPost is the network half of the limit: it POSTs each file to the
// sink in the least form the sink takes (the :action and
// protocol_version fields, then the file), on persistent connections,
// the first file of each project first and alone (the index creates the
// release on it), then the others rawPostParallel at a time, as
// pypi-publish schedules them. On plain HTTP the file goes by
// net.TCPConn.ReadFrom from the *os.File, which is sendfile(2) on
// Linux: no byte passes through user space. Over TLS the bytes must be
// encrypted in user space: they are copied through crypto/tls.
func rawPost(uploadURL string, projects map[string][]string, dir string, tlsConf *tls.Config) (time.Duration, error) {
	u, err := url.Parse(uploadURL)
	if err != nil {
		return 0, err
	}
	var first, rest []string
	for _, files := range projects {
		first = append(first, files[0])
		rest = append(rest, files[1:]...)
	}
	pool := make(chan *rawConn, rawPostParallel)
	for range rawPostParallel {
		pool <- nil // dialled on first use
	}
	start := time.Now()
	for _, phase := range [][]string{first, rest} {
		var wg sync.WaitGroup
		errs := make(chan error, len(phase))
		for _, name := range phase {
			c := <-pool
			wg.Go(func() {
				var err error
				if c == nil {
					c, err = dialRaw(u, tlsConf)
				}
				if err == nil {
					err = c.post(u, filepath.Join(dir, name))
				}
				if err != nil {
					errs <- fmt.Errorf("raw POST of %s: %v", name, err)
				}
				pool <- c
			})
		}
		wg.Wait()
		close(errs)
		if err := <-errs; err != nil {
			return 0, err
		}
	}
	wall := time.Since(start)
	for range rawPostParallel {
		if c := <-pool; c != nil {
			c.Close()
		}
	}
	return wall, nil
}

// rawConn is one persistent connection to the sink.
type rawConn struct {
	net.Conn
	r *bufio.Reader
}

func dialRaw(u *url.URL, tlsConf *tls.Config) (*rawConn, error) {
	var c net.Conn
	var err error
	if tlsConf != nil {
		c, err = tls.Dial("tcp", u.Host, tlsConf)
	} else {
		c, err = net.Dial("tcp", u.Host)
	}
	if err != nil {
		return nil, err
	}
	return &rawConn{Conn: c, r: bufio.NewReader(c)}, nil
}

const rawBoundary = "trustpub-bench-raw-post-boundary"

// post sends the file at path and reads the answer, which must be 200.
func (c *rawConn) post(u *url.URL, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	field := func(name, value string) string {
		return "--" + rawBoundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n"
	}
	preamble := field(":action", "file_upload") + field("protocol_version", "1") +
		"--" + rawBoundary + "\r\nContent-Disposition: form-data; name=\"content\"; filename=\"" + filepath.Base(path) + "\"\r\n" +
		"Content-Type: application/octet-stream\r\n\r\n"
	epilogue := "\r\n--" + rawBoundary + "--\r\n"
	head := "POST " + u.RequestURI() + " HTTP/1.1\r\nHost: " + u.Host + "\r\n" +
		"Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte("__token__:"+token)) + "\r\n" +
		"Content-Type: multipart/form-data; boundary=" + rawBoundary + "\r\n" +
		"Content-Length: " + strconv.FormatInt(int64(len(preamble))+fi.Size()+int64(len(epilogue)), 10) + "\r\n\r\n"
	if _, err := io.WriteString(c.Conn, head+preamble); err != nil {
		return err
	}
	if tc, ok := c.Conn.(*net.TCPConn); ok {
		_, err = tc.ReadFrom(f) // sendfile(2)
	} else {
		_, err = io.Copy(c.Conn, f)
	}
	if err != nil {
		return err
	}
	if _, err := io.WriteString(c.Conn, epilogue); err != nil {
		return err
	}
	resp, err := http.ReadResponse(c.r, nil)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("the sink answered %s", resp.Status)
	}
	return nil
}
