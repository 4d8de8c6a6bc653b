// Package gha speaks to the GitHub Actions runner: workflow commands
// (::add-mask::, ::group::, annotations), the job summary and step outputs
// files, and the INPUT_* variables an action receives. It also makes
// untrusted text (an index's answers, file names, metadata) safe to print
// in the log, on a terminal, in Markdown and in JSON.
package gha

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
)

// Runner writes workflow commands and files for one step. The zero value
// is not usable; create one with New.
type Runner struct {
	mu      sync.Mutex
	out     io.Writer // where workflow commands go (the runner reads stdout and stderr alike)
	getenv  func(string) string
	enabled bool
}

// New returns a Runner that writes workflow commands to w and reads the
// environment through getenv. Commands are written only when enabled is
// true, so the same code can run outside Actions and print nothing extra.
func New(w io.Writer, getenv func(string) string, enabled bool) *Runner {
	return &Runner{out: w, getenv: getenv, enabled: enabled}
}

// Enabled reports whether the step runs under GitHub Actions.
func (r *Runner) Enabled() bool { return r.enabled }

// command writes "::name props::message" with the runner's escaping,
// after dropping control characters from the message and the properties.
func (r *Runner) command(name string, props map[string]string, message string) {
	for k, v := range props {
		props[k] = dropControls(v)
	}
	r.rawCommand(name, props, dropControls(message))
}

// rawCommand writes "::name props::message" with the runner's escaping
// alone.
func (r *Runner) rawCommand(name string, props map[string]string, message string) {
	if !r.enabled {
		return
	}
	var b strings.Builder
	b.WriteString("::")
	b.WriteString(name)
	keys := make([]string, 0, len(props))
	for k, v := range props {
		if v != "" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for i, k := range keys {
		if i == 0 {
			b.WriteByte(' ')
		} else {
			b.WriteByte(',')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(escapeProperty(props[k]))
	}
	b.WriteString("::")
	b.WriteString(escapeData(message))
	b.WriteByte('\n')
	r.mu.Lock()
	defer r.mu.Unlock()
	io.WriteString(r.out, b.String())
}

// The escapers of a command's message and of its property values, built
// once (a Replacer is safe for concurrent use, and costly to build).
var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// escapeData escapes a command's message as the runner unescapes it.
func escapeData(s string) string { return dataEscaper.Replace(s) }

// escapeProperty escapes a command property value; ":" and "," end one.
func escapeProperty(s string) string { return propertyEscaper.Replace(s) }

// Mask tells the runner to replace secret with *** in every log line that
// follows. Call it before anything that could print the secret.
func (r *Runner) Mask(secret string) {
	if secret == "" {
		return
	}
	r.rawCommand("add-mask", nil, secret) // the secret exactly as it will be printed
}

// Group starts a collapsible group of log lines; EndGroup ends it.
func (r *Runner) Group(title string) { r.command("group", nil, title) }

// EndGroup ends the group started by Group.
func (r *Runner) EndGroup() { r.command("endgroup", nil, "") }

// Debug writes a debug message, shown when step debug logging is on.
func (r *Runner) Debug(message string) { r.command("debug", nil, message) }

// Annotation is where an error, warning or notice points.
type Annotation struct {
	Title string
	File  string
	Line  int
}

func (a Annotation) props() map[string]string {
	p := map[string]string{"title": a.Title, "file": a.File}
	if a.Line > 0 {
		p["line"] = fmt.Sprint(a.Line)
	}
	return p
}

// Error writes an error annotation.
func (r *Runner) Error(a Annotation, message string) { r.command("error", a.props(), message) }

// Warning writes a warning annotation.
func (r *Runner) Warning(a Annotation, message string) { r.command("warning", a.props(), message) }

// Notice writes a notice annotation.
func (r *Runner) Notice(a Annotation, message string) { r.command("notice", a.props(), message) }

// appendFile appends text to the file named by the environment variable
// env (GITHUB_STEP_SUMMARY, GITHUB_OUTPUT). It does nothing when the
// variable is unset, as outside Actions.
func (r *Runner) appendFile(env, text string) error {
	path := r.getenv(env)
	if path == "" {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("gha: %s: %w", env, err)
	}
	_, err = io.WriteString(f, text)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("gha: %s: %w", env, err)
	}
	return nil
}

// Summary appends Markdown to the job summary ($GITHUB_STEP_SUMMARY).
func (r *Runner) Summary(markdown string) error {
	return r.appendFile("GITHUB_STEP_SUMMARY", markdown)
}

// SetOutput sets a step output in $GITHUB_OUTPUT. Values may span lines:
// they are written between random delimiters the value cannot contain.
func (r *Runner) SetOutput(name, value string) error {
	var d [12]byte
	rand.Read(d[:])
	delim := "ghadelimiter_" + hex.EncodeToString(d[:])
	return r.appendFile("GITHUB_OUTPUT", name+"<<"+delim+"\n"+value+"\n"+delim+"\n")
}

// Input returns the action input name as gh-action-pypi-publish reads it:
// INPUT_<NAME> with the kebab-case name first, then its snake_case alias,
// "" when neither is set.
func (r *Runner) Input(name string) string {
	upper := strings.ToUpper(name)
	if v := r.getenv("INPUT_" + upper); v != "" {
		return v
	}
	return r.getenv("INPUT_" + strings.ReplaceAll(upper, "-", "_"))
}

// BoolInput reports the input as the action's shell script tests it:
// anything but "false" (any case) is true; an unset input is def.
func (r *Runner) BoolInput(name string, def bool) bool {
	v := r.Input(name)
	if v == "" {
		return def
	}
	return !strings.EqualFold(v, "false")
}
