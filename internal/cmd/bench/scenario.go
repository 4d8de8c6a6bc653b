package main

import (
	"fmt"
	"time"
)

// scenario is one comparison of our CLI with twine, and with the limit.
type scenario struct {
	id         int
	title      string
	data       dataset
	latency    time.Duration // the index's delay of every answer
	https      bool          // the indexes serve HTTPS (pypitest offering HTTP/2 too)
	serverArgs []string      // pypitest-server flags besides -json, -token, -latency and TLS
	check      bool          // check the files (dry run) instead of uploading them
	goalTwine  float64       // the largest acceptable ratio of our wall time to twine's, against pypitest; 0 for none
	goalLimit  float64       // the largest acceptable ratio of our wall time to the limit's, against the sink; 0 for none
	goalRSS    int64         // the largest acceptable peak RSS of ours, in bytes; 0 for none
	maxRuns    int           // caps the runs of a long scenario; 0 for no cap
}

// allScenarios is the -scenarios default. 5-7 number the Go benchmarks'
// limits, kept from before the later scenarios.
const allScenarios = "1,2,3,4,8,9,10,11"

// scenarios returns the side-by-side scenarios, at tiny sizes for a
// smoke run.
func scenarios(smoke bool) []scenario {
	wheels, wheelSize, latency := 24, int64(8<<20), 50*time.Millisecond
	few, fewSize := 12, int64(2<<20)
	bigSize, tiny, checked := int64(1<<30), 200, 50
	prefix := ""
	if smoke {
		wheels, wheelSize, latency = 3, 64<<10, 5*time.Millisecond
		few, fewSize = 3, 64<<10
		bigSize, tiny, checked = 8<<20, 5, 5
		prefix = "smoke-"
	}
	big := dataset{name: fmt.Sprintf("%sbig-%d", prefix, bigSize),
		wheels: []wheelSpec{{project: "benchpkg", tag: "py3-none-any", payload: bigSize, seed: 1000}}}
	release := oneProject(fmt.Sprintf("%sproject-%dx%d", prefix, wheels, wheelSize), wheels, wheelSize)
	release.sdist = "benchpkg"
	fewWheels := oneProject(fmt.Sprintf("%sproject-%dx%d", prefix, few, fewSize), few, fewSize)
	tinyWheels := manyProjects(fmt.Sprintf("%stiny-%d", prefix, tiny), tiny, 0)
	bigScenario := func(id int, https bool) scenario {
		return scenario{id: id, title: fmt.Sprintf("one %s wheel, no added latency%s", sizeText(bigSize), httpsText(https)),
			data: big, https: https, serverArgs: []string{"-max-file-size", "2GiB"},
			goalTwine: 0.5, goalLimit: 1.2, goalRSS: 32 << 20,
			maxRuns: 3, // a run of each takes up to a minute on a busy 2-core machine
		}
	}
	fewScenario := func(id int, https bool) scenario {
		return scenario{id: id, title: fmt.Sprintf("%d wheels of %s, %s added per request%s", few, sizeText(fewSize), latency, httpsText(https)),
			data: fewWheels, latency: latency, https: https, goalLimit: 1.2}
	}
	tinyScenario := func(id int, https bool) scenario {
		return scenario{id: id, title: fmt.Sprintf("%d tiny wheels (one project each), no added latency%s", tiny, httpsText(https)),
			data: tinyWheels, https: https, goalTwine: 0.2}
	}
	return []scenario{{
		id:        1,
		title:     fmt.Sprintf("%d wheels of %s + 1 sdist, %s added per request", wheels, sizeText(wheelSize), latency),
		data:      release,
		latency:   latency,
		goalTwine: 0.25,
	},
		bigScenario(2, false),
		tinyScenario(3, false),
		{
			id:        4,
			title:     fmt.Sprintf("check %d files: --dry-run vs twine check", checked),
			data:      manyProjects(fmt.Sprintf("%stiny-%d", prefix, checked), checked, 0),
			check:     true,
			goalTwine: 0.1,
		},
		fewScenario(8, false),
		bigScenario(9, true),
		fewScenario(10, true),
		tinyScenario(11, true),
	}
}

func httpsText(https bool) string {
	if https {
		return ", HTTPS"
	}
	return ""
}

// pypitestArgs are the flags of the scenario's pypitest-server.
func (sc scenario) pypitestArgs(tls *loopbackTLS) []string {
	args := []string{"-v", "-token", token}
	if sc.latency > 0 {
		args = append(args, "-latency", sc.latency.String())
	}
	if sc.https {
		args = append(args, "-tls-cert", tls.Cert, "-tls-key", tls.Key)
	}
	return append(args, sc.serverArgs...)
}

// sizeText writes a byte count in binary units.
func sizeText(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}
