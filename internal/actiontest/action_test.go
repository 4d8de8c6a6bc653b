package actiontest

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// metadata is the part of action.yml the runner reads.
type metadata struct {
	Inputs map[string]struct {
		Required           bool
		Default            *string
		DeprecationMessage string `yaml:"deprecationMessage"`
	}
	Outputs map[string]struct{ Value string }
	Runs    struct {
		Using string
		Steps []step
	}
}

type step struct {
	ID    string
	If    string
	Uses  string
	With  map[string]string
	Shell string
	Env   map[string]string
	Run   string
}

// root is the repository's top directory: the action's path.
func root(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func readMetadata(t *testing.T) *metadata {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root(t), "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var m metadata
	if err := yaml.Unmarshal(b, &m); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if m.Runs.Using != "composite" {
		t.Fatalf("action.yml: runs.using is %q, want composite", m.Runs.Using)
	}
	return &m
}

// inputEnvName is the variable the runner gives an input of a Docker or
// JavaScript action: INPUT_, then the name upper-cased with spaces turned
// to underscores (hyphens stay).
func inputEnvName(name string) string {
	return "INPUT_" + strings.ToUpper(strings.ReplaceAll(name, " ", "_"))
}

// inputs are the values the runner gives ${{ inputs.* }}: each declared
// input's default, overridden by the workflow's `with:` (names match
// case-insensitively, as the runner matches them).
func inputs(t *testing.T, m *metadata, with map[string]string) map[string]any {
	t.Helper()
	out := map[string]any{}
	for name, in := range m.Inputs {
		out[name] = ""
		if in.Default != nil {
			out[name] = *in.Default
		}
	}
	for k, v := range with {
		found := false
		for name := range m.Inputs {
			if strings.EqualFold(name, k) {
				out[name], found = v, true
			}
		}
		if !found {
			t.Fatalf("with: %q is not an input of action.yml", k)
		}
	}
	return out
}

var (
	exprRE = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)
	termRE = regexp.MustCompile(`^(?:'([^']*)'|([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*))$`)
)

// eval evaluates the subset of the expression language action.yml may
// use: a context path (steps.id.outputs.name), a 'string', a == or !=
// comparison of two of those, or a chain of them joined by || (the first
// non-empty). Anything else fails the test, so the action cannot grow an
// expression this emulation would misread.
func eval(t *testing.T, expr string, ctx map[string]any) string {
	t.Helper()
	for _, op := range []string{"!=", "=="} {
		if l, r, ok := strings.Cut(expr, op); ok {
			eq := eval(t, strings.TrimSpace(l), ctx) == eval(t, strings.TrimSpace(r), ctx)
			if eq == (op == "==") {
				return "true"
			}
			return ""
		}
	}
	for _, alt := range strings.Split(expr, "||") {
		m := termRE.FindStringSubmatch(strings.TrimSpace(alt))
		if m == nil {
			t.Fatalf("expression %q: unsupported term %q", expr, alt)
		}
		v := m[1]
		if m[2] != "" {
			v = lookup(ctx, strings.Split(m[2], "."))
		}
		if v != "" {
			return v
		}
	}
	return ""
}

func lookup(ctx map[string]any, path []string) string {
	var cur any = ctx
	for _, p := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		cur = m[p]
	}
	s, _ := cur.(string)
	return s
}

// expand replaces every ${{ }} in s.
func expand(t *testing.T, s string, ctx map[string]any) string {
	return exprRE.ReplaceAllStringFunc(s, func(e string) string {
		return eval(t, exprRE.FindStringSubmatch(e)[1], ctx)
	})
}

// parseOutputs reads a GITHUB_OUTPUT file: name=value lines and
// name<<DELIMITER blocks.
func parseOutputs(t *testing.T, path string) map[string]any {
	t.Helper()
	out := map[string]any{}
	b, err := os.ReadFile(path)
	if err != nil {
		return out
	}
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	for sc.Scan() {
		line := sc.Text()
		if name, delim, ok := strings.Cut(line, "<<"); ok && !strings.Contains(name, "=") {
			var lines []string
			for sc.Scan() && sc.Text() != delim {
				lines = append(lines, sc.Text())
			}
			out[name] = strings.Join(lines, "\n")
			continue
		}
		name, value, ok := strings.Cut(line, "=")
		if !ok {
			t.Fatalf("%s: bad line %q", path, line)
		}
		out[name] = value
	}
	return out
}

// job is one run of the action in a job: the workflow's `with:`, the
// job's environment and the workspace the steps run in.
type job struct {
	with      map[string]string
	env       map[string]string
	workspace string
}

// ran is what a run of the action left.
type ran struct {
	stdout     string // every step's output, in order
	failed     bool   // a step exited non-zero
	summary    string
	outputs    map[string]string // the action's outputs
	publishEnv map[string]string // the publish step's evaluated env
	skipped    []string          // the uses: steps skipped by their if:
	cacheKey   string            // the key actions/cache was given
}

// play runs the composite's steps as the runner does. The steps that use
// other actions are played by hand: actions/cache restores Go's caches
// (links to this machine's, so nothing is downloaded) and actions/setup-go
// must be skipped by its if:, this machine having Go on PATH.
func play(t *testing.T, m *metadata, j job) ran {
	t.Helper()
	temp := t.TempDir()
	summary := filepath.Join(temp, "step_summary.md")
	ctx := map[string]any{
		"inputs": inputs(t, m, j.with),
		"runner": map[string]any{"temp": temp, "os": "Linux", "arch": "X64"},
		"github": map[string]any{"action_path": root(t), "workspace": j.workspace},
		"steps":  map[string]any{},
	}
	var r ran
	var log strings.Builder
	for i, s := range m.Runs.Steps {
		if s.If != "" && eval(t, s.If, ctx) == "" {
			r.skipped = append(r.skipped, s.Uses)
			continue
		}
		if s.Uses != "" {
			if !strings.HasPrefix(s.Uses, "actions/cache@") {
				t.Fatalf("step %d: cannot play %s", i, s.Uses)
			}
			r.cacheKey = expand(t, s.With["key"], ctx)
			restoreGoCaches(t, expand(t, s.With["path"], ctx))
			continue
		}
		if s.Shell != "bash" {
			t.Fatalf("step %d: shell %q, want bash", i, s.Shell)
		}
		script := filepath.Join(temp, "step.sh")
		if err := os.WriteFile(script, []byte(s.Run), 0o600); err != nil {
			t.Fatal(err)
		}
		output := filepath.Join(temp, "output")
		os.Remove(output)
		env := map[string]string{
			"PATH": os.Getenv("PATH"), "HOME": os.Getenv("HOME"),
			"GITHUB_ACTION_PATH": root(t), "GITHUB_WORKSPACE": j.workspace, "RUNNER_TEMP": temp,
			"GITHUB_OUTPUT": output, "GITHUB_STEP_SUMMARY": summary,
		}
		for k, v := range j.env {
			env[k] = v
		}
		stepEnv := map[string]string{}
		for k, v := range s.Env {
			stepEnv[k] = expand(t, v, ctx)
			env[k] = stepEnv[k]
		}
		if s.ID == "publish" {
			r.publishEnv = stepEnv
		}
		// The runner's bash: bash --noprofile --norc -eo pipefail {0}.
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", script)
		cmd.Dir = j.workspace
		for k, v := range env {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		out, err := cmd.CombinedOutput()
		log.Write(out)
		if s.ID != "" {
			ctx["steps"].(map[string]any)[s.ID] = map[string]any{"outputs": parseOutputs(t, output)}
		}
		if err != nil {
			r.failed = true
			break
		}
	}
	r.stdout = log.String()
	b, _ := os.ReadFile(summary)
	r.summary = string(b)
	r.outputs = map[string]string{}
	for name, o := range m.Outputs {
		r.outputs[name] = expand(t, o.Value, ctx)
	}
	return r
}

// restoreGoCaches plays actions/cache's restore of dir: mod and build
// become this machine's module and build caches.
func restoreGoCaches(t *testing.T, dir string) {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMODCACHE", "GOCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	paths := strings.Fields(string(out))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"mod", "build"} {
		if err := os.Symlink(paths[i], filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
}
