package dist

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"runtime"
	"sync"
	"sync/atomic"

	"golang.org/x/crypto/blake2b"
)

// chunkSize is the unit of the one read of a file: large enough that the
// per-chunk channel traffic is noise next to hashing it.
const chunkSize = 256 << 10

// chunksInFlight bounds the memory of a digest pass: the reader can be this
// many chunks ahead of the slowest consumer.
const chunksInFlight = 8

// newHashers returns sha256, blake2b-256 and md5, in the order of Digests.
func newHashers() []hash.Hash {
	b2, err := blake2b.New256(nil)
	if err != nil { // only a key longer than 64 bytes can fail
		panic(err)
	}
	return []hash.Hash{sha256.New(), b2, md5.New()}
}

// digestsOf formats the sums of hashers made by newHashers.
func digestsOf(hs []hash.Hash) Digests {
	d := Digests{
		SHA256:     hex.EncodeToString(hs[0].Sum(nil)),
		BLAKE2b256: hex.EncodeToString(hs[1].Sum(nil)),
	}
	if len(hs) > 2 {
		d.MD5 = hex.EncodeToString(hs[2].Sum(nil))
	}
	return d
}

// digestBytes returns the sha256 and blake2b-256 of a small byte slice,
// as PEP 658 publishes them for a wheel's METADATA.
func digestBytes(b []byte) Digests {
	hs := newHashers()[:2]
	for _, h := range hs {
		h.Write(b)
	}
	return digestsOf(hs)
}

// chunk is one buffer of the file on its way to every consumer; the last
// consumer to finish with it hands the buffer back.
type chunk struct {
	b    []byte
	refs atomic.Int32
}

// fanOut reads r (about size bytes) once, in chunks, and feeds every
// chunk to each consumer, each consumer in its own goroutine, so that the
// hashers run in parallel and a slow one costs only its own time. A
// consumer must not keep the slice after it returns. It returns the number
// of bytes read and the first read error (io.EOF is not an error).
func fanOut(r io.Reader, size int64, consumers ...func([]byte)) (int64, error) {
	// Small files get small buffers: a 2 KiB file needs no 2 MiB.
	bufSize := int(min(max(size, 1), chunkSize))
	bufs := int(min(size/int64(bufSize)+1, chunksInFlight))
	free := make(chan *chunk, bufs)
	for range bufs {
		free <- &chunk{b: make([]byte, bufSize)}
	}
	queues := make([]chan *chunk, len(consumers))
	var wg sync.WaitGroup
	for i, consume := range consumers {
		q := make(chan *chunk, chunksInFlight)
		queues[i] = q
		wg.Go(func() {
			for c := range q {
				consume(c.b)
				if c.refs.Add(-1) == 0 {
					free <- c // never blocks: free holds every chunk
				}
			}
		})
	}
	var n int64
	var err error
	for {
		c := <-free
		c.b = c.b[:cap(c.b)]
		m, rerr := io.ReadFull(r, c.b)
		if m > 0 {
			n += int64(m)
			c.b = c.b[:m]
			c.refs.Store(int32(len(consumers)))
			for _, q := range queues {
				q <- c
			}
		} else {
			free <- c
		}
		if rerr != nil {
			if !errors.Is(rerr, io.EOF) && !errors.Is(rerr, io.ErrUnexpectedEOF) {
				err = rerr
			}
			break
		}
	}
	for _, q := range queues {
		close(q)
	}
	wg.Wait()
	return n, err
}

// hashConsumers returns fanOut consumers for the hashers of newHashers
// (sha256, blake2b-256, md5), as many as there are processors to run them:
// one hasher each with three or more, md5 apart from the other two with
// two (md5 is the slowest, about as slow as the other two together), all
// three in turn with one, where more goroutines would only add switching.
func hashConsumers(hs []hash.Hash) []func([]byte) {
	var groups [][]hash.Hash
	switch procs := runtime.GOMAXPROCS(0); {
	case procs >= len(hs):
		for _, h := range hs {
			groups = append(groups, []hash.Hash{h})
		}
	case procs == 2 && len(hs) == 3:
		groups = [][]hash.Hash{hs[2:], hs[:2]}
	default:
		groups = [][]hash.Hash{hs}
	}
	fs := make([]func([]byte), len(groups))
	for i, g := range groups {
		fs[i] = func(b []byte) {
			for _, h := range g {
				h.Write(b)
			}
		}
	}
	return fs
}
