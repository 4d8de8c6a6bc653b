// Command bench compares the pypi-publish CLI with twine upload against
// pypitest-server and against bench/sink.py (an index that only reads and
// discards), over HTTP and HTTPS, beside the limit of each upload (a raw
// sendfile POST of the same files to the same sink, and each digest
// computed alone), and runs the Go benchmarks that measure the SDK's
// limits. Run it as bench/run (or go run ./internal/cmd/bench) from the
// repository; -smoke runs every scenario once at tiny sizes.
//
// It writes bench/out/results.md (the Markdown it prints), results.json
// (every sample) and the log of every run under bench/out/logs; a smoke
// run writes under bench/out/smoke. It exits 1 if any run failed, not if
// a goal was missed: the report says that.
package main

import (
	"crypto/tls"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

const twinePath = "/usr/bin/twine"

// token is the API token the servers accept and both programs send.
const token = "pypi-benchmark-token-not-a-secret"

func main() {
	smoke := flag.Bool("smoke", false, "run every scenario once at tiny sizes (what CI runs)")
	runs := flag.Int("runs", 5, "timed runs of each program per scenario (1 with -smoke)")
	only := flag.String("scenarios", allScenarios, "comma-separated scenarios to run")
	noGo := flag.Bool("no-go-bench", false, "skip the Go benchmarks (limits 5-7 and 12)")
	noSink := flag.Bool("no-sink", false, "skip the runs against the sink (an index that judges nothing), and so the limit")
	oursArgs := flag.String("ours-args", "", "more space-separated arguments for pypi-publish, e.g. --concurrency=8 (defaults otherwise)")
	flag.Parse()
	if *smoke {
		*runs = 1
	}
	command := os.Getenv("BENCH_COMMAND")
	if command == "" {
		command = strings.Join(append([]string{"go run ./internal/cmd/bench"}, os.Args[1:]...), " ")
	}
	rep := &report{command: command, smoke: *smoke, runs: *runs, sink: !*noSink, oursArgs: strings.Fields(*oursArgs), started: time.Now()}
	if err := rep.run(*only, *noGo); err != nil {
		fmt.Fprintf(os.Stderr, "bench: %v\n", err)
		os.Exit(1)
	}
	if len(rep.errors) > 0 {
		os.Exit(1)
	}
}

// run measures everything and writes the report.
func (rep *report) run(only string, noGo bool) error {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	out := filepath.Join(root, "bench", "out")
	if rep.smoke {
		out = filepath.Join(out, "smoke")
	}
	bins := filepath.Join(root, "bench", "out", "bin")
	logs := filepath.Join(out, "logs")
	if err := os.RemoveAll(logs); err != nil { // the logs of an earlier run would mislead
		return err
	}
	for _, d := range []string{bins, logs} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	if _, err := os.Stat(twinePath); err != nil {
		return fmt.Errorf("%s is missing (Debian package twine; .ci/run installs it)", twinePath)
	}
	for _, cmd := range []string{"pypi-publish", "pypitest-server"} {
		fmt.Fprintf(os.Stderr, "bench: building %s\n", cmd)
		b := exec.Command("go", "build", "-o", filepath.Join(bins, cmd), "./cmd/"+cmd)
		b.Dir, b.Stderr = root, os.Stderr
		if err := b.Run(); err != nil {
			return fmt.Errorf("building %s: %v", cmd, err)
		}
	}
	certs, err := newLoopbackTLS(filepath.Join(out, "tls"))
	if err != nil {
		return fmt.Errorf("making the HTTPS scenarios' certificates: %v", err)
	}
	env := &runEnv{bins: bins, logs: logs, sinkScript: filepath.Join(root, "bench", "sink.py"), tls: certs}
	rep.machine = describeMachine()
	var samples []sample
	for _, sc := range scenarios(rep.smoke) {
		if !slices.Contains(strings.Split(only, ","), fmt.Sprint(sc.id)) {
			continue
		}
		res, ss := rep.scenario(sc, env, filepath.Join(root, "bench", "out", "data"))
		rep.results = append(rep.results, res...)
		samples = append(samples, ss...)
	}
	if !noGo {
		rep.goBenchmarks(root)
		if !rep.smoke {
			rep.profileText = rep.profiles(root, out)
		}
	}
	rep.machine.LoadAfter = loadAverage()
	rep.elapsed = time.Since(rep.started)
	return rep.write(out, samples)
}

// Targets: every scenario runs against pypitest-server; the upload
// scenarios also against the sink, to tell the clients' time from the
// index's, and to measure the limit.
const (
	targetPypitest = "pypitest"
	targetSink     = "sink"
	targetNone     = "none" // a check needs no index
)

// The tools of the samples: the two programs compared, and the parts of
// the limit.
const (
	toolTwine = "twine"
	toolOurs  = "ours"
	toolLimit = "limit"    // the slower of the raw POST and the slowest digest, per run
	toolPost  = "raw-post" // rawPost to the sink
	// and the digestImpls' tools
)

// runEnv is what every run needs: the built programs, the logs'
// directory, the sink and the HTTPS scenarios' certificates.
type runEnv struct {
	bins, logs, sinkScript string
	tls                    *loopbackTLS
}

// scenario runs twine, ours and (against the sink) the limit in turn,
// rotating which goes first, each against a fresh index, once for each
// target.
func (rep *report) scenario(sc scenario, env *runEnv, data string) ([]result, []sample) {
	fmt.Fprintf(os.Stderr, "bench: scenario %d: %s\n", sc.id, sc.title)
	targets := []string{targetPypitest}
	switch {
	case sc.check:
		targets = []string{targetNone}
	case rep.sink:
		targets = append(targets, targetSink)
	}
	files, err := sc.data.materialize(data)
	if err != nil {
		rep.errors = append(rep.errors, fmt.Sprintf("scenario %d: %v", sc.id, err))
		return []result{{sc: sc, target: targetPypitest, tools: map[string]stats{toolTwine: {failed: true}, toolOurs: {failed: true}}}}, nil
	}
	runs := rep.runs
	if sc.maxRuns > 0 {
		runs = min(runs, sc.maxRuns)
	}
	var results []result
	var all []sample
	for _, target := range targets {
		tools := []string{toolTwine, toolOurs}
		if target == targetSink {
			tools = append(tools, toolLimit)
		}
		byTool := map[string][]sample{}
		for run := range runs {
			for i := range tools {
				tool := tools[(i+run)%len(tools)]
				var ss []sample
				var err error
				if tool == toolLimit {
					ss, err = rep.limitOnce(sc, run, files, env)
				} else {
					var s sample
					s, err = rep.runOnce(sc, target, tool, run, files, env)
					ss = []sample{s}
				}
				if err != nil {
					rep.errors = append(rep.errors, fmt.Sprintf("scenario %d (%s), %s, run %d: %v", sc.id, target, tool, run+1, err))
					continue
				}
				for _, s := range ss {
					fmt.Fprintf(os.Stderr, "bench:   %-8s %-9s run %d: %s, peak RSS %.1f MiB\n", target, s.Tool, run+1, seconds(s.Wall), float64(s.MaxRSS)/(1<<20))
					byTool[s.Tool] = append(byTool[s.Tool], s)
				}
				all = append(all, ss...)
			}
		}
		r := result{sc: sc, target: target, runs: runs, tools: map[string]stats{}}
		for tool, ss := range byTool {
			r.tools[tool] = summarise(ss)
		}
		for _, tool := range tools { // a tool that never succeeded
			if _, ok := r.tools[tool]; !ok {
				r.tools[tool] = stats{failed: true}
			}
		}
		results = append(results, r)
	}
	return results, all
}

// startIndex starts the target's index for the scenario.
func (sc scenario) startIndex(target, name string, env *runEnv) (index, error) {
	var certs *loopbackTLS
	if sc.https {
		certs = env.tls
	}
	if target == targetSink {
		return startSink(env.sinkScript, sc.latency, certs, filepath.Join(env.logs, name+".sink.log"))
	}
	return startPypitest(filepath.Join(env.bins, "pypitest-server"), sc.pypitestArgs(env.tls), certs, filepath.Join(env.logs, name+".server.log"))
}

// runOnce starts an index, runs one program against it, checks the index
// got every file (for an upload) and stops the index.
func (rep *report) runOnce(sc scenario, target, tool string, run int, files []string, env *runEnv) (sample, error) {
	name := fmt.Sprintf("s%d-%s-%s-%d", sc.id, target, tool, run+1)
	if target == targetNone {
		s, err := measure(rep.commandLine(sc, tool, "", files, env), toolEnv(), filepath.Join(env.logs, name+".log"))
		s.Scenario, s.Target, s.Tool, s.Run = sc.id, target, tool, run+1
		return s, err
	}
	ix, err := sc.startIndex(target, name, env)
	if err != nil {
		return sample{}, err
	}
	s, err := measure(rep.commandLine(sc, tool, ix.uploadURL(), files, env), toolEnv(), filepath.Join(env.logs, name+".log"))
	return s, finish(ix, &s, err, sc, target, tool, run)
}

// finish checks that the index got every file of the scenario, stops it
// and labels s; it returns the run's error, err first.
func finish(ix index, s *sample, err error, sc scenario, target, tool string, run int) error {
	if err == nil {
		err = ix.verify(sc.data.projects())
	}
	serverCPU, stopErr := ix.stop()
	if err == nil && stopErr != nil {
		err = fmt.Errorf("stopping the index: %v", stopErr)
	}
	s.Scenario, s.Target, s.Tool, s.Run, s.ServerCPU = sc.id, target, tool, run+1, serverCPU
	return err
}

// limitOnce measures the limit once: the raw POST of the files to a
// fresh sink, then each digest we send computed alone over them by each
// implementation. The limit is the slower of the POST and the slower
// digest (each by its faster implementation).
func (rep *report) limitOnce(sc scenario, run int, files []string, env *runEnv) ([]sample, error) {
	name := fmt.Sprintf("s%d-sink-limit-%d", sc.id, run+1)
	ix, err := sc.startIndex(targetSink, name, env)
	if err != nil {
		return nil, err
	}
	var tlsConf *tls.Config
	if sc.https {
		if tlsConf, err = env.tls.config(); err != nil {
			ix.stop()
			return nil, err
		}
	}
	post := sample{}
	post.Wall, err = rawPost(ix.uploadURL(), sc.data.projects(), filepath.Dir(files[0]), tlsConf)
	if err := finish(ix, &post, err, sc, targetSink, toolPost, run); err != nil {
		return nil, err
	}
	out := []sample{post}
	limit := sample{Scenario: sc.id, Target: targetSink, Tool: toolLimit, Run: run + 1, Wall: post.Wall}
	fastest := map[string]time.Duration{}
	for _, d := range digestImpls {
		s, err := timeDigest(d, files, filepath.Join(env.logs, name+"-"+d.tool+".log"))
		if err != nil {
			return nil, fmt.Errorf("%s: %v", d.tool, err)
		}
		s.Scenario, s.Target, s.Tool, s.Run = sc.id, targetSink, d.tool, run+1
		out = append(out, s)
		if f, ok := fastest[d.digest]; !ok || s.Wall < f {
			fastest[d.digest] = s.Wall
		}
	}
	for _, d := range fastest {
		limit.Wall = max(limit.Wall, d)
	}
	return append(out, limit), nil
}

// commandLine is how each program is asked to do the scenario's job.
// twine's progress bar is off (it costs twine time that ours does not
// spend when its output is not a terminal); ours checks by PyPI's rules,
// with -ours-args after its other flags. Over HTTPS both trust the
// run's authority by --cert.
func (rep *report) commandLine(sc scenario, tool, uploadURL string, files []string, env *runEnv) []string {
	var argv []string
	switch {
	case tool == toolTwine && sc.check:
		argv = []string{twinePath, "check"}
	case tool == toolTwine:
		argv = []string{twinePath, "upload", "--non-interactive", "--disable-progress-bar",
			"--repository-url", uploadURL, "-u", "__token__", "-p", token}
	case sc.check:
		argv = []string{filepath.Join(env.bins, "pypi-publish"), "--dry-run", "--checks", "pypi"}
	default:
		argv = []string{filepath.Join(env.bins, "pypi-publish"), "--checks", "pypi",
			"--repository-url", uploadURL, "-u", "__token__", "-p", token}
	}
	if sc.https {
		argv = append(argv, "--cert", env.tls.CA)
	}
	if tool == toolOurs {
		argv = append(argv, rep.oursArgs...)
	}
	return append(argv, files...)
}

// goBenchmarks runs the packages' benchmarks and computes limits 5-7.
func (rep *report) goBenchmarks(root string) {
	values := benchValues{}
	var out strings.Builder
	runs := goBenchRuns
	if !rep.smoke {
		runs = append(runs, phasesRun)
	}
	for _, r := range runs {
		argv := goBenchArgs(r, rep.smoke)
		fmt.Fprintf(os.Stderr, "bench: %s\n", strings.Join(argv, " "))
		rep.goBench = append(rep.goBench, strings.Join(argv, " "))
		text, err := runGoBench(root, argv)
		out.WriteString(text)
		if err != nil {
			rep.errors = append(rep.errors, err.Error())
		}
		parseGoBench(text, values)
	}
	rep.goOut = out.String()
	rep.limits = limits(values)
}

// write prints the Markdown report and saves it with the samples.
func (rep *report) write(out string, samples []sample) error {
	var md strings.Builder
	rep.markdown(&md)
	fmt.Print(md.String())
	if err := os.WriteFile(filepath.Join(out, "results.md"), []byte(md.String()), 0o644); err != nil {
		return err
	}
	b, err := json.MarshalIndent(struct {
		Command string   `json:"command"`
		Machine machine  `json:"machine"`
		Samples []sample `json:"samples"`
		Limits  []limit  `json:"limits"`
		Errors  []string `json:"errors"`
	}{rep.command, rep.machine, samples, rep.limits, rep.errors}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "results.json"), append(b, '\n'), 0o644)
}

// repoRoot is the directory of the go.mod above the working directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory; run bench/run from the repository")
		}
		dir = parent
	}
}
