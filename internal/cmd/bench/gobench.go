package main

import (
	"bufio"
	"fmt"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// goBenchRun is one go test -bench invocation over a package.
type goBenchRun struct {
	pkg, pattern string
}

// The packages' own benchmarks that measure the limits (written by their
// owners), and, in a full run only, this package's breakdown of one
// upload into its phases, which explains the scenarios' figures.
var goBenchRuns = []goBenchRun{
	{"./dist", "^(BenchmarkDigests|BenchmarkMetadata1GiB)$"},
	{"./upload", "^BenchmarkThroughput$"},
	{"./internal/deadline", "^BenchmarkParallelUploads$"},
}

var phasesRun = goBenchRun{"./internal/cmd/bench", "^BenchmarkPhases$"}

// goBenchArgs returns the go test command line of r.
func goBenchArgs(r goBenchRun, smoke bool) []string {
	args := []string{"go", "test", "-run", "^$", "-bench", r.pattern}
	if smoke {
		args = append(args, "-short", "-benchtime", "1x", "-count", "1")
	} else {
		args = append(args, "-count", "3")
	}
	return append(args, r.pkg)
}

// runGoBench runs the command and returns its output, which is also the
// error's subject when it fails.
func runGoBench(root string, argv []string) (string, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("%s: %v", strings.Join(argv, " "), err)
	}
	return string(out), nil
}

// benchLine matches a result line: name (with its -GOMAXPROCS suffix),
// iterations, then value-unit pairs.
var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+(\d+)\s+(.+)$`)

// benchValues maps "name unit" to every value reported for it, in order.
type benchValues map[string][]float64

func parseGoBench(out string, into benchValues) {
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		m := benchLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		f := strings.Fields(m[3])
		for i := 0; i+1 < len(f); i += 2 {
			if v, err := strconv.ParseFloat(f[i], 64); err == nil {
				into[m[1]+" "+f[i+1]] = append(into[m[1]+" "+f[i+1]], v)
			}
		}
	}
}

// median returns the median of the values reported for name and unit.
func (b benchValues) median(name, unit string) (float64, bool) {
	vs := slices.Sorted(slices.Values(b[name+" "+unit]))
	if len(vs) == 0 {
		return 0, false
	}
	if n := len(vs); n%2 == 0 {
		return (vs[n/2-1] + vs[n/2]) / 2, true
	}
	return vs[len(vs)/2], true
}

// limit is one of the figures the Go benchmarks give, with its goal.
type limit struct {
	ID       int
	Title    string
	Measured string
	Goal     string
	Met      bool
	Found    bool
	// Diagnostic is a figure with no goal, shown for a choice it made.
	Diagnostic bool
}

// limits computes the Go-benchmark figures (5-7 in BENCHMARKS.md) from the
// benchmarks' medians.
func limits(b benchValues) []limit {
	var out []limit
	// 5: one pass computing the digests sent by default (sha256 and
	// blake2b-256; md5 only on request) vs the slower of them alone.
	all, okAll := b.median("BenchmarkDigests/all-parallel", "MB/s")
	slowest, okSlow := 0.0, true
	for _, h := range []string{"sha256", "blake2b"} {
		v, ok := b.median("BenchmarkDigests/"+h, "MB/s")
		okSlow = okSlow && ok
		if slowest == 0 || v < slowest {
			slowest = v
		}
	}
	l := limit{ID: 5, Title: "digests sent (sha256, blake2b-256) in one pass vs the slower alone (throughput ratio)", Goal: ">= 0.90x", Found: okAll && okSlow}
	if l.Found {
		r := all / slowest
		l.Measured, l.Met = fmt.Sprintf("%.2fx (%.0f vs %.0f MB/s)", r, all, slowest), r >= 0.9
	}
	out = append(out, l)
	// 6: upload over loopback, which hashes the file as it sends it, vs
	// computing the same digests alone: what sending costs above the
	// hashing. (Until issue 16 the file was hashed when opened, and this
	// compared the upload with a plain read of the file, shown beside.)
	up, okUp := b.median("BenchmarkThroughput/upload", "MB/s")
	rd, okRd := b.median("BenchmarkThroughput/read", "MB/s")
	l = limit{ID: 6, Title: "upload on loopback, hashing as it sends, vs the digests alone (throughput ratio)", Goal: ">= 0.80x", Found: okUp && okRd && okAll}
	if l.Found {
		r := up / all
		l.Measured, l.Met = fmt.Sprintf("%.2fx (%.0f vs %.0f MB/s; a plain read %.0f MB/s)", r, up, all, rd), r >= 0.8
	}
	out = append(out, l)
	// 7: metadata of a 1 GiB wheel.
	ns, ok := b.median("BenchmarkMetadata1GiB", "ns/op")
	l = limit{ID: 7, Title: "metadata from a 1 GiB wheel", Goal: "<= 10 ms", Found: ok}
	if ok {
		l.Measured, l.Met = fmt.Sprintf("%.3f ms", ns/1e6), ns <= 10e6
	}
	out = append(out, l)
	// 12: which protocol is faster for each shape of upload over TLS;
	// internal/deadline picks by body size from these.
	for _, shape := range []string{"4x256MiB", "12x2MiB-50ms", "200x16KiB"} {
		h1, ok1 := b.median("BenchmarkParallelUploads/"+shape+"/http1.1", "ns/op")
		h2, ok2 := b.median("BenchmarkParallelUploads/"+shape+"/http2", "ns/op")
		l = limit{ID: 12, Title: "HTTPS uploads " + shape + ": one HTTP/2 connection vs HTTP/1.1 connections (time ratio)",
			Goal: "-", Found: ok1 && ok2, Diagnostic: true}
		if l.Found {
			l.Measured = fmt.Sprintf("%.2fx (%.3f vs %.3f s)", h2/h1, h2/1e9, h1/1e9)
		}
		out = append(out, l)
	}
	return out
}
