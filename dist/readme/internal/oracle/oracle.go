// Package oracle runs readme_renderer in a Python process, so that tests
// can compare package readme's verdicts with the real renderer's.
package oracle

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
)

//go:embed oracle.py
var script string

// Verdict is readme_renderer's answer for one description.
type Verdict struct {
	// Failed reports that PyPI would not render the description (an
	// empty description never fails: PyPI skips it).
	Failed bool
	// Line, Level and Message are the first halting docutils message:
	// Line is 1-based (0 when docutils gives none), Level is docutils'
	// level (0 when there is no message, as for empty output).
	Line    int
	Level   int
	Message string
}

// Oracle is one long-running Python process that checks many descriptions
// with readme_renderer, choosing the renderer as PyPI does; it is not safe
// for concurrent use.
type Oracle struct {
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	stderr bytes.Buffer
}

// Start starts python running the oracle script, with env added to the
// process environment (for example a PYTHONPATH holding other versions
// of the libraries). Close releases it.
func Start(ctx context.Context, python string, env []string) (*Oracle, error) {
	o := &Oracle{cmd: exec.CommandContext(ctx, python, "-c", script)}
	if env != nil {
		o.cmd.Env = append(os.Environ(), env...)
	}
	o.cmd.Stderr = &o.stderr
	in, err := o.cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("oracle: %w", err)
	}
	out, err := o.cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("oracle: %w", err)
	}
	if err := o.cmd.Start(); err != nil {
		return nil, fmt.Errorf("oracle %s: %w", python, err)
	}
	o.in, o.out = in, bufio.NewReader(out)
	return o, nil
}

type reply struct {
	OK    bool   `json:"ok"`
	Line  int    `json:"line"`
	Level int    `json:"level"`
	Msg   string `json:"msg"`
}

// Check renders one description in the oracle process. It returns an
// error when the process fails, not when the description does.
func (o *Oracle) Check(description, contentType string) (Verdict, error) {
	req, err := json.Marshal(map[string]string{"d": description, "t": contentType})
	if err != nil {
		return Verdict{}, fmt.Errorf("oracle: %w", err)
	}
	if _, err := o.in.Write(append(req, '\n')); err != nil {
		return Verdict{}, fmt.Errorf("oracle: %w: %s", err, o.stderr.String())
	}
	line, err := o.out.ReadBytes('\n')
	if err != nil {
		return Verdict{}, fmt.Errorf("oracle: %w: %s", err, o.stderr.String())
	}
	var r reply
	if err := json.Unmarshal(line, &r); err != nil {
		return Verdict{}, fmt.Errorf("oracle reply: %w", err)
	}
	if r.Level < 0 {
		return Verdict{}, errors.New("oracle: " + r.Msg)
	}
	if r.OK || description == "" {
		return Verdict{}, nil
	}
	return Verdict{Failed: true, Line: r.Line, Level: r.Level, Message: r.Msg}, nil
}

// Close stops the oracle process.
func (o *Oracle) Close() error {
	o.in.Close()
	return o.cmd.Wait()
}
