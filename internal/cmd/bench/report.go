package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// result is the outcome of one scenario.
type result struct {
	sc          scenario
	target      string // targetPypitest or targetSink
	runs        int
	twine, ours stats
}

// ratio is our median wall time over twine's.
func (r result) ratio() float64 { return r.ours.Median.Seconds() / r.twine.Median.Seconds() }

func (r result) met() string {
	switch {
	case r.twine.failed || r.ours.failed:
		return "failed"
	case r.target == targetSink:
		return "diagnostic"
	case r.ratio() > r.sc.goal:
		return "**missed**"
	case r.sc.goalRSS > 0 && r.ours.MaxRSS > r.sc.goalRSS:
		return "**missed** (RSS)"
	}
	return "met"
}

func (r result) goalText() string {
	g := fmt.Sprintf("<= %.2fx", r.sc.goal)
	if r.sc.goalRSS > 0 {
		g += fmt.Sprintf(", RSS <= %d MiB", r.sc.goalRSS>>20)
	}
	return g
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
		"(index *pypitest*), alternating which goes first, %d run(s) each (column runs); the goals are judged on these rows. "+
		"The upload scenarios run again against a *sink*, an index in the harness's process that reads each form and "+
		"answers 200 after the same latency without judging anything: the sink rows show what the clients themselves cost, "+
		"since pypitest judges every file (digests, archive, metadata, description) on the same cores as the client. Wall time is from start to exit; peak RSS is the process's "+
		"maximum resident set from wait4 (what `/usr/bin/time -v` reports); CPU is user + system time of the program and of "+
		"the server it ran against (the server shares the machine's cores with the program; its CPU includes its start-up, "+
		"mostly an RSA key for the fake issuer, 0.02-0.3 s).\n\n", rep.runs)
	fmt.Fprintln(w, "| # | scenario | index | runs | twine wall, median (min-max) | ours wall, median (min-max) | ours/twine | goal | twine peak RSS | ours peak RSS | CPU: twine / its server | CPU: ours / its server | result |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range rep.results {
		met := r.met()
		if rep.smoke && met != "failed" && met != "diagnostic" {
			met = "not judged"
		}
		fmt.Fprintf(w, "| %d | %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", r.sc.id, r.sc.title, r.target, r.runs,
			wallText(r.twine), wallText(r.ours), ratioText(r), r.goalText(),
			rssText(r.twine), rssText(r.ours), cpuText(r.twine), cpuText(r.ours), met)
	}
	fmt.Fprintln(w, "\nPeak RSS: median of the runs (largest in brackets).")
	fmt.Fprintln(w, "\n| # | limit (Go benchmark, median of its runs) | measured | goal | result |")
	fmt.Fprintln(w, "|---|---|---|---|---|")
	for _, l := range rep.limits {
		measured, met := l.Measured, "met"
		switch {
		case !l.Found:
			measured, met = "not measured", "failed"
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

func ratioText(r result) string {
	if r.twine.failed || r.ours.failed {
		return "-"
	}
	return fmt.Sprintf("%.3fx", r.ratio())
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
