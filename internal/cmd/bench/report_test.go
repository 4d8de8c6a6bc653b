package main

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// goTestOutput is go test -bench output in the shape the limits read,
// with two counts of each benchmark.
const goTestOutput = `goos: linux
pkg: github.com/trustpub/pypi/dist
BenchmarkDigests/all-parallel-2         	      10	 100000000 ns/op	 700.00 MB/s
BenchmarkDigests/all-parallel-2         	      10	 100000000 ns/op	 720.00 MB/s
BenchmarkDigests/sha256-2               	      30	  39237752 ns/op	1710.31 MB/s
BenchmarkDigests/blake2b-2              	      20	  74189130 ns/op	 904.56 MB/s
BenchmarkDigests/md5-2                  	      20	  83770479 ns/op	 800.00 MB/s
BenchmarkMetadata1GiB-2                 	   10000	    187930 ns/op
BenchmarkMetadata1GiB-2                 	   10000	    200000 ns/op
PASS
BenchmarkThroughput/upload-2         	       5	 216727534 ns/op	1000.00 MB/s
BenchmarkThroughput/read-2           	       5	  74914911 ns/op	4000.00 MB/s
BenchmarkParallelUploads/4x256MiB/http1.1-2         	       3	1000000000 ns/op	 815.10 MB/s
BenchmarkParallelUploads/4x256MiB/http2-2           	       3	2000000000 ns/op	 399.28 MB/s
BenchmarkParallelUploads/200x16KiB/http1.1-2        	       3	  50000000 ns/op	  55.10 MB/s
BenchmarkParallelUploads/200x16KiB/http2-2          	       3	  20000000 ns/op	 152.10 MB/s
`

func TestLimitsFromGoBench(t *testing.T) {
	t.Parallel()
	values := benchValues{}
	parseGoBench(goTestOutput, values)
	got := limits(values)
	type figure struct {
		Found    bool
		Measured string
		Met      bool
	}
	want := []figure{
		{true, "0.78x (710 vs 905 MB/s)", false}, // median of 700 and 720 over blake2b, the slower (md5 is not sent)
		{true, "1.41x (1000 vs 710 MB/s; a plain read 4000 MB/s)", true},
		{true, "0.194 ms", true},
		{true, "2.00x (2.000 vs 1.000 s)", false},
		{false, "", false}, // 12x2MiB-50ms did not run
		{true, "0.40x (0.020 vs 0.050 s)", false},
	}
	var figures []figure
	for _, l := range got {
		figures = append(figures, figure{l.Found, l.Measured, l.Met})
	}
	if diff := cmp.Diff(want, figures); diff != "" {
		t.Errorf("limits (-want +got):\n%s", diff)
	}
}

func TestLimitsWithoutBenchmarks(t *testing.T) {
	t.Parallel()
	values := benchValues{}
	parseGoBench("FAIL\tgithub.com/trustpub/pypi/dist [build failed]\n", values)
	for _, l := range limits(values) {
		if l.Found {
			t.Errorf("limit %d found in a failed run: %+v", l.ID, l)
		}
	}
}

func TestSummarise(t *testing.T) {
	t.Parallel()
	s := summarise([]sample{
		{Wall: 3 * time.Second, MaxRSS: 30, CPU: 3},
		{Wall: 1 * time.Second, MaxRSS: 10, CPU: 1},
		{Wall: 2 * time.Second, MaxRSS: 50, CPU: 2},
		{Wall: 9 * time.Second, MaxRSS: 20, CPU: 9},
	})
	if s.Median != 2500*time.Millisecond || s.Min != time.Second || s.Max != 9*time.Second ||
		s.MedianRSS != 25 || s.MaxRSS != 50 || s.MedianCPU != 2 || s.N != 4 {
		t.Errorf("summarise = %+v", s)
	}
	if !summarise(nil).failed {
		t.Error("no samples is not a failure")
	}
}

// The report judges the goals against twine and the RSS goal on the
// pypitest rows, the goal against the limit on the sink rows, and none on
// a smoke run.
func TestReportJudgesGoals(t *testing.T) {
	t.Parallel()
	sc := scenario{id: 2, title: "big", goalTwine: 0.5, goalLimit: 1.2, goalRSS: 48 << 20}
	fast := stats{N: 1, Median: time.Second, MedianRSS: 10 << 20, MaxRSS: 10 << 20}
	slow := stats{N: 1, Median: 4 * time.Second}
	fat := stats{N: 1, Median: time.Second, MaxRSS: 60 << 20}
	failed := stats{failed: true}
	row := func(target string, twine, ours, limit stats) result {
		tools := map[string]stats{toolTwine: twine, toolOurs: ours}
		if target == targetSink {
			tools[toolLimit], tools[toolPost] = limit, limit
			for _, d := range digestImpls {
				tools[d.tool] = limit
			}
		}
		return result{sc: sc, target: target, runs: 1, tools: tools}
	}
	for _, c := range []struct {
		r    result
		want string
	}{
		{row(targetPypitest, slow, fast, stats{}), "met"},
		{row(targetPypitest, fast, slow, stats{}), "**missed** (vs twine)"},
		{row(targetPypitest, slow, fat, stats{}), "**missed** (RSS)"},
		{row(targetPypitest, slow, failed, stats{}), "failed"},
		{row(targetSink, fast, fast, fast), "met"},                   // 1x the limit, whatever twine took
		{row(targetSink, slow, slow, fast), "**missed** (vs limit)"}, // 4x
		{row(targetSink, slow, fat, slow), "met"},                    // RSS is judged against pypitest
		{row(targetSink, slow, fast, failed), "failed"},
		{result{sc: scenario{goalTwine: 0.5}, target: targetSink, tools: map[string]stats{toolTwine: slow, toolOurs: slow, toolLimit: fast}}, "diagnostic"},
	} {
		if got := c.r.verdict(); got != c.want {
			t.Errorf("%s, ours %v vs twine %v, limit %v: %q, want %q", c.r.target, c.r.tools[toolOurs].Median,
				c.r.tools[toolTwine].Median, c.r.tools[toolLimit].Median, got, c.want)
		}
	}
	var md strings.Builder
	rep := &report{smoke: true, results: []result{row(targetPypitest, fast, slow, stats{}), row(targetSink, fast, slow, fast)}}
	rep.markdown(&md)
	if strings.Count(md.String(), "| not judged |") != 2 || strings.Contains(md.String(), "missed") {
		t.Errorf("a smoke run judged a goal:\n%s", md.String())
	}
}
