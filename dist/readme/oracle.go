package readme

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
var oracleScript string

// CheckWithPython is like Check but asks the readme_renderer installed for
// the given Python interpreter (for example Debian's /usr/bin/python3),
// choosing the renderer as PyPI does. It reports an error that is not a
// *Error when the interpreter cannot run or lacks readme_renderer.
// Its verdict is only as current as that readme_renderer and docutils.
func CheckWithPython(ctx context.Context, python, description, contentType string) error {
	o, err := StartOracle(ctx, python)
	if err != nil {
		return err
	}
	defer o.Close()
	return o.Check(description, contentType)
}

// Oracle is one long-running Python process that checks many descriptions
// with readme_renderer; it is not safe for concurrent use.
type Oracle struct {
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	stderr bytes.Buffer
}

// StartOracle starts python running the oracle script. Close releases it.
func StartOracle(ctx context.Context, python string) (*Oracle, error) {
	return startOracle(ctx, python, nil)
}

// startOracle is StartOracle with env added to the process environment
// (for example a PYTHONPATH holding other versions of the libraries).
func startOracle(ctx context.Context, python string, env []string) (*Oracle, error) {
	o := &Oracle{cmd: exec.CommandContext(ctx, python, "-c", oracleScript)}
	if env != nil {
		o.cmd.Env = append(os.Environ(), env...)
	}
	o.cmd.Stderr = &o.stderr
	in, err := o.cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("readme: oracle: %w", err)
	}
	out, err := o.cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("readme: oracle: %w", err)
	}
	if err := o.cmd.Start(); err != nil {
		return nil, fmt.Errorf("readme: oracle %s: %w", python, err)
	}
	o.in, o.out = in, bufio.NewReader(out)
	return o, nil
}

type oracleReply struct {
	OK    bool   `json:"ok"`
	Line  int    `json:"line"`
	Level int    `json:"level"`
	Msg   string `json:"msg"`
}

// Check renders one description in the oracle process.
func (o *Oracle) Check(description, contentType string) error {
	req, err := json.Marshal(map[string]string{"d": description, "t": contentType})
	if err != nil {
		return fmt.Errorf("readme: oracle: %w", err)
	}
	if _, err := o.in.Write(append(req, '\n')); err != nil {
		return fmt.Errorf("readme: oracle: %w: %s", err, o.stderr.String())
	}
	line, err := o.out.ReadBytes('\n')
	if err != nil {
		return fmt.Errorf("readme: oracle: %w: %s", err, o.stderr.String())
	}
	var r oracleReply
	if err := json.Unmarshal(line, &r); err != nil {
		return fmt.Errorf("readme: oracle reply: %w", err)
	}
	if r.Level < 0 {
		return errors.New("readme: oracle: " + r.Msg)
	}
	if r.OK || description == "" {
		return nil
	}
	return &Error{ContentType: contentType, Line: r.Line, Level: Level(r.Level), Message: r.Msg}
}

// Close stops the oracle process.
func (o *Oracle) Close() error {
	o.in.Close()
	return o.cmd.Wait()
}
