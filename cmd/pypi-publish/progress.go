package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/trustpub/pypi/internal/gha"
)

// progress shows uploads as they go: a bar per file on a terminal, one
// line per file started in a log (CI logs do not redraw lines). The log
// writer must make file names safe (gha.Runner.Writer); on a terminal,
// the bars write their own escape sequences and make names safe with
// gha.Line.
type progress struct {
	w        io.Writer
	terminal bool

	mu      sync.Mutex
	order   []string
	files   map[string]*bar
	sizes   map[string]int64 // the files' own sizes, which twine prints
	drawn   int              // lines drawn last time (terminal)
	lastRun time.Time        // last redraw (terminal)
}

type bar struct {
	sent, total int64
	attempt     int
	done        string // outcome, once known
}

func newProgress(w io.Writer, terminal bool) *progress {
	return &progress{w: w, terminal: terminal, files: map[string]*bar{}, sizes: map[string]int64{}}
}

// checked records the size of file, to print instead of its upload
// body's (the form fields and multipart framing make that one larger).
func (p *progress) checked(file string, n int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sizes[file] = n
}

// sending records that sent of total bytes of file's body are sent.
func (p *progress) sending(file string, attempt int, sent, total int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	b, ok := p.files[file]
	if !ok {
		b = &bar{}
		p.files[file] = b
		p.order = append(p.order, file)
	}
	if !p.terminal && b.attempt != attempt {
		if attempt == 1 {
			n, ok := p.sizes[file]
			if !ok {
				n = total
			}
			fmt.Fprintf(p.w, "Uploading %s (%s)\n", file, size(n))
		} else {
			fmt.Fprintf(p.w, "Uploading %s again (attempt %d)\n", file, attempt)
		}
	}
	b.sent, b.total, b.attempt = sent, total, attempt
	if p.terminal && (sent == total || time.Since(p.lastRun) > 100*time.Millisecond) {
		p.redraw()
	}
}

// done records file's outcome.
func (p *progress) done(file, outcome string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if b, ok := p.files[file]; ok {
		b.done = outcome
		if p.terminal {
			p.redraw()
		}
	}
}

// redraw rewrites the bars in place; p.mu is held.
func (p *progress) redraw() {
	var s strings.Builder
	if p.drawn > 0 {
		fmt.Fprintf(&s, "\x1b[%dA", p.drawn)
	}
	for _, f := range p.order {
		b := p.files[f]
		const width = 30
		filled := width
		pct := 100
		if b.total > 0 {
			filled = int(b.sent * width / b.total)
			pct = int(b.sent * 100 / b.total)
		}
		state := b.done
		if state == "" {
			state = fmt.Sprintf("%s/%s", size(b.sent), size(b.total))
		}
		fmt.Fprintf(&s, "\x1b[2K%-44s [%s%s] %3d%% %s\n", gha.Line(f), strings.Repeat("=", filled), strings.Repeat(" ", width-filled), pct, state)
	}
	p.drawn = len(p.order)
	p.lastRun = time.Now()
	io.WriteString(p.w, s.String())
}

// size formats a byte count as twine's progress does: 12.3 kB.
func size(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	v, suffixes := float64(n)/unit, "kMGT"
	i := 0
	for v >= unit && i < len(suffixes)-1 {
		v /= unit
		i++
	}
	return fmt.Sprintf("%.1f %cB", v, suffixes[i])
}
