package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// result is the outcome of one scenario against one target.
type result struct {
	sc     scenario
	target string // targetPypitest, targetSink or targetNone
	runs   int
	tools  map[string]stats // by tool; the limit's parts against the sink only
}

// ratio is our median wall time over tool's.
func (r result) ratio(tool string) float64 {
	return r.tools[toolOurs].Median.Seconds() / r.tools[tool].Median.Seconds()
}

// hasLimit reports whether the row shows the limit: the sink rows.
func (r result) hasLimit() bool { return r.target == targetSink }

// verdict judges the row's goals: those against twine and the peak RSS
// on the pypitest (or check) rows, where the index does its work, that
// against the limit on the sink rows, where it was measured.
func (r result) verdict() string {
	if r.tools[toolTwine].failed || r.tools[toolOurs].failed || r.hasLimit() && r.tools[toolLimit].failed {
		return "failed"
	}
	var judged, missed []string
	if r.hasLimit() {
		if r.sc.goalLimit > 0 {
			judged = append(judged, "limit")
			if r.ratio(toolLimit) > r.sc.goalLimit {
				missed = append(missed, "vs limit")
			}
		}
	} else {
		if r.sc.goalTwine > 0 {
			judged = append(judged, "twine")
			if r.ratio(toolTwine) > r.sc.goalTwine {
				missed = append(missed, "vs twine")
			}
		}
		if r.sc.goalRSS > 0 {
			judged = append(judged, "RSS")
			if r.tools[toolOurs].MaxRSS > r.sc.goalRSS {
				missed = append(missed, "RSS")
			}
		}
	}
	switch {
	case len(judged) == 0:
		return "diagnostic"
	case len(missed) > 0:
		return "**missed** (" + strings.Join(missed, ", ") + ")"
	}
	return "met"
}

// goalText lists the goals the row is judged on.
func (r result) goalText() string {
	var g []string
	if r.hasLimit() {
		if r.sc.goalLimit > 0 {
			g = append(g, fmt.Sprintf("<= %.2fx limit", r.sc.goalLimit))
		}
	} else {
		if r.sc.goalTwine > 0 {
			g = append(g, fmt.Sprintf("<= %.2fx twine", r.sc.goalTwine))
		}
		if r.sc.goalRSS > 0 {
			g = append(g, fmt.Sprintf("RSS <= %d MiB", r.sc.goalRSS>>20))
		}
	}
	if len(g) == 0 {
		return "-"
	}
	return strings.Join(g, ", ")
}

// slowestDigest is the digest whose faster implementation (by median)
// is the slower, and that implementation's tool.
func (r result) slowestDigest() (digest, tool string) {
	var slowest time.Duration
	for _, dg := range digests {
		best := ""
		for _, d := range digestImpls {
			if s := r.tools[d.tool]; d.digest == dg && !s.failed && (best == "" || s.Median < r.tools[best].Median) {
				best = d.tool
			}
		}
		if best != "" && r.tools[best].Median >= slowest {
			digest, tool, slowest = dg, best, r.tools[best].Median
		}
	}
	return digest, tool
}

// report is everything a run measured.
type report struct {
	command  string
	smoke    bool
	runs     int
	sink     bool     // also run the upload scenarios against a sink
	oursArgs []string // more arguments for pypi-publish
	started  time.Time
	elapsed  time.Duration
	machine  machine
	results  []result
	limits   []limit
	goBench  []string // the go test command lines
	goOut    string   // their output
	// profileText is the top of the CPU profiles of the phases of
	// BenchmarkPhases (full runs only), as Markdown.
	profileText string
	errors      []string
}

// markdown writes the report as Markdown.
func (rep *report) markdown(w io.Writer) {
	m := rep.machine
	fmt.Fprintf(w, "# Benchmarks: pypi-publish vs twine upload\n\n")
	if rep.smoke {
		fmt.Fprintf(w, "**Smoke run**: tiny sizes, one run each; it proves the harness works, its figures mean nothing and no goal is judged.\n\n")
	}
	fmt.Fprintf(w, "Command: `%s`  \n", rep.command)
	fmt.Fprintf(w, "Started %s UTC, took %s.\n\n", rep.started.UTC().Format("2006-01-02 15:04:05"), rep.elapsed.Round(time.Second))
	fmt.Fprintf(w, "Machine: %s, nproc %d, memory %s, Linux %s; %s; %s.  \n", m.CPU, m.NProc, m.Memory, m.Kernel, m.GoVersion, m.Twine)
	fmt.Fprintf(w, "Load average (1, 5, 15 min) before: %s; after: %s.\n\n", m.LoadBefore, m.LoadAfter)
	fmt.Fprintf(w, "Each scenario runs `pypi-publish` and `/usr/bin/twine` against a fresh `pypitest-server` per run "+
		"(index *pypitest*), then against a fresh *sink* per run (`bench/sink.py`: one Python server for every client, which reads "+
		"each body and discards it, finds the file's name, and answers 200 after the same latency, judging nothing), "+
		"rotating which goes first, %d run(s) each (column runs). The sink rows show what the clients themselves cost, "+
		"since pypitest judges every file (digests, archive, metadata, description) on the same cores as the client; "+
		"the goals against twine and the RSS goal are judged on the pypitest rows, the goal against the limit on the sink rows.\n\n", rep.runs)
	fmt.Fprintf(w, "The *limit* (sink rows only), measured in the same rotation: the slower of (a) a raw POST of the same files to "+
		"the same sink, the least form it takes (two fields, then the file) on persistent connections, the first file of each "+
		"project alone and then %d at a time as ours schedules them, the file sent by Go's `net.TCPConn.ReadFrom` from the "+
		"`*os.File`, which is `sendfile(2)` on Linux (over HTTPS, TLS needs the bytes in user space: copied through Go's "+
		"`crypto/tls`), and (b) the slower of the digests we send (sha256, blake2b-256) computed alone over the files by coreutils, `sha256sum` and "+
		"`b2sum -l 256`, and by Go's `crypto/sha256` and `x/crypto/blake2b` (what our client uses) in the harness's process: each "+
		"digest by its faster implementation (the column names which; Debian's `sha256sum` lacks the SHA extensions). "+
		"The limit column is the median of the per-run maxima.\n\n", rawPostParallel)
	fmt.Fprintln(w, "| # | scenario | index | runs | limit: raw POST | limit: slowest digest | limit | ours | twine | ours/limit | ours/twine | goal | result |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range rep.results {
		met := r.verdict()
		if rep.smoke && met != "failed" && met != "diagnostic" {
			met = "not judged"
		}
		post, digest, limit, ratioLimit := "-", "-", "-", "-"
		if r.hasLimit() {
			post, limit = wallText(r.tools[toolPost]), wallText(r.tools[toolLimit])
			if dg, tool := r.slowestDigest(); tool != "" {
				digest = dg + " by " + tool + ": " + wallText(r.tools[tool])
			}
			ratioLimit = ratioText(r, toolLimit)
		}
		fmt.Fprintf(w, "| %d | %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", r.sc.id, r.sc.title, r.target, r.runs,
			post, digest, limit, wallText(r.tools[toolOurs]), wallText(r.tools[toolTwine]),
			ratioLimit, ratioText(r, toolTwine), r.goalText(), met)
	}
	fmt.Fprintln(w, "\nWall times: median (min-max). Resources of the same runs: peak RSS is the process's maximum resident set "+
		"from wait4 (what `/usr/bin/time -v` reports), median (largest); CPU is the median user + system time of the program "+
		"and of the index it ran against (which shares the machine's cores; pypitest's includes its start-up, mostly an RSA key "+
		"for the fake issuer, 0.02-0.3 s, the sink's a Python interpreter's start, about 0.05 s).")
	impls := make([]string, len(digestImpls))
	for i, d := range digestImpls {
		impls[i] = d.tool
	}
	fmt.Fprintf(w, "\n| # | index | ours peak RSS | twine peak RSS | CPU: ours / its index | CPU: twine / its index | CPU: raw POST's sink | digests alone, wall: %s |\n", strings.Join(impls, " / "))
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|")
	for _, r := range rep.results {
		sinkCPU, digestCPU := "-", "-"
		if r.hasLimit() {
			sinkCPU = seconds(r.tools[toolPost].MedianServerCPU)
			walls := make([]string, len(digestImpls))
			for i, d := range digestImpls {
				walls[i] = seconds(r.tools[d.tool].Median)
			}
			digestCPU = strings.Join(walls, " / ")
		}
		fmt.Fprintf(w, "| %d | %s | %s | %s | %s | %s | %s | %s |\n", r.sc.id, r.target,
			rssText(r.tools[toolOurs]), rssText(r.tools[toolTwine]), cpuText(r.tools[toolOurs]), cpuText(r.tools[toolTwine]), sinkCPU, digestCPU)
	}
	fmt.Fprintln(w, "\n| # | limit (Go benchmark, median of its runs) | measured | goal | result |")
	fmt.Fprintln(w, "|---|---|---|---|---|")
	for _, l := range rep.limits {
		measured, met := l.Measured, "met"
		switch {
		case !l.Found:
			measured, met = "not measured", "failed"
		case l.Diagnostic:
			met = "diagnostic"
		case rep.smoke:
			met = "not judged"
		case !l.Met:
			met = "**missed**"
		}
		fmt.Fprintf(w, "| %d | %s | %s | %s | %s |\n", l.ID, l.Title, measured, l.Goal, met)
	}
	fmt.Fprintf(w, "\nGo benchmarks:\n\n```\n$ %s\n%s```\n", strings.Join(rep.goBench, "\n$ "), rep.goOut)
	if rep.profileText != "" {
		fmt.Fprintf(w, "\nCPU profiles of BenchmarkPhases (internal/cmd/bench/phases_test.go):\n%s", rep.profileText)
	}
	if len(rep.errors) > 0 {
		fmt.Fprintf(w, "\nErrors:\n\n")
		for _, e := range rep.errors {
			fmt.Fprintf(w, "- %s\n", e)
		}
	}
}

func wallText(s stats) string {
	if s.failed {
		return "failed"
	}
	return fmt.Sprintf("%s (%s-%s)", seconds(s.Median), seconds(s.Min), seconds(s.Max))
}

func ratioText(r result, tool string) string {
	if r.tools[tool].failed || r.tools[toolOurs].failed {
		return "-"
	}
	return fmt.Sprintf("%.3fx", r.ratio(tool))
}

func rssText(s stats) string {
	if s.failed {
		return "-"
	}
	return fmt.Sprintf("%.1f MiB (%.1f)", float64(s.MedianRSS)/(1<<20), float64(s.MaxRSS)/(1<<20))
}

func cpuText(s stats) string {
	if s.failed {
		return "-"
	}
	if s.MedianServerCPU == 0 {
		return seconds(s.MedianCPU) + " / -"
	}
	return seconds(s.MedianCPU) + " / " + seconds(s.MedianServerCPU)
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f s", d.Seconds()) }
