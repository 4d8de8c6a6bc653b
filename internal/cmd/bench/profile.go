package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// profiled is one phase of BenchmarkPhases whose CPU profile the full
// report shows: where a scenario's time goes.
type profiled struct {
	name, bench, why string
	tag              string // pprof -tagfocus: the samples of this phase, not of the benchmark's set-up
}

var profiledPhases = []profiled{
	{"client-upload", "^BenchmarkPhases$/^256_MiB$/^upload-discard$",
		"our client's upload of a file it has just opened: the body streamed while sha256 and blake2b-256 are computed; scenarios 1 and 2",
		"phase=upload-discard"},
	{"pypitest-upload", "^BenchmarkPhases$/^256_MiB$/^upload-pypitest$",
		"the index's side of one upload to pypitest, which judges the file on the same cores as the client; its share of scenarios 1-3",
		"side=index"},
}

// profiles runs each profiled phase with -cpuprofile into out and returns
// the top of each profile, as Markdown.
func (rep *report) profiles(root, out string) string {
	var b strings.Builder
	for _, p := range profiledPhases {
		prof := filepath.Join(out, p.name+".prof")
		bin := filepath.Join(out, "bench.test")
		argv := []string{"go", "test", "-run", "^$", "-bench", p.bench, "-benchtime", "4x",
			"-cpuprofile", prof, "-o", bin, "./internal/cmd/bench"}
		fmt.Fprintf(os.Stderr, "bench: %s\n", strings.Join(argv, " "))
		text, err := runGoBench(root, argv)
		if err != nil {
			rep.errors = append(rep.errors, err.Error())
			continue
		}
		top := []string{"go", "tool", "pprof", "-top", "-nodecount=15", "-tagfocus=" + p.tag, bin, prof}
		table, err := runGoBench(root, top)
		if err != nil {
			rep.errors = append(rep.errors, err.Error())
			continue
		}
		fmt.Fprintf(&b, "\n%s: %s.\n\n```\n$ %s\n%s$ %s\n%s```\n", p.name, p.why,
			strings.Join(argv, " "), benchLines(text), strings.Join(top, " "), table)
	}
	return b.String()
}

// benchLines keeps the result lines of go test output.
func benchLines(out string) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(out, "\n") {
		if strings.HasPrefix(l, "Benchmark") {
			b.WriteString(l)
		}
	}
	return b.String()
}
