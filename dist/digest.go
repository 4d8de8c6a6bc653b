package dist

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
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

// algorithm is one of the digests a Digests holds, in the order of its
// fields.
type algorithm int

const (
	algSHA256 algorithm = iota
	algBLAKE2b256
	algMD5
)

// newHash returns a fresh hasher for a.
func (a algorithm) newHash() hash.Hash {
	switch a {
	case algSHA256:
		return sha256.New()
	case algBLAKE2b256:
		h, err := blake2b.New256(nil)
		if err != nil { // only a key longer than 64 bytes can fail
			panic(err)
		}
		return h
	}
	return md5.New()
}

// field returns the Digests field that holds a.
func (d *Digests) field(a algorithm) *string {
	switch a {
	case algSHA256:
		return &d.SHA256
	case algBLAKE2b256:
		return &d.BLAKE2b256
	}
	return &d.MD5
}

// missing returns the algorithms d lacks among sha256, blake2b-256 and,
// withMD5, md5.
func (d Digests) missing(withMD5 bool) []algorithm {
	want := []algorithm{algSHA256, algBLAKE2b256}
	if withMD5 {
		want = append(want, algMD5)
	}
	var out []algorithm
	for _, a := range want {
		if *d.field(a) == "" {
			out = append(out, a)
		}
	}
	return out
}

// hashers are the running hashes of some algorithms.
type hashers struct {
	algs []algorithm
	hs   []hash.Hash
}

func newHashers(algs []algorithm) *hashers {
	h := &hashers{algs: algs}
	for _, a := range algs {
		h.hs = append(h.hs, a.newHash())
	}
	return h
}

// sumInto writes the sums into d.
func (h *hashers) sumInto(d *Digests) {
	for i, a := range h.algs {
		*d.field(a) = hex.EncodeToString(h.hs[i].Sum(nil))
	}
}

// consumers returns fan consumers for the hashers, as many as there are
// processors to run them: one hasher each when there are enough, md5
// apart from the other two with two processors and three hashers (md5 is
// the slowest, about as slow as the other two together), all in turn
// with one, where more goroutines would only add switching.
func (h *hashers) consumers() []func([]byte) {
	hs := h.hs
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

// digestBytes returns the sha256 and blake2b-256 of a small byte slice,
// as PEP 658 publishes them for a wheel's METADATA.
func digestBytes(b []byte) Digests {
	h := newHashers([]algorithm{algSHA256, algBLAKE2b256})
	for _, x := range h.hs {
		x.Write(b)
	}
	var d Digests
	h.sumInto(&d)
	return d
}

// chunk is one buffer of the file on its way to every consumer; the last
// holder to finish with it hands the buffer back.
type chunk struct {
	b    []byte
	refs atomic.Int32
}

// fan hands chunks of one read to consumers, each in its own goroutine,
// so that the hashers run in parallel with each other and with the
// reader, and a slow one costs only its own time. Its buffers are
// bounded: the reader waits when it is chunksInFlight chunks ahead of
// the slowest consumer.
type fan struct {
	free   chan *chunk
	queues []chan *chunk
	wg     sync.WaitGroup
	pooled bool // the buffers are fullChunks'
}

// fullChunks keeps full-size buffers between reads: a batch of uploads
// would otherwise allocate (and collect) 2 MiB per file.
var fullChunks = sync.Pool{New: func() any { return &chunk{b: make([]byte, chunkSize)} }}

// newFan starts the consumers, with buffers for a read of about size
// bytes.
func newFan(size int64, consumers ...func([]byte)) *fan {
	// Small files get small buffers: a 2 KiB file needs no 2 MiB.
	bufSize := int(min(max(size, 1), chunkSize))
	bufs := int(min(size/int64(bufSize)+1, chunksInFlight))
	f := &fan{free: make(chan *chunk, bufs), queues: make([]chan *chunk, len(consumers)), pooled: bufSize == chunkSize}
	for range bufs {
		if f.pooled {
			f.free <- fullChunks.Get().(*chunk)
		} else {
			f.free <- &chunk{b: make([]byte, bufSize)}
		}
	}
	for i, consume := range consumers {
		q := make(chan *chunk, chunksInFlight)
		f.queues[i] = q
		f.wg.Go(func() {
			for c := range q {
				consume(c.b)
				f.release(c)
			}
		})
	}
	return f
}

// get returns a free buffer at its full length, waiting for one if every
// buffer is in flight.
func (f *fan) get() *chunk {
	c := <-f.free
	c.b = c.b[:cap(c.b)]
	return c
}

// send hands c to every consumer; with keep, the caller holds it too,
// and must release it.
func (f *fan) send(c *chunk, keep bool) {
	refs := len(f.queues)
	if keep {
		refs++
	}
	if refs == 0 {
		f.free <- c
		return
	}
	c.refs.Store(int32(refs))
	for _, q := range f.queues {
		q <- c
	}
}

// release drops one holder's claim on c.
func (f *fan) release(c *chunk) {
	if c.refs.Add(-1) == 0 {
		f.free <- c // never blocks: free holds every chunk
	}
}

// unused returns a buffer that was got but not sent.
func (f *fan) unused(c *chunk) { f.free <- c }

// close waits for the consumers to finish every chunk sent.
func (f *fan) close() {
	for _, q := range f.queues {
		close(q)
	}
	f.wg.Wait()
}

// recycle gives the buffers back to the pool once every holder has
// released them: after close, and after the reader let go of its chunk.
func (f *fan) recycle() {
	if !f.pooled {
		return
	}
	for range cap(f.free) {
		fullChunks.Put(<-f.free)
	}
}

// fanOut reads r (about size bytes) once, in chunks, and feeds every
// chunk to each consumer (see fan). A consumer must not keep the slice
// after it returns. It returns the number of bytes read and the first
// read error (io.EOF is not an error).
func fanOut(r io.Reader, size int64, consumers ...func([]byte)) (int64, error) {
	f := newFan(size, consumers...)
	defer f.recycle()
	defer f.close()
	var n int64
	for {
		c := f.get()
		m, err := io.ReadFull(r, c.b)
		if m > 0 {
			n += int64(m)
			c.b = c.b[:m]
			f.send(c, false)
		} else {
			f.unused(c)
		}
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				err = nil
			}
			return n, err
		}
	}
}

// digestCache keeps a Distribution's digests once computed.
type digestCache struct {
	mu sync.Mutex // held while computing, so that one read serves all callers
	d  Digests
}

// Digests returns the sha256 and blake2b-256 of the distribution's
// bytes and, withMD5, their md5. Those not known yet are computed in
// one read of the content, each hasher in its own goroutine when
// GOMAXPROCS allows. A Distribution made by Open or OpenReaderAt keeps
// them: an sdist's Open (which reads every byte to check the archive),
// an upload that hashed the file while sending it ([HashingReader]) or
// an earlier call leave nothing to compute. (A Distribution built as a
// literal computes them at every call.)
func (d *Distribution) Digests(withMD5 bool) (Digests, error) {
	if d.cache == nil {
		var got Digests
		return got, d.hashInto(&got, withMD5)
	}
	d.cache.mu.Lock()
	defer d.cache.mu.Unlock()
	got := d.cache.d
	if err := d.hashInto(&got, withMD5); err != nil {
		return Digests{}, err
	}
	d.cache.d = got
	return got, nil
}

// KnownDigests returns the digests computed so far, and whether they
// include sha256, blake2b-256 and, withMD5, md5: whether Digests would
// return at once.
func (d *Distribution) KnownDigests(withMD5 bool) (Digests, bool) {
	if d.cache == nil {
		return Digests{}, false
	}
	d.cache.mu.Lock()
	defer d.cache.mu.Unlock()
	return d.cache.d, len(d.cache.d.missing(withMD5)) == 0
}

// learn records digests computed elsewhere (never overwriting known
// ones, which came from the same bytes).
func (d *Distribution) learn(got Digests) {
	if d.cache == nil {
		return
	}
	d.cache.mu.Lock()
	defer d.cache.mu.Unlock()
	for _, a := range d.cache.d.missing(true) {
		*d.cache.d.field(a) = *got.field(a)
	}
}

// hashInto fills in the digests into lacks, reading the content once.
func (d *Distribution) hashInto(into *Digests, withMD5 bool) error {
	algs := into.missing(withMD5)
	if len(algs) == 0 {
		return nil
	}
	r, err := d.Reader()
	if err != nil {
		return err
	}
	defer r.Close()
	h := newHashers(algs)
	n, err := fanOut(r, d.Size, h.consumers()...)
	if err != nil {
		return fmt.Errorf("dist: reading %s: %w", d.Path, err)
	}
	if n != d.Size {
		return changedSize(d.Path, n, d.Size)
	}
	h.sumInto(into)
	return nil
}

// changedSize is the error of a content that did not have its size.
func changedSize(path string, n, size int64) error {
	return fmt.Errorf("dist: %s: read %d bytes, expected %d: the file changed while it was read", path, n, size)
}

// HashingReader reads a distribution's bytes once, from the start,
// hashing them on other goroutines as they go by (one per hasher when
// GOMAXPROCS allows), so that hashing overlaps whatever is done with
// the bytes, such as sending them. Its buffers are bounded (2 MiB).
// It is safe to Close while a Read runs.
type HashingReader struct {
	d *Distribution

	mu     sync.Mutex
	src    io.ReadCloser
	h      *hashers
	fan    *fan // nil once closed
	cur    *chunk
	off    int
	n      int64
	eof    bool
	sums   Digests
	sumErr error
}

// HashingReader returns a reader of the distribution's bytes that
// computes their sha256, blake2b-256 and, withMD5, md5 as it reads; see
// [HashingReader.Digests]. Having read all of them, it gives the
// Distribution its digests.
func (d *Distribution) HashingReader(withMD5 bool) (*HashingReader, error) {
	src, err := d.Reader()
	if err != nil {
		return nil, err
	}
	h := newHashers(Digests{}.missing(withMD5))
	return &HashingReader{d: d, src: src, h: h, fan: newFan(d.Size, h.consumers()...)}, nil
}

// Read reads the next bytes; it returns io.EOF after the last one.
func (r *HashingReader) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fan == nil {
		return 0, errors.New("dist: read after close")
	}
	if r.cur == nil {
		if r.eof {
			return 0, io.EOF
		}
		if err := r.fill(); err != nil {
			return 0, err
		}
		if r.cur == nil {
			return 0, io.EOF
		}
	}
	n := copy(p, r.cur.b[r.off:])
	if r.off += n; r.off == len(r.cur.b) {
		r.fan.release(r.cur)
		r.cur = nil
	}
	return n, nil
}

// fill reads the next chunk and hands it to the hashers; at the end of
// the content it waits for them and records the sums.
func (r *HashingReader) fill() error {
	c := r.fan.get()
	m, err := io.ReadFull(r.src, c.b)
	if m > 0 {
		r.n += int64(m)
		c.b = c.b[:m]
		r.fan.send(c, true)
		r.cur, r.off = c, 0
	} else {
		r.fan.unused(c)
	}
	switch {
	case err == nil:
		return nil
	case !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF):
		return err
	}
	r.eof = true
	r.fan.close()
	if r.n != r.d.Size {
		r.sumErr = changedSize(r.d.Path, r.n, r.d.Size)
		return nil
	}
	r.h.sumInto(&r.sums)
	r.d.learn(r.sums)
	return nil
}

// Digests returns the digests of the bytes read, once Read has returned
// io.EOF; before that, or when the content did not have the
// distribution's size, it fails.
func (r *HashingReader) Digests() (Digests, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.eof || r.cur != nil {
		return Digests{}, fmt.Errorf("dist: %s: digests asked for before the last byte was read", r.d.Path)
	}
	return r.sums, r.sumErr
}

// Close stops the hashers and closes the content.
func (r *HashingReader) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fan == nil {
		return nil
	}
	if r.cur != nil {
		r.fan.release(r.cur)
		r.cur = nil
	}
	if !r.eof {
		r.fan.close()
	}
	r.fan.recycle()
	r.fan = nil
	return r.src.Close()
}
